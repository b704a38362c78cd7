"""``lvzhi seat``: seat plans of a hall, manual moves, attendance zones and their takers."""

from __future__ import annotations

import argparse
from typing import Any

from lvzhi.cli._common import db_parent, open_office
from lvzhi.errors import ValidationError
from lvzhi.i18n import _

__all__ = ["register"]

#: How many moves ``seat assign`` lists one by one.
MOVES_LISTED = 20


def _assign(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        if args.hall_file:
            from lvzhi.hallfiles import load_hall

            hall = load_hall(args.hall_file)
            if hall.id != args.hall:
                raise ValidationError(
                    "--hall-file",
                    args.hall_file,
                    _("describes hall {found}, not {hall}").format(found=hall.id, hall=args.hall),
                )
            office.halls.save_hall(hall)
        result = office.seating.assign(args.hall, strategy=args.strategy, fresh=args.fresh)
        hall = office.halls.hall(args.hall)
    kinds = {"seated": 0, "moved": 0, "withdrawn": 0}
    for m in result.moves:
        kinds[m.kind] += 1
    print(
        _(
            "{count} deputies seated in {hall}: {moved} moved, {seated} newly seated, "
            "{withdrawn} withdrawn"
        ).format(
            count=len(result.plan.assignments),
            hall=hall.name,
            moved=kinds["moved"],
            seated=kinds["seated"],
            withdrawn=kinds["withdrawn"],
        )
    )
    changes = [m for m in result.moves if m.kind != "seated"]
    for m in changes[:MOVES_LISTED]:
        before = hall.seat(m.from_seat).label if m.from_seat else "-"
        after = hall.seat(m.to_seat).label if m.to_seat else "-"
        print(f"  {m.certificate_no}\t{before} -> {after}")
    if len(changes) > MOVES_LISTED:
        print("  " + _("… and {count} more").format(count=len(changes) - MOVES_LISTED))
    return 0


def _move(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        move = office.seating.move(args.hall, args.cert, args.seat)
        hall = office.halls.hall(args.hall)
    before = hall.seat(move.from_seat).label if move.from_seat else "-"
    print(
        _("{cert}: {before} -> {after}").format(
            cert=move.certificate_no, before=before, after=hall.seat(move.to_seat or "").label
        )
    )
    return 0


def _show(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        hall = office.halls.hall(args.hall)
        plan = office.seating.plan_for(args.hall)
        zones = office.seating.zones(args.hall)
        deputies = {d.key: d for d in office.people.delegates()}
        units = {u.code: u.name for u in office.people.delegations()}
    zone_of = {seat: zone.name for zone in zones for seat in zone.seats}
    by_seat = {seat: cert for cert, seat in plan.assignments.items()}
    if args.cert:
        seat_id = plan.seat_of(args.cert)
        if seat_id is None:
            raise ValidationError("CERT", args.cert, _("has no seat in this hall"))
        rows = [(seat_id, args.cert)]
    else:
        rows = [
            (s.id, by_seat[s.id]) for s in hall.walk(include_unavailable=True) if s.id in by_seat
        ]
    for seat_id, cert in rows:
        deputy = deputies.get(cert)
        name = deputy.name if deputy else ""
        unit = units.get(deputy.delegation, deputy.delegation) if deputy else ""
        label = hall.seat(seat_id).label
        print(f"{label}\t{zone_of.get(seat_id, '')}\t{cert}\t{name}\t{unit}")
    return 0


def _zones(args: argparse.Namespace) -> int:
    names = [n.strip() for n in args.names.split(",")] if args.names else []
    with open_office(args) as office:
        zones = office.seating.zones_by(args.hall, args.count, names=names)
        takers = {o.id: o.name for o in office.people.officials()}
    for zone in zones:
        taker = takers.get(zone.taker_id or "", zone.taker_id or _("no taker"))
        print(
            _("{id}\t{name}\t{seats} seats\t{taker}").format(
                id=zone.id, name=zone.name, seats=len(zone.seats), taker=taker
            )
        )
    return 0


def _taker(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        zone = office.seating.assign_taker(args.zone, args.official)
        official = office.people.officials()
    name = next((o.name for o in official if o.id == zone.taker_id), zone.taker_id)
    print(_("{zone}: attendance taken by {name}").format(zone=zone.name, name=name))
    return 0


def register(sub: argparse._SubParsersAction[Any]) -> None:
    seat = sub.add_parser(
        "seat",
        help=_("seat plans of a hall, moves, attendance zones"),
        description=_(
            "Seat every deputy in a stored hall, move one by hand, show the plan, split the "
            "hall into attendance zones and name who takes attendance in each."
        ),
    )
    seat_sub = seat.add_subparsers(dest="seat_command", metavar=_("COMMAND"))
    seat_sub.required = True
    db = db_parent()

    p = seat_sub.add_parser(
        "assign",
        parents=[db],
        help=_("seat every deputy of the roster in a hall and store the plan"),
        description=_(
            "Seat every deputy of the roster in the hall with a seating strategy and store "
            "the plan. With a stored plan only the deputies whose seat is no longer "
            "offered, and the new deputies, are seated again; nobody else moves."
        ),
    )
    p.add_argument("hall", metavar=_("HALL"), help=_("the hall's id"))
    p.add_argument(
        "--strategy",
        metavar=_("NAME"),
        help=_("seating strategy (in_order, delegation_blocks, by_group, explicit, …)"),
    )
    p.add_argument(
        "--hall-file",
        metavar=_("FILE"),
        help=_("read the hall from this file (.toml, .yaml) and store it first"),
    )
    p.add_argument(
        "--fresh", action="store_true", help=_("ignore the stored plan and lay the hall out anew")
    )
    p.set_defaults(func=_assign)

    p = seat_sub.add_parser(
        "move",
        parents=[db],
        help=_("move one deputy to another seat"),
        description=_("Move one deputy to a free seat; a taken or blocked seat is refused."),
    )
    p.add_argument("hall", metavar=_("HALL"), help=_("the hall's id"))
    p.add_argument("cert", metavar=_("CERT"), help=_("the deputy's certificate number"))
    p.add_argument("seat", metavar=_("SEAT"), help=_("the seat, by label (3排5号) or id"))
    p.set_defaults(func=_move)

    p = seat_sub.add_parser(
        "show",
        parents=[db],
        help=_("print the stored plan of a hall"),
        description=_(
            "One line per seated deputy, in walk order: seat, zone, certificate, name, delegation."
        ),
    )
    p.add_argument("hall", metavar=_("HALL"), help=_("the hall's id"))
    p.add_argument("--cert", metavar=_("CERT"), help=_("only this deputy's seat"))
    p.set_defaults(func=_show)

    p = seat_sub.add_parser(
        "zones",
        parents=[db],
        help=_("split a hall into attendance zones"),
        description=_(
            "Split the hall into N attendance zones (by section when it has N sections, "
            "else runs of its walk) and store them; takers already named are kept."
        ),
    )
    p.add_argument("hall", metavar=_("HALL"), help=_("the hall's id"))
    p.add_argument("--count", type=int, required=True, metavar="N", help=_("number of zones"))
    p.add_argument("--names", metavar="A,B,…", help=_("the zones' names, comma-separated"))
    p.set_defaults(func=_zones)

    p = seat_sub.add_parser(
        "taker",
        parents=[db],
        help=_("name the official who takes attendance in a zone"),
        description=_("Name the official who takes attendance in a zone (any official)."),
    )
    p.add_argument("zone", metavar=_("ZONE"), help=_("the zone's id"))
    p.add_argument("official", metavar=_("OFFICIAL"), help=_("the official's id"))
    p.set_defaults(func=_taker)
