"""``lvzhi plugins`` and ``lvzhi demo``."""

from __future__ import annotations

import argparse
from typing import Any

from lvzhi.cli._common import Progress

__all__ = ["register"]


def _plugins(args: argparse.Namespace) -> int:
    from lvzhi.plugins import Hooks, Registry, make_plugin_manager
    from lvzhi.services.context import Registries
    from lvzhi.settings import Settings

    hooks = Hooks(make_plugin_manager())
    for name, version in hooks.plugins():
        print(f"{name}\t{version}")
    registries = Registries.from_hooks(hooks, Settings())
    rows: list[tuple[str, Registry[Any]]] = [
        ("storage schemes", registries.storage),
        ("reports", registries.reports),
        ("export formats", registries.exporters),
        ("notifiers", registries.notifiers),
        ("collations", registries.collations),
        ("grouping", registries.grouping),
        ("seating", registries.seating),
        ("attendance rules", registries.attendance_rules),
    ]
    for label, registry in rows:
        print(f"{label + ':':18}{', '.join(registry.names())}")
    return 0


def _demo(args: argparse.Namespace) -> int:
    from lvzhi.samples.demo import run_demo

    progress = Progress("demo")
    try:
        summary = run_demo(args.out, args.db, progress=progress.step)
    finally:
        progress.done()
    print("\n".join(summary.lines()))
    return 0


def register(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser(
        "plugins",
        help="list installed plugins and what they register",
        description="List the plugins lvzhi loaded and the names they register.",
    )
    p.set_defaults(func=_plugins)

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
    p.set_defaults(func=_demo)
