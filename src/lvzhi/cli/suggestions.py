"""``lvzhi suggestions``: submit, classify, merge, assign, answer and rate suggestions; the
bulletin's statistics and the overdue ones."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pendulum

from lvzhi.cli._common import open_office
from lvzhi.cli._common import subcommand as _command
from lvzhi.i18n import _

if TYPE_CHECKING:
    from lvzhi.domain import Suggestion

__all__ = ["register"]


def _date(text: str) -> pendulum.Date:
    try:
        return pendulum.Date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("not a date (YYYY-MM-DD): {text!r}").format(text=text)
        ) from None


def _line(s: Suggestion) -> str:
    number = s.number if s.number is not None else "-"
    return f"{s.id}\t{number}\t{s.state.value}\t{s.category}/{s.aspect}\t{s.title}"


def _show(s: Suggestion) -> int:
    print(_line(s))
    return 0


def _add(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        s = office.suggestions.submit(
            programme_id=args.programme,
            title=args.title,
            body=args.body or "",
            proposers=args.proposer,
            group_id=args.group,
            session_id=args.session,
            category=args.category or "",
            aspect=args.aspect or "",
            by=args.by or "",
        )
    return _show(s)


def _classify(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        s = office.suggestions.classify(
            args.id, args.category, args.aspect, by=args.by or "", reason=args.reason or ""
        )
    return _show(s)


def _merge(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        s = office.suggestions.merge(
            args.ids, into=args.into, reason=args.reason or "", by=args.by or ""
        )
    return _show(s)


def _assign(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        s = office.suggestions.assign(
            args.id, args.unit, args.deadline, by=args.by or "", reason=args.reason or ""
        )
    return _show(s)


def _reply(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        s = office.suggestions.reply(
            args.id,
            args.body,
            template=args.template,
            unit=args.unit,
            signer=args.signer,
            by=args.by,
        )
    _show(s)
    if s.reply is not None:
        print(s.reply.body)
    return 0


def _rate(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        s = office.suggestions.rate(
            args.id, args.satisfaction, by=args.by or "", reason=args.reason or ""
        )
    return _show(s)


def _table(title: str, counts: Mapping[Any, int], empty: str) -> None:
    print()
    print(title)
    for key, n in counts.items():
        name = "/".join(k or empty for k in key) if isinstance(key, tuple) else key or empty
        print(f"  {name}\t{n}")


def _stats(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        stats = office.suggestions.stats(args.programme)
    print(stats.bulletin())
    none = _("(none)")
    _table(_("by category and aspect"), stats.by_aspect, none)
    _table(_("by group"), stats.by_group, none)
    _table(_("by handling unit"), stats.by_unit, none)
    _table(_("by state"), stats.by_state, none)
    if stats.merged:
        print()
        print(_("merged into others: {count}").format(count=stats.merged))
    return 0


def _overdue(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        late = office.suggestions.overdue(args.today, programme_id=args.programme)
    for s in late:
        deadline = s.deadline.isoformat() if s.deadline else ""
        print(f"{s.id}\t{s.number or '-'}\t{s.handling_unit}\t{deadline}\t{s.title}")
    if not late:
        print(_("no suggestion is overdue"))
    return 0


# What ``lvzhi suggestions export --what`` names, and the report behind each.
EXPORTS = {"register": "suggestions", "replies": "suggestion-replies", "stats": "suggestion-stats"}


def _export(args: argparse.Namespace) -> int:
    report = EXPORTS[args.what]
    with open_office(args) as office:
        extension = office.registries.exporters.get(args.format).extension
        target = args.output or f"{report}.{extension}"
        if target == "-":
            sys.stdout.buffer.write(
                office.reports.export(report, args.format, programme_id=args.programme)
            )
            sys.stdout.flush()
            return 0
        office.reports.export(report, args.format, target, programme_id=args.programme)
    print(_("wrote {file}").format(file=target))
    return 0


def _by(p: argparse.ArgumentParser, reason: bool = True) -> None:
    p.add_argument("--by", metavar=_("WHO"), help=_("who does this (kept on the audit trail)"))
    if reason:
        p.add_argument("--reason", metavar=_("TEXT"), help=_("why (kept on the audit trail)"))


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add ``lvzhi suggestions …`` to the command line."""
    top = sub.add_parser(
        "suggestions",
        help=_("collect suggestions, hand them to units, reply and count them"),
        description=_(
            "Suggestions from the group discussions: each is classified under the "
            "configured categories and aspects, handed to a unit with a deadline, "
            "answered formally and rated by its proposers."
        ),
    )
    cmds = top.add_subparsers(dest="suggestions_command", metavar=_("COMMAND"))
    cmds.required = True

    p = _command(cmds, "add", _("submit a suggestion (numbered within the course)"), _add)
    p.add_argument("--title", required=True, metavar=_("TEXT"), help=_("what it is about"))
    p.add_argument("--body", metavar=_("TEXT"), help=_("the suggestion's text"))
    p.add_argument(
        "--proposer",
        action="append",
        required=True,
        metavar=_("CERTIFICATE"),
        help=_("a proposing deputy's certificate number (repeat for several)"),
    )
    p.add_argument("--group", metavar=_("ID"), help=_("the discussion group it came from"))
    p.add_argument("--session", metavar=_("ID"), help=_("the session it came from"))
    p.add_argument("--category", metavar=_("TEXT"), help=_("its category"))
    p.add_argument("--aspect", metavar=_("TEXT"), help=_("its aspect"))
    p.add_argument("--programme", metavar=_("ID"), help=_("the course (default: the latest)"))
    _by(p, reason=False)

    p = _command(cmds, "classify", _("file a suggestion under a category and aspect"), _classify)
    p.add_argument("id", metavar=_("ID"))
    p.add_argument("category", metavar=_("CATEGORY"))
    p.add_argument("aspect", metavar=_("ASPECT"))
    _by(p)

    p = _command(cmds, "merge", _("merge near-duplicates into one suggestion"), _merge)
    p.add_argument("ids", nargs="+", metavar=_("ID"), help=_("the suggestions merged away"))
    p.add_argument("--into", required=True, metavar=_("ID"), help=_("the one that remains"))
    _by(p)

    p = _command(cmds, "assign", _("hand a suggestion to a unit with a deadline"), _assign)
    p.add_argument("id", metavar=_("ID"))
    p.add_argument("unit", metavar=_("UNIT"))
    p.add_argument("--deadline", type=_date, metavar="YYYY-MM-DD", help=_("the deadline"))
    _by(p)

    p = _command(cmds, "reply", _("give the formal reply to a suggestion"), _reply)
    p.add_argument("id", metavar=_("ID"))
    p.add_argument("--body", metavar=_("TEXT"), help=_("the text (with a template: its detail)"))
    p.add_argument("--template", metavar=_("NAME"), help=_("a reply template, e.g. 已采纳"))
    p.add_argument("--unit", metavar=_("UNIT"), help=_("the answering unit (default: assigned)"))
    p.add_argument("--signer", metavar=_("WHO"), help=_("who signs the reply"))
    _by(p, reason=False)

    p = _command(cmds, "rate", _("record the proposers' satisfaction with the reply"), _rate)
    p.add_argument("id", metavar=_("ID"))
    p.add_argument("satisfaction", metavar=_("RATING"), help="满意, 基本满意, 不满意")
    _by(p)

    p = _command(cmds, "stats", _("print the bulletin's sentence and the counts"), _stats)
    p.add_argument("--programme", metavar=_("ID"), help=_("the course (default: the latest)"))

    p = _command(
        cmds,
        "export",
        _("export the register (建议汇总表), the reply letters or the statistics"),
        _export,
    )
    p.add_argument(
        "--what",
        choices=sorted(EXPORTS),
        default="register",
        help=_("which table (default: register)"),
    )
    p.add_argument("--format", "-f", default="xlsx", metavar=_("FORMAT"))
    p.add_argument("--output", "-o", metavar=_("PATH"), help=_("'-' for stdout"))
    p.add_argument("--programme", metavar=_("ID"), help=_("the course (default: the latest)"))

    p = _command(cmds, "overdue", _("list assigned suggestions past their deadline"), _overdue)
    p.add_argument("--today", type=_date, metavar="YYYY-MM-DD", help=_("the day to check"))
    p.add_argument("--programme", metavar=_("ID"), help=_("the course (default: the latest)"))
