"""Repositories and the scan log: the collections a unit of work holds."""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from typing import Any, Protocol, TypeVar, runtime_checkable

import pendulum

from lvzhi.domain import Scan, ScanSummary
from lvzhi.domain.attendance import ScanDigest

__all__ = ["Repository", "ScanLog"]

T = TypeVar("T")


@runtime_checkable
class Repository(Protocol[T]):
    """A keyed collection of one kind of model.  Every model has a ``key`` property (the
    certificate number for a delegate, the code for a delegation, ``id`` elsewhere).

    ``list`` and ``select`` return models ordered by key.  ``select(**equals)`` filters on
    top-level attribute values (``sessions.select(programme_id="p1")``); enum fields compare
    by value.
    """

    def get(self, key: str) -> T:
        """The model with this key; :class:`~lvzhi.errors.NotFound` if there is none."""
        ...

    def find(self, key: str) -> T | None:
        """The model with this key, or ``None``."""
        ...

    def existing(self, keys: Iterable[str]) -> set[str]:
        """Which of ``keys`` are stored (one query per batch in SQL backends)."""
        ...

    def add(self, item: T) -> None:
        """Store a new model; :class:`~lvzhi.errors.Conflict` if its key is taken."""
        ...

    def put(self, item: T) -> None:
        """Store a model, replacing any with the same key."""
        ...

    def put_many(self, items: Iterable[T]) -> int:
        """Store many models, replacing any with the same keys; returns how many were given.

        The bulk form of :meth:`put` for imports (SQL backends send one batched statement).
        Later items win over earlier ones with the same key."""
        ...

    def remove(self, key: str) -> None:
        """Delete by key; :class:`~lvzhi.errors.NotFound` if there is none."""
        ...

    def list(self) -> list[T]:
        """Every model, ordered by key."""
        ...

    def select(self, **equals: Any) -> builtins.list[T]:
        """The models whose attributes equal the given values, ordered by key."""
        ...

    def count(self) -> int: ...


@runtime_checkable
class ScanLog(Protocol):
    """The append-only attendance log.  A scan whose ``id`` is already stored is ignored
    (idempotent retries); nothing is ever edited."""

    def append(self, scan: Scan) -> bool:
        """Store a scan; ``False`` if a scan with the same id was already stored."""
        ...

    def extend(self, scans: Iterable[Scan], *, received_at: pendulum.DateTime | None = None) -> int:
        """Store many scans; returns how many were new.  ``received_at`` fills the scans
        whose own ``received_at`` is ``None`` (so a caller need not copy every scan)."""
        ...

    def list(
        self, *, session_id: str | None = None, certificate_no: str | None = None
    ) -> list[Scan]:
        """Scans ordered by ``scanned_at`` then ``id``."""
        ...

    def find(self, scan_id: str) -> Scan | None:
        """The stored scan with this id, whatever its session, or ``None`` (SQL backends
        look it up by primary key).  Scans appended in this unit of work count."""
        ...

    def summarise(self, session_id: str) -> builtins.list[ScanSummary]:
        """Per deputy: first entry, last exit and number of scans for one session, ordered
        by certificate number.  SQL backends do this with one aggregate query."""
        ...

    def digest(self, session_id: str) -> builtins.list[ScanDigest]:
        """Per deputy with a scan in the session, ordered by certificate number: the
        ``ScanDigest`` (:mod:`lvzhi.domain.attendance`) of all the deputy's scans there
        (counts, first and last entry and exit, the spells outside), what the attendance
        rule needs to decide most statuses without reading scans.  Every scan counts
        (voided or not, inside the scan window or not).  Scans are taken in the order of
        ``scanned_at``, an entry before an exit at the same instant; an exit made while in
        starts a spell outside and the next entry ends it.  Times are the stored
        fixed-width UTC text (``2022-09-06T01:00:00.000000Z``), ``away`` whole
        microseconds.

        One query per session: the times of each kind joined per deputy and folded by
        ``lvzhi.storage.scans.digest_times``, or one SQL query with window functions."""
        ...

    def count(self) -> int: ...
