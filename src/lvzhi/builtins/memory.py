"""The in-memory storage backend (``memory://``): for tests, demos and throw-away runs.

Every :meth:`MemoryStorage.from_url` call gives a fresh, empty store; nothing survives the
process.

Units of work are real transactions.  Each one keeps its own changes in an overlay (models
are immutable, so no copying is needed) and applies them to the shared store on commit, so:

* changes are invisible to every other unit of work until committed (*read committed*:
  a unit of work sees its own changes plus whatever others have committed so far);
* rollback, or an exception leaving the ``with`` block, simply drops the overlay;
* any number of units of work may be open at once, in one thread or many; a lock guards
  the shared store.  Two units of work writing the same key: the last to commit wins;
* a unit of work opened with ``readonly=True`` refuses every write with
  :class:`~lvzhi.errors.StorageError`.

The repositories are those of :data:`lvzhi.storage.schema.AGGREGATES`: a new aggregate needs
nothing here.
"""

from __future__ import annotations

import builtins
import threading
from collections.abc import Iterable, Iterator
from types import TracebackType
from typing import Any, ClassVar, Generic, Self, TypeVar

import attrs
import pendulum

from lvzhi.domain import Scan, ScanKind, ScanSummary
from lvzhi.domain.attendance import ScanDigest
from lvzhi.errors import Conflict, NotFound, StorageError
from lvzhi.i18n import _
from lvzhi.plugins import hookimpl
from lvzhi.ports.storage import UnitOfWork
from lvzhi.serialization import format_instant, unstructure, validate_attributes
from lvzhi.storage.scans import digest_times, received_instant
from lvzhi.storage.schema import AGGREGATES, aggregate
from lvzhi.storage.url import scheme

__all__ = ["MemoryRepository", "MemoryScanLog", "MemoryStorage", "MemoryUnitOfWork"]

T = TypeVar("T")


class _Deleted:
    """Marks a key removed inside a unit of work."""


_DELETED = _Deleted()


def _key(item: Any) -> str:
    key = item.key
    if not isinstance(key, str):  # pragma: no cover - every model has a text key
        raise TypeError(f"{type(item).__name__}.key must be text")
    return key


class _Gate:
    """What a unit of work's repositories ask before each use: is it open, may it write."""

    def __init__(self, uow: MemoryUnitOfWork) -> None:
        self._uow = uow

    def read(self) -> None:
        uow = self._uow
        if uow._closed:
            raise StorageError("this unit of work has ended; open a new one")
        if uow._storage._closed:
            raise StorageError("the memory store is closed")

    def write(self, action: str) -> None:
        self.read()
        if self._uow.readonly:
            raise StorageError(
                f"cannot {action}: the unit of work is read-only (opened with readonly=True)"
            )


