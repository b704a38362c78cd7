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
    "GroupsFormed",
    "LeaveDecided",
    "LeaveRequested",
    "NoticeIssued",
    "ProgrammeSaved",
    "RosterImported",
    "ScanRecorded",
    "ScansRecorded",
    "SuggestionReplied",
    "SuggestionSubmitted",
    "TimetableChanged",
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
class SuggestionSubmitted(Event):
    name: ClassVar[str] = "suggestion.submitted"
    suggestion_id: str


@attrs.frozen(kw_only=True)
class SuggestionReplied(Event):
    name: ClassVar[str] = "suggestion.replied"
    suggestion_id: str


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
