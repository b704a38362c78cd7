"""THE list of aggregates.

Every kind of model lvzhi stores is declared once, here, as an attribute of
:class:`Aggregates`.  That one declaration gives

* the typed repository attributes of every unit of work (``uow.delegates`` is a
  ``Repository[Delegate]``), because :class:`lvzhi.ports.storage.UnitOfWork` inherits them;
* the tables (or collections) of the built-in backends, which iterate :data:`AGGREGATES`;
* the aggregates :class:`lvzhi.testing.StorageContract` checks.

Adding an aggregate is one line here plus one migration step in each SQL backend (a test
fails until the migration exists).  The scan log is not an aggregate: it is an append-only
table of real columns (:data:`SCAN_COLUMNS`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final, Generic, TypeVar, overload

import attrs

from lvzhi.domain import (
    Delegate,
    Delegation,
    DiscussionGroup,
    LeaveRequest,
    Notice,
    Official,
    Programme,
    Session,
    Suggestion,
    Venue,
)
from lvzhi.domain.checks import AttendanceCorrection, SpotCheck
from lvzhi.domain.evaluation import Questionnaire, Response
from lvzhi.domain.halls import Hall
from lvzhi.domain.materials import Handbook, SessionRole
from lvzhi.domain.outbox import Delivery, OutboxEntry
from lvzhi.domain.plans import TrainingPlan
from lvzhi.domain.seating import SeatPlan
from lvzhi.domain.stations import StationPass
from lvzhi.domain.surveys import Survey, SurveyResponse
from lvzhi.domain.tasks import Meeting, Task
from lvzhi.domain.zones import Zone

if TYPE_CHECKING:
    from lvzhi.ports.repository import Repository

__all__ = ["AGGREGATES", "SCAN_COLUMNS", "Aggregate", "Aggregates", "aggregate"]

T = TypeVar("T")


class Aggregate(Generic[T]):
    """One kind of stored model.

    ``model`` has a text ``key`` property; ``table`` names its table (or collection);
    ``indexes`` are attributes SQL backends keep in real, indexed columns so that
    ``select(attribute=value)`` does not scan JSON.  ``since`` is the schema version that
    introduced it.

    As a class attribute of a unit of work it is a descriptor: ``uow.delegates`` returns the
    unit of work's repository for that aggregate (``uow.repository("delegates")``).
    """

    def __init__(
        self, model: type[T], *, table: str, indexes: tuple[str, ...] = (), since: int = 1
    ) -> None:
        self.model = model
        self.table = table
        self.indexes = tuple(indexes)
        self.since = since
        self.name = ""
        fields = {a.name for a in attrs.fields(model)}  # type: ignore[arg-type]
        unknown = [i for i in self.indexes if i not in fields]
        if unknown:
            raise TypeError(f"{model.__name__} has no attribute(s) {unknown} to index")

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type) -> Aggregate[T]: ...

    @overload
    def __get__(self, instance: object, owner: type) -> Repository[T]: ...

    def __get__(self, instance: object | None, owner: type) -> Aggregate[T] | Repository[T]:
        if instance is None:
            return self
        repository: Repository[T] = instance.repository(self.name)  # type: ignore[attr-defined]
        return repository

    def __repr__(self) -> str:
        return f"Aggregate({self.name!r}, {self.model.__name__}, table={self.table!r})"


class Aggregates:
    """The aggregates, in the order tables are created and the contract checks them.

    Append new ones at the end with ``since=`` the schema version that adds them."""

    delegations = Aggregate(Delegation, table="delegations")
    delegates = Aggregate(Delegate, table="delegates", indexes=("delegation",))
    officials = Aggregate(Official, table="officials")
    programmes = Aggregate(Programme, table="programmes")
    sessions = Aggregate(Session, table="sessions", indexes=("programme_id",))
    venues = Aggregate(Venue, table="venues")
    groups = Aggregate(DiscussionGroup, table="discussion_groups", indexes=("programme_id",))
    leave_requests = Aggregate(
        LeaveRequest, table="leave_requests", indexes=("programme_id", "certificate_no")
    )
    suggestions = Aggregate(Suggestion, table="suggestions", indexes=("programme_id",))
    notices = Aggregate(Notice, table="notices", indexes=("programme_id",))
    outbox = Aggregate(OutboxEntry, table="outbox", indexes=("state",), since=2)
    deliveries = Aggregate(Delivery, table="deliveries", indexes=("notice_id", "state"), since=2)
    halls = Aggregate(Hall, table="halls", since=3)
    seat_plans = Aggregate(SeatPlan, table="seat_plans", indexes=("hall_id",), since=3)
    zones = Aggregate(Zone, table="zones", indexes=("hall_id",), since=3)
    corrections = Aggregate(
        AttendanceCorrection, table="attendance_corrections", indexes=("session_id",), since=4
    )
    spot_checks = Aggregate(SpotCheck, table="spot_checks", indexes=("programme_id",), since=4)
    training_plans = Aggregate(TrainingPlan, table="training_plans", indexes=("kind",), since=5)
    surveys = Aggregate(Survey, table="surveys", since=5)
    survey_responses = Aggregate(
        SurveyResponse, table="survey_responses", indexes=("survey_id",), since=5
    )
    tasks = Aggregate(Task, table="tasks", indexes=("programme_id",), since=5)
    meetings = Aggregate(Meeting, table="meetings", indexes=("programme_id",), since=5)
    handbooks = Aggregate(Handbook, table="handbooks", since=6)
    session_roles = Aggregate(
        SessionRole, table="session_roles", indexes=("programme_id",), since=6
    )
    questionnaires = Aggregate(
        Questionnaire, table="questionnaires", indexes=("programme_id",), since=6
    )
    responses = Aggregate(
        Response, table="questionnaire_responses", indexes=("questionnaire_id",), since=6
    )
    stations = Aggregate(StationPass, table="station_passes", indexes=("programme_id",), since=7)


#: Every aggregate, in declaration order.
AGGREGATES: Final[tuple[Aggregate[Any], ...]] = tuple(
    value for value in vars(Aggregates).values() if isinstance(value, Aggregate)
)

_BY_NAME: Final[dict[str, Aggregate[Any]]] = {a.name: a for a in AGGREGATES}


def aggregate(name: str) -> Aggregate[Any]:
    """The aggregate declared as ``name``; ``KeyError`` naming the known ones otherwise."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise KeyError(f"no aggregate {name!r}; declared: {', '.join(_BY_NAME)}") from None


#: Columns of the scan log, in the order SQL backends store them.
SCAN_COLUMNS: Final[tuple[str, ...]] = (
    "id",
    "session_id",
    "certificate_no",
    "kind",
    "scanned_at",
    "received_at",
    "zone",
    "taker_id",
    "device",
    "source",
    "forced",
)
