"""``lvzhi export``: a registered report in a registered format."""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys
from collections.abc import Iterator
from typing import Any

from lvzhi.cli._common import Progress, db_parent, open_office
from lvzhi.errors import ValidationError
from lvzhi.i18n import _

__all__ = ["register"]


class _Warnings(logging.Handler):
    """Prints each warning of the ``lvzhi.exports`` logger (a character a format cannot hold,
    replaced) as one line on stderr."""

    def emit(self, record: logging.LogRecord) -> None:
        print(_("lvzhi: warning: {message}").format(message=record.getMessage()), file=sys.stderr)


@contextlib.contextmanager
def _export_warnings() -> Iterator[None]:
    logger = logging.getLogger("lvzhi.exports")
    handler = _Warnings(logging.WARNING)
    propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def _report_options(given: list[str]) -> dict[str, str]:
    """``KEY=VALUE`` pairs for the report (``hall=main``, ``session=s1``)."""
    options: dict[str, str] = {}
    for item in given:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ValidationError("--option", item, _("must be KEY=VALUE"))
        options[key.strip()] = value.strip()
    return options


def _export(args: argparse.Namespace) -> int:
    with _export_warnings():
        return _export_report(args)


def _export_report(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        fmt = args.format
        exporter = office.registries.exporters.get(fmt)
        office.registries.reports.get(args.table)
        target = args.output or f"{args.table}.{exporter.extension}"
        options: dict[str, Any] = {
            "programme_id": args.programme,
            "reveal_phones": args.reveal_phones,
        }
        if args.option:
            options["options"] = _report_options(args.option)
        if target == "-":
            sys.stdout.buffer.write(office.reports.export(args.table, fmt, **options))
            sys.stdout.flush()
            return 0
        progress = Progress(_("exporting {report}").format(report=args.table))
        progress.step(_("writing {file}").format(file=target))
        try:
            office.reports.export(args.table, fmt, target, **options)
        finally:
            progress.done()
    print(_("wrote {file}").format(file=target))
    return 0


def register(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser(
        "export",
        parents=[db_parent()],
        help=_("export a report (roster, timetable, delegations, groups, suggestions, …)"),
        description=_(
            "Export a registered report (roster, timetable, delegations, groups, "
            "suggestions, and any a plugin adds) in a registered format (csv, xlsx, ods, "
            "json, yaml, html, and any a plugin adds). Phone numbers are masked unless "
            "--reveal-phones. `lvzhi plugins` lists the reports and formats."
        ),
    )
    p.add_argument("table", metavar=_("REPORT"), help=_("report name, e.g. roster"))
    p.add_argument(
        "--format",
        "-f",
        default="xlsx",
        metavar=_("FORMAT"),
        help=_("output format (default: xlsx)"),
    )
    p.add_argument(
        "--output",
        "-o",
        metavar=_("PATH"),
        help=_("file to write ('-' for stdout; default: REPORT.EXT in the current folder)"),
    )
    p.add_argument("--programme", metavar=_("ID"), help=_("programme id (default: the latest)"))
    p.add_argument(
        "--option",
        action="append",
        metavar=_("KEY=VALUE"),
        help=_(
            "an option of the report, repeatable: hall=ID, session=ID, by=delegation, "
            "rostrum=ID,ID,…"
        ),
    )
    p.add_argument("--reveal-phones", action="store_true", help=_("print phone numbers in full"))
    p.set_defaults(func=_export)