class MemoryRepository(Generic[T]):
    """One repository of a :class:`MemoryUnitOfWork`: the committed dictionary seen through
    this unit of work's overlay of changes."""

    def __init__(
        self, model: type[T], committed: dict[str, T], lock: threading.RLock, gate: _Gate
    ) -> None:
        self.model = model
        self._committed = committed
        self._lock = lock
        self._gate = gate
        self._kind = model.__name__
        self._changes: dict[str, T | _Deleted] = {}

    # -- reading ---------------------------------------------------------------------------
    def find(self, key: str) -> T | None:
        self._gate.read()
        change = self._changes.get(key)
        if change is not None:
            return None if isinstance(change, _Deleted) else change
        with self._lock:
            return self._committed.get(key)

    def get(self, key: str) -> T:
        item = self.find(key)
        if item is None:
            raise NotFound(self._kind, key)
        return item

    def existing(self, keys: Iterable[str]) -> set[str]:
        self._gate.read()
        wanted = set(keys)
        with self._lock:
            found = {key for key in wanted if key in self._committed}
        for key, change in self._changes.items():
            if key in wanted:
                if isinstance(change, _Deleted):
                    found.discard(key)
                else:
                    found.add(key)
        return found

    def _merged(self) -> dict[str, T]:
        self._gate.read()
        with self._lock:
            merged = dict(self._committed)
        for key, change in self._changes.items():
            if isinstance(change, _Deleted):
                merged.pop(key, None)
            else:
                merged[key] = change
        return merged

    def list(self) -> list[T]:
        merged = self._merged()
        return [merged[key] for key in sorted(merged)]

    def select(self, **equals: Any) -> builtins.list[T]:
        validate_attributes(self.model, equals)
        # Compare plain forms, as the SQL backends do: an enum matches its value, a tuple
        # the list it is stored as, an instant the same instant in any time zone.
        wanted = [(name, unstructure(value)) for name, value in equals.items()]
        return [
            item
            for item in self.list()
            if all(unstructure(getattr(item, name)) == plain for name, plain in wanted)
        ]

    def count(self) -> int:
        return len(self._merged())

    # -- writing ---------------------------------------------------------------------------
    def _check(self, item: T) -> str:
        if not isinstance(item, self.model):
            raise TypeError(f"{self._kind} repository cannot store {type(item).__name__}")
        return _key(item)

    def add(self, item: T) -> None:
        self._gate.write(f"add a {self._kind}")
        key = self._check(item)
        if self.find(key) is not None:
            raise Conflict(_("{kind} {key!r} already exists").format(kind=_(self._kind), key=key))
        self._changes[key] = item

    def put(self, item: T) -> None:
        self._gate.write(f"store a {self._kind}")
        self._changes[self._check(item)] = item

    def put_many(self, items: Iterable[T]) -> int:
        self._gate.write(f"store {self._kind} rows")
        checked = [(self._check(item), item) for item in items]
        self._changes.update(checked)
        return len(checked)

    def remove(self, key: str) -> None:
        self._gate.write(f"remove a {self._kind}")
        if self.find(key) is None:
            raise NotFound(self._kind, key)
        self._changes[key] = _DELETED

    # -- transaction -----------------------------------------------------------------------
    def _apply(self) -> None:
        for key, change in self._changes.items():
            if isinstance(change, _Deleted):
                self._committed.pop(key, None)
            else:
                self._committed[key] = change
        self._changes.clear()

    def _discard(self) -> None:
        self._changes.clear()


def _scan_order(scan: Scan) -> tuple[Any, str]:
    return (scan.scanned_at, scan.id)


class MemoryScanLog:
    """The scan log of a :class:`MemoryUnitOfWork`."""

    def __init__(self, committed: dict[str, Scan], lock: threading.RLock, gate: _Gate) -> None:
        self._committed = committed
        self._lock = lock
        self._gate = gate
        self._new: dict[str, Scan] = {}

    def _add(self, scan: Scan) -> bool:
        if not isinstance(scan, Scan):
            raise TypeError(f"the scan log cannot store {type(scan).__name__}")
        if scan.id in self._new:
            return False
        with self._lock:
            if scan.id in self._committed:
                return False
        self._new[scan.id] = scan
        return True

    def append(self, scan: Scan) -> bool:
        self._gate.write("append a scan")
        return self._add(scan)

    def extend(self, scans: Iterable[Scan], *, received_at: pendulum.DateTime | None = None) -> int:
        self._gate.write("append scans")
        received = None if received_at is None else received_instant(received_at)
        added = 0
        for scan in scans:
            if received is not None and isinstance(scan, Scan) and scan.received_at is None:
                scan = attrs.evolve(scan, received_at=received)
            added += self._add(scan)
        return added

    def _all(self) -> Iterator[Scan]:
        self._gate.read()
        with self._lock:
            committed = list(self._committed.values())
        yield from committed
        yield from self._new.values()

    def list(
        self, *, session_id: str | None = None, certificate_no: str | None = None
    ) -> list[Scan]:
        chosen = [
            s
            for s in self._all()
            if (session_id is None or s.session_id == session_id)
            and (certificate_no is None or s.certificate_no == certificate_no)
        ]
        chosen.sort(key=_scan_order)
        return chosen

    def find(self, scan_id: str) -> Scan | None:
        self._gate.read()
        found = self._new.get(scan_id)
        if found is None:
            with self._lock:
                found = self._committed.get(scan_id)
        return found

    def digest(self, session_id: str) -> builtins.list[ScanDigest]:
        times: dict[str, tuple[builtins.list[str], builtins.list[str]]] = {}
        for scan in self._all():
            if scan.session_id == session_id:
                entries, exits = times.setdefault(scan.certificate_no, ([], []))
                mine = entries if scan.kind is ScanKind.ENTRY else exits
                mine.append(format_instant(scan.scanned_at))
        return [digest_times(session_id, cert, *times[cert]) for cert in sorted(times)]

    def summarise(self, session_id: str) -> builtins.list[ScanSummary]:
        table: dict[str, list[Any]] = {}
        for scan in self._all():
            if scan.session_id != session_id:
                continue
            row = table.setdefault(scan.certificate_no, [None, None, 0])
            if scan.kind is ScanKind.ENTRY:
                if row[0] is None or scan.scanned_at < row[0]:
                    row[0] = scan.scanned_at
            elif row[1] is None or scan.scanned_at > row[1]:
                row[1] = scan.scanned_at
            row[2] += 1
        return [
            ScanSummary(
                session_id=session_id,
                certificate_no=cert,
                first_entry=table[cert][0],
                last_exit=table[cert][1],
                scans=table[cert][2],
            )
            for cert in sorted(table)
        ]

    def count(self) -> int:
        self._gate.read()
        with self._lock:
            committed = len(self._committed)
        return committed + len(self._new)

    def _apply(self) -> None:
        for scan_id, scan in self._new.items():
            self._committed.setdefault(scan_id, scan)
        self._new.clear()

    def _discard(self) -> None:
        self._new.clear()


