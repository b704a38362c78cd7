"""The typed facade the core calls hooks through (the core never touches ``pm.hook``).

Registration hooks call each plugin's implementation on its own, in pluggy's order, so
that every registered item is known with the plugin that registered it and an exception is
reported as a :class:`~lvzhi.errors.PluginFailure` naming that plugin and the hook.  The
results come back as :class:`~lvzhi.plugins.registry.Registry` objects.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from lvzhi.errors import PluginError
from lvzhi.plugins import manager
from lvzhi.plugins.manager import PluginManager, settings_key
from lvzhi.plugins.registry import Registry, guarded

if TYPE_CHECKING:
    from lvzhi.domain.events import Event
    from lvzhi.ports import (
        AttendanceRule,
        Collation,
        Exporter,
        GroupingStrategy,
        Notifier,
        Report,
        SeatingStrategy,
        StorageBackend,
    )

__all__ = ["Hooks"]

T = TypeVar("T")


def _name(item: Any) -> str:
    return str(item.name)


class Hooks:
    """Typed access to every hook.

    Each method is named after its hook without the ``lvzhi_`` prefix.
    """

    def __init__(self, pm: PluginManager) -> None:
        self.pm = pm

    # -- calling ---------------------------------------------------------------------------
    def _impls(self, hook_name: str) -> list[Any]:
        caller = getattr(self.pm.hook, hook_name)
        impls = list(reversed(caller.get_hookimpls()))  # pluggy's call order
        for impl in impls:
            if impl.hookwrapper or impl.wrapper:
                raise PluginError(
                    f"plugin {impl.plugin_name!r} wraps {hook_name}, which lvzhi calls one "
                    "plugin at a time; implement it plainly"
                )
        return impls

    def call_each(
        self, hook_name: str, kwargs: Callable[[str], Mapping[str, Any]] | None = None
    ) -> list[tuple[str, Any]]:
        """``(plugin, result)`` for every implementation of ``hook_name``, in call order.

        ``kwargs(plugin)`` gives the arguments for one plugin (so that each sees only its
        own settings).  An exception is reported as the plugin's."""
        out: list[tuple[str, Any]] = []
        trace = self.pm.trace.root.get("hook")
        for impl in self._impls(hook_name):
            trace(f"{hook_name} [{impl.plugin_name}]")  # written only with LVZHI_TRACE_PLUGINS
            given = kwargs(impl.plugin_name) if kwargs is not None else {}
            args = [given[a] for a in impl.argnames]
            with guarded(impl.plugin_name, hook_name):
                result = impl.function(*args)
            out.append((impl.plugin_name, result))
        return out

    def _registry(
        self,
        hook_name: str,
        kind: str,
        name_of: Callable[[Any], str | Iterable[str]] = _name,
        kwargs: Callable[[str], Mapping[str, Any]] | None = None,
    ) -> Registry[Any]:
        batches = [
            (plugin, list(result or ())) for plugin, result in self.call_each(hook_name, kwargs)
        ]
        return Registry.collect(kind, batches, name_of)

    # -- registration hooks ----------------------------------------------------------------
    def register_storage_backends(self) -> Registry[type[StorageBackend]]:
        """Backend classes keyed by URL scheme."""
        return self._registry(
            "lvzhi_register_storage_backends", "storage scheme", lambda b: tuple(b.schemes)
        )

    def register_exporters(self) -> Registry[Exporter]:
        return self._registry("lvzhi_register_exporters", "export format", lambda e: e.format)

    def register_reports(self) -> Registry[Report]:
        return self._registry("lvzhi_register_reports", "report")

    def register_notifiers(self, settings: Mapping[str, Any]) -> Registry[Notifier]:
        """Notifiers by channel name; each plugin gets ``settings[<its settings key>]``."""

        def own(plugin: str) -> Mapping[str, Any]:
            part = settings.get(settings_key(plugin), {})
            if not isinstance(part, Mapping):
                raise PluginError(
                    f"Settings.plugins[{settings_key(plugin)!r}] must be a mapping of "
                    f"settings for plugin {plugin!r} (got {part!r})"
                )
            return {"settings": part}

        return self._registry("lvzhi_register_notifiers", "notifier", kwargs=own)

    def register_attendance_rules(self) -> Registry[AttendanceRule]:
        return self._registry("lvzhi_register_attendance_rules", "attendance rule")

    def register_seating_strategies(self) -> Registry[SeatingStrategy]:
        return self._registry("lvzhi_register_seating_strategies", "seating strategy")

    def register_grouping_strategies(self) -> Registry[GroupingStrategy]:
        return self._registry("lvzhi_register_grouping_strategies", "grouping strategy")

    def register_collations(self) -> Registry[type[Collation]]:
        return self._registry("lvzhi_register_collations", "collation")

    def register_commands(self, subparsers: argparse._SubParsersAction[Any]) -> None:
        self.call_each("lvzhi_register_commands", lambda plugin: {"subparsers": subparsers})

    # -- events ----------------------------------------------------------------------------
    def event_handlers(self) -> list[str]:
        """Names of the plugins that implement ``lvzhi_handle_event``, in call order."""
        return [impl.plugin_name for impl in self._impls("lvzhi_handle_event")]

    def handle_event(
        self, event: Event, secretariat: Any, *, only: Iterable[str] | None = None
    ) -> dict[str, BaseException]:
        """Tell each handler (or those in ``only``) about ``event``; returns the exceptions
        raised, by plugin.  Never raises a handler's exception."""
        wanted = None if only is None else set(only)
        failures: dict[str, BaseException] = {}
        for impl in self._impls("lvzhi_handle_event"):
            if wanted is not None and impl.plugin_name not in wanted:
                continue
            given = {"event": event, "secretariat": secretariat}
            self.pm.trace.root.get("hook")(f"lvzhi_handle_event [{impl.plugin_name}]")
            try:
                impl.function(*[given[a] for a in impl.argnames])
            except Exception as exc:
                failures[impl.plugin_name] = exc
        return failures

    # -- listing ---------------------------------------------------------------------------
    def plugins(self) -> list[tuple[str, str]]:
        """``(name, version)`` of every registered plugin; built-ins report lvzhi's version."""
        from lvzhi.__about__ import __version__

        out: list[tuple[str, str]] = []
        for name, plugin in self.pm.list_name_plugin():
            if plugin is None:
                continue
            dist = self.pm.distributions.get(name)
            if dist is not None:
                out.append((name, f"{dist[0]} {dist[1]}"))
            elif name in manager.BUILTIN_PLUGINS:
                out.append((name, f"lvzhi {__version__} (built in)"))
            else:
                out.append((name, "registered by caller"))
        return sorted(out)
