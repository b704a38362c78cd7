"""The in-memory storage backend (``memory://``): for tests, demos and throw-away runs.

Every :meth:`MemoryStorage.from_url` call gives a fresh, empty store; nothing survives the
process.

Units of work are real transactions.  Each one keeps its own changes in an overlay (models
are immutable, so no copying is needed) and applies them to the shared store on commit, so:

* changes are invisible to every other unit of work until committed (*read committed*:
  a unit of work sees its own changes plus whatever others have committed so far);
* rollback, or an exception leaving the ``with`` block, simply drops the overlay;
* any number of units of work may be open at once, in one thread or many; a lock guards
  the shared store.  Two units of work writing the same key: the last to commit wins.
"""

from __future__ import annotations

import builtins
import threading
from collections.abc import Callable, Iterable, Iterator
from types import TracebackType
from typing import Any, ClassVar, Generic, Self, TypeVar

from lvzhi.domain import (
    Delegate,
    Delegation,
    DiscussionGroup,
    LeaveRequest,
    Notice,
    Official,
    Programme,
    Scan,
    ScanKind,
    ScanSummary,
    Session,
    Suggestion,
    Venue,
)
from lvzhi.errors import Conflict, NotFound, StorageError
from lvzhi.plugins import hookimpl
from lvzhi.ports import Repository, ScanLog
from lvzhi.serialization import validate_attributes

__all__ = ["MemoryRepository", "MemoryScanLog", "MemoryStorage", "MemoryUnitOfWork"]

T = TypeVar("T")


class _Deleted:
    """Marks a key removed inside a unit of work."""


_DELETED = _Deleted()

#: Repository attribute name on a unit of work → model class.
REPOSITORIES: dict[str, type[Any]] = {
    "delegations": Delegation,
    "delegates": Delegate,
    "officials": Official,
    "programmes": Programme,
    "sessions": Session,
    "venues": Venue,
    "groups": DiscussionGroup,
    "leave_requests": LeaveRequest,
    "suggestions": Suggestion,
    "notices": Notice,
}


def _key(item: Any) -> str:
    key = item.key
    if not isinstance(key, str):  # pragma: no cover - every model has a text key
        raise TypeError(f"{type(item).__name__}.key must be text")
    return key


class MemoryRepository(Generic[T]):
    """One repository of a :class:`MemoryUnitOfWork`: the committed dictionary seen through
    this unit of work's overlay of changes."""

    def __init__(
        self,
        model: type[T],
        committed: dict[str, T],
        lock: threading.RLock,
        guard: Callable[[], None],
    ) -> None:
        self.model = model
        self._committed = committed
        self._lock = lock
        self._guard = guard
        self._changes: dict[str, T | _Deleted] = {}

    # -- reading ---------------------------------------------------------------------------
    def find(self, key: str) -> T | None:
        self._guard()
        change = self._changes.get(key)
        if change is not None:
            return None if isinstance(change, _Deleted) else change
        with self._lock:
            return self._committed.get(key)

    def get(self, key: str) -> T:
        item = self.find(key)
        if item is None:
            raise NotFound(self.model.__name__, key)
        return item

    def _merged(self) -> dict[str, T]:
        self._guard()
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
        pairs = list(equals.items())
        return [item for item in self.list() if all(getattr(item, n) == v for n, v in pairs)]

    def count(self) -> int:
        return len(self._merged())

    # -- writing ---------------------------------------------------------------------------
    def _check(self, item: T) -> str:
        if not isinstance(item, self.model):
            raise TypeError(f"{self.model.__name__} repository cannot store {type(item).__name__}")
        return _key(item)

    def add(self, item: T) -> None:
        key = self._check(item)
        if self.find(key) is not None:
            raise Conflict(f"{self.model.__name__} {key!r} already exists")
        self._changes[key] = item

    def put(self, item: T) -> None:
        key = self._check(item)
        self._guard()
        self._changes[key] = item

    def put_many(self, items: Iterable[T]) -> int:
        self._guard()
        checked = [(self._check(item), item) for item in items]
        self._changes.update(checked)
        return len(checked)

    def remove(self, key: str) -> None:
        if self.find(key) is None:
            raise NotFound(self.model.__name__, key)
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

    def __init__(
        self, committed: dict[str, Scan], lock: threading.RLock, guard: Callable[[], None]
    ) -> None:
        self._committed = committed
        self._lock = lock
        self._guard = guard
        self._new: dict[str, Scan] = {}

    def append(self, scan: Scan) -> bool:
        if not isinstance(scan, Scan):
            raise TypeError(f"the scan log cannot store {type(scan).__name__}")
        self._guard()
        if scan.id in self._new:
            return False
        with self._lock:
            if scan.id in self._committed:
                return False
        self._new[scan.id] = scan
        return True

    def extend(self, scans: Iterable[Scan]) -> int:
        return sum(1 for scan in scans if self.append(scan))

    def _all(self) -> Iterator[Scan]:
        self._guard()
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
        self._guard()
        with self._lock:
            committed = len(self._committed)
        return committed + len(self._new)

    def _apply(self) -> None:
        for scan_id, scan in self._new.items():
            self._committed.setdefault(scan_id, scan)
        self._new.clear()

    def _discard(self) -> None:
        self._new.clear()


class MemoryUnitOfWork:
    """A transaction over a :class:`MemoryStorage`; use it as a context manager."""

    delegations: Repository[Delegation]
    delegates: Repository[Delegate]
    officials: Repository[Official]
    programmes: Repository[Programme]
    sessions: Repository[Session]
    venues: Repository[Venue]
    groups: Repository[DiscussionGroup]
    leave_requests: Repository[LeaveRequest]
    suggestions: Repository[Suggestion]
    notices: Repository[Notice]
    scans: ScanLog

    def __init__(self, storage: MemoryStorage) -> None:
        self._storage = storage
        self._closed = False
        lock = storage._lock
        self._repositories: list[MemoryRepository[Any]] = []
        for name, model in REPOSITORIES.items():
            repo: MemoryRepository[Any] = MemoryRepository(
                model, storage._tables[name], lock, self._check_open
            )
            setattr(self, name, repo)
            self._repositories.append(repo)
        self._scan_log = MemoryScanLog(storage._scans, lock, self._check_open)
        self.scans = self._scan_log

    def _check_open(self) -> None:
        if self._closed:
            raise StorageError("this unit of work has ended; open a new one")
        if self._storage._closed:
            raise StorageError("the memory store is closed")

    def commit(self) -> None:
        """Make every change so far visible to other units of work."""
        self._check_open()
        with self._storage._lock:
            for repo in self._repositories:
                repo._apply()
            self._scan_log._apply()

    def rollback(self) -> None:
        """Forget every change since the last commit."""
        for repo in self._repositories:
            repo._discard()
        self._scan_log._discard()

    def __enter__(self) -> Self:
        self._check_open()
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
        self._tables: dict[str, dict[str, Any]] = {name: {} for name in REPOSITORIES}
        self._scans: dict[str, Scan] = {}
        self._closed = False

    @classmethod
    def from_url(cls, url: str) -> MemoryStorage:
        """A new empty store for ``memory://`` (anything after the scheme is ignored)."""
        scheme, sep, _ = url.partition(":")
        if not sep or scheme.lower() not in cls.schemes:
            raise StorageError(f"not a memory URL: {url!r} (use 'memory://')")
        return cls()

    def unit_of_work(self) -> MemoryUnitOfWork:
        if self._closed:
            raise StorageError("the memory store is closed")
        return MemoryUnitOfWork(self)

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
