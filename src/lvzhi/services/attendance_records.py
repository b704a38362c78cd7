"""What the attendance service reads in one snapshot, and what it derives from it: statuses
per session, flags per scan, records per deputy and statistics per delegation, session or
zone.  Used by :mod:`lvzhi.services.attendance` and the attendance reports."""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import attrs

from lvzhi.domain import (
    Delegate,
    Delegation,
    LeaveRequest,
    LeaveState,
    Programme,
    Scan,
    ScanSummary,
    Session,
)
from lvzhi.domain.attendance import FLAG_LABELS
from lvzhi.domain.checks import AttendanceCorrection, CorrectionKind
from lvzhi.domain.digest import SessionDigests
from lvzhi.domain.fold import ATTENDED, FoldPolicy, ScanChecker, Tally, tally
from lvzhi.domain.zones import Zone
from lvzhi.errors import PluginError
from lvzhi.ports import AttendanceContext, AttendanceRule, UnitOfWork
from lvzhi.services.attendance_status import (
    LABELS,
    Status,
    collector_paused,
    statuses,
    summary_of,
)
from lvzhi.services.context import current_programme

__all__ = [
    "LABELS",
    "DeputyRecord",
    "GroupStats",
    "Runner",
    "Snapshot",
    "deputy_records",
    "expected",
    "group_stats",
    "statistics",
]


@attrs.frozen(kw_only=True)
class DeputyRecord:
    """The attendance part of one deputy's record over a programme (see
    :class:`~lvzhi.domain.fold.Tally`): what the discipline record builds on."""

    certificate_no: str
    name: str
    delegation: str
    tally: Tally
    statuses: tuple[Status, ...] = ()


@attrs.frozen(kw_only=True)
class GroupStats:
    """Counts of status codes for a delegation, a session or a zone, and its rate."""

    key: str
    label: str
    counts: Mapping[str, int]
    required: int
    attended: int
    rate: float


def expected(
    session: Session, delegates: Iterable[Delegate], groups: Mapping[str, set[str]]
) -> list[Delegate]:
    """The deputies a session's audience requires (in the order given)."""
    audience = session.audience
    if audience.everyone and not audience.new_only:
        return list(delegates)
    chosen = []
    for d in delegates:
        if audience.new_only and not d.is_new:
            continue
        if (
            not audience.everyone
            and d.delegation not in audience.delegations
            and not any(d.key in groups.get(g, set()) for g in audience.groups)
        ):
            continue
        chosen.append(d)
    return chosen


def _by_deputy(items: Iterable[Any]) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for item in items:
        out.setdefault(item.certificate_no, []).append(item)
    return out


@attrs.frozen(kw_only=True)
class Runner:
    """How a snapshot calls the attendance rule: ``call(fn)`` runs ``fn(rule)`` (the
    service reports a failure as the plugin's); ``name`` and ``plugin`` name it; ``batch``
    tells that the rule has ``evaluate_digests`` (whole sessions from the scan digest)."""

    name: str
    plugin: str
    call: Callable[[Callable[[AttendanceRule], list[str]]], list[str]]
    batch: bool = False


#: Up to this many deputies of a session, their scans are read deputy by deputy.
_FEW = 64


