"""``lvzhi groups``: discussion groups — form them, name their people, check the balance."""

from __future__ import annotations

import argparse
from typing import Any

from lvzhi.cli._common import db_parent, open_office
from lvzhi.i18n import _

__all__ = ["register"]


def _ids(text: str | None) -> list[str] | None:
    if text is None:
        return None
    return [part.strip() for part in text.split(",") if part.strip()]


def _form(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        groups = office.groups.form(args.count, strategy=args.strategy, topic=args.topic or "")
    sizes = [len(g.members) for g in groups]
    print(
        _("formed {count} groups of {smallest}-{largest} deputies").format(
            count=len(groups), smallest=min(sizes), largest=max(sizes)
        )
    )
    return 0


def _assign(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        group = office.groups.assign(
            args.group,
            convener=args.convener,
            recorder=args.recorder,
            leaders=_ids(args.leaders),
            venue=args.room,
        )
    print(
        _(
            "{name}: convener {convener}, recorder {recorder}, leaders {leaders}, room {room}"
        ).format(
            name=group.name,
            convener=group.convener_id or "-",
            recorder=group.recorder_id or "-",
            leaders=",".join(group.leader_ids) or "-",
            room=group.venue_id or "-",
        )
    )
    return 0


def _balance(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        report = office.groups.balance()
    worst = report.worst()
    print(
        _(
            "largest spread over the groups: size {size}, delegation {delegation}, "
            "gender {gender}, sector {sector}, new deputies {new}"
        ).format(**worst)
    )
    print(
        _("new deputies per group: {counts}").format(
            counts=" ".join(str(n) for n in report.new_deputies.counts)
        )
    )
    return 0


def _list(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        groups = office.groups.list()
        names = {o.id: o.name for o in office.people.officials()}
        rooms = {v.id: v.name for v in office.programme.venues()}

    def who(official: str | None) -> str:
        return names.get(official, official) if official else "-"

    for g in groups:
        leaders = "、".join(who(o) for o in g.leader_ids) or "-"
        room = rooms.get(g.venue_id, g.venue_id) if g.venue_id else "-"
        print(
            f"{g.number}\t{g.name}\t{len(g.members)}\t{who(g.convener_id)}\t"
            f"{who(g.recorder_id)}\t{leaders}\t{room}"
        )
    return 0


def register(sub: argparse._SubParsersAction[Any]) -> None:
    groups = sub.add_parser(
        "groups",
        help=_("discussion groups: form, assign people, balance, list"),
        description=_(
            "Split the deputies into discussion groups, name each group's convener, "
            "recorder, attending leaders and room, and check how evenly they are mixed."
        ),
    )
    groups_sub = groups.add_subparsers(dest="groups_command", metavar=_("COMMAND"))
    groups_sub.required = True
    db = db_parent()

    p = groups_sub.add_parser(
        "form",
        parents=[db],
        help=_("split every deputy into N groups (replaces the groups)"),
        description=_(
            "Split every deputy into N discussion groups with a grouping strategy "
            "(balanced by default; by_delegation keeps delegations whole)."
        ),
    )
    p.add_argument("count", type=int, metavar="N", help=_("number of groups"))
    p.add_argument("--strategy", metavar=_("NAME"), help=_("grouping strategy"))
    p.add_argument("--topic", metavar=_("TEXT"), help=_("the topic of the discussion"))
    p.set_defaults(func=_form)

    p = groups_sub.add_parser(
        "assign",
        parents=[db],
        help=_("name a group's convener, recorder, attending leaders and room"),
        description=_(
            "Name a group's convener, recorder, attending leaders (officials' ids) and room "
            "(a venue's id). Options left out keep their value."
        ),
    )
    p.add_argument("group", metavar=_("GROUP"), help=_("the group's id"))
    p.add_argument("--convener", metavar=_("ID"), help=_("the convener (an official)"))
    p.add_argument("--recorder", metavar=_("ID"), help=_("the recorder (an official)"))
    p.add_argument(
        "--leaders", metavar="ID,ID", help=_("attending leaders, comma-separated; '' for none")
    )
    p.add_argument("--room", metavar=_("VENUE"), help=_("the room (a venue)"))
    p.set_defaults(func=_assign)

    p = groups_sub.add_parser(
        "balance",
        parents=[db],
        help=_("how evenly the groups are mixed"),
        description=_(
            "The largest spread (most minus fewest in a group) of sizes, delegations, "
            "genders, sectors and new deputies."
        ),
    )
    p.set_defaults(func=_balance)

    p = groups_sub.add_parser(
        "list",
        parents=[db],
        help=_("list the groups"),
        description=_("One line per group: number, name, size, convener, recorder, leaders, room."),
    )
    p.set_defaults(func=_list)
