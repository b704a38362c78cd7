"""Attendance statuses from the scan log: a pure fold.

For one deputy and one session, :func:`fold` turns the deputy's scans (in any order), the
session window, the approved leave, the corrections and the :class:`FoldPolicy` into one
status code.  The same inputs give the same code whatever order the scans arrived in.

The rules, in the order they are applied:

1. a ``set_status`` correction wins: the latest one (by time, then id) gives the code;
2. approved leave overlapping the session (strictly: leave ending exactly when the session
   starts, or starting exactly when it ends, does not) → ``on_leave``;
3. voided scans and scans outside the *scan window* are ignored.  The window opens
   ``scan_opens_minutes`` before the start and closes as long after the end;
4. no entry left → ``absent``;
5. the arrival is the first entry: later than the start plus ``grace_minutes`` → late;
6. the *time away* is measured after the arrival, inside the session:

   * re-entry not allowed: the first exit at or after the arrival ends attendance; time
     away = from that exit to the end;
   * re-entry allowed: every exit starts a spell outside that the next entry ends (the
     end of the session, if none follows); time away = the sum of those spells.

   Time away longer than ``early_leave_minutes`` → left early;
7. late and left early → ``late_left_early``; neither → ``present``.

At one instant an entry is taken before an exit.  :func:`tally` adds a deputy's statuses
across sessions and counts ``lates_per_absence`` late arrivals or early departures as one
absence.
"""

from __future__ import annotations

import datetime as _dt
import functools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, cast

import attrs

from lvzhi.domain import _fields as f
from lvzhi.domain.attendance import Scan, ScanKind, ScanSummary
from lvzhi.domain.checks import AttendanceCorrection, CorrectionKind
from lvzhi.domain.leave import LeaveRequest
from lvzhi.domain.programme import AttendancePolicy, Session
from lvzhi.domain.zones import Zone
from lvzhi.errors import ValidationError

__all__ = [
    "ATTENDED",
    "FoldPolicy",
    "ScanChecker",
    "Tally",
    "fold",
    "fold_summary",
    "override",
    "summary_suffices",
    "tally",
    "window",
]

#: Status codes that count as having attended.
ATTENDED = frozenset({"present", "late", "left_early", "late_left_early", "exempt"})

_ENTRY = ScanKind.ENTRY
_SUB = _dt.datetime.__sub__  # plain datetime arithmetic, also on pendulum instances


@attrs.frozen(kw_only=True)
class FoldPolicy:
    """The numbers the fold applies for one session: the programme's
    :class:`~lvzhi.domain.programme.AttendancePolicy` with the office's overrides
    (``Settings.attendance_overrides``) and ``allow_reentry``."""

    grace_minutes: int = attrs.field(default=5, validator=f.non_negative_int)
    early_leave_minutes: int = attrs.field(default=0, validator=f.non_negative_int)
    scan_opens_minutes: int = attrs.field(default=30, validator=f.non_negative_int)
    allow_reentry: bool = attrs.field(default=True, validator=f.instance_of(bool))

    @classmethod
    def of(cls, policy: AttendancePolicy, *overrides: Mapping[str, Any]) -> FoldPolicy:
        """``policy``'s numbers, then each mapping of ``overrides`` in turn (later wins).
        Keys other than this class's fields are refused."""
        values: dict[str, Any] = {
            "grace_minutes": policy.grace_minutes,
            "early_leave_minutes": policy.early_leave_minutes,
            "scan_opens_minutes": policy.scan_opens_minutes,
        }
        names = {a.name for a in attrs.fields(cls)}
        for mapping in overrides:
            unknown = set(mapping) - names
            if unknown:
                raise ValidationError(
                    "attendance override", sorted(unknown)[0], f"is not one of {sorted(names)}"
                )
            values.update(mapping)
        return cls(**values)


_last: tuple[Any, ...] = (None, None, None, None)


def _bounds(start: _dt.datetime, end: _dt.datetime, policy: FoldPolicy) -> _Bounds:
    """The session's thresholds; the last answer is kept by identity (a session's deputies
    are folded one after the other), the others in a small cache.  The last answer is one
    tuple, read and replaced whole, so threads cannot mix two answers."""
    global _last
    known_start, known_end, known_policy, found = _last
    if known_start is start and known_end is end and known_policy is policy:
        return cast(_Bounds, found)
    fresh = _compute_bounds(start, end, policy)
    _last = (start, end, policy, fresh)
    return fresh


