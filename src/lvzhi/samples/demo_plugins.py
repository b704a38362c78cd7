"""The demo's use of the plugins installed beside lvzhi.

A plugin is used when it is installed and not disabled: the PDF and iCalendar formats
always (the seating chart, sign-in sheets, name cards, the 通报 and the covers as PDF; the
timetable and every deputy's personal calendar as iCalendar), PostgreSQL when the demo's
database is a ``postgresql://`` URL, a notifier when its settings configure it.  The demo
says which were used and for what.
"""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

from lvzhi.i18n import _
from lvzhi.samples.demo_seating import seating_options
from lvzhi.secretariat import Secretariat

__all__ = ["PLUGIN_EXPORTS", "export_with_plugins"]

#: (report, format) pairs written when both are registered, in this order.
PLUGIN_EXPORTS: tuple[tuple[str, str], ...] = (
    ("seating-chart", "pdf"),
    ("signin", "pdf"),
    ("namecards", "pdf"),
    ("tongbao", "pdf"),
    ("covers", "pdf"),
    ("timetable", "ics"),
    ("personal-timetable", "ics-zip"),
)

_BUILT_IN = "lvzhi.builtins."
_OF_THE_HALL = frozenset({"seating-chart", "signin", "namecards"})


def _distributions() -> dict[str, str]:
    """Entry-point name in the ``lvzhi`` group → "distribution version"."""
    found: dict[str, str] = {}
    for ep in importlib.metadata.entry_points(group="lvzhi"):
        dist = ep.dist
        found[ep.name] = f"{dist.name} {dist.version}" if dist is not None else ep.name
    return found


def export_with_plugins(
    office: Secretariat, programme_id: str, opening_session: str, folder: Path
) -> tuple[list[Path], list[str]]:
    """Write what the installed plugins add; return the files and one line per plugin used
    (in the user's language)."""
    reports = office.registries.reports
    exporters = office.registries.exporters
    dists = _distributions()
    used: dict[str, list[str]] = {}
    written: list[Path] = []
    for report, fmt in PLUGIN_EXPORTS:
        if report not in reports or fmt not in exporters:
            continue
        plugin = exporters.plugin_of(fmt)
        if plugin.startswith(_BUILT_IN):
            continue
        target = folder / f"{report}.{exporters.get(fmt).extension}"
        options = seating_options(office, report, opening_session) if report in _OF_THE_HALL else {}
        office.reports.export(report, fmt, target, programme_id=programme_id, options=options)
        written.append(target)
        used.setdefault(plugin, []).append(target.name)
    lines = [
        _("{plugin}: wrote {files}").format(
            plugin=dists.get(plugin, plugin), files=_(", ").join(names)
        )
        for plugin, names in used.items()
    ]
    scheme = office.url.split(":", 1)[0]
    if scheme in office.registries.storage:
        storage_plugin = office.registries.storage.plugin_of(scheme)
        if not storage_plugin.startswith(_BUILT_IN):
            lines.insert(
                0,
                _("{plugin}: the database ({scheme})").format(
                    plugin=dists.get(storage_plugin, storage_plugin), scheme=scheme
                ),
            )
    for name in office.registries.notifiers.names():
        plugin = office.registries.notifiers.plugin_of(name)
        if not plugin.startswith(_BUILT_IN):
            lines.append(
                _("{plugin}: notices delivered through {channel}").format(
                    plugin=dists.get(plugin, plugin), channel=name
                )
            )
    if not lines:
        lines.append(_("none installed (see the plugins under plugins/ in the repository)"))
    return written, lines