class MemoryUnitOfWork(UnitOfWork):
    """A transaction over a :class:`MemoryStorage`; use it as a context manager."""

    def __init__(self, storage: MemoryStorage, *, readonly: bool = False) -> None:
        self.readonly = readonly
        self._storage = storage
        self._closed = False
        self._gate = _Gate(self)
        self._repositories: dict[str, MemoryRepository[Any]] = {}
        self._scan_log = MemoryScanLog(storage._scans, storage._lock, self._gate)

    def repository(self, name: str) -> MemoryRepository[Any]:
        repository = self._repositories.get(name)
        if repository is None:
            try:
                declared = aggregate(name)
            except KeyError as exc:
                raise StorageError(str(exc.args[0])) from None
            repository = MemoryRepository(
                declared.model, self._storage._tables[name], self._storage._lock, self._gate
            )
            self._repositories[name] = repository
        return repository

    @property
    def scans(self) -> MemoryScanLog:
        return self._scan_log

    def commit(self) -> None:
        """Make every change so far visible to other units of work."""
        self._gate.read()
        with self._storage._lock:
            for repo in self._repositories.values():
                repo._apply()
            self._scan_log._apply()

    def rollback(self) -> None:
        """Forget every change since the last commit."""
        for repo in self._repositories.values():
            repo._discard()
        self._scan_log._discard()

    def __enter__(self) -> Self:
        self._gate.read()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if exc_type is None:
                self.commit()
            else:
                self.rollback()
        finally:
            self._closed = True


class MemoryStorage:
    """Keeps everything in dictionaries.  ``memory://`` URLs open a fresh, empty store."""

    name: ClassVar[str] = "memory"
    schemes: ClassVar[tuple[str, ...]] = ("memory",)

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._tables: dict[str, dict[str, Any]] = {a.name: {} for a in AGGREGATES}
        self._scans: dict[str, Scan] = {}
        self._closed = False

    @classmethod
    def from_url(cls, url: str) -> MemoryStorage:
        """A new empty store for ``memory://`` (anything after the scheme is ignored)."""
        try:
            known = scheme(url) in cls.schemes
        except StorageError:
            known = False
        if not known:
            raise StorageError(f"not a memory URL: {url!r} (use 'memory://')")
        return cls()

    def unit_of_work(self, *, readonly: bool = False) -> MemoryUnitOfWork:
        """A new unit of work; ``readonly=True`` for one that refuses every write."""
        if self._closed:
            raise StorageError("the memory store is closed")
        return MemoryUnitOfWork(self, readonly=readonly)

    def schema_version(self) -> int:
        """Always 0: a memory store has no stored schema."""
        return 0

    def close(self) -> None:
        """Drop everything; later units of work fail with :class:`StorageError`."""
        self._closed = True

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return "MemoryStorage('memory://')"


@hookimpl
def lvzhi_register_storage_backends() -> list[type[MemoryStorage]]:
    return [MemoryStorage]