@functools.lru_cache(maxsize=256)
def _compute_bounds(start: _dt.datetime, end: _dt.datetime, policy: FoldPolicy) -> _Bounds:
    # Plain datetimes: their arithmetic and comparisons are much cheaper than pendulum's.
    start, end = _plain(start), _plain(end)
    margin = _dt.timedelta(minutes=policy.scan_opens_minutes)
    return _Bounds(
        start=start,
        end=end,
        late_after=start + _dt.timedelta(minutes=policy.grace_minutes),
        tolerance=_dt.timedelta(minutes=policy.early_leave_minutes),
        early_before=end - _dt.timedelta(minutes=policy.early_leave_minutes),
        opens=start - margin,
        closes=end + margin,
    )


def _plain(value: _dt.datetime) -> _dt.datetime:
    utc = value.astimezone(_dt.UTC)
    return _dt.datetime(
        utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second, utc.microsecond,
        tzinfo=_dt.UTC,
    )  # fmt: skip


@attrs.frozen
class _Bounds:
    start: _dt.datetime
    end: _dt.datetime
    late_after: _dt.datetime
    tolerance: _dt.timedelta
    early_before: _dt.datetime
    opens: _dt.datetime
    closes: _dt.datetime


def window(session: Session, policy: FoldPolicy) -> tuple[_dt.datetime, _dt.datetime]:
    """The scan window: scans outside it are ignored (and flagged ``outside_window``)."""
    bounds = _bounds(session.starts_at, session.ends_at, policy)
    return bounds.opens, bounds.closes


def override(corrections: Iterable[AttendanceCorrection]) -> str | None:
    """The status of the latest ``set_status`` correction (by time, then id), if any."""
    latest: AttendanceCorrection | None = None
    for c in corrections:
        if c.kind is CorrectionKind.SET_STATUS and (
            latest is None or (c.at, c.id) > (latest.at, latest.id)
        ):
            latest = c
    return None if latest is None else latest.status


def _excused(session: Session, leave: Iterable[LeaveRequest]) -> bool:
    return any(r.excuses and r.covers(session.starts_at, session.ends_at) for r in leave)


def _decide(
    session: Session, policy: FoldPolicy, events: Sequence[tuple[_dt.datetime, bool]]
) -> str:
    """``events``: (time, is_exit), sorted, inside the window."""
    arrival = next((i for i, (_, is_exit) in enumerate(events) if not is_exit), None)
    if arrival is None:
        return "absent"
    bounds = _bounds(session.starts_at, session.ends_at, policy)
    start, end = bounds.start, bounds.end
    arrived = events[arrival][0]
    late = arrived > bounds.late_after
    away = _dt.timedelta(0)
    out_at: _dt.datetime | None = None
    for at, is_exit in events[arrival + 1 :]:
        if is_exit and out_at is None:
            out_at = at
            if not policy.allow_reentry:
                break
        elif not is_exit and out_at is not None:
            away += _overlap(out_at, at, start, end)
            out_at = None
    if out_at is not None:
        away += _overlap(out_at, end, start, end)
    early = away > bounds.tolerance
    if late and early:
        return "late_left_early"
    return "late" if late else "left_early" if early else "present"


def _overlap(
    a: _dt.datetime, b: _dt.datetime, start: _dt.datetime, end: _dt.datetime
) -> _dt.timedelta:
    low, high = max(a, start), min(b, end)
    return _SUB(high, low) if high > low else _dt.timedelta(0)


def fold(
    *,
    session: Session,
    scans: Iterable[Scan],
    policy: FoldPolicy,
    leave: Iterable[LeaveRequest] = (),
    corrections: Iterable[AttendanceCorrection] = (),
) -> str:
    """One deputy's status for ``session`` (see the module documentation)."""
    corrections = tuple(corrections)
    chosen = override(corrections)
    if chosen is not None:
        return chosen
    if _excused(session, leave):
        return "on_leave"
    void = {c.scan_id for c in corrections if c.kind is CorrectionKind.VOID_SCAN}
    opens, closes = window(session, policy)
    kept = sorted(
        (s.scanned_at, s.kind is not _ENTRY, s.id)
        for s in scans
        if s.id not in void and opens <= s.scanned_at <= closes
    )
    return _decide(session, policy, [(at, is_exit) for at, is_exit, _ in kept])


def summary_suffices(
    summary: ScanSummary | None, session: Session, policy: FoldPolicy, *, corrected: bool
) -> bool:
    """Whether :func:`fold_summary` gives what :func:`fold` would give on the scans: no
    correction, at most two scans, both inside the window, any exit not before the entry."""
    if summary is None:
        return not corrected
    if corrected or summary.scans > 2:
        return False
    bounds = _bounds(session.starts_at, session.ends_at, policy)
    opens, closes = bounds.opens, bounds.closes
    first, last = summary.first_entry, summary.last_exit
    if first is not None and not opens <= first <= closes:
        return False
    if last is not None and not opens <= last <= closes:
        return False
    return first is None or last is None or last >= first


