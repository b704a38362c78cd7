"""Attendance: the append-only scan log and the statuses a registered rule derives."""

from __future__ import annotations

import builtins
import operator
from collections.abc import Callable, Iterable, Iterator
from itertools import islice

import attrs

from lvzhi.domain import (
    DEFAULT_STATUSES,
    Delegate,
    LeaveRequest,
    LeaveState,
    Scan,
    Session,
)
from lvzhi.domain.events import ScansRecorded
from lvzhi.errors import NotFound, PluginError
from lvzhi.ports import AttendanceContext, AttendanceRule, UnitOfWork
from lvzhi.services.context import Service

__all__ = ["AttendanceService", "Status"]

#: Scans are checked and written in batches of this many.
BATCH = 10_000


@attrs.frozen(kw_only=True)
class Status:
    """One deputy's status for one session, as the rule derived it."""

    session_id: str
    certificate_no: str
    code: str
    label: str


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


def expected(
    session: Session, delegates: Iterable[Delegate], groups: dict[str, set[str]]
) -> list[Delegate]:
    """The deputies a session's audience requires."""
    audience = session.audience
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


def _evaluator(context: AttendanceContext) -> Callable[[AttendanceRule], str]:
    def evaluate(rule: AttendanceRule) -> str:
        return rule.evaluate(context)

    return evaluate


class AttendanceService(Service):
    """``office.attendance``: record scans, read the log, derive statuses."""

    def record(self, scans: Iterable[Scan]) -> int:
        """Append scans to the attendance log (idempotent by scan id); returns how many were
        new.  Every scan must name a stored session and deputy (checked per batch); either
        the whole call is written or, on any problem, nothing."""
        received = self._ctx.now()
        recorded = given = 0
        with self._ctx.write() as tx:
            references = _References(tx.uow)
            log = tx.uow.scans
            for batch in _batches(scans, BATCH):
                references.check(batch)
                recorded += log.extend(batch, received_at=received)
                given += len(batch)
            if given:
                tx.emit(
                    ScansRecorded(
                        occurred_at=received,
                        recorded=recorded,
                        ignored=given - recorded,
                        session_ids=tuple(sorted(references.sessions)),
                    )
                )
        return recorded

    def scans(
        self, *, session_id: str | None = None, certificate_no: str | None = None
    ) -> builtins.list[Scan]:
        """Scans ordered by time, optionally of one session or deputy."""
        with self._ctx.read() as uow:
            return uow.scans.list(session_id=session_id, certificate_no=certificate_no)

    def evaluate(self, session_id: str, *, rule: str | None = None) -> builtins.list[Status]:
        """Every required deputy's status for one session, in official order, derived by the
        registered attendance rule ``rule`` (default ``Settings.attendance_rule``) from one
        snapshot of the log, the approved leave and the programme's policy."""
        name = rule or self._ctx.settings.attendance_rule
        registry = self._ctx.registries.attendance_rules
        chosen = registry.get(name)
        labels = {s.code: s.label for s in DEFAULT_STATUSES}
        with self._ctx.read() as uow:
            session = uow.sessions.get(session_id)
            programme = uow.programmes.get(session.programme_id)
            units = {u.code: u for u in uow.delegations.list()}
            groups = {g.id: set(g.members) for g in uow.groups.select(programme_id=programme.id)}
            people = expected(session, uow.delegates.list(), groups)
            summaries = {s.certificate_no: s for s in uow.scans.summarise(session_id)}
            leave: dict[str, list[LeaveRequest]] = {}
            for request in uow.leave_requests.select(
                programme_id=programme.id, state=LeaveState.APPROVED
            ):
                if request.covers(session.starts_at, session.ends_at):
                    leave.setdefault(request.certificate_no, []).append(request)
            scans: dict[str, list[Scan]] = {}
            if chosen.needs_scans:
                for scan in uow.scans.list(session_id=session_id):
                    scans.setdefault(scan.certificate_no, []).append(scan)
        out: builtins.list[Status] = []
        for deputy in self._ctx.official_order(people, units):
            context = AttendanceContext(
                programme=programme,
                session=session,
                delegate=deputy,
                policy=programme.policy,
                summary=summaries.get(deputy.key),
                scans=tuple(scans.get(deputy.key, ())),
                leave=tuple(leave.get(deputy.key, ())),
            )
            code = registry.call(name, "evaluate", _evaluator(context))
            if code not in labels:
                raise PluginError(
                    f"attendance rule {name!r} (plugin {registry.plugin_of(name)!r}) gave "
                    f"the unknown status {code!r}; known: {', '.join(labels)}"
                )
            out.append(
                Status(
                    session_id=session_id, certificate_no=deputy.key, code=code, label=labels[code]
                )
            )
        return out
