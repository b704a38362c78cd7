"""The plugin manager: one per :class:`~lvzhi.Secretariat`, never a global one built at
import time.

Plugins come from three places, in this order:

1. installed distributions advertising the ``lvzhi`` entry-point group;
2. the built-in plugins (``BUILTIN_PLUGINS``), registered exactly like external ones;
3. plugin objects passed by the caller (``lvzhi.open(..., plugins=[obj])``).

Environment variables:

``LVZHI_PLUGINS``
    Comma-separated entry-point names: load only these installed plugins (built-ins are
    always loaded unless blocked).  Empty or unset: load every installed plugin.  A name
    that is not installed is warned about.
``LVZHI_DISABLE_PLUGINS``
    Comma-separated names of plugins to block, entry-point names or built-in names
    (``lvzhi.builtins.sqlite``).
``LVZHI_TRACE_PLUGINS``
    If set to a non-empty value other than ``0``, every hook call is traced to stderr.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import os
import sys
import warnings
from collections.abc import Iterable, Mapping

import pluggy

from lvzhi.errors import PluginError
from lvzhi.i18n import _
from lvzhi.plugins import hookspecs

__all__ = [
    "BUILTIN_PLUGINS",
    "ENTRY_POINT_GROUP",
    "PluginManager",
    "hookimpl",
    "make_plugin_manager",
    "settings_key",
]

ENTRY_POINT_GROUP = "lvzhi"
hookimpl = pluggy.HookimplMarker(hookspecs.PROJECT)

BUILTIN_PLUGINS: tuple[str, ...] = (
    "lvzhi.builtins.memory",
    "lvzhi.builtins.sqlite",
    "lvzhi.builtins.exporters",
    "lvzhi.builtins.reports",
    "lvzhi.builtins.notifiers",
    "lvzhi.builtins.grouping",
    "lvzhi.builtins.seating",
    "lvzhi.builtins.attendance",
    "lvzhi.builtins.collations",
)

_BUILTIN_PREFIX = "lvzhi.builtins."


def settings_key(plugin: str) -> str:
    """The key of a plugin's part of ``Settings.plugins``: the entry-point name, or for a
    built-in plugin its module's last part (``lvzhi.builtins.notifiers`` → ``notifiers``)."""
    return plugin.removeprefix(_BUILTIN_PREFIX)


class PluginManager(pluggy.PluginManager):
    """pluggy's manager, remembering the distribution each entry point came from."""

    def __init__(self) -> None:
        super().__init__(hookspecs.PROJECT)
        self.distributions: dict[str, tuple[str, str]] = {}


def _env_list(name: str, environ: Mapping[str, str]) -> list[str]:
    return [item.strip() for item in environ.get(name, "").split(",") if item.strip()]


def _entry_points() -> list[importlib.metadata.EntryPoint]:
    return sorted(importlib.metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.name)


def _load_entry_points(pm: PluginManager, allowed: list[str]) -> None:
    found = _entry_points()
    if allowed:
        installed = {ep.name for ep in found}
        for name in allowed:
            if name not in installed:
                warnings.warn(
                    _(
                        "LVZHI_PLUGINS names {name!r}, which is not installed "
                        "(installed: {installed})"
                    ).format(name=name, installed=", ".join(sorted(installed)) or _("none")),
                    stacklevel=3,
                )
        found = [ep for ep in found if ep.name in allowed]
    for ep in found:
        if pm.is_blocked(ep.name) or pm.has_plugin(ep.name):
            continue
        dist = ep.dist
        if dist is not None:
            where = _("entry point {name!r} ({value}, from {dist} {version})").format(
                name=ep.name, value=ep.value, dist=dist.name, version=dist.version
            )
        else:
            where = _("entry point {name!r} ({value})").format(name=ep.name, value=ep.value)
        try:
            plugin = ep.load()
        except Exception as exc:
            raise PluginError(
                _(
                    "cannot load the lvzhi plugin {where}: {error_type}: {error} "
                    "(disable it with LVZHI_DISABLE_PLUGINS={name})"
                ).format(where=where, error_type=type(exc).__name__, error=exc, name=ep.name)
            ) from exc
        try:
            pm.register(plugin, name=ep.name)
        except pluggy.PluginValidationError as exc:
            raise PluginError(
                _("the lvzhi plugin {where} is invalid: {error}").format(where=where, error=exc)
            ) from exc
        if dist is not None:
            pm.distributions[ep.name] = (dist.name, dist.version)


def make_plugin_manager(
    *,
    load_entrypoints: bool = True,
    plugins: Iterable[object] = (),
    environ: Mapping[str, str] | None = None,
) -> PluginManager:
    """Build a plugin manager with the hookspecs, the installed and built-in plugins and
    ``plugins``; then check that every hook implementation matches a spec."""
    env = os.environ if environ is None else environ
    pm = PluginManager()
    pm.add_hookspecs(hookspecs)
    for name in _env_list("LVZHI_DISABLE_PLUGINS", env):
        pm.set_blocked(name)
    if load_entrypoints:
        _load_entry_points(pm, _env_list("LVZHI_PLUGINS", env))
    for module_name in BUILTIN_PLUGINS:
        if pm.is_blocked(module_name):
            continue
        pm.register(importlib.import_module(module_name), name=module_name)
    for plugin in plugins:
        try:
            pm.register(plugin)
        except (pluggy.PluginValidationError, ValueError) as exc:
            raise PluginError(
                _("cannot register plugin {plugin!r}: {error}").format(plugin=plugin, error=exc)
            ) from exc
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        raise PluginError(
            _(
                "plugin {plugin!r} implements a hook lvzhi does not have (misspelt?): {error}"
            ).format(plugin=exc.plugin, error=exc)
        ) from exc
    trace = env.get("LVZHI_TRACE_PLUGINS", "")
    if trace and trace != "0":
        pm.trace.root.setwriter(sys.stderr.write)
        pm.enable_tracing()
    return pm
