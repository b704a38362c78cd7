"""Discipline (严): spot checks, violations, the reports back to each delegation (通报)
and each deputy's record.

Statuses come from ``office.attendance.evaluate`` (one call per session, so the registered
rule and any corrections apply); the rest is read from one snapshot.  Deputies on approved
leave never appear in a report.
"""

from __future__ import annotations

import builtins
import os
from collections.abc import Mapping

import attrs
import pendulum

from lvzhi.domain import DEFAULT_STATUSES, Notice, NoticeKind, Programme
from lvzhi.domain.checks import SpotCheck, SpotCheckKind
from lvzhi.domain.discipline import (
    DelegationStats,
    DeputyRecord,
    Tongbao,
    Violation,
    check_violations,
    delegation_stats,
    deputy_records,
    status_violations,
    tongbao_for,
)
from lvzhi.domain.events import SpotCheckRecorded
from lvzhi.domain.leave import LeaveState
from lvzhi.errors import NotFound, PermissionDenied
from lvzhi.i18n import _
from lvzhi.services.attendance import AttendanceService, Status
from lvzhi.services.context import Service, current_programme, with_new_id
from lvzhi.services.exports import ExportsService
from lvzhi.services.notices import NoticesService

__all__ = ["DisciplineService", "Findings"]

REPORTABLE = frozenset(s.code for s in DEFAULT_STATUSES if s.reportable)


@attrs.frozen(kw_only=True)
class Findings:
    """What one programme's discipline is worked out from."""

    programme: Programme
    statuses: tuple[Status, ...]
    violations: tuple[Violation, ...]
    tongbao: tuple[Tongbao, ...]
    records: tuple[DeputyRecord, ...]


