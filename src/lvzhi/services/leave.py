"""Two-stage leave (请假): the deputy's delegation decides first, then the organiser.

Filing checks the written application (when the policy requires one), the course dates,
overlapping requests and sessions already begun (then only as an emergency).  A decision by
anyone not entitled is refused with :class:`~lvzhi.errors.PermissionDenied` — and the
refused attempt is stored on the request before the error is raised.
"""

from __future__ import annotations

import builtins

import pendulum

from lvzhi.domain.events import LeaveRequested
from lvzhi.domain.leave import (
    LeaveCategory,
    LeaveRequest,
    LeaveStage,
    LeaveState,
    authority,
    overlapping,
)
from lvzhi.domain.programme import Programme
from lvzhi.errors import NotFound, PermissionDenied, ValidationError
from lvzhi.i18n import _
from lvzhi.ports import UnitOfWork
from lvzhi.services.context import Service, with_new_id

__all__ = ["LeaveService"]


def _check_filing(uow: UnitOfWork, request: LeaveRequest, now: pendulum.DateTime) -> None:
    programme = uow.programmes.get(request.programme_id)
    uow.delegates.get(request.certificate_no)
    if programme.policy.require_written_leave and not request.written_application.strip():
        raise ValidationError(
            "LeaveRequest.written_application",
            request.written_application,
            _("a written application is required (the course's policy)"),
        )
    first = pendulum.datetime(
        programme.start_date.year,
        programme.start_date.month,
        programme.start_date.day,
        tz=programme.timezone,
    )
    after = programme.end_date.add(days=1)
    last = pendulum.datetime(after.year, after.month, after.day, tz=programme.timezone)
    if request.starts_at < first or request.ends_at > last:
        raise ValidationError(
            "LeaveRequest.starts_at",
            f"{request.starts_at.isoformat()}..{request.ends_at.isoformat()}",
            _("lies outside the course dates {start} to {end}").format(
                start=programme.start_date.isoformat(), end=programme.end_date.isoformat()
            ),
        )
    clash = overlapping(request, uow.leave_requests.select(certificate_no=request.certificate_no))
    if clash is not None:
        raise ValidationError(
            "LeaveRequest.starts_at",
            request.starts_at.isoformat(),
            _("overlaps leave request {other} ({state})").format(
                other=clash.id, state=clash.state.value
            ),
        )
    begun = [
        s
        for s in uow.sessions.select(programme_id=programme.id)
        if request.covers(s.starts_at, s.ends_at) and s.starts_at <= now
    ]
    if begun and not request.emergency:
        first_begun = min(begun, key=lambda s: (s.starts_at, s.id))
        raise ValidationError(
            "LeaveRequest.emergency",
            False,
            _(
                "session {session} has already begun: file it as an emergency, with its reason"
            ).format(session=first_begun.id),
        )


class LeaveService(Service):
    """``office.leave``: written leave applications and their two decisions."""

    def request(self, request: LeaveRequest) -> LeaveRequest:
        """File a written leave application (it then needs two approvals)."""
        now = self._ctx.now()
        with self._ctx.write() as tx:
            _check_filing(tx.uow, request, now)
            request = request.filed(by=request.certificate_no, at=now)
            tx.uow.leave_requests.add(request)
            tx.emit(
                LeaveRequested(
                    occurred_at=now,
                    request_id=request.id,
                    certificate_no=request.certificate_no,
                )
            )
        return request

    def submit(
        self,
        certificate_no: str,
        *,
        starts_at: pendulum.DateTime,
        ends_at: pendulum.DateTime,
        category: LeaveCategory | str,
        reason: str,
        application: str = "",
        emergency: str | None = None,
        programme_id: str | None = None,
    ) -> LeaveRequest:
        """File a request with a new id (``<programme>-leave-NNN``); ``emergency`` is the
        reason a request is filed after a covered session began."""

        def store(programme: Programme, new_id: str) -> LeaveRequest:
            return self.request(
                LeaveRequest(
                    id=new_id,
                    programme_id=programme.id,
                    certificate_no=certificate_no,
                    starts_at=starts_at,
                    ends_at=ends_at,
                    category=category,
                    reason=reason,
                    written_application=application,
                    emergency=emergency is not None,
                    emergency_reason=emergency or "",
                    submitted_at=self._ctx.now(),
                )
            )

        return with_new_id(self._ctx, "leave_requests", programme_id, "leave", store)

    def decide(
        self,
        request_id: str,
        stage: LeaveStage | str,
        *,
        approver: str,
        approved: bool,
        note: str = "",
    ) -> LeaveRequest:
        """Record the delegation's (first) or the organiser's (second) decision.
        ``approver`` is an official's id; one not entitled to decide that stage gets
        :class:`~lvzhi.errors.PermissionDenied`, and the attempt is kept on the request."""
        stage = LeaveStage(stage)
        now = self._ctx.now()
        refusal: PermissionDenied | None = None
        with self._ctx.write() as tx:
            uow = tx.uow
            current = uow.leave_requests.get(request_id)
            deputy = uow.delegates.get(current.certificate_no)
            try:
                official = uow.officials.get(approver)
            except NotFound:
                official = None
            why = authority(
                stage,
                official,
                deputy=deputy,
                delegation=uow.delegations.get(deputy.delegation),
                programme=uow.programmes.get(current.programme_id),
            )
            action = f"{'approve' if approved else 'reject'}:{stage.value}"
            if why is None:
                new, events = current.decide(
                    stage, approver=approver, approved=approved, at=now, note=note
                )
            else:
                target = current.target(stage, approved)
                new, events = current.refuse(
                    by=approver, action=action, target=target, reason=why, at=now
                )
                refusal = PermissionDenied(
                    actor=approver, action=action, subject=request_id, reason=why
                )
            uow.leave_requests.put(new)
            tx.emit(*events)
        if refusal is not None:
            raise refusal
        return new

    def withdraw(self, request_id: str, *, by: str | None = None, reason: str = "") -> LeaveRequest:
        """The deputy withdraws a request that is not yet decided.  ``by`` (default: the
        deputy) must be the deputy; anyone else is refused and the attempt kept."""
        now = self._ctx.now()
        refusal: PermissionDenied | None = None
        with self._ctx.write() as tx:
            current = tx.uow.leave_requests.get(request_id)
            actor = by or current.certificate_no
            if actor == current.certificate_no:
                new, events = current.withdraw(at=now, by=actor, reason=reason)
            else:
                why = _("only the deputy {deputy} may withdraw it").format(
                    deputy=current.certificate_no
                )
                new, events = current.refuse(
                    by=actor, action="withdraw", target=LeaveState.WITHDRAWN, reason=why, at=now
                )
                refusal = PermissionDenied(
                    actor=actor, action="withdraw", subject=request_id, reason=why
                )
            tx.uow.leave_requests.put(new)
            tx.emit(*events)
        if refusal is not None:
            raise refusal
        return new

    def get(self, request_id: str) -> LeaveRequest:
        with self._ctx.read() as uow:
            return uow.leave_requests.get(request_id)

    def list(
        self, *, certificate_no: str | None = None, programme_id: str | None = None
    ) -> builtins.list[LeaveRequest]:
        """Leave requests (of one deputy or programme if given), by id."""
        with self._ctx.read() as uow:
            if certificate_no:
                items = uow.leave_requests.select(certificate_no=certificate_no)
            elif programme_id:
                items = uow.leave_requests.select(programme_id=programme_id)
            else:
                items = uow.leave_requests.list()
        if programme_id:
            items = [r for r in items if r.programme_id == programme_id]
        return sorted(items, key=lambda r: r.id)