def fold_summary(
    *,
    session: Session,
    summary: ScanSummary | None,
    policy: FoldPolicy,
    leave: Iterable[LeaveRequest] = (),
) -> str:
    """The fold on the storage aggregate, valid when :func:`summary_suffices`: the same
    steps as :func:`fold` on one entry and at most one later exit."""
    if leave and _excused(session, leave):
        return "on_leave"
    if summary is None or summary.first_entry is None:
        return "absent"
    bounds = _bounds(session.starts_at, session.ends_at, policy)
    late = summary.first_entry > bounds.late_after
    last = summary.last_exit
    # Away from the exit to the end: more than the tolerance when the exit (or the start,
    # if the exit came before it) is earlier than the end minus the tolerance.
    early = last is not None and (last if last > bounds.start else bounds.start) < (
        bounds.early_before
    )
    if late and early:
        return "late_left_early"
    return "late" if late else "left_early" if early else "present"


@attrs.frozen(kw_only=True)
class Tally:
    """One deputy's statuses added up across sessions.  ``absences`` counts the absences
    plus one for every ``lates_per_absence`` late arrivals or early departures (a
    ``late_left_early`` is both); ``rate`` is attended sessions / required sessions."""

    required: int = 0
    present: int = 0
    late: int = 0
    left_early: int = 0
    late_left_early: int = 0
    absent: int = 0
    on_leave: int = 0
    exempt: int = 0
    other: int = 0
    attended: int = 0
    incidents: int = 0
    absences: int = 0
    rate: float = 1.0


_COUNTED = ("present", "late", "left_early", "late_left_early", "absent", "on_leave", "exempt")


def tally(codes: Iterable[str], lates_per_absence: int) -> Tally:
    """Add up status codes of one deputy (see :class:`Tally`)."""
    if lates_per_absence < 1:
        raise ValidationError("lates_per_absence", lates_per_absence, "must be at least 1")
    counts = dict.fromkeys((*_COUNTED, "other"), 0)
    required = attended = 0
    for code in codes:
        required += 1
        counts[code if code in counts else "other"] += 1
        attended += code in ATTENDED
    incidents = counts["late"] + counts["left_early"] + 2 * counts["late_left_early"]
    return Tally(
        required=required,
        attended=attended,
        incidents=incidents,
        absences=counts["absent"] + incidents // lates_per_absence,
        rate=attended / required if required else 1.0,
        **counts,
    )


class ScanChecker:
    """Flags the scans of one session (see ``FLAG_REASONS``).

    ``seats`` is the seat plan of the session's hall (certificate → seat), ``None`` when the
    session is not held in a stored hall (then seats and zones are not checked), empty when
    the hall has no plan.  ``zones`` are the hall's zones; a scan names its zone by id or
    name, and an empty zone is not checked.  The taker is checked against the zone the scan
    names when it is known, else against the zone of the deputy's seat."""

    def __init__(
        self,
        *,
        session: Session,
        policy: FoldPolicy,
        seats: Mapping[str, str] | None,
        zones: Iterable[Zone] = (),
        leave: Mapping[str, Sequence[LeaveRequest]] | None = None,
        void: Iterable[str] = (),
    ) -> None:
        self._session = session
        self._opens, self._closes = window(session, policy)
        self._seats = seats
        self._zone_of_seat: dict[str, Zone] = {}
        self._named: dict[str, Zone] = {}
        for zone in zones:
            self._named[zone.id] = zone
            self._named.setdefault(zone.name, zone)
            for seat in zone.seats:
                self._zone_of_seat[seat] = zone
        self._leave = leave or {}
        self._void = set(void)

    def reasons(self, scan: Scan) -> tuple[str, ...]:
        """Why ``scan`` is flagged, in ``FLAG_REASONS`` order (empty: it is fine)."""
        found: list[str] = []
        own: Zone | None = None
        if self._seats is not None:
            seat = self._seats.get(scan.certificate_no)
            own = None if seat is None else self._zone_of_seat.get(seat)
            named = self._named.get(scan.zone) if scan.zone else None
            if own is not None and scan.zone and named is not own:
                found.append("wrong_zone")
            taker_zone = named or own
            if (
                scan.taker_id is not None
                and taker_zone is not None
                and taker_zone.taker_id is not None
                and scan.taker_id != taker_zone.taker_id
            ):
                found.append("wrong_taker")
        at = scan.scanned_at
        if any(
            r.excuses and r.starts_at <= at < r.ends_at
            for r in self._leave.get(scan.certificate_no, ())
        ):
            found.append("on_leave")
        if not self._opens <= at <= self._closes:
            found.append("outside_window")
        if self._seats is not None and own is None:
            found.append("unknown_seat")
        if scan.id in self._void:
            found.append("voided")
        return tuple(found)
