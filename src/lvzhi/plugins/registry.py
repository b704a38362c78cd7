"""One generic registry for everything plugins register by name.

Storage schemes, export formats, reports, notifiers, collations, grouping and seating
strategies and attendance rules are each a :class:`Registry`: a name → item table that
remembers which plugin registered each item.  An unknown name raises
:class:`~lvzhi.errors.NotRegistered` listing what is registered; a name registered twice
raises :class:`~lvzhi.errors.PluginError` naming both plugins.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Generic, TypeVar

import attrs

from lvzhi.errors import LvzhiError, NotRegistered, PluginError, PluginFailure
from lvzhi.i18n import _

__all__ = ["Entry", "Registry", "guarded"]

T = TypeVar("T")
R = TypeVar("R")


@attrs.frozen
class Entry(Generic[T]):
    """One registered item: its name, the item and the plugin that registered it."""

    name: str
    item: T
    plugin: str


@contextmanager
def guarded(plugin: str, where: str) -> Iterator[None]:
    """Run plugin code: an exception that is not a deliberate lvzhi error becomes a
    :class:`~lvzhi.errors.PluginFailure` naming ``plugin`` and ``where``."""
    try:
        yield
    except LvzhiError:
        raise
    except Exception as exc:
        raise PluginFailure(plugin, where, exc) from exc


class Registry(Generic[T]):
    """Items of one ``kind`` (``"export format"``) by name, in registration order."""

    def __init__(self, kind: str, entries: Iterable[Entry[T]] = ()) -> None:
        self.kind = kind
        self._entries: dict[str, Entry[T]] = {}
        for entry in entries:
            self.add(entry)

    @classmethod
    def collect(
        cls,
        kind: str,
        batches: Iterable[tuple[str, Iterable[T]]],
        name_of: Callable[[T], str | Iterable[str]],
    ) -> Registry[T]:
        """A registry from ``(plugin, items)`` pairs, naming each item with ``name_of``
        (one name, or several: a storage backend answers several URL schemes)."""
        registry: Registry[T] = cls(kind)
        for plugin, items in batches:
            for item in items:
                with guarded(plugin, _("the name of a registered {kind}").format(kind=_(kind))):
                    names = name_of(item)
                for name in [names] if isinstance(names, str) else list(names):
                    registry.add(Entry(name, item, plugin))
        return registry

    def add(self, entry: Entry[T]) -> None:
        if not isinstance(entry.name, str) or not entry.name:
            raise PluginError(
                _("plugin {plugin!r} registers a {kind} without a name: {item!r}").format(
                    plugin=entry.plugin, kind=_(self.kind), item=entry.item
                )
            )
        other = self._entries.get(entry.name)
        if other is not None:
            raise PluginError(
                _(
                    "two plugins register the {kind} {name!r}: {first!r} and {second!r}; "
                    "block one with LVZHI_DISABLE_PLUGINS"
                ).format(
                    kind=_(self.kind), name=entry.name, first=other.plugin, second=entry.plugin
                )
            )
        self._entries[entry.name] = entry

    def entry(self, name: str) -> Entry[T]:
        try:
            return self._entries[name]
        except KeyError:
            raise NotRegistered(self.kind, name, self._entries) from None

    def get(self, name: str) -> T:
        """The item registered as ``name``; :class:`~lvzhi.errors.NotRegistered` if none."""
        return self.entry(name).item

    def plugin_of(self, name: str) -> str:
        """The plugin that registered ``name``."""
        return self.entry(name).plugin

    def call(self, name: str, method: str, call: Callable[[T], R]) -> R:
        """``call(item)`` for the item ``name``, with its exceptions reported as the
        plugin's (see :func:`guarded`)."""
        entry = self.entry(name)
        where = _("{kind} {name!r} ({method})").format(kind=_(self.kind), name=name, method=method)
        with guarded(entry.plugin, where):
            return call(entry.item)

    def names(self) -> list[str]:
        """Registered names, sorted."""
        return sorted(self._entries)

    def items(self) -> list[tuple[str, T]]:
        """``(name, item)`` in registration order."""
        return [(e.name, e.item) for e in self._entries.values()]

    def entries(self) -> list[Entry[T]]:
        return list(self._entries.values())

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __getitem__(self, name: str) -> T:
        return self.get(name)

    def __repr__(self) -> str:
        return f"<Registry {self.kind}: {', '.join(self._entries) or 'empty'}>"
