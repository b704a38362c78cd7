"""``lvzhi leave``: file, decide, withdraw and list leave requests (请假)."""

from __future__ import annotations

import argparse
from typing import Any

import pendulum

from lvzhi.cli._common import db_parent, open_office
from lvzhi.domain.leave import LeaveCategory, LeaveRequest, LeaveStage
from lvzhi.errors import ValidationError
from lvzhi.i18n import _

__all__ = ["parse_local", "register"]


def parse_local(text: str, timezone: str, field: str) -> pendulum.DateTime:
    """``2022-09-06 08:00`` (or ISO text with an offset) as an instant, local to
    ``timezone`` when no offset is given."""
    try:
        parsed = pendulum.parse(text, tz=timezone)
    except (ValueError, pendulum.parsing.exceptions.ParserError) as exc:
        raise ValidationError(field, text, _("is not a date and time")) from exc
    if not isinstance(parsed, pendulum.DateTime):
        raise ValidationError(field, text, _("is not a date and time"))
    return parsed


def _line(r: LeaveRequest, timezone: str) -> str:
    def hm(t: pendulum.DateTime) -> str:
        return f"{t.in_timezone(timezone):%Y-%m-%d %H:%M}"

    label = _("emergency")
    emergency = f"\t{label}: {r.emergency_reason}" if r.emergency else ""
    return (
        f"{r.id}\t{r.certificate_no}\t{hm(r.starts_at)}\t{hm(r.ends_at)}\t"
        f"{r.category.label}\t{r.state.value}\t{r.reason}{emergency}"
    )


def _submit(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        programme = office.programme.get(args.programme)
        tz = programme.timezone
        request = office.leave.submit(
            args.certificate,
            starts_at=parse_local(args.start, tz, "--from"),
            ends_at=parse_local(args.end, tz, "--to"),
            category=args.category,
            reason=args.reason,
            application=args.application or "",
            emergency=args.emergency,
            programme_id=programme.id,
        )
        print(_line(request, tz))
    return 0


def _decide(args: argparse.Namespace, approved: bool) -> int:
    with open_office(args) as office:
        request = office.leave.decide(
            args.request, args.stage, approver=args.by, approved=approved, note=args.note
        )
        print(_line(request, office.programme.get(request.programme_id).timezone))
    return 0


def _withdraw(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        request = office.leave.withdraw(args.request, by=args.by, reason=args.note)
        print(_line(request, office.programme.get(request.programme_id).timezone))
    return 0


def _list(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        programme = office.programme.get(args.programme)
        items = office.leave.list(certificate_no=args.certificate, programme_id=programme.id)
        for r in items:
            print(_line(r, programme.timezone))
    return 0


def register(sub: argparse._SubParsersAction[Any]) -> None:
    leave = sub.add_parser(
        "leave",
        help=_("file and decide leave requests (two-stage approval)"),
        description=_(
            "Leave needs a written application, approved first by the deputy's delegation "
            "(its Standing Committee, or the garrison's leaders), then by the organiser."
        ),
    )
    leave_sub = leave.add_subparsers(dest="leave_command", metavar=_("COMMAND"))
    leave_sub.required = True
    programme = argparse.ArgumentParser(add_help=False)
    programme.add_argument("--programme", metavar=_("ID"), help=_("the course (default: latest)"))

    p = leave_sub.add_parser(
        "submit", parents=[db_parent(), programme], help=_("file a leave request")
    )
    p.add_argument("certificate", metavar=_("CERT"), help=_("the deputy's certificate number"))
    p.add_argument("--from", dest="start", required=True, metavar=_("TIME"))
    p.add_argument("--to", dest="end", required=True, metavar=_("TIME"))
    p.add_argument(
        "--category",
        required=True,
        metavar=_("CATEGORY"),
        help=_("one of: {choices}").format(
            choices=", ".join(f"{c.value} ({c.label})" for c in LeaveCategory)
        ),
    )
    p.add_argument("--reason", required=True, metavar=_("TEXT"))
    p.add_argument(
        "--application", metavar=_("REF"), help=_("the written application (file or reference)")
    )
    p.add_argument(
        "--emergency",
        metavar=_("REASON"),
        help=_("file after a covered session began, with the reason"),
    )
    p.set_defaults(func=_submit)

    for name, approved, text in (
        ("approve", True, _("approve one stage of a request")),
        ("reject", False, _("reject one stage of a request")),
    ):
        p = leave_sub.add_parser(name, parents=[db_parent()], help=text)
        p.add_argument("request", metavar=_("ID"))
        p.add_argument("--stage", required=True, choices=[s.value for s in LeaveStage])
        p.add_argument("--by", required=True, metavar=_("OFFICIAL"), help=_("an official's id"))
        p.add_argument("--note", default="", metavar=_("TEXT"))
        p.set_defaults(func=lambda a, ok=approved: _decide(a, ok))

    p = leave_sub.add_parser("withdraw", parents=[db_parent()], help=_("withdraw a request"))
    p.add_argument("request", metavar=_("ID"))
    p.add_argument("--by", metavar=_("CERT"), help=_("who withdraws it (default: the deputy)"))
    p.add_argument("--note", default="", metavar=_("TEXT"))
    p.set_defaults(func=_withdraw)

    p = leave_sub.add_parser("list", parents=[db_parent(), programme], help=_("list requests"))
    p.add_argument("--certificate", metavar=_("CERT"), help=_("only this deputy's requests"))
    p.set_defaults(func=_list)
