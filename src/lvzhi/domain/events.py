"""Domain events: what happened, told to every plugin through ``lvzhi_handle_event``.

Events are frozen values.  ``name`` is a stable dotted string (``"roster.imported"``) that
plugins can match on without importing the classes.
"""

from __future__ import annotations

from typing import ClassVar

import attrs
import pendulum

__all__ = [
    "EVENT_TYPES",
    "DelegateSaved",
    "Event",
    "ExportWritten",
    "GroupAssigned",
    "GroupsFormed",
    "HallSaved",
    "LeaveDecided",
    "LeaveDenied",
    "LeaveRequested",
    "NoticeIssued",
    "ProgrammeSaved",
    "RosterImported",
    "ScanRecorded",
    "ScansRecorded",
    "SeatMoved",
    "SeatsAssigned",
    "SpotCheckRecorded",
    "SuggestionAssigned",
    "SuggestionClassified",
    "SuggestionRated",
    "SuggestionReplied",
    "SuggestionSubmitted",
    "SuggestionsMerged",
    "TakerAssigned",
    "TimetableChanged",
    "ZonesSet",
]


#: Every event class by its ``name`` (filled as classes are defined), so that an event
#: stored in the outbox can be loaded back.
EVENT_TYPES: dict[str, type[Event]] = {}


@attrs.frozen(kw_only=True)
class Event:
    """Base of every domain event.  A subclass sets a unique ``name``."""

    name: ClassVar[str] = "event"
    occurred_at: pendulum.DateTime

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        # attrs builds a new class from the decorated one: the last definition wins.
        EVENT_TYPES[cls.name] = cls


@attrs.frozen(kw_only=True)
class ProgrammeSaved(Event):
    name: ClassVar[str] = "programme.saved"
    programme_id: str


@attrs.frozen(kw_only=True)
class RosterImported(Event):
    name: ClassVar[str] = "roster.imported"
    source: str
    delegates: int
    delegations: int
    created: int
    updated: int


@attrs.frozen(kw_only=True)
class DelegateSaved(Event):
    name: ClassVar[str] = "delegate.saved"
    certificate_no: str


@attrs.frozen(kw_only=True)
class TimetableChanged(Event):
    name: ClassVar[str] = "timetable.changed"
    programme_id: str
    session_ids: tuple[str, ...]


@attrs.frozen(kw_only=True)
class GroupsFormed(Event):
    name: ClassVar[str] = "groups.formed"
    programme_id: str
    strategy: str
    group_ids: tuple[str, ...]


@attrs.frozen(kw_only=True)
class GroupAssigned(Event):
    """A group's convener, recorder, attending leaders or room were named."""

    name: ClassVar[str] = "group.assigned"
    group_id: str


@attrs.frozen(kw_only=True)
class HallSaved(Event):
    """A hall was stored (new, replaced, or a seat blocked or freed)."""

    name: ClassVar[str] = "hall.saved"
    hall_id: str


@attrs.frozen(kw_only=True)
class SeatsAssigned(Event):
    """A hall's seat plan was made or brought up to date: ``seated`` deputies in it,
    ``moved`` of them on another seat than before."""

    name: ClassVar[str] = "seats.assigned"
    hall_id: str
    moved: int
    seated: int
    programme_id: str | None = None


@attrs.frozen(kw_only=True)
class SeatMoved(Event):
    """One deputy was moved by hand (``from_seat`` is ``None`` when newly seated)."""

    name: ClassVar[str] = "seat.moved"
    hall_id: str
    certificate_no: str
    from_seat: str | None
    to_seat: str


@attrs.frozen(kw_only=True)
class ZonesSet(Event):
    """A hall's attendance zones were replaced."""

    name: ClassVar[str] = "zones.set"
    hall_id: str
    zone_ids: tuple[str, ...]


@attrs.frozen(kw_only=True)
class TakerAssigned(Event):
    """An official was made a zone's attendance taker; ``role`` is the official's role (any
    role is accepted, the role is recorded)."""

    name: ClassVar[str] = "zone.taker_assigned"
    zone_id: str
    official_id: str
    role: str


@attrs.frozen(kw_only=True)
class ScanRecorded(Event):
    name: ClassVar[str] = "scan.recorded"
    scan_id: str
    session_id: str
    certificate_no: str


@attrs.frozen(kw_only=True)
class ScansRecorded(Event):
    """A batch of scans was appended to the log (one event per batch, not per scan)."""

    name: ClassVar[str] = "scans.recorded"
    recorded: int
    ignored: int
    session_ids: tuple[str, ...]


@attrs.frozen(kw_only=True)
class LeaveRequested(Event):
    name: ClassVar[str] = "leave.requested"
    request_id: str
    certificate_no: str


@attrs.frozen(kw_only=True)
class LeaveDecided(Event):
    name: ClassVar[str] = "leave.decided"
    request_id: str
    certificate_no: str
    stage: str
    approved: bool
    state: str


@attrs.frozen(kw_only=True)
class LeaveDenied(Event):
    """Someone not entitled tried to decide or withdraw a leave request (kept as audit)."""

    name: ClassVar[str] = "leave.denied"
    request_id: str
    actor: str
    action: str
    reason: str


@attrs.frozen(kw_only=True)
class SpotCheckRecorded(Event):
    name: ClassVar[str] = "check.recorded"
    check_id: str
    certificate_no: str
    breach: bool


@attrs.frozen(kw_only=True)
class SuggestionSubmitted(Event):
    name: ClassVar[str] = "suggestion.submitted"
    suggestion_id: str


@attrs.frozen(kw_only=True)
class SuggestionReplied(Event):
    name: ClassVar[str] = "suggestion.replied"
    suggestion_id: str


@attrs.frozen(kw_only=True)
class SuggestionClassified(Event):
    name: ClassVar[str] = "suggestion.classified"
    suggestion_id: str
    category: str
    aspect: str


@attrs.frozen(kw_only=True)
class SuggestionAssigned(Event):
    name: ClassVar[str] = "suggestion.assigned"
    suggestion_id: str
    unit: str


@attrs.frozen(kw_only=True)
class SuggestionRated(Event):
    """A proposer rated the reply; ``state`` is ``closed`` or ``reopened``."""

    name: ClassVar[str] = "suggestion.rated"
    suggestion_id: str
    satisfaction: str
    state: str


@attrs.frozen(kw_only=True)
class SuggestionsMerged(Event):
    name: ClassVar[str] = "suggestions.merged"
    suggestion_id: str
    merged_ids: tuple[str, ...]


@attrs.frozen(kw_only=True)
class NoticeIssued(Event):
    name: ClassVar[str] = "notice.issued"
    notice_id: str
    recipients: tuple[str, ...]


@attrs.frozen(kw_only=True)
class ExportWritten(Event):
    name: ClassVar[str] = "export.written"
    table: str
    format: str
    target: str
    rows: int