class Snapshot:
    """One programme as read in one unit of work: sessions, deputies in official order,
    approved leave; per session, the corrections, the policy and the seat checks."""

    def __init__(
        self,
        uow: UnitOfWork,
        programme_id: str | None,
        *,
        order: Callable[[list[Delegate], dict[str, Delegation]], list[Delegate]],
        overrides: Mapping[str, Mapping[str, Any]],
        roster: bool = True,
    ) -> None:
        self.uow = uow
        self.programme: Programme = current_programme(uow, programme_id)
        pid = self.programme.id
        self.sessions: list[Session] = sorted(
            uow.sessions.select(programme_id=pid), key=lambda s: (s.starts_at, s.id)
        )
        self.units: dict[str, Delegation] = {}
        self.deputies: list[Delegate] = []
        self.groups: dict[str, set[str]] = {}
        if roster:  # flagging scans needs none of these
            self.units = {u.code: u for u in uow.delegations.list()}
            self.deputies = order(uow.delegates.list(), self.units)
            self.groups = {g.id: set(g.members) for g in uow.groups.select(programme_id=pid)}
        self.leave: dict[str, list[LeaveRequest]] = _by_deputy(
            uow.leave_requests.select(programme_id=pid, state=LeaveState.APPROVED)
        )
        self._overrides = overrides
        self._keys: list[str] | None = None

    def policy(self, session: Session) -> FoldPolicy:
        o = self._overrides
        return FoldPolicy.of(self.programme.policy, o.get("*", {}), o.get(session.id, {}))

    def corrections(self, session: Session) -> dict[str, list[AttendanceCorrection]]:
        return _by_deputy(self.uow.corrections.select(session_id=session.id))

    def zones(self, session: Session) -> tuple[Mapping[str, str] | None, list[Zone]]:
        """The seat plan (``None``: not in a stored hall) and zones of the session's hall
        (the hall whose id is the session's ``venue_id``)."""
        if session.venue_id is None or not self.uow.halls.existing([session.venue_id]):
            return None, []  # (existing: a hall of 400 seats is not loaded to be looked for)
        hall = session.venue_id
        plan = self.uow.seat_plans.find(f"{self.programme.id}.{hall}")
        plan = plan or self.uow.seat_plans.find(hall)
        seats = {} if plan is None else dict(plan.assignments)
        return seats, self.uow.zones.select(hall_id=hall)

    def checker(
        self, session: Session, corrections: Mapping[str, Sequence[AttendanceCorrection]]
    ) -> ScanChecker:
        seats, zones = self.zones(session)
        void = [
            c.scan_id
            for cs in corrections.values()
            for c in cs
            if c.kind is CorrectionKind.VOID_SCAN and c.scan_id
        ]
        return ScanChecker(
            session=session,
            policy=self.policy(session),
            seats=seats,
            zones=zones,
            leave=self.leave,
            void=void,
        )

    def evaluate(self, session: Session, runner: Runner, *, detail: bool = False) -> list[Status]:
        """Every required deputy's status for ``session`` (official order): one aggregate
        query, the corrections, and the scans only if the rule asks for them.  A rule with
        ``evaluate_digests`` decides the whole session from the scan log's digest."""
        if runner.batch and not detail:
            return self._evaluate_digests(session, runner)
        uow = self.uow
        summaries: dict[str, ScanSummary] = {
            s.certificate_no: s for s in uow.scans.summarise(session.id)
        }
        corrections = self.corrections(session)
        policy = self.policy(session)
        people = expected(session, self.deputies, self.groups)
        start, end = session.starts_at, session.ends_at
        leave = self.leave
        contexts = [
            AttendanceContext(
                programme=self.programme,
                session=session,
                delegate=d,
                policy=self.programme.policy,
                summary=summaries.get(d.key),
                leave=_overlapping(leave.get(d.key), start, end),
                corrections=tuple(corrections[d.key]) if d.key in corrections else (),
                rules=policy,
            )
            for d in people
        ]
        scans: dict[str, list[Scan]] | None = None

        def run(item: AttendanceRule) -> list[str]:
            nonlocal scans, contexts
            wants: Callable[[AttendanceContext], bool] | None = getattr(item, "wants_scans", None)
            if item.needs_scans:
                wanted = [True] * len(contexts)
            else:
                wanted = [False] * len(contexts) if wants is None else list(map(wants, contexts))
            if any(wanted) or detail:
                scans = _by_deputy(uow.scans.list(session_id=session.id))
                contexts = [
                    attrs.evolve(c, scans=tuple(scans.get(c.delegate.key, ())), has_scans=True)
                    if w
                    else c
                    for c, w in zip(contexts, wanted, strict=True)
                ]
            return [item.evaluate(c) for c in contexts]

        codes = runner.call(run)
        out: list[Status] = []
        checker = self.checker(session, corrections) if detail else None
        for context, code in zip(contexts, codes, strict=True):
            if code not in LABELS:
                raise PluginError(
                    f"attendance rule {runner.name!r} (plugin {runner.plugin!r}) gave "
                    f"the unknown status {code!r}; known: {', '.join(LABELS)}"
                )
            summary = context.summary
            first = None if summary is None else summary.first_entry
            last = None if summary is None else summary.last_exit
            remarks: tuple[str, ...] = ()
            if checker is not None and scans is not None:
                mine = scans.get(context.delegate.key, ())
                remarks = _remarks(checker, mine, context)
                first, last = _times(checker, mine)
            out.append(
                Status(
                    session_id=session.id,
                    certificate_no=context.delegate.key,
                    code=code,
                    label=LABELS[code],
                    entered=first,
                    left=last,
                    remarks=remarks,
                )
            )
        return out

    def _evaluate_digests(self, session: Session, runner: Runner) -> list[Status]:
        """:meth:`evaluate` through the rule's ``evaluate_digests``: one digest query, then
        the scans of just the deputies the digest cannot decide, given to ``evaluate``."""
        digests = {d.certificate_no: d for d in self.uow.scans.digest(session.id)}
        start, end = session.starts_at, session.ends_at
        leave = {}
        for key, requests in self.leave.items():
            overlapping = _overlapping(requests, start, end)
            if overlapping:
                leave[key] = overlapping
        people = expected(session, self.deputies, self.groups)
        if len(people) == len(self.deputies):  # everyone: the same keys every session
            if self._keys is None:
                self._keys = [d.key for d in self.deputies]
            keys = self._keys
        else:
            keys = [d.key for d in people]
        batch = SessionDigests(
            session=session,
            policy=self.policy(session),
            certificates=keys,
            digests=digests,
            leave=leave,
            corrections=self.corrections(session),
        )

        def run(rule: AttendanceRule) -> list[str]:
            codes: list[Any] = rule.evaluate_digests(batch)  # type: ignore[attr-defined]
            if None not in codes:
                return codes
            pending = [i for i, code in enumerate(codes) if code is None]
            scans = self._scans_of(session, [keys[i] for i in pending])
            for i in pending:
                key = keys[i]
                codes[i] = rule.evaluate(
                    AttendanceContext(
                        programme=self.programme,
                        session=session,
                        delegate=people[i],
                        policy=self.programme.policy,
                        summary=summary_of(digests.get(key)),
                        scans=tuple(scans.get(key, ())),
                        has_scans=True,
                        leave=tuple(leave.get(key, ())),
                        corrections=tuple(batch.corrections.get(key, ())),
                        rules=batch.policy,
                    )
                )
            return codes

        codes = runner.call(run)
        return statuses(session.id, batch.certificates, digests, codes, runner.name, runner.plugin)

    def _scans_of(self, session: Session, keys: Sequence[str]) -> dict[str, list[Scan]]:
        """The scans of these deputies in ``session``: deputy by deputy when they are few,
        else the whole session at once."""
        if not keys:
            return {}
        log = self.uow.scans
        if len(keys) > _FEW:
            return _by_deputy(log.list(session_id=session.id))
        return {k: log.list(session_id=session.id, certificate_no=k) for k in keys}

    def evaluate_all(
        self, runner: Runner, *, detail: bool = False, session_id: str | None = None
    ) -> dict[str, list[Status]]:
        """Statuses of every session (or of ``session_id``), by session id, time order.

        The cyclic garbage collector is paused meanwhile: a programme's statuses are
        hundreds of thousands of small rows that form no cycles, and each collection of the
        oldest generation would walk all of them (it took a third of the time)."""
        chosen = [s for s in self.sessions if session_id is None or s.id == session_id]
        with collector_paused():
            return {s.id: self.evaluate(s, runner, detail=detail) for s in chosen}


