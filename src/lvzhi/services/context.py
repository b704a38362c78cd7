"""What every capability service shares: storage, the bus, the registries, the clock and
the settings (:class:`Context`), and the base class :class:`Service`."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, TypeVar

import attrs
import pendulum

from lvzhi.bus import Bus, Transaction
from lvzhi.clock import Clock
from lvzhi.domain import Delegate, Delegation
from lvzhi.errors import Conflict, NotFound, ValidationError
from lvzhi.i18n import _
from lvzhi.plugins.facade import Hooks
from lvzhi.plugins.registry import Registry, guarded
from lvzhi.settings import Settings

if TYPE_CHECKING:
    from lvzhi.domain import Programme
    from lvzhi.ports import (
        AttendanceRule,
        Collation,
        Exporter,
        GroupingStrategy,
        Notifier,
        Report,
        SeatingStrategy,
        StorageBackend,
        UnitOfWork,
    )

__all__ = ["Context", "Registries", "Service", "with_new_id"]

T = TypeVar("T")


@attrs.frozen(kw_only=True)
class Registries:
    """Everything plugins register by name, one
    :class:`~lvzhi.plugins.registry.Registry` per kind."""

    storage: Registry[type[StorageBackend]]
    exporters: Registry[Exporter]
    reports: Registry[Report]
    notifiers: Registry[Notifier]
    collations: Registry[type[Collation]]
    grouping: Registry[GroupingStrategy]
    seating: Registry[SeatingStrategy]
    attendance_rules: Registry[AttendanceRule]

    @classmethod
    def from_hooks(cls, hooks: Hooks, settings: Settings) -> Registries:
        notifiers = hooks.register_notifiers(settings.plugins)
        if settings.notifiers:
            chosen = [notifiers.entry(name) for name in settings.notifiers]
            notifiers = Registry(notifiers.kind, chosen)
        return cls(
            storage=hooks.register_storage_backends(),
            exporters=hooks.register_exporters(),
            reports=hooks.register_reports(),
            notifiers=notifiers,
            collations=hooks.register_collations(),
            grouping=hooks.register_grouping_strategies(),
            seating=hooks.register_seating_strategies(),
            attendance_rules=hooks.register_attendance_rules(),
        )


class Context:
    """The parts a service works with.  One per secretariat."""

    def __init__(
        self,
        *,
        storage: StorageBackend,
        bus: Bus,
        hooks: Hooks,
        registries: Registries,
        clock: Clock,
        settings: Settings,
    ) -> None:
        self.storage = storage
        self.bus = bus
        self.hooks = hooks
        self.registries = registries
        self.clock = clock
        self.settings = settings
        self._collation: Collation | None = None
        #: The secretariat these services make up (set by the composition root), for the
        #: few seams that hand it on: event handlers and reports that gather results.
        self.office: Any = None

    @property
    def collation(self) -> Collation:
        """The collation every list of names is sorted with (``settings.collation``)."""
        if self._collation is None:
            name = self.settings.collation
            entry = self.registries.collations.entry(name)
            with guarded(entry.plugin, _("collation {name!r}").format(name=name)):
                self._collation = entry.item(**dict(self.settings.collation_options))
        return self._collation

    def name_key(self, name: str) -> Any:
        return self.collation.key(name)

    def official_order(
        self, items: Iterable[Delegate], units: Mapping[str, Delegation]
    ) -> list[Delegate]:
        """Deputies by delegation order, then name in the collation, then certificate."""
        key = self.collation.key

        def order(d: Delegate) -> tuple[Any, ...]:
            unit = units.get(d.delegation)
            return (unit.order if unit else 1 << 30, d.delegation, key(d.name), d.key)

        return sorted(items, key=order)

    def read(self) -> AbstractContextManager[UnitOfWork]:
        """A read-only unit of work: one consistent snapshot, no write lock."""
        return self.storage.unit_of_work(readonly=True)

    def write(self) -> AbstractContextManager[Transaction]:
        """A read-write unit of work with its events and deliveries (see :mod:`lvzhi.bus`)."""
        return self.bus.transaction()

    def now(self) -> pendulum.DateTime:
        return self.clock.now()


def require_deputies(uow: UnitOfWork, keys: Iterable[str], field: str) -> None:
    """Refuse certificate numbers that are not on the roster (one query per batch)."""
    wanted = set(keys)
    missing = wanted - uow.delegates.existing(wanted)
    if missing:
        raise ValidationError(field, sorted(missing), _("are not on the roster"))


def with_new_id(
    context: Context,
    repository: str,
    programme_id: str | None,
    kind: str,
    store: Callable[[Programme, str], T],
    *,
    attempts: int = 5,
) -> T:
    """Store something under the next free id ``<programme>-<kind>-NNN`` of ``repository``:
    ``store(programme, new_id)`` writes it in its own transaction; when another process took
    that id meanwhile (:class:`~lvzhi.errors.Conflict`), the next one is tried."""
    for attempt in range(attempts):
        with context.read() as uow:
            programme = current_programme(uow, programme_id)
            taken = {
                item.key for item in uow.repository(repository).select(programme_id=programme.id)
            }
        number = len(taken) + 1
        while f"{programme.id}-{kind}-{number:03d}" in taken:
            number += 1
        try:
            return store(programme, f"{programme.id}-{kind}-{number:03d}")
        except Conflict:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def current_programme(uow: UnitOfWork, programme_id: str | None) -> Programme:
    """A programme by id; with no id, the latest-starting one."""
    if programme_id is not None:
        return uow.programmes.get(programme_id)
    items = uow.programmes.list()
    if not items:
        raise NotFound("Programme", "(any)")
    return max(items, key=lambda p: (p.start_date, p.id))


class Service:
    """Base of the capability services: each use case opens one unit of work."""

    def __init__(self, context: Context) -> None:
        self._ctx = context

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"
