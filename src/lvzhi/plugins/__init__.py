"""Plugins: the hook specifications, the plugin manager, the registries and the typed
facade the core calls hooks through.

``hookimpl`` marks a plugin's hook implementations::

    from lvzhi.plugins import hookimpl

    @hookimpl
    def lvzhi_register_exporters():
        return [MyExporter()]
"""

from lvzhi.plugins import hookspecs
from lvzhi.plugins.facade import Hooks
from lvzhi.plugins.manager import (
    BUILTIN_PLUGINS,
    ENTRY_POINT_GROUP,
    PluginManager,
    hookimpl,
    make_plugin_manager,
    settings_key,
)
from lvzhi.plugins.registry import Entry, Registry, guarded

__all__ = [
    "BUILTIN_PLUGINS",
    "ENTRY_POINT_GROUP",
    "Entry",
    "Hooks",
    "PluginManager",
    "Registry",
    "guarded",
    "hookimpl",
    "hookspecs",
    "make_plugin_manager",
    "settings_key",
]
