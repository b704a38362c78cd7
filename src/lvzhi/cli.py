"""The ``lvzhi`` command.

Every subcommand has ``--help``.  Errors are printed as ``lvzhi: error: …`` (an import
problem adds one line per bad cell) with exit status 1 — never a traceback.  Long work shows
progress on a terminal and stays quiet otherwise.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import Any, TextIO

from lvzhi.__about__ import __version__
from lvzhi.errors import LvzhiError

__all__ = ["build_parser", "main", "run"]

EXIT_ERROR = 1
EXIT_USAGE = 2


class _Progress:
    """``done/total`` on one rewritten line of stderr when it is a terminal; silent otherwise."""

    def __init__(self, label: str, stream: TextIO | None = None) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.active = self.stream.isatty()
        self._shown = False

    def __call__(self, done: int, total: int) -> None:
        if not self.active:
            return
        self.stream.write(f"\r{self.label}: {done}/{total}")
        self.stream.flush()
        self._shown = True

    def step(self, message: str) -> None:
        if self.active:
            self.stream.write(f"\r\x1b[K{self.label}: {message}")
            self.stream.flush()
            self._shown = True

    def done(self) -> None:
        if self._shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def _db_parent() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--db",
        metavar="URL",
        default=None,
        help="storage URL (default: $LVZHI_DB, else sqlite:///lvzhi.db); "
        "e.g. sqlite:///course.db, memory://",
    )
    return parent


def _open(args: argparse.Namespace) -> Any:
    import lvzhi

    return lvzhi.open(args.db)


def _cmd_init(args: argparse.Namespace) -> int:
    with _open(args) as office:
        version = office.storage.schema_version()
        print(f"initialised {office.url} (schema version {version})")
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    progress = _Progress(f"importing {args.file}")
    with _open(args) as office:
        try:
            report = office.import_roster(args.file, format=args.format, progress=progress)
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


def _cmd_export(args: argparse.Namespace) -> int:
    with _open(args) as office:
        fmt = args.format
        target = args.output
        if target is None:
            target = (
                f"{args.table}.{office.exporters()[fmt].extension}"
                if fmt in office.exporters()
                else None
            )
        if target == "-":
            payload = office.export(
                args.table, fmt, programme_id=args.programme, reveal_phones=args.reveal_phones
            )
            sys.stdout.buffer.write(payload)
            sys.stdout.flush()
            return 0
        progress = _Progress(f"exporting {args.table}")
        progress.step(f"writing {target}")
        try:
            office.export(
                args.table,
                fmt,
                target,
                programme_id=args.programme,
                reveal_phones=args.reveal_phones,
            )
        finally:
            progress.done()
    print(f"wrote {target}")
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    from lvzhi.demo import run_demo

    progress = _Progress("demo")
    try:
        summary = run_demo(args.out, args.db, progress=progress.step)
    finally:
        progress.done()
    print("\n".join(summary.lines()))
    return 0


def _cmd_plugins(args: argparse.Namespace) -> int:
    from lvzhi.plugins import Hooks, make_plugin_manager

    hooks = Hooks(make_plugin_manager())
    for name, version in hooks.plugins():
        print(f"{name}\t{version}")
    print("storage schemes: " + ", ".join(sorted(hooks.register_storage_backends())))
    print("export formats:  " + ", ".join(sorted(hooks.register_exporters())))
    print("collations:      " + ", ".join(sorted(hooks.register_collations())))
    print("grouping:        " + ", ".join(sorted(hooks.register_grouping_strategies())))
    return 0


def build_parser(*, with_plugins: bool = True) -> argparse.ArgumentParser:
    """The argument parser, including subcommands that plugins add."""
    from lvzhi import cli_names

    parser = argparse.ArgumentParser(
        prog="lvzhi",
        description="Run training courses for elected delegates (履职培训).",
    )
    parser.add_argument("--version", action="version", version=f"lvzhi {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    db = _db_parent()

    p = sub.add_parser(
        "init",
        parents=[db],
        help="create (or migrate) the database",
        description="Create the database at --db, or bring an older one up to date.",
    )
    p.set_defaults(func=_cmd_init)

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
    p.set_defaults(func=_cmd_import)

    p = sub.add_parser(
        "export",
        parents=[db],
        help="export a table (roster, timetable, delegations, groups, suggestions)",
        description=(
            "Export a table in a registered format (csv, xlsx, ods, json, yaml, html, and "
            "any a plugin adds). Phone numbers are masked unless --reveal-phones."
        ),
    )
    p.add_argument("table", choices=["roster", "timetable", "delegations", "groups", "suggestions"])
    p.add_argument("--format", "-f", default="xlsx", help="output format (default: xlsx)")
    p.add_argument(
        "--output",
        "-o",
        metavar="PATH",
        help="file to write ('-' for stdout; default: TABLE.EXT in the current folder)",
    )
    p.add_argument("--programme", metavar="ID", help="programme id (default: the latest)")
    p.add_argument("--reveal-phones", action="store_true", help="print phone numbers in full")
    p.set_defaults(func=_cmd_export)

    p = sub.add_parser(
        "demo",
        help="run a whole synthetic course end to end",
        description=(
            "Run a deterministic synthetic course (346 deputies, 13 delegations, "
            "6-8 September 2022) through every capability, writing the database, notices "
            "and exports under --out, and print a summary."
        ),
    )
    p.add_argument("--out", default="lvzhi-demo", metavar="DIR", help="output folder")
    p.add_argument(
        "--db",
        metavar="URL",
        default=None,
        help="storage URL (default: DIR/lvzhi-demo.db, recreated each run; "
        "another store must be empty)",
    )
    p.set_defaults(func=_cmd_demo)

    p = sub.add_parser(
        "plugins",
        help="list installed plugins and what they register",
        description="List the plugins lvzhi loaded and the names they register.",
    )
    p.set_defaults(func=_cmd_plugins)

    cli_names.register(sub)
    if with_plugins:
        from lvzhi.plugins import Hooks, make_plugin_manager

        Hooks(make_plugin_manager()).register_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``lvzhi`` command; returns the exit status."""
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        func: Callable[[argparse.Namespace], int] | None = getattr(args, "func", None)
        if func is None:
            parser.print_help()
            return EXIT_USAGE
        return func(args)
    except LvzhiError as exc:
        print(f"lvzhi: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except (OSError, UnicodeDecodeError) as exc:
        print(f"lvzhi: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("lvzhi: interrupted", file=sys.stderr)
        return 130


def run() -> None:  # pragma: no cover - console script shim
    """Console-script entry: exit with :func:`main`'s status."""
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
