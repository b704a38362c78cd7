"""Two-stage leave (请假): the delegation decides first, then the organiser."""

from __future__ import annotations

import builtins

from lvzhi.domain import LeaveRequest, LeaveStage
from lvzhi.domain.events import LeaveRequested
from lvzhi.services.context import Service

__all__ = ["LeaveService"]


class LeaveService(Service):
    """``office.leave``: written leave applications and their two decisions."""

    def request(self, request: LeaveRequest) -> LeaveRequest:
        """File a written leave application (it then needs two approvals)."""
        with self._ctx.write() as tx:
            tx.uow.programmes.get(request.programme_id)
            tx.uow.delegates.get(request.certificate_no)
            tx.uow.leave_requests.add(request)
            tx.emit(
                LeaveRequested(
                    occurred_at=self._ctx.now(),
                    request_id=request.id,
                    certificate_no=request.certificate_no,
                )
            )
        return request

    def decide(
        self,
        request_id: str,
        stage: LeaveStage | str,
        *,
        approver: str,
        approved: bool,
        note: str = "",
    ) -> LeaveRequest:
        """Record the delegation's (first) or the organiser's (second) decision."""
        stage = LeaveStage(stage)
        with self._ctx.write() as tx:
            current = tx.uow.leave_requests.get(request_id)
            new, events = current.decide(
                stage, approver=approver, approved=approved, at=self._ctx.now(), note=note
            )
            tx.uow.leave_requests.put(new)
            tx.emit(*events)
        return new

    def withdraw(self, request_id: str) -> LeaveRequest:
        """The deputy withdraws a request that is not yet decided."""
        with self._ctx.write() as tx:
            current = tx.uow.leave_requests.get(request_id)
            new, events = current.withdraw(at=self._ctx.now())
            tx.uow.leave_requests.put(new)
            tx.emit(*events)
        return new

    def list(self, *, certificate_no: str | None = None) -> builtins.list[LeaveRequest]:
        """Leave requests (of one deputy if given), by id."""
        with self._ctx.read() as uow:
            if certificate_no:
                return uow.leave_requests.select(certificate_no=certificate_no)
            return uow.leave_requests.list()
