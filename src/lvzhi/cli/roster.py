"""``lvzhi init`` and ``lvzhi import``: the database and the roster."""

from __future__ import annotations

import argparse
from typing import Any

from lvzhi.cli._common import Progress, db_parent, open_office

__all__ = ["register"]


def _init(args: argparse.Namespace) -> int:
    with open_office(args, create=True) as office:
        version = office.storage.schema_version()
        print(f"initialised {office.url} (schema version {version})")
    return 0


def _import(args: argparse.Namespace) -> int:
    progress = Progress(f"importing {args.file}")
    with open_office(args, create=True) as office:
        try:
            report = office.imports.roster(args.file, format=args.format, progress=progress)
        finally:
            progress.done()
    print(
        f"imported {report.delegates} deputies from {report.source}: "
        f"{report.created} new, {report.updated} updated"
        + (
            f"; new delegations: {', '.join(report.delegations_created)}"
            if report.delegations_created
            else ""
        )
    )
    if report.ignored_columns:
        print(f"ignored columns: {', '.join(report.ignored_columns)}")
    return 0


def register(sub: argparse._SubParsersAction[Any]) -> None:
    db = db_parent()
    p = sub.add_parser(
        "init",
        parents=[db],
        help="create (or migrate) the database",
        description="Create the database at --db, or bring an older one up to date.",
    )
    p.set_defaults(func=_init)

    p = sub.add_parser(
        "import",
        parents=[db],
        help="import a roster (xlsx, csv, ods)",
        description=(
            "Import a roster of deputies. Chinese headers (姓名, 性别, 代表证号, 选举单位, "
            "界别, 手机, 是否新任) and English ones are recognised, a title row above the "
            "header is skipped. Any problem stops the import and lists every bad row; "
            "nothing is written."
        ),
    )
    p.add_argument("file", help="the roster file")
    p.add_argument(
        "--format", choices=["xlsx", "csv", "ods"], help="file format (default: from suffix)"
    )
    p.set_defaults(func=_import)