def _remarks(
    checker: ScanChecker, scans: Sequence[Scan], context: AttendanceContext
) -> tuple[str, ...]:
    """备注 as a printed form reads them: each flagged scan with its reasons, then each
    correction with who made it and why."""
    labels = {s.code: s.label for s in context.statuses}
    notes: list[str] = []
    for scan in scans:
        reasons = checker.reasons(scan)
        if reasons:
            shown = "、".join(FLAG_LABELS.get(r, r) for r in reasons)
            notes.append(f"{scan.id}：{shown}")
    for c in sorted(context.corrections, key=lambda c: (c.at, c.id)):
        if c.kind is CorrectionKind.SET_STATUS:
            status = labels.get(c.status or "", c.status)
            notes.append(f"人工认定为{status}（{c.by}）：{c.reason}")
        else:
            notes.append(f"作废签到记录 {c.scan_id}（{c.by}）：{c.reason}")
    return tuple(notes)


def _overlapping(
    requests: Sequence[LeaveRequest] | None, start: Any, end: Any
) -> tuple[LeaveRequest, ...]:
    if not requests:
        return ()
    return tuple(r for r in requests if r.covers(start, end))


def _times(checker: ScanChecker, scans: Sequence[Scan]) -> tuple[Any, Any]:
    """First entry and last exit among the scans that count (not voided, in the window)."""
    kept = [s for s in scans if not {"voided", "outside_window"} & set(checker.reasons(s))]
    entries = [s.scanned_at for s in kept if s.kind == "entry"]
    exits = [s.scanned_at for s in kept if s.kind == "exit"]
    return min(entries, default=None), max(exits, default=None)


