"""Moving a whole course from one store to another: :func:`copy_course`.

Every aggregate of :data:`lvzhi.storage.schema.AGGREGATES` and the scan log are read from
the source in **one read-only unit of work** (one consistent snapshot, so a course being
written meanwhile is copied as it was at one instant) and written to the destination in
**one unit of work**, keys and ids unchanged: either everything arrives or nothing does.

The destination must be empty (no row in any aggregate, no scan), unless ``force=True``:
then the course is merged in — a model whose key is already stored is replaced by the
source's, other stored models are kept, and a scan whose id is already stored is kept as
it is (the scan log is append-only).

Before committing, the destination is counted: every key of the source must be there, and
without ``force`` each aggregate and the scan log must hold exactly as many rows as the
source.  A difference is a :class:`~lvzhi.errors.StorageError` and nothing is committed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import attrs

from lvzhi.errors import StorageError
from lvzhi.i18n import _
from lvzhi.storage.schema import AGGREGATES

if TYPE_CHECKING:
    from lvzhi.domain import Scan
    from lvzhi.ports import StorageBackend, UnitOfWork

__all__ = ["CopyCount", "CopyReport", "copy_course"]

#: The name the scan log has in a :class:`CopyReport`.
SCANS = "scans"


@attrs.frozen
class CopyCount:
    """One aggregate (or the scan log) copied: ``source`` rows read, ``destination`` rows
    found afterwards."""

    name: str
    source: int
    destination: int


@attrs.frozen
class CopyReport:
    """What :func:`copy_course` copied, aggregate by aggregate, the scan log last."""

    counts: tuple[CopyCount, ...]
    merged: bool = False

    @property
    def total(self) -> int:
        """Rows read from the source, scans included."""
        return sum(c.source for c in self.counts)

    def count(self, name: str) -> CopyCount:
        """The counts of the aggregate (or ``"scans"``) called ``name``."""
        for entry in self.counts:
            if entry.name == name:
                return entry
        raise KeyError(name)


@attrs.frozen
class _Snapshot:
    items: dict[str, list[Any]]
    scans: list[Scan]


def _read(source: StorageBackend) -> _Snapshot:
    with source.unit_of_work(readonly=True) as uow:
        items = {a.name: uow.repository(a.name).list() for a in AGGREGATES}
        scans = uow.scans.list()
    return _Snapshot(items, scans)


def _is_empty(uow: UnitOfWork) -> list[str]:
    """The names of the aggregates (and ``scans``) that hold anything."""
    taken = [a.name for a in AGGREGATES if uow.repository(a.name).count()]
    if uow.scans.count():
        taken.append(SCANS)
    return taken


def _check(uow: UnitOfWork, snapshot: _Snapshot, *, merged: bool) -> tuple[CopyCount, ...]:
    counts: list[CopyCount] = []
    for declared in AGGREGATES:
        items = snapshot.items[declared.name]
        repository = uow.repository(declared.name)
        stored = repository.count()
        keys = [item.key for item in items]
        present = len(repository.existing(keys)) if keys else 0
        if present != len(set(keys)) or (not merged and stored != len(items)):
            raise StorageError(
                _(
                    "copy failed the count check for {name}: {source} in the source, "
                    "{stored} in the destination ({present} of the source's keys); "
                    "nothing was committed"
                ).format(name=declared.name, source=len(items), stored=stored, present=present)
            )
        counts.append(CopyCount(declared.name, len(items), stored))
    stored_scans = uow.scans.count()
    if (stored_scans != len(snapshot.scans)) if not merged else stored_scans < len(snapshot.scans):
        raise StorageError(
            _(
                "copy failed the count check for {name}: {source} in the source, "
                "{stored} in the destination ({present} of the source's keys); "
                "nothing was committed"
            ).format(
                name=SCANS, source=len(snapshot.scans), stored=stored_scans, present=stored_scans
            )
        )
    counts.append(CopyCount(SCANS, len(snapshot.scans), stored_scans))
    return tuple(counts)


def copy_course(
    source: StorageBackend,
    destination: StorageBackend,
    *,
    force: bool = False,
    progress: Callable[[str], None] | None = None,
) -> CopyReport:
    """Copy every aggregate and the scan log of ``source`` into ``destination`` (see the
    module documentation); returns the counts, checked before the commit.

    A non-empty destination is refused with a :class:`~lvzhi.errors.StorageError` naming
    what it holds, unless ``force``.  ``progress`` is called with the name of each
    aggregate as it is written."""
    if source is destination:
        raise StorageError(_("cannot copy a store onto itself"))
    snapshot = _read(source)
    with destination.unit_of_work() as uow:
        taken = _is_empty(uow)
        if taken and not force:
            raise StorageError(
                _(
                    "the destination is not empty (it holds {names}); copy into an empty "
                    "store, or use --force to merge into it"
                ).format(names=", ".join(taken))
            )
        for declared in AGGREGATES:
            items = snapshot.items[declared.name]
            if progress is not None:
                progress(declared.name)
            if items:
                uow.repository(declared.name).put_many(items)
        if progress is not None:
            progress(SCANS)
        if snapshot.scans:
            uow.scans.extend(snapshot.scans)
        counts = _check(uow, snapshot, merged=force)
    return CopyReport(counts, merged=force)
