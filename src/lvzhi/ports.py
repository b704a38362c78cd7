"""The seams of lvzhi: what a storage backend, a notifier, an exporter, an attendance rule,
a seating or grouping strategy and a name collation must offer.

They are :class:`typing.Protocol` classes: a plugin implements the methods, it need not
inherit from anything.  ``lvzhi.testing`` ships contract test suites that check the
behaviour.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, Self, TypeVar, runtime_checkable

import attrs

from lvzhi.domain import (
    AttendancePolicy,
    Delegate,
    Delegation,
    DiscussionGroup,
    LeaveRequest,
    Notice,
    Official,
    Programme,
    Scan,
    ScanSummary,
    Session,
    Suggestion,
    Venue,
)

if TYPE_CHECKING:
    import tablib

__all__ = [
    "AttendanceContext",
    "AttendanceRule",
    "Collation",
    "Exporter",
    "GroupingContext",
    "GroupingStrategy",
    "Notifier",
    "Repository",
    "ScanLog",
    "SeatingContext",
    "SeatingStrategy",
    "StorageBackend",
    "UnitOfWork",
]

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

    def extend(self, scans: Iterable[Scan]) -> int:
        """Store many scans; returns how many were new."""
        ...

    def list(
        self, *, session_id: str | None = None, certificate_no: str | None = None
    ) -> list[Scan]:
        """Scans ordered by ``scanned_at`` then ``id``."""
        ...

    def summarise(self, session_id: str) -> builtins.list[ScanSummary]:
        """Per deputy: first entry, last exit and number of scans for one session, ordered
        by certificate number.  SQL backends do this with one aggregate query."""
        ...

    def count(self) -> int: ...


@runtime_checkable
class UnitOfWork(Protocol):
    """One transaction across every repository.

    ``with backend.unit_of_work() as uow:`` commits when the block ends normally and rolls
    back every change if it raises.  ``commit()`` may be called earlier; ``rollback()``
    discards what was done since the last commit.
    """

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

    def commit(self) -> None: ...

    def rollback(self) -> None: ...

    def __enter__(self) -> Self: ...

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

    def unit_of_work(self) -> UnitOfWork: ...

    def schema_version(self) -> int:
        """The version of the stored schema (0 for stores without one)."""
        ...

    def close(self) -> None: ...


@runtime_checkable
class Exporter(Protocol):
    """Turns a table (a ``tablib.Dataset``) or a workbook (``tablib.Databook``) into bytes.

    ``format`` is the name users pass (``"xlsx"``); ``extension`` the file suffix without the
    dot; ``spreadsheet`` is true for formats a spreadsheet program opens, whose cells lvzhi
    neutralises against formula injection before calling ``export``.
    ``multi_sheet`` is true if the format keeps a Databook's sheets apart.
    """

    format: str
    extension: str
    media_type: str
    spreadsheet: bool
    multi_sheet: bool

    def export(self, data: tablib.Dataset | tablib.Databook) -> bytes: ...


@runtime_checkable
class Notifier(Protocol):
    """Delivers notices (通知、通报) to their recipients: console, file, SMTP, webhook…"""

    name: str

    def send(self, notice: Notice, addresses: Mapping[str, str]) -> None:
        """Deliver ``notice``.  ``addresses`` maps each recipient (a body or a person, as
        written in ``notice.recipients``) to a channel address when one is known."""
        ...


@attrs.frozen(kw_only=True)
class AttendanceContext:
    """What an attendance rule sees for one deputy and one session."""

    programme: Programme
    session: Session
    delegate: Delegate
    policy: AttendancePolicy
    summary: ScanSummary | None
    scans: tuple[Scan, ...] = ()
    leave: tuple[LeaveRequest, ...] = ()


@runtime_checkable
class AttendanceRule(Protocol):
    """Derives a status code (see ``lvzhi.domain.DEFAULT_STATUSES``) or abstains with
    ``None``.  Rules are asked in registration order; the first answer wins."""

    name: str

    def evaluate(self, context: AttendanceContext) -> str | None: ...


@attrs.frozen(kw_only=True)
class SeatingContext:
    """Deputies in the order they should be seated and the seats in walk order."""

    delegates: tuple[Delegate, ...]
    delegations: tuple[Delegation, ...]
    seats: tuple[str, ...]
    options: Mapping[str, Any] = attrs.field(factory=dict)


@runtime_checkable
class SeatingStrategy(Protocol):
    """Assigns seats: returns ``{certificate_no: seat_id}``."""

    name: str

    def assign(self, context: SeatingContext) -> Mapping[str, str]: ...


@attrs.frozen(kw_only=True)
class GroupingContext:
    """Deputies to split into ``groups`` discussion groups (already in official order)."""

    delegates: tuple[Delegate, ...]
    delegations: tuple[Delegation, ...]
    groups: int
    options: Mapping[str, Any] = attrs.field(factory=dict)


@runtime_checkable
class GroupingStrategy(Protocol):
    """Splits deputies into groups: returns one sequence of certificate numbers per group."""

    name: str

    def partition(self, context: GroupingContext) -> Sequence[Sequence[str]]: ...


@runtime_checkable
class Collation(Protocol):
    """An order for names (姓氏笔画, pinyin…).  ``key`` gives a sort key for one name."""

    name: str

    def key(self, name: str) -> Any: ...

    def sort(self, names: Iterable[str]) -> list[str]: ...
