"""The plugin manager and the typed facade the core calls hooks through.

One plugin manager per :class:`~lvzhi.secretariat.Secretariat` (never a global one built at
import time).  Plugins come from three places, in this order:

1. installed distributions advertising the ``lvzhi`` entry-point group;
2. the built-in plugins (``BUILTIN_PLUGINS``), registered exactly like external ones;
3. plugin objects passed by the caller (``lvzhi.open(..., plugins=[obj])``).

Environment variables:

``LVZHI_PLUGINS``
    Comma-separated entry-point names: load only these installed plugins (built-ins are
    always loaded unless blocked).  Empty or unset: load every installed plugin.
``LVZHI_DISABLE_PLUGINS``
    Comma-separated names of plugins to block, entry-point names or built-in names
    (``lvzhi.builtins.sqlite``).
``LVZHI_TRACE_PLUGINS``
    If set to a non-empty value other than ``0``, every hook call is traced to stderr.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.metadata
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import pluggy

from lvzhi import hookspecs
from lvzhi.errors import PluginError

if TYPE_CHECKING:
    from lvzhi.domain.events import Event
    from lvzhi.ports import (
        AttendanceRule,
        Collation,
        Exporter,
        GroupingStrategy,
        Notifier,
        SeatingStrategy,
        StorageBackend,
    )
    from lvzhi.secretariat import Secretariat

__all__ = [
    "BUILTIN_PLUGINS",
    "ENTRY_POINT_GROUP",
    "Hooks",
    "hookimpl",
    "make_plugin_manager",
]

ENTRY_POINT_GROUP = "lvzhi"
hookimpl = pluggy.HookimplMarker(hookspecs.PROJECT)

BUILTIN_PLUGINS: tuple[str, ...] = (
    "lvzhi.builtins.memory",
    "lvzhi.builtins.sqlite",
    "lvzhi.builtins.exporters",
    "lvzhi.builtins.notifiers",
    "lvzhi.builtins.grouping",
    "lvzhi.builtins.collations",
)

T = TypeVar("T")


def _env_list(name: str, environ: Mapping[str, str]) -> list[str]:
    return [item.strip() for item in environ.get(name, "").split(",") if item.strip()]


def make_plugin_manager(
    *,
    load_entrypoints: bool = True,
    plugins: Iterable[object] = (),
    environ: Mapping[str, str] | None = None,
) -> pluggy.PluginManager:
    """Build a plugin manager with the hookspecs, the installed and built-in plugins and
    ``plugins``; then check that every hook implementation matches a spec."""
    env = os.environ if environ is None else environ
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    for name in _env_list("LVZHI_DISABLE_PLUGINS", env):
        pm.set_blocked(name)
    if load_entrypoints:
        allowed = _env_list("LVZHI_PLUGINS", env)
        try:
            if allowed:
                for name in allowed:
                    pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP, name=name)
            else:
                pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
        except pluggy.PluginValidationError as exc:
            raise PluginError(f"plugin {exc.plugin!r} is invalid: {exc}") from exc
        except Exception as exc:  # a plugin that fails to import
            raise PluginError(f"could not load an installed lvzhi plugin: {exc}") from exc
    for module_name in BUILTIN_PLUGINS:
        if pm.is_blocked(module_name):
            continue
        pm.register(importlib.import_module(module_name), name=module_name)
    for plugin in plugins:
        try:
            pm.register(plugin)
        except (pluggy.PluginValidationError, ValueError) as exc:
            raise PluginError(f"cannot register plugin {plugin!r}: {exc}") from exc
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        raise PluginError(
            f"plugin {exc.plugin!r} implements a hook lvzhi does not have (misspelt?): {exc}"
        ) from exc
    trace = env.get("LVZHI_TRACE_PLUGINS", "")
    if trace and trace != "0":
        pm.trace.root.setwriter(sys.stderr.write)
        pm.enable_tracing()
    return pm


def _flatten(results: Iterable[Sequence[T] | None]) -> list[T]:
    out: list[T] = []
    for batch in results:
        if batch:
            out.extend(batch)
    return out


def _unique(kind: str, items: Iterable[T], key: Any) -> dict[str, T]:
    table: dict[str, T] = {}
    for item in items:
        names = key(item)
        for name in [names] if isinstance(names, str) else names:
            if name in table:
                raise PluginError(
                    f"two plugins register the {kind} {name!r}: {table[name]!r} and {item!r}; "
                    "block one with LVZHI_DISABLE_PLUGINS"
                )
            table[name] = item
    return table


class Hooks:
    """Typed access to every hook.  The core never calls ``pm.hook`` directly.

    Each method is named after its hook without the ``lvzhi_`` prefix.  Registration hooks
    come back flattened into dictionaries keyed by name, with duplicates refused.
    """

    def __init__(self, pm: pluggy.PluginManager) -> None:
        self.pm = pm

    def register_storage_backends(self) -> dict[str, type[StorageBackend]]:
        """Backend classes keyed by URL scheme."""
        return _unique(
            "storage scheme",
            _flatten(self.pm.hook.lvzhi_register_storage_backends()),
            lambda b: tuple(b.schemes),
        )

    def register_exporters(self) -> dict[str, Exporter]:
        return _unique(
            "export format", _flatten(self.pm.hook.lvzhi_register_exporters()), lambda e: e.format
        )

    def register_notifiers(self, settings: Mapping[str, Any]) -> dict[str, Notifier]:
        return _unique(
            "notifier",
            _flatten(self.pm.hook.lvzhi_register_notifiers(settings=settings)),
            lambda n: n.name,
        )

    def register_attendance_rules(self) -> list[AttendanceRule]:
        rules = _flatten(self.pm.hook.lvzhi_register_attendance_rules())
        _unique("attendance rule", rules, lambda r: r.name)
        return rules

    def register_seating_strategies(self) -> dict[str, SeatingStrategy]:
        return _unique(
            "seating strategy",
            _flatten(self.pm.hook.lvzhi_register_seating_strategies()),
            lambda s: s.name,
        )

    def register_grouping_strategies(self) -> dict[str, GroupingStrategy]:
        return _unique(
            "grouping strategy",
            _flatten(self.pm.hook.lvzhi_register_grouping_strategies()),
            lambda s: s.name,
        )

    def register_collations(self) -> dict[str, type[Collation]]:
        return _unique(
            "collation", _flatten(self.pm.hook.lvzhi_register_collations()), lambda c: c.name
        )

    def register_commands(self, subparsers: argparse._SubParsersAction[Any]) -> None:
        self.pm.hook.lvzhi_register_commands(subparsers=subparsers)

    def handle_event(self, event: Event, secretariat: Secretariat) -> None:
        self.pm.hook.lvzhi_handle_event(event=event, secretariat=secretariat)

    def plugins(self) -> list[tuple[str, str]]:
        """``(name, version)`` of every registered plugin; built-ins report lvzhi's version."""
        from lvzhi.__about__ import __version__

        dists = {id(plugin): dist for plugin, dist in self.pm.list_plugin_distinfo()}
        out: list[tuple[str, str]] = []
        for name, plugin in self.pm.list_name_plugin():
            if plugin is None:
                continue
            dist = dists.get(id(plugin))
            if dist is not None:
                out.append((name, f"{dist.project_name} {dist.version}"))
            elif name in BUILTIN_PLUGINS:
                out.append((name, f"lvzhi {__version__} (built in)"))
            else:
                out.append((name, "registered by caller"))
        return sorted(out)
