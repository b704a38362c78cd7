"""``lvzhi checks``: spot checks of meals and lodging (抽查), the reports back to
delegations (通报) and each deputy's record (一人一表)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from lvzhi.cli._common import db_parent, open_office
from lvzhi.cli.leave import parse_local
from lvzhi.domain.checks import SpotCheckKind
from lvzhi.i18n import _

__all__ = ["register"]


def _format_of(path: str, given: str | None) -> str:
    return given or Path(path).suffix.lstrip(".") or "xlsx"


def _add(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        programme = office.programme.get(args.programme)
        at = parse_local(args.at, programme.timezone, "--at") if args.at else None
        check = office.discipline.spot_check(
            args.certificate,
            kind=args.kind,
            by=args.by,
            finding=args.finding,
            place=args.place,
            breach=args.breach,
            at=at,
            programme_id=programme.id,
        )
    print(check.id)
    return 0


def _list(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        programme = office.programme.get(args.programme)
        for c in office.discipline.checks(programme.id):
            when = f"{c.checked_at.in_timezone(programme.timezone):%Y-%m-%d %H:%M}"
            breach = _("breach") if c.breach else _("in order")
            print(
                f"{c.id}\t{when}\t{c.kind.value}\t{c.certificate_no}\t{c.checked_by}\t"
                f"{c.place}\t{breach}\t{c.finding}"
            )
    return 0


def _report(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        programme = office.programme.get(args.programme)
        reports = office.discipline.report(programme.id)
        for n, report in enumerate(reports):
            if n:
                print()
            print(report.title)
            print(report.body())
        if not reports:
            print(_("no violations to report"))
        if args.export:
            office.discipline.export(
                "tongbao",
                _format_of(args.export, args.format),
                args.export,
                programme_id=programme.id,
            )
        if args.issue:
            issued = office.discipline.issue_reports(programme.id)
            print(_("issued {count} report(s)").format(count=len(issued)))
            for notice in issued:
                print(f"  {notice.id}\t{'、'.join(notice.recipients)}")
    return 0


def _records(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        programme = office.programme.get(args.programme)
        for r in office.discipline.records(programme.id):
            rate = f"{r.rate * 100:.1f}%" if r.rate is not None else "-"
            print(
                f"{r.delegation_name}\t{r.name}\t{r.certificate_no}\t{r.required}\t"
                f"{r.attended}\t{r.late}\t{r.left_early}\t{r.absent}\t{r.on_leave}\t{rate}\t"
                f"{r.violations}\t{r.suggestions}"
            )
        if args.export:
            office.discipline.export(
                "records",
                _format_of(args.export, args.format),
                args.export,
                programme_id=programme.id,
            )
    return 0


def register(sub: argparse._SubParsersAction[Any]) -> None:
    checks = sub.add_parser(
        "checks",
        help=_("spot checks, reports back to delegations, each deputy's record"),
        description=_(
            "Spot checks of meals and lodging; unexcused lateness, early departure, absence "
            "and breaches are reported back to each delegation's Standing Committee."
        ),
    )
    checks_sub = checks.add_subparsers(dest="checks_command", metavar=_("COMMAND"))
    checks_sub.required = True
    programme = argparse.ArgumentParser(add_help=False)
    programme.add_argument("--programme", metavar=_("ID"), help=_("the course (default: latest)"))
    export = argparse.ArgumentParser(add_help=False)
    export.add_argument("--export", metavar=_("FILE"), help=_("also write the table to FILE"))
    export.add_argument("--format", help=_("the export format (default: from the file name)"))

    p = checks_sub.add_parser(
        "add", parents=[db_parent(), programme], help=_("record a spot check")
    )
    p.add_argument("certificate", metavar=_("CERT"))
    p.add_argument("--kind", required=True, choices=[k.value for k in SpotCheckKind])
    p.add_argument("--by", required=True, metavar=_("OFFICIAL"), help=_("the checker's id"))
    p.add_argument("--finding", required=True, metavar=_("TEXT"))
    p.add_argument("--place", default="", metavar=_("TEXT"))
    p.add_argument("--breach", action="store_true", help=_("a breach of discipline"))
    p.add_argument("--at", metavar=_("TIME"), help=_("when (default: now)"))
    p.set_defaults(func=_add)

    p = checks_sub.add_parser("list", parents=[db_parent(), programme], help=_("list spot checks"))
    p.set_defaults(func=_list)

    p = checks_sub.add_parser(
        "report",
        parents=[db_parent(), programme, export],
        help=_("print the reports back to delegations (通报)"),
    )
    p.add_argument("--issue", action="store_true", help=_("issue them as notices"))
    p.set_defaults(func=_report)

    p = checks_sub.add_parser(
        "records",
        parents=[db_parent(), programme, export],
        help=_("each deputy's attendance, leave, violations and suggestions"),
    )
    p.set_defaults(func=_records)
