"""The contract every attendance rule must keep (:class:`AttendanceRuleContract`).

Subclass it and supply a ``rule`` fixture.  The cases are the plain ones every rule agrees
on (on time and stayed; no scan; approved leave); a rule's own refinements are its own
tests' business.
"""

from __future__ import annotations

from typing import Any

import pendulum
import pytest

import lvzhi.testing.factories as fx
from lvzhi.domain import (
    DEFAULT_STATUSES,
    AttendancePolicy,
    LeaveStage,
    Scan,
    ScanKind,
    ScanSummary,
)
from lvzhi.ports import AttendanceContext

__all__ = ["AttendanceRuleContract", "attendance_case"]

_START = fx.COURSE_START


def attendance_case(
    *,
    entry: int | None,
    exit: int | None,
    approved_leave: bool = False,
    policy: AttendancePolicy | None = None,
) -> AttendanceContext:
    """One deputy and one 09:00-11:30 session; ``entry``/``exit`` are minutes after the
    start (``None``: no such scan)."""
    programme = fx.make_programme(policy=policy or AttendancePolicy())
    session = fx.make_session(programme_id=programme.id, starts_at=_START)
    delegate = fx.make_delegate()
    scans = []
    for minutes, kind in ((entry, ScanKind.ENTRY), (exit, ScanKind.EXIT)):
        if minutes is not None:
            scans.append(
                Scan(
                    id=f"{kind.value}-{minutes}",
                    session_id=session.id,
                    certificate_no=delegate.key,
                    kind=kind,
                    scanned_at=_START.add(minutes=minutes),
                )
            )
    summary = None
    if scans:
        summary = ScanSummary(
            session_id=session.id,
            certificate_no=delegate.key,
            first_entry=None if entry is None else _START.add(minutes=entry),
            last_exit=None if exit is None else _START.add(minutes=exit),
            scans=len(scans),
        )
    leave: tuple[Any, ...] = ()
    if approved_leave:
        request = fx.make_leave_request(
            programme_id=programme.id,
            certificate_no=delegate.key,
            starts_at=_START.subtract(hours=1),
            ends_at=session.ends_at.add(hours=1),
        )
        at = pendulum.datetime(2022, 9, 1, tz="UTC")
        request, _ = request.decide(LeaveStage.DELEGATION, approver="县", approved=True, at=at)
        request, _ = request.decide(LeaveStage.ORGANISER, approver="市", approved=True, at=at)
        leave = (request,)
    return AttendanceContext(
        programme=programme,
        session=session,
        delegate=delegate,
        policy=programme.policy,
        summary=summary,
        scans=tuple(scans),
        leave=leave,
    )


class AttendanceRuleContract:
    """What every attendance rule must do."""

    @pytest.fixture
    def rule(self) -> Any:  # pragma: no cover - overridden by subclasses
        raise pytest.UsageError("supply a `rule` fixture")

    def test_satisfies_the_protocol(self, rule: Any) -> None:
        from lvzhi.ports import AttendanceRule

        assert isinstance(rule, AttendanceRule)
        assert rule.name
        assert isinstance(rule.needs_scans, bool)

    def test_on_time_and_stayed_is_present(self, rule: Any) -> None:
        session_minutes = 150
        assert rule.evaluate(attendance_case(entry=-10, exit=session_minutes + 2)) == "present"

    def test_no_scan_is_absent(self, rule: Any) -> None:
        assert rule.evaluate(attendance_case(entry=None, exit=None)) == "absent"

    def test_approved_leave_is_on_leave(self, rule: Any) -> None:
        assert rule.evaluate(attendance_case(entry=None, exit=None, approved_leave=True)) == (
            "on_leave"
        )

    def test_late_entry_is_reported(self, rule: Any) -> None:
        code = rule.evaluate(attendance_case(entry=45, exit=152))
        status = {s.code: s for s in DEFAULT_STATUSES}[code]
        assert status.reportable

    @pytest.mark.parametrize(("entry", "exit"), [(-5, 151), (20, 151), (-5, 60), (None, None)])
    def test_answers_a_known_status_and_is_deterministic(
        self, rule: Any, entry: int | None, exit: int | None
    ) -> None:
        known = {s.code for s in DEFAULT_STATUSES}
        first = rule.evaluate(attendance_case(entry=entry, exit=exit))
        assert first in known
        assert rule.evaluate(attendance_case(entry=entry, exit=exit)) == first
