"""Attendance data: scans (an append-only log) and attendance statuses (data, not an enum).

How a status is derived from scans, leave and the session window is a rule registered
through the ``lvzhi_register_attendance_rules`` hook; this module holds the values.
"""

from __future__ import annotations

import datetime as _dt
import enum
from typing import Any, NamedTuple

import attrs
import pendulum

from lvzhi.domain import _fields as f

__all__ = [
    "DEFAULT_STATUSES",
    "FLAG_LABELS",
    "FLAG_REASONS",
    "AttendanceStatus",
    "Flag",
    "Scan",
    "ScanDigest",
    "ScanKind",
    "ScanSource",
    "ScanSummary",
    "instant_micros",
]


class ScanKind(enum.StrEnum):
    ENTRY = "entry"
    EXIT = "exit"


class ScanSource(enum.StrEnum):
    SCAN = "scan"  # a device read the deputy's card or code
    MANUAL = "manual"  # an attendance taker ticked a sheet


def _to_scan_kind(value: Any) -> Any:
    return f.to_enum(ScanKind, value)


def _to_scan_source(value: Any) -> Any:
    return f.to_enum(ScanSource, value)


@attrs.frozen(kw_only=True)
class Scan:
    """One attendance event.  ``id`` is the idempotency key (a nonce chosen by the device):
    storing a scan with an id already stored is a no-op, so devices can retry uploads and
    offline batches may arrive late and out of order.  Corrections are new scans, never
    edits."""

    id: str = attrs.field(validator=f.identifier)
    session_id: str = attrs.field(validator=f.identifier)
    certificate_no: str = attrs.field(validator=f.identifier)
    kind: ScanKind = attrs.field(
        default=ScanKind.ENTRY,
        converter=_to_scan_kind,
        validator=f.enum_member(ScanKind),
    )
    scanned_at: pendulum.DateTime = attrs.field(converter=f.utc, validator=f.aware)
    received_at: pendulum.DateTime | None = attrs.field(
        default=None, converter=f.optional_utc, validator=f.optional_aware
    )
    zone: str = attrs.field(default="", converter=f.clean_text, validator=f.text)
    taker_id: str | None = attrs.field(default=None, validator=f.optional_identifier)
    device: str = attrs.field(default="", converter=f.clean_text, validator=f.text)
    source: ScanSource = attrs.field(
        default=ScanSource.SCAN,
        converter=_to_scan_source,
        validator=f.enum_member(ScanSource),
    )
    forced: bool = attrs.field(default=False, validator=f.instance_of(bool))

    @property
    def key(self) -> str:
        return self.id


@attrs.frozen(kw_only=True)
class ScanSummary:
    """Per deputy and session: the first entry and the last exit (what storage aggregates)."""

    session_id: str
    certificate_no: str
    first_entry: pendulum.DateTime | None
    last_exit: pendulum.DateTime | None
    scans: int


_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.UTC)


def instant_micros(text: str) -> int:
    """Stored instant text (ISO 8601 with an offset or ``Z``) as whole microseconds since
    1970-01-01 UTC: exact, so differences of instants compare exactly."""
    delta = _dt.datetime.fromisoformat(text) - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


class ScanDigest(NamedTuple):
    """Per deputy and session: what the scan log aggregates for the attendance rule
    (``ScanLog.digest``).

    Times are the stored instant text, fixed-width UTC (``2022-09-06T01:00:00.000000Z``, as
    ``lvzhi.serialization.format_instant`` writes it), so text order is time order and
    nothing is parsed until a time is needed.  Every scan of the deputy in the session
    counts, in the order of ``scanned_at`` with an entry before an exit at the same instant.

    The *spells outside*: walking the scans in that order, an exit made while in (after an
    entry, and not already out) starts a spell; the next entry ends it.  Exits before the
    first entry start none.  ``first_out`` is the first spell's start (the first exit after
    the first entry), ``last_back`` the end of the last completed spell, ``spells`` and
    ``away`` (whole microseconds) the number and total length of the completed spells, and
    ``left_at`` the start of a spell still open at the end (the first exit after the last
    entry), if any."""

    session_id: str
    certificate_no: str
    entries: int
    exits: int
    first_entry: str | None
    last_entry: str | None
    first_exit: str | None
    last_exit: str | None
    first_out: str | None
    last_back: str | None
    left_at: str | None
    spells: int
    away: int


@attrs.frozen(kw_only=True)
class AttendanceStatus:
    """A status an attendance rule can give (as in Moodle's attendance module: an acronym,
    a description and a weight).  ``excused`` statuses are never reported back (通报)."""

    code: str = attrs.field(validator=f.identifier)
    label: str = attrs.field(validator=f.non_empty)
    description: str = attrs.field(default="", validator=f.text)
    weight: float = attrs.field(default=1.0)
    excused: bool = attrs.field(default=False, validator=f.instance_of(bool))
    reportable: bool = attrs.field(default=False, validator=f.instance_of(bool))


#: The statuses lvzhi knows out of the box (plugins may add more).
DEFAULT_STATUSES: tuple[AttendanceStatus, ...] = (
    AttendanceStatus(code="present", label="出席", weight=1.0),
    AttendanceStatus(code="late", label="迟到", weight=0.5, reportable=True),
    AttendanceStatus(code="left_early", label="早退", weight=0.5, reportable=True),
    AttendanceStatus(code="late_left_early", label="迟到早退", weight=0.0, reportable=True),
    AttendanceStatus(code="absent", label="缺席", weight=0.0, reportable=True),
    AttendanceStatus(code="on_leave", label="请假", weight=0.0, excused=True),
    AttendanceStatus(code="exempt", label="免签", weight=1.0, excused=True),
)


#: Why a stored scan is flagged for a look (it is kept and counted all the same, except that
#: a scan outside the window is ignored by the fold):
#: ``wrong_zone`` — not the zone of the deputy's seat in the session's hall;
#: ``wrong_taker`` — not the taker assigned to the zone;
#: ``on_leave`` — during the deputy's approved leave;
#: ``outside_window`` — outside the scan window of the session;
#: ``unknown_seat`` — the session's hall has no seat plan, or no seat for the deputy;
#: ``voided`` — voided by a correction.
FLAG_REASONS: tuple[str, ...] = (
    "wrong_zone",
    "wrong_taker",
    "on_leave",
    "outside_window",
    "unknown_seat",
    "voided",
)

#: How each flag reads on a printed form (备注).
FLAG_LABELS: dict[str, str] = {
    "wrong_zone": "非本区签到",
    "wrong_taker": "非指定签到员",
    "on_leave": "请假期间签到",
    "outside_window": "时段外签到",
    "unknown_seat": "未安排座位",
    "voided": "已作废",
}


@attrs.frozen(kw_only=True)
class Flag:
    """A scan that is stored but deserves a look, and why (codes of :data:`FLAG_REASONS`)."""

    scan_id: str
    session_id: str
    certificate_no: str
    reasons: tuple[str, ...]
