"""Attendance: the append-only scan log and the statuses a registered rule derives."""

from __future__ import annotations

import builtins
import operator
from collections.abc import Callable, Iterable, Iterator
from itertools import islice

import attrs

from lvzhi.domain import Scan
from lvzhi.domain.attendance import Flag
from lvzhi.domain.checks import AttendanceCorrection, CorrectionKind
from lvzhi.domain.events import ScansRecorded
from lvzhi.domain.fold import ScanChecker
from lvzhi.errors import NotFound, ValidationError
from lvzhi.ports import AttendanceRule, UnitOfWork
from lvzhi.services.attendance_records import (
    LABELS,
    DeputyRecord,
    GroupStats,
    Runner,
    Snapshot,
    deputy_records,
    expected,
    statistics,
)
from lvzhi.services.attendance_status import Status
from lvzhi.services.context import Context, Service

__all__ = ["AttendanceService", "DeputyRecord", "GroupStats", "RecordResult", "Status", "expected"]

#: Scans are checked and written in batches of this many.
BATCH = 10_000


@attrs.frozen(kw_only=True)
class RecordResult:
    """What ``record`` did: ``recorded`` new scans, ``ignored`` ones already stored (same
    id: a retried upload), and the ``flags`` of the scans given (stored all the same)."""

    recorded: int
    ignored: int
    flags: tuple[Flag, ...] = ()


def _batches(items: Iterable[Scan], size: int) -> Iterator[list[Scan]]:
    scans = iter(items)
    while batch := list(islice(scans, size)):
        yield batch


_SESSION_OF = operator.attrgetter("session_id")
_DEPUTY_OF = operator.attrgetter("certificate_no")


