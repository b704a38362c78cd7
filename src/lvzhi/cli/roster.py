"""``lvzhi init`` and ``lvzhi import``: the database and the roster."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from lvzhi.cli._common import Progress, db_parent, open_office
from lvzhi.i18n import N_, _

if TYPE_CHECKING:
    from lvzhi.importing import SkippedRow

__all__ = ["register"]

#: How many skipped rows the command lists one by one.
SKIPPED_LISTED = 10

_KIND_WORDS = {
    "blank": N_("blank"),
    "header": N_("header repeated"),
    "note": N_("note"),
    "empty": N_("without a deputy"),
    "footer": N_("footer"),
}


def _init(args: argparse.Namespace) -> int:
    with open_office(args, create=True) as office:
        version = office.storage.schema_version()
        print(
            _("initialised {url} (schema version {version})").format(
                url=office.url, version=version
            )
        )
    return 0


def _import(args: argparse.Namespace) -> int:
    from lvzhi.errors import ImportProblem
    from lvzhi.importing import write_problems

    progress = Progress(_("importing {file}").format(file=args.file))
    with open_office(args, create=True) as office:
        try:
            report = office.imports.roster(
                args.file, format=args.format, progress=progress, sheet=args.sheet
            )
        except ImportProblem as exc:
            progress.done()
            if args.problems:
                write_problems(exc, args.problems)
                note = _("all {count} problem(s) written to {file}")
                print(note.format(count=len(exc.problems), file=args.problems), file=sys.stderr)
            elif len(exc.problems) > ImportProblem.LISTED:
                hint = _("write every problem to a table with --problems FILE (.csv or .xlsx)")
                print(hint, file=sys.stderr)
            raise
        finally:
            progress.done()
    if args.problems:
        write_problems([], args.problems)  # no stale list of an earlier attempt
    line = _("imported {count} deputies from {file}: {created} new, {updated} updated").format(
        count=report.delegates, file=report.source, created=report.created, updated=report.updated
    )
    if report.delegations_created:
        line += _("; new delegations: {codes}").format(codes=", ".join(report.delegations_created))
    print(line)
    if report.ignored_columns:
        print(_("ignored columns: {columns}").format(columns=", ".join(report.ignored_columns)))
    _print_skipped(report.sheets, report.skipped)
    return 0


def _print_skipped(sheets: Sequence[str], skipped: Sequence[SkippedRow]) -> None:
    """A short account of the sheets read and the rows passed over."""
    rows = [s for s in skipped if s.row]
    passed = [s for s in skipped if not s.row]
    if passed or len(sheets) > 1:
        print(_("read sheet(s): {sheets}").format(sheets=", ".join(sheets)))
    for entry in passed:
        print(_("skipped sheet {sheet}: {reason}").format(sheet=entry.sheet, reason=entry.reason))
    if not rows:
        return
    counts = Counter(s.kind for s in rows)
    words = {kind: _(_KIND_WORDS.get(kind, kind)) for kind in counts}
    summary = ", ".join(f"{n} {words[kind]}" for kind, n in counts.items())
    print(_("skipped {count} rows ({summary}):").format(count=len(rows), summary=summary))
    for entry in rows[:SKIPPED_LISTED]:
        print(f"  {entry}")
    if len(rows) > SKIPPED_LISTED:
        print("  " + _("… and {count} more").format(count=len(rows) - SKIPPED_LISTED))


def register(sub: argparse._SubParsersAction[Any]) -> None:
    db = db_parent()
    p = sub.add_parser(
        "init",
        parents=[db],
        help=_("create (or migrate) the database"),
        description=_("Create the database at --db, or bring an older one up to date."),
    )
    p.set_defaults(func=_init)

    p = sub.add_parser(
        "import",
        parents=[db],
        help=_("import a roster (xlsx, ods, csv, txt)"),
        description=_(
            "Import a roster of deputies. Chinese headers (姓名, 性别, 代表证号, 选举单位, "
            "界别, 手机, 是否新任) and English ones are recognised; a title above the header, "
            "blank rows, the header repeated, notes and footers (制表单位：…, 注：…) are "
            "passed over and listed. The roster's sheet is found; a workbook of one sheet "
            "per delegation is read sheet by sheet. Text files may be UTF-8, GB18030 or "
            "UTF-16, separated by commas, tabs or semicolons. Any problem stops the import "
            "and lists the bad rows; nothing is written."
        ),
    )
    p.add_argument("file", metavar=_("FILE"), help=_("the roster file"))
    p.add_argument(
        "--format",
        choices=["xlsx", "csv", "txt", "ods"],
        help=_("file format (default: from suffix, else from content)"),
    )
    p.add_argument(
        "--sheet", metavar=_("NAME"), help=_("the sheet to read (default: the roster's)")
    )
    p.add_argument(
        "--problems",
        metavar=_("FILE"),
        help=_(
            "write every problem (row, sheet, column, value, reason) to FILE, .csv or .xlsx "
            "by its suffix; written also when the import fails"
        ),
    )
    p.set_defaults(func=_import)
