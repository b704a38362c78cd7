"""``lvzhi scan`` (record one scan or a batch file) and ``lvzhi attendance`` (statuses,
corrections, records)."""

from __future__ import annotations

import argparse
import csv
from collections import Counter
from pathlib import Path
from typing import Any

import pendulum

from lvzhi.cli._common import db_parent, open_office
from lvzhi.domain import Scan, ScanKind
from lvzhi.errors import ValidationError
from lvzhi.i18n import _

__all__ = ["register"]

BATCH_COLUMNS = ("id", "session", "certificate", "kind", "time", "zone", "taker")


def _instant(text: str, timezone: str) -> pendulum.DateTime:
    """ISO 8601; a time without an offset is local to the programme."""
    try:
        parsed = pendulum.parse(text, tz=timezone)
    except (ValueError, pendulum.parsing.exceptions.ParserError) as exc:
        raise ValidationError("time", text, _("is not a date and time")) from exc
    if not isinstance(parsed, pendulum.DateTime):
        raise ValidationError("time", text, _("is not a date and time"))
    return parsed


def _read_batch(path: Path, timezone: str) -> list[Scan]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = set(BATCH_COLUMNS[:5]) - set(reader.fieldnames or ())
        if missing:
            raise ValidationError(
                "columns", sorted(missing), _("the batch file needs these columns")
            )
        return [
            Scan(
                id=row["id"],
                session_id=row["session"],
                certificate_no=row["certificate"],
                kind=row["kind"] or ScanKind.ENTRY,
                scanned_at=_instant(row["time"], timezone),
                zone=row.get("zone") or "",
                taker_id=row.get("taker") or None,
                device=path.name,
            )
            for row in reader
        ]


def _scan(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        timezone = office.programme.get().timezone
        if args.file:
            scans = _read_batch(Path(args.file), timezone)
        else:
            if not args.certificate or not args.session:
                raise ValidationError(
                    "scan", None, _("give a certificate number and --session, or --file")
                )
            at = _instant(args.at, timezone) if args.at else office.now()
            kind = ScanKind.EXIT if args.exit else ScanKind.ENTRY
            derived = f"{args.session}.{args.certificate}.{kind.value}.{at.int_timestamp}"
            scans = [
                Scan(
                    id=args.id or derived,
                    session_id=args.session,
                    certificate_no=args.certificate,
                    kind=kind,
                    scanned_at=at,
                    zone=args.zone or "",
                    taker_id=args.taker,
                    source="manual",
                )
            ]
        result = office.attendance.record(scans)
    print(
        _("{recorded} scans recorded, {ignored} already stored").format(
            recorded=result.recorded, ignored=result.ignored
        )
    )
    for flag in result.flags:
        print(f"  {flag.scan_id}\t{flag.certificate_no}\t{', '.join(flag.reasons)}")
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        statuses = office.attendance.evaluate(args.session, rule=args.rule)
        names = {d.key: d.name for d in office.delegates()}
    counts = Counter(s.label for s in statuses)
    print("  ".join(f"{label} {n}" for label, n in counts.most_common()))
    for s in statuses:
        if s.code != "present":
            print(f"{s.certificate_no}\t{names.get(s.certificate_no, '')}\t{s.label}")
    return 0


def _void(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        c = office.attendance.void_scan(args.scan, by=args.by, reason=args.reason)
    print(_("correction {id} recorded").format(id=c.id))
    return 0


def _set(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        c = office.attendance.set_status(
            args.session, args.certificate, args.status, by=args.by, reason=args.reason
        )
    print(_("correction {id} recorded").format(id=c.id))
    return 0


def _records(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        records = office.attendance.records(rule=args.rule)
    for r in records:
        t = r.tally
        print(
            f"{r.certificate_no}\t{r.name}\t{t.required}\t{t.attended}\t{t.late}\t"
            f"{t.left_early}\t{t.late_left_early}\t{t.absent}\t{t.on_leave}\t{t.absences}\t"
            f"{t.rate * 100:.1f}%"
        )
    return 0


def register(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser(
        "scan",
        parents=[db_parent()],
        help=_("record one attendance scan, or a batch file of scans"),
        description=_(
            "Record a scan (an entry, or an exit with --exit), or every scan of a CSV batch "
            "(columns id, session, certificate, kind, time, zone, taker). A scan already "
            "stored is ignored. Flagged scans are listed but stored all the same."
        ),
    )
    p.add_argument("certificate", nargs="?", metavar=_("CERT"), help=_("certificate number"))
    p.add_argument("--session", metavar=_("ID"), help=_("the session"))
    p.add_argument("--exit", action="store_true", help=_("an exit, not an entry"))
    p.add_argument("--zone", metavar=_("ZONE"), help=_("the zone where it was taken"))
    p.add_argument("--taker", metavar=_("ID"), help=_("the official who took it"))
    p.add_argument("--at", metavar=_("TIME"), help=_("when (ISO 8601; default: now)"))
    p.add_argument("--id", metavar=_("ID"), help=_("the scan id (default: derived)"))
    p.add_argument("--file", metavar=_("BATCH.csv"), help=_("a CSV batch of scans"))
    p.set_defaults(func=_scan)

    att = sub.add_parser(
        "attendance",
        help=_("attendance statuses, corrections and records"),
        description=_("Derive statuses from the scan log, correct them, list records."),
    )
    att_sub = att.add_subparsers(dest="attendance_command", metavar=_("COMMAND"))
    att_sub.required = True
    p = att_sub.add_parser(
        "evaluate",
        parents=[db_parent()],
        help=_("count statuses of a session and list who was not present"),
    )
    p.add_argument("session", metavar=_("SESSION"))
    p.add_argument("--rule", metavar=_("NAME"), help=_("the attendance rule"))
    p.set_defaults(func=_evaluate)
    p = att_sub.add_parser("void", parents=[db_parent()], help=_("void a scan"))
    p.add_argument("scan", metavar=_("SCAN"))
    p.add_argument("--by", required=True, metavar=_("ID"), help=_("the official"))
    p.add_argument("--reason", required=True, metavar=_("TEXT"), help=_("why"))
    p.set_defaults(func=_void)
    p = att_sub.add_parser(
        "set", parents=[db_parent()], help=_("set a deputy's status for a session")
    )
    p.add_argument("session", metavar=_("SESSION"))
    p.add_argument("certificate", metavar=_("CERT"))
    p.add_argument("status", metavar=_("STATUS"))
    p.add_argument("--by", required=True, metavar=_("ID"), help=_("the official"))
    p.add_argument("--reason", required=True, metavar=_("TEXT"), help=_("why"))
    p.set_defaults(func=_set)
    p = att_sub.add_parser(
        "records", parents=[db_parent()], help=_("one attendance line per deputy")
    )
    p.add_argument("--rule", metavar=_("NAME"), help=_("the attendance rule"))
    p.set_defaults(func=_records)