def deputy_records(
    statuses: Mapping[str, Sequence[Status]],
    deputies: Sequence[Delegate],
    lates_per_absence: int,
) -> builtins.list[DeputyRecord]:
    """One record per deputy (in the order of ``deputies``) from statuses by session."""
    mine: dict[str, list[Status]] = {}
    for rows in statuses.values():
        for status in rows:
            mine.setdefault(status.certificate_no, []).append(status)
    return [
        DeputyRecord(
            certificate_no=d.key,
            name=d.name,
            delegation=d.delegation,
            tally=tally((s.code for s in mine.get(d.key, ())), lates_per_absence),
            statuses=tuple(mine.get(d.key, ())),
        )
        for d in deputies
    ]


def group_stats(
    rows: Iterable[tuple[str, str, str]], order: Sequence[tuple[str, str]] = ()
) -> builtins.list[GroupStats]:
    """Statistics from ``(key, label, code)`` rows; groups in ``order`` first, then the
    others in the order met."""
    counts: dict[str, dict[str, int]] = {}
    labels: dict[str, str] = dict(order)
    for key, label, code in rows:
        labels.setdefault(key, label)
        bucket = counts.setdefault(key, dict.fromkeys(LABELS, 0))
        bucket[code] = bucket.get(code, 0) + 1
    out = []
    for key in [*dict(order), *(k for k in counts if k not in dict(order))]:
        if key not in counts:
            continue
        bucket = counts[key]
        required = sum(bucket.values())
        attended = sum(n for c, n in bucket.items() if c in ATTENDED)
        out.append(
            GroupStats(
                key=key,
                label=labels[key],
                counts=bucket,
                required=required,
                attended=attended,
                rate=attended / required if required else 1.0,
            )
        )
    return out


def statistics(
    snapshot: Snapshot, statuses: Mapping[str, Sequence[Status]], by: str
) -> builtins.list[GroupStats]:
    """:func:`group_stats` by ``delegation``, ``session`` or ``zone`` of a snapshot."""
    rows: list[tuple[str, str, str]] = []
    order: list[tuple[str, str]] = []
    if by == "delegation":
        units = sorted(snapshot.units.values(), key=lambda u: (u.order, u.code))
        order = [(u.code, u.name) for u in units]
        unit_of = {d.key: d.delegation for d in snapshot.deputies}
        for items in statuses.values():
            rows.extend((unit_of[s.certificate_no], "", s.code) for s in items)
    elif by == "session":
        order = [(s.id, s.title) for s in snapshot.sessions]
        for sid, items in statuses.items():
            rows.extend((sid, sid, s.code) for s in items)
    else:
        by_id = {s.id: s for s in snapshot.sessions}
        for sid, items in statuses.items():
            seats, zones = snapshot.zones(by_id[sid])
            zone_of = {seat: z for z in zones for seat in z.seats}
            for s in items:
                seat = None if seats is None else seats.get(s.certificate_no)
                zone = None if seat is None else zone_of.get(seat)
                key = "-" if zone is None else zone.id
                rows.append((key, "-" if zone is None else zone.name, s.code))
    return group_stats(rows, order)