class _References:
    """Checks, batch by batch, that scans name stored sessions and deputies: one
    ``existing()`` query per batch for the keys not yet confirmed in this unit of work
    (nothing it has confirmed can disappear before it ends).  ``sessions`` collects every
    session named so far."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow
        self.sessions: set[str] = set()
        self._deputies: set[str] = set()

    def check(self, batch: list[Scan]) -> None:
        unknown = set(map(_SESSION_OF, batch)) - self.sessions
        if unknown:
            missing = unknown - self._uow.sessions.existing(unknown)
            if missing:
                raise NotFound("Session", sorted(missing)[0])
            self.sessions |= unknown
        unknown = set(map(_DEPUTY_OF, batch)) - self._deputies
        if unknown:
            missing = unknown - self._uow.delegates.existing(unknown)
            if missing:
                raise NotFound("Delegate", sorted(missing)[0])
            self._deputies |= unknown


def _snapshot(
    ctx: Context, uow: UnitOfWork, programme_id: str | None, *, roster: bool = True
) -> Snapshot:
    return Snapshot(
        uow,
        programme_id,
        order=ctx.official_order,
        overrides=ctx.settings.attendance_overrides,
        roster=roster,
    )


def _runner(ctx: Context, rule: str | None) -> Runner:
    name = rule or ctx.settings.attendance_rule
    registry = ctx.registries.attendance_rules
    chosen = registry.get(name)  # an unknown name fails before any reading

    def call(fn: Callable[[AttendanceRule], builtins.list[str]]) -> builtins.list[str]:
        return registry.call(name, "evaluate", fn)

    batch = callable(getattr(chosen, "evaluate_digests", None))
    return Runner(name=name, plugin=registry.plugin_of(name), call=call, batch=batch)


def _correction_id(uow: UnitOfWork, session_id: str) -> str:
    taken = {c.id for c in uow.corrections.select(session_id=session_id)}
    n = len(taken) + 1
    while f"{session_id}.c{n}" in taken:
        n += 1
    return f"{session_id}.c{n}"


class _Checkers:
    """Flags scans, one :class:`~lvzhi.domain.fold.ScanChecker` per session (built on first
    use from the unit of work's snapshot)."""

    def __init__(self, ctx: Context, uow: UnitOfWork) -> None:
        self._ctx, self._uow = ctx, uow
        self._snapshots: dict[str, Snapshot] = {}
        self._checkers: dict[str, ScanChecker] = {}

    def _checker(self, session_id: str) -> ScanChecker:
        checker = self._checkers.get(session_id)
        if checker is None:
            session = self._uow.sessions.get(session_id)
            snapshot = self._snapshots.get(session.programme_id)
            if snapshot is None:
                snapshot = _snapshot(self._ctx, self._uow, session.programme_id, roster=False)
                self._snapshots[session.programme_id] = snapshot
            checker = snapshot.checker(session, snapshot.corrections(session))
            self._checkers[session_id] = checker
        return checker

    def flags(self, scans: Iterable[Scan]) -> builtins.list[Flag]:
        out = []
        for scan in scans:
            reasons = self._checker(scan.session_id).reasons(scan)
            if reasons:
                out.append(
                    Flag(
                        scan_id=scan.id,
                        session_id=scan.session_id,
                        certificate_no=scan.certificate_no,
                        reasons=reasons,
                    )
                )
        return out


class AttendanceService(Service):
    """``office.attendance``: record scans, read the log, derive statuses."""

    def record(self, scans: Iterable[Scan], *, check: bool = True) -> RecordResult:
        """Append scans to the attendance log (idempotent by scan id).  Every scan must name
        a stored session and deputy (checked per batch); either the whole call is written
        or, on any problem, nothing.  Scans are checked, not refused: with ``check`` the
        result lists the flags of the scans given (see :meth:`flags`)."""
        received = self._ctx.now()
        recorded = given = 0
        flags: list[Flag] = []
        with self._ctx.write() as tx:
            references = _References(tx.uow)
            log = tx.uow.scans
            checkers = _Checkers(self._ctx, tx.uow) if check else None
            for batch in _batches(scans, BATCH):
                references.check(batch)
                recorded += log.extend(batch, received_at=received)
                given += len(batch)
                if checkers is not None:
                    flags.extend(checkers.flags(batch))
            if given:
                tx.emit(
                    ScansRecorded(
                        occurred_at=received,
                        recorded=recorded,
                        ignored=given - recorded,
                        session_ids=tuple(sorted(references.sessions)),
                    )
                )
        return RecordResult(recorded=recorded, ignored=given - recorded, flags=tuple(flags))

    def flags(self, session_id: str) -> builtins.list[Flag]:
        """The flags of a session's stored scans, from one snapshot (derived: approving
        leave or voiding a scan later changes them)."""
        with self._ctx.read() as uow:
            checkers = _Checkers(self._ctx, uow)
            return checkers.flags(uow.scans.list(session_id=session_id))

    def void_scan(
        self, scan_id: str, *, by: str, reason: str, session_id: str | None = None
    ) -> AttendanceCorrection:
        """Record that a scan should not count (a new entry; the scan stays in the log).
        The scan is looked up by id; ``session_id``, when given, must be its session."""
        with self._ctx.write() as tx:
            uow = tx.uow
            uow.officials.get(by)
            scan = uow.scans.find(scan_id)
            if scan is None or (session_id is not None and scan.session_id != session_id):
                raise NotFound("Scan", scan_id)
            correction = AttendanceCorrection(
                id=_correction_id(uow, scan.session_id),
                session_id=scan.session_id,
                certificate_no=scan.certificate_no,
                kind=CorrectionKind.VOID_SCAN,
                scan_id=scan_id,
                by=by,
                at=self._ctx.now(),
                reason=reason,
            )
            uow.corrections.put(correction)
        return correction

    def set_status(
        self, session_id: str, certificate_no: str, status: str, *, by: str, reason: str
    ) -> AttendanceCorrection:
        """Set a deputy's status for a session by hand (a new entry; the latest wins)."""
        if status not in LABELS:
            raise ValidationError("status", status, f"is not one of {', '.join(LABELS)}")
        with self._ctx.write() as tx:
            uow = tx.uow
            uow.officials.get(by)
            uow.sessions.get(session_id)
            uow.delegates.get(certificate_no)
            correction = AttendanceCorrection(
                id=_correction_id(uow, session_id),
                session_id=session_id,
                certificate_no=certificate_no,
                kind=CorrectionKind.SET_STATUS,
                status=status,
                by=by,
                at=self._ctx.now(),
                reason=reason,
            )
            uow.corrections.put(correction)
        return correction

    def corrections(self, session_id: str) -> builtins.list[AttendanceCorrection]:
        """A session's corrections, oldest first."""
        with self._ctx.read() as uow:
            found = uow.corrections.select(session_id=session_id)
        return sorted(found, key=lambda c: (c.at, c.id))

    def scans(
        self, *, session_id: str | None = None, certificate_no: str | None = None
    ) -> builtins.list[Scan]:
        """Scans ordered by time, optionally of one session or deputy."""
        with self._ctx.read() as uow:
            return uow.scans.list(session_id=session_id, certificate_no=certificate_no)

    def evaluate(
        self, session_id: str, *, rule: str | None = None, detail: bool = False
    ) -> builtins.list[Status]:
        """Every required deputy's status for one session, in official order, derived by the
        registered attendance rule ``rule`` (default ``Settings.attendance_rule``) from one
        snapshot of the log, the corrections, the approved leave and the policy.  With
        ``detail`` each status carries its remarks (flags and corrections)."""
        with self._ctx.read() as uow:
            session = uow.sessions.get(session_id)
            snapshot = _snapshot(self._ctx, uow, session.programme_id)
            return snapshot.evaluate(session, _runner(self._ctx, rule), detail=detail)

    def evaluate_all(
        self, programme_id: str | None = None, *, rule: str | None = None, detail: bool = False
    ) -> dict[str, builtins.list[Status]]:
        """:meth:`evaluate` for every session of a programme, in one snapshot (the roster,
        the order and the leave are read once): statuses by session id, in time order."""
        with self._ctx.read() as uow:
            snapshot = _snapshot(self._ctx, uow, programme_id)
            return snapshot.evaluate_all(_runner(self._ctx, rule), detail=detail)

    def records(
        self, programme_id: str | None = None, *, rule: str | None = None
    ) -> builtins.list[DeputyRecord]:
        """One attendance record per deputy (official order): sessions required, each
        status counted, the rate and the absences counted with ``lates_per_absence``."""
        with self._ctx.read() as uow:
            snapshot = _snapshot(self._ctx, uow, programme_id)
            statuses = snapshot.evaluate_all(_runner(self._ctx, rule))
            return deputy_records(
                statuses, snapshot.deputies, snapshot.programme.policy.lates_per_absence
            )

    def record_of(
        self, certificate_no: str, programme_id: str | None = None, *, rule: str | None = None
    ) -> DeputyRecord:
        """One deputy's attendance record (see :meth:`records`)."""
        for item in self.records(programme_id, rule=rule):
            if item.certificate_no == certificate_no:
                return item
        raise NotFound("Delegate", certificate_no)

    def statistics(
        self, programme_id: str | None = None, *, by: str = "delegation", rule: str | None = None
    ) -> builtins.list[GroupStats]:
        """Counts of statuses and the attendance rate ``by`` delegation, session or zone
        (the zone of the deputy's seat in the session's hall; ``-`` when none)."""
        if by not in ("delegation", "session", "zone"):
            raise ValidationError("by", by, "must be delegation, session or zone")
        with self._ctx.read() as uow:
            snapshot = _snapshot(self._ctx, uow, programme_id)
            statuses = snapshot.evaluate_all(_runner(self._ctx, rule))
            return statistics(snapshot, statuses, by)