class DisciplineService(Service):
    """``office.discipline``: spot checks, violations, 通报 and each deputy's record."""

    # -- spot checks ------------------------------------------------------------------------
    def record_check(self, check: SpotCheck) -> SpotCheck:
        """Store a spot check (抽查).  The checker must be an official, the deputy on the
        roster; a check already stored under the id is refused."""
        with self._ctx.write() as tx:
            uow = tx.uow
            uow.programmes.get(check.programme_id)
            uow.delegates.get(check.certificate_no)
            try:
                uow.officials.get(check.checked_by)
            except NotFound:
                raise PermissionDenied(
                    actor=check.checked_by,
                    action="record",
                    subject=check.id,
                    reason=_("a spot check is made by an official"),
                ) from None
            uow.spot_checks.add(check)
            tx.emit(
                SpotCheckRecorded(
                    occurred_at=self._ctx.now(),
                    check_id=check.id,
                    certificate_no=check.certificate_no,
                    breach=check.breach,
                )
            )
        return check

    def spot_check(
        self,
        certificate_no: str,
        *,
        kind: SpotCheckKind | str,
        by: str,
        finding: str,
        place: str = "",
        breach: bool = False,
        at: pendulum.DateTime | None = None,
        programme_id: str | None = None,
    ) -> SpotCheck:
        """Record a spot check with a new id (``<programme>-check-NNN``), at ``at`` (now)."""

        def store(programme: Programme, new_id: str) -> SpotCheck:
            return self.record_check(
                SpotCheck(
                    id=new_id,
                    programme_id=programme.id,
                    kind=kind,
                    certificate_no=certificate_no,
                    checked_by=by,
                    checked_at=at or self._ctx.now(),
                    place=place,
                    finding=finding,
                    breach=breach,
                )
            )

        return with_new_id(self._ctx, "spot_checks", programme_id, "check", store)

    def checks(self, programme_id: str | None = None) -> builtins.list[SpotCheck]:
        """The spot checks of a programme, by time."""
        with self._ctx.read() as uow:
            pid = current_programme(uow, programme_id).id
            items = uow.spot_checks.select(programme_id=pid)
        return sorted(items, key=lambda c: (c.checked_at, c.id))

    # -- what was found ---------------------------------------------------------------------
    def findings(self, programme_id: str | None = None) -> Findings:
        """Statuses, violations, reports and records of a programme (the latest without an
        id), worked out together from the sessions that have begun."""
        now = self._ctx.now()
        with self._ctx.read() as uow:
            programme = current_programme(uow, programme_id)
            sessions = {
                s.id: s
                for s in uow.sessions.select(programme_id=programme.id)
                if s.starts_at <= now
            }
        attendance = AttendanceService(self._ctx)
        statuses: list[Status] = []
        for session in sorted(sessions.values(), key=lambda s: (s.starts_at, s.id)):
            statuses += attendance.evaluate(session.id)
        with self._ctx.read() as uow:
            summaries = {
                (sid, s.certificate_no): s for sid in sessions for s in uow.scans.summarise(sid)
            }
            leave = uow.leave_requests.select(programme_id=programme.id)
            checks = uow.spot_checks.select(programme_id=programme.id)
            units = {u.code: u for u in uow.delegations.list()}
            deputies = self._ctx.official_order(uow.delegates.list(), units)
            suggestions: dict[str, int] = {}
            for s in uow.suggestions.select(programme_id=programme.id):
                for proposer in set(s.proposers):
                    suggestions[proposer] = suggestions.get(proposer, 0) + 1
        approved = [r for r in leave if r.state is LeaveState.APPROVED]
        found = status_violations(statuses, sessions, summaries, REPORTABLE)
        found += check_violations(checks)
        violations = [v for v in found if not v.excused_by(approved)]
        reports = tongbao_for(
            programme, violations, deputies, units.values(), name_key=self._ctx.name_key
        )
        records = deputy_records(
            deputies,
            units,
            statuses,
            violations=violations,
            leave=approved,
            suggestions=suggestions,
            timezone=programme.timezone,
        )
        return Findings(
            programme=programme,
            statuses=tuple(statuses),
            violations=tuple(violations),
            tongbao=tuple(reports),
            records=tuple(records),
        )

    def violations(self, programme_id: str | None = None) -> builtins.list[Violation]:
        """Unexcused lateness, early departures, absences and spot checks in breach."""
        return builtins.list(self.findings(programme_id).violations)

    def report(self, programme_id: str | None = None) -> builtins.list[Tongbao]:
        """One 通报 per delegation with violations, delegations in official order."""
        return builtins.list(self.findings(programme_id).tongbao)

    def records(self, programme_id: str | None = None) -> builtins.list[DeputyRecord]:
        """Each deputy's record (一人一表), by delegation in official order."""
        return builtins.list(self.findings(programme_id).records)

    def statistics(self, programme_id: str | None = None) -> builtins.list[DelegationStats]:
        """The records added up per delegation, in official order."""
        return delegation_stats(self.findings(programme_id).records)

    # -- issuing and exporting ---------------------------------------------------------------
    def issue_reports(
        self,
        programme_id: str | None = None,
        *,
        issued_by: str | None = None,
        addresses: Mapping[str, str] | None = None,
    ) -> builtins.list[Notice]:
        """Issue each delegation's 通报 as a notice (kind ``report``) addressed to its report
        body, through the outbox.  A report already issued unchanged is not issued again; a
        changed one is a new notice numbered one higher.  Returns the notices issued now."""
        found = self.findings(programme_id)
        programme, pid = found.programme, found.programme.id
        with self._ctx.read() as uow:
            earlier = [
                n for n in uow.notices.select(programme_id=pid) if n.kind is NoticeKind.REPORT
            ]
        notices = NoticesService(self._ctx)
        issued: builtins.list[Notice] = []
        for tongbao in found.tongbao:
            prefix = f"{pid}-tongbao-{tongbao.delegation}-"
            mine = [n for n in earlier if n.id.startswith(prefix)]
            numbers = [int(n.id[len(prefix) :]) for n in mine if n.id[len(prefix) :].isdigit()]
            last = max(numbers, default=0)
            body = tongbao.body()
            if last and any(n.id == f"{prefix}{last}" and n.body == body for n in mine):
                continue
            number = last + 1
            notice = Notice(
                id=f"{prefix}{number}",
                programme_id=pid,
                kind=NoticeKind.REPORT,
                title=f"{tongbao.title}（第{number}号）",
                body=body,
                recipients=(tongbao.report_body,),
                issued_at=self._ctx.now(),
                issued_by=issued_by or programme.organiser,
            )
            issued.append(notices.issue(notice, addresses=addresses))
        return issued

    def export(
        self,
        name: str,
        format: str,
        target: str | os.PathLike[str] | None = None,
        *,
        programme_id: str | None = None,
    ) -> bytes:
        """Export the ``tongbao`` or ``records`` report (through ``office.reports``) with
        the findings worked out here."""
        found = self.findings(programme_id)
        options = {"tongbao": found.tongbao, "records": found.records}
        return ExportsService(self._ctx).export(
            name, format, target, programme_id=found.programme.id, options=options
        )
