"""The storage seam: repositories, the scan log, units of work and backends.

:class:`UnitOfWork` is an abstract base class whose repository attributes come from the one
list of aggregates (:class:`lvzhi.storage.schema.Aggregates`): a backend implements
``repository(name)`` once instead of declaring every attribute, and a new aggregate reaches
every backend without touching it.  :class:`~lvzhi.ports.repository.Repository`,
:class:`~lvzhi.ports.repository.ScanLog` and :class:`StorageBackend` are
:class:`typing.Protocol` classes.
:class:`lvzhi.testing.StorageContract` checks the behaviour.
"""

from __future__ import annotations

import abc
from types import TracebackType
from typing import Any, ClassVar, Protocol, Self, TypeVar, runtime_checkable

from lvzhi.ports.repository import Repository, ScanLog
from lvzhi.storage.schema import Aggregates

__all__ = ["Repository", "ScanLog", "StorageBackend", "UnitOfWork"]

T = TypeVar("T")


class UnitOfWork(Aggregates, abc.ABC):
    """One transaction across every repository.

    ``with backend.unit_of_work() as uow:`` commits when the block ends normally and rolls
    back every change if it raises.  ``commit()`` may be called earlier; ``rollback()``
    discards what was done since the last commit.

    A unit of work opened with ``readonly=True`` never takes a write lock; any write in it
    raises :class:`~lvzhi.errors.StorageError`.

    The repository attributes (``uow.delegates``, ``uow.notices``, …) are inherited from
    :class:`~lvzhi.storage.schema.Aggregates`; each returns ``self.repository(name)``.
    """

    readonly: bool = False

    @abc.abstractmethod
    def repository(self, name: str) -> Repository[Any]:
        """The repository of the aggregate declared as ``name``."""

    @property
    @abc.abstractmethod
    def scans(self) -> ScanLog:
        """The scan log."""

    @abc.abstractmethod
    def commit(self) -> None: ...

    @abc.abstractmethod
    def rollback(self) -> None: ...

    @abc.abstractmethod
    def __enter__(self) -> Self: ...

    @abc.abstractmethod
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


@runtime_checkable
class StorageBackend(Protocol):
    """Where a secretariat keeps its data.  Chosen by URL scheme: ``schemes`` lists the
    schemes a backend answers (``("sqlite",)``); ``name`` is how it is listed."""

    name: ClassVar[str]
    schemes: ClassVar[tuple[str, ...]]

    @classmethod
    def from_url(cls, url: str) -> StorageBackend:
        """Open (creating and migrating if needed) the store at ``url``."""
        ...

    def unit_of_work(self, *, readonly: bool = False) -> UnitOfWork:
        """A new unit of work; ``readonly=True`` for one that only reads."""
        ...

    def schema_version(self) -> int:
        """The version of the stored schema (0 for stores without one)."""
        ...

    def close(self) -> None: ...
