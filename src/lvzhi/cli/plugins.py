"""``lvzhi plugins`` and ``lvzhi demo``."""

from __future__ import annotations

import argparse
from typing import Any

from lvzhi.cli._common import Progress
from lvzhi.i18n import N_, _, display_width

__all__ = ["DEMO_STEPS", "register"]

# The steps ``run_demo`` reports, translated when shown as progress.
DEMO_STEPS = (
    N_("importing the roster"),
    N_("scheduling the timetable"),
    N_("issuing the advance notice"),
    N_("forming discussion groups"),
    N_("handling leave requests"),
    N_("taking attendance"),
    N_("collecting suggestions and replying"),
    N_("writing exports"),
)


def _plugins(args: argparse.Namespace) -> int:
    from lvzhi.__about__ import __version__
    from lvzhi.plugins import Hooks, Registry, make_plugin_manager
    from lvzhi.plugins.manager import BUILTIN_PLUGINS
    from lvzhi.services.context import Registries
    from lvzhi.settings import Settings

    hooks = Hooks(make_plugin_manager())
    built_in = _("lvzhi {version} (built in)").format(version=__version__)
    for name, version in hooks.plugins():
        print(f"{name}\t{built_in if name in BUILTIN_PLUGINS else version}")
    registries = Registries.from_hooks(hooks, Settings())
    rows: list[tuple[str, Registry[Any]]] = [
        (_("storage schemes"), registries.storage),
        (_("reports"), registries.reports),
        (_("export formats"), registries.exporters),
        (_("notifiers"), registries.notifiers),
        (_("collations"), registries.collations),
        (_("grouping"), registries.grouping),
        (_("seating"), registries.seating),
        (_("attendance rules"), registries.attendance_rules),
    ]
    labels = [_("{label}:").format(label=label) for label, _registry in rows]
    width = max(18, *(display_width(label) + 1 for label in labels))
    for label, (_label, registry) in zip(labels, rows, strict=True):
        padding = " " * (width - display_width(label))
        comma = _(", ")
        print(f"{label}{padding}{comma.join(registry.names())}")
    return 0


def _demo(args: argparse.Namespace) -> int:
    from lvzhi.samples.demo import run_demo

    progress = Progress(_("demo"))

    def step(message: str) -> None:
        progress.step(_(message))

    try:
        summary = run_demo(args.out, args.db, progress=step)
    finally:
        progress.done()
    print("\n".join(summary.lines()))
    return 0


def register(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser(
        "plugins",
        help=_("list installed plugins and what they register"),
        description=_("List the plugins lvzhi loaded and the names they register."),
    )
    p.set_defaults(func=_plugins)

    p = sub.add_parser(
        "demo",
        help=_("run a whole synthetic course end to end"),
        description=_(
            "Run a deterministic synthetic course (346 deputies, 13 delegations, "
            "6-8 September 2022) through every capability, writing the database, notices "
            "and exports under --out, and print a summary."
        ),
    )
    p.add_argument("--out", default="lvzhi-demo", metavar=_("DIR"), help=_("output folder"))
    p.add_argument(
        "--db",
        metavar="URL",
        default=None,
        help=_(
            "storage URL (default: DIR/lvzhi-demo.db, recreated each run; "
            "another store must be empty)"
        ),
    )
    p.set_defaults(func=_demo)
