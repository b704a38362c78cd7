"""The contract every attendance rule must keep (:class:`AttendanceRuleContract`).

Subclass it and supply a ``rule`` fixture.  The cases are the plain ones every rule agrees
on (on time and stayed; no scan; approved leave); a rule's own refinements are its own
tests' business.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import lvzhi.testing.factories as fx
from lvzhi.domain import (
    DEFAULT_STATUSES,
    AttendancePolicy,
    LeaveStage,
    Scan,
    ScanKind,
    ScanSummary,
)
from lvzhi.domain.digest import SessionDigests
from lvzhi.ports import AttendanceContext
from lvzhi.testing.contracts.storage_scans import expected_digests

__all__ = ["AttendanceRuleContract", "attendance_case", "log_case"]

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
        leave = (
            _approved(
                programme.id,
                delegate.key,
                _START.subtract(hours=1),
                session.ends_at.add(hours=1),
            ),
        )
    return AttendanceContext(
        programme=programme,
        session=session,
        delegate=delegate,
        policy=programme.policy,
        summary=summary,
        scans=tuple(scans),
        leave=leave,
    )


def _approved(programme_id: str, certificate_no: str, start: Any, end: Any) -> Any:
    request = fx.make_leave_request(
        programme_id=programme_id, certificate_no=certificate_no, starts_at=start, ends_at=end
    )
    at = pendulum.datetime(2022, 9, 1, tz="UTC")
    request, _ = request.decide(LeaveStage.DELEGATION, approver="县", approved=True, at=at)
    request, _ = request.decide(LeaveStage.ORGANISER, approver="市", approved=True, at=at)
    return request


def log_case(
    scans: Sequence[tuple[int, str]],
    *,
    leave: tuple[int, int] | None = None,
    policy: AttendancePolicy | None = None,
) -> AttendanceContext:
    """One deputy and one 09:00-11:30 session with the scans ``(minute, kind)`` given (in
    that order; minutes after the start), the summary storage would give, and approved leave
    from ``leave[0]`` to ``leave[1]`` minutes after the start."""
    base = attendance_case(entry=None, exit=None, policy=policy)
    items = tuple(
        Scan(
            id=f"n{i:03d}",
            session_id=base.session.id,
            certificate_no=base.delegate.key,
            kind=kind,
            scanned_at=_START.add(minutes=minutes),
        )
        for i, (minutes, kind) in enumerate(scans)
    )
    entries = [s.scanned_at for s in items if s.kind is ScanKind.ENTRY]
    exits = [s.scanned_at for s in items if s.kind is ScanKind.EXIT]
    summary = None
    if items:
        summary = ScanSummary(
            session_id=base.session.id,
            certificate_no=base.delegate.key,
            first_entry=min(entries) if entries else None,
            last_exit=max(exits) if exits else None,
            scans=len(items),
        )
    requests: tuple[Any, ...] = ()
    if leave is not None:
        requests = (
            _approved(
                base.programme.id,
                base.delegate.key,
                _START.add(minutes=leave[0]),
                _START.add(minutes=leave[1]),
            ),
        )
        requests = tuple(
            r for r in requests if r.covers(base.session.starts_at, base.session.ends_at)
        )
    return attrs.evolve(base, scans=items, summary=summary, leave=requests)


_SCANS = st.lists(
    st.tuples(st.integers(min_value=-60, max_value=210), st.sampled_from(["entry", "exit"])),
    max_size=8,
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

    @settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],  # the rule is stateless
    )
    @given(scans=_SCANS, seed=st.integers(min_value=0, max_value=2**16))
    def test_the_order_scans_arrived_in_does_not_matter(
        self, rule: Any, scans: list[tuple[int, str]], seed: int
    ) -> None:
        shuffled = list(scans)
        random.Random(seed).shuffle(shuffled)
        first = rule.evaluate(log_case(scans))
        assert first in {s.code for s in DEFAULT_STATUSES}
        # The same scans under the same ids, arriving in another order.
        again = log_case(scans)
        by_id = {s.id: s for s in again.scans}
        order = list(by_id)
        random.Random(seed).shuffle(order)
        reordered = attrs.evolve(again, scans=tuple(by_id[i] for i in order))
        assert rule.evaluate(reordered) == first

    @pytest.mark.parametrize(
        ("leave", "expected"),
        [
            ((-120, 0), "absent"),  # leave ends exactly when the session starts
            ((150, 300), "absent"),  # leave starts exactly when the session ends
            ((-120, 1), "on_leave"),  # one minute into the session
            ((149, 300), "on_leave"),
            ((0, 150), "on_leave"),  # exactly the session
        ],
    )
    def test_leave_touching_the_session_edges(
        self, rule: Any, leave: tuple[int, int], expected: str
    ) -> None:
        assert rule.evaluate(log_case([], leave=leave)) == expected

    @settings(
        max_examples=200,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],  # the rule is stateless
    )
    @given(
        scans=_SCANS,
        leave=st.sampled_from([None, (-120, 0), (-120, 1), (100, 300)]),
        allow_reentry=st.booleans(),
    )
    def test_whole_sessions_agree_with_deputy_by_deputy(
        self,
        rule: Any,
        scans: list[tuple[int, str]],
        leave: tuple[int, int] | None,
        allow_reentry: bool,
    ) -> None:
        """A rule that decides whole sessions from the scan log's digests
        (``evaluate_digests``) gives each deputy it decides the status ``evaluate`` gives
        on the deputy's scans.  Rules without that method have nothing to keep here."""
        if not callable(getattr(rule, "evaluate_digests", None)):
            return
        context = log_case(scans, leave=leave)
        policy = attrs.evolve(context.fold_policy, allow_reentry=allow_reentry)
        context = attrs.evolve(context, rules=policy)
        key = context.delegate.key
        digests = expected_digests(context.scans, context.session.id)
        batch = SessionDigests(
            session=context.session,
            policy=policy,
            certificates=[key, "nobody"],
            digests={d.certificate_no: d for d in digests},
            leave={key: context.leave} if context.leave else {},
        )
        decided, nobody = rule.evaluate_digests(batch)
        assert nobody in (None, "absent")
        if decided is not None:
            assert decided == rule.evaluate(context)

    def test_leave_ending_at_the_start_does_not_excuse_a_late_arrival(self, rule: Any) -> None:
        code = rule.evaluate(log_case([(40, "entry"), (151, "exit")], leave=(-60, 0)))
        assert code != "on_leave"
        assert {s.code: s for s in DEFAULT_STATUSES}[code].reportable
