"""Policies run: seating strategies and attendance rules are chosen by name from the
settings through the registry, and the built-in ones keep their contracts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pendulum
import pytest

import lvzhi
from lvzhi import hookimpl
from lvzhi.builtins.attendance import StandardRule
from lvzhi.builtins.seating import InOrder
from lvzhi.clock import FixedClock
from lvzhi.domain import Delegation, LeaveStage, Official, Programme, Scan, ScanKind
from lvzhi.errors import NotRegistered, PluginError
from lvzhi.ports import SeatingContext
from lvzhi.testing import make_delegate, make_leave_request, make_session
from lvzhi.testing.contracts import AttendanceRuleContract, SeatingContract


class TestInOrder(SeatingContract):
    @pytest.fixture
    def strategy(self) -> InOrder:
        return InOrder()


class TestStandardRule(AttendanceRuleContract):
    @pytest.fixture
    def rule(self) -> StandardRule:
        return StandardRule()


class Backwards:
    """Seats the deputies from the back of the hall."""

    name = "backwards"

    def assign(self, context: SeatingContext) -> Mapping[str, str]:
        seats = list(reversed(context.seats))
        return {d.key: s for d, s in zip(context.delegates, seats, strict=False)}


class Cheat:
    """Puts everyone on one seat."""

    name = "cheat"

    def assign(self, context: SeatingContext) -> Mapping[str, str]:
        return {d.key: context.seats[0] for d in context.delegates}


class Always:
    """An attendance rule that marks everyone exempt."""

    name = "always"
    needs_scans = True

    def __init__(self) -> None:
        self.contexts: list[Any] = []

    def evaluate(self, context: Any) -> str:
        self.contexts.append(context)
        return "exempt"


class PolicyPlugin:
    def __init__(self) -> None:
        self.rule = Always()

    @hookimpl
    def lvzhi_register_seating_strategies(self) -> list[Any]:
        return [Backwards(), Cheat()]

    @hookimpl
    def lvzhi_register_attendance_rules(self) -> list[Any]:
        return [self.rule]


def _course(office: lvzhi.Secretariat) -> list[str]:
    office.programme.save(
        Programme(id="p", title="培训班", start_date="2022-09-06", end_date="2022-09-08")
    )
    office.people.save_delegation(Delegation(code="b", name="衡南县", order=2))
    office.people.save_delegation(Delegation(code="a", name="耒阳市", order=1))
    for n, (cert, unit, name) in enumerate(
        [("c1", "b", "王毅"), ("c2", "a", "李强"), ("c3", "a", "丁一"), ("c4", "b", "马三")]
    ):
        office.people.save_delegate(
            make_delegate(certificate_no=cert, delegation=unit, name=name, is_new=n % 2 == 0)
        )
    # Official order: 耒阳市 first (丁 2 strokes, 李 7), then 衡南县 (马 3, 王 4).
    return ["c3", "c2", "c4", "c1"]


def test_seating_uses_the_strategy_named_in_the_settings(clock: FixedClock) -> None:
    seats = ["1-1", "1-2", "1-3", "1-4", "1-5"]
    with lvzhi.open("memory://", clock=clock, load_entrypoints=False) as office:
        order = _course(office)
        assert office.seating.plan(seats) == dict(zip(order, seats, strict=False))
        with pytest.raises(NotRegistered, match="unknown seating strategy 'backwards'"):
            office.seating.plan(seats, strategy="backwards")
    with lvzhi.open(
        "memory://",
        clock=clock,
        load_entrypoints=False,
        plugins=[PolicyPlugin()],
        settings=lvzhi.Settings(seating_strategy="backwards"),
    ) as office:
        _course(office)
        plan = office.seating.plan(seats)
        assert plan == dict(zip(order, reversed(seats), strict=False))
        assert office.seating.plan(seats, strategy="in_order")["c3"] == "1-1"
        with pytest.raises(PluginError, match=r"'cheat' \(plugin .*\) gave an unsound plan"):
            office.seating.plan(seats, strategy="cheat")
        assert office.seating.plan(seats[:2], delegation="a") == {"c3": "1-2", "c2": "1-1"}
        with pytest.raises(lvzhi.ValidationError, match="fewer than the 4 deputies"):
            office.seating.plan(seats[:3])


def test_attendance_statuses_come_from_the_named_rule(clock: FixedClock) -> None:
    plugin = PolicyPlugin()
    with lvzhi.open("memory://", clock=clock, load_entrypoints=False, plugins=[plugin]) as office:
        order = _course(office)
        start = pendulum.datetime(2022, 9, 6, 9, tz="Asia/Shanghai")
        session = make_session(id="s1", programme_id="p", starts_at=start)
        office.programme.schedule([session])

        def scan(cert: str, kind: ScanKind, minutes: int) -> Scan:
            return Scan(
                id=f"{cert}-{kind.value}",
                session_id="s1",
                certificate_no=cert,
                kind=kind,
                scanned_at=start.add(minutes=minutes),
            )

        office.attendance.record(
            [
                scan("c3", ScanKind.ENTRY, -10),
                scan("c3", ScanKind.EXIT, 151),
                scan("c2", ScanKind.ENTRY, 20),
                scan("c2", ScanKind.EXIT, 151),
                scan("c1", ScanKind.ENTRY, 0),
                scan("c1", ScanKind.EXIT, 60),
            ]
        )
        leave = make_leave_request(
            id="l1",
            programme_id="p",
            certificate_no="c4",
            starts_at=start.subtract(hours=1),
            ends_at=start.add(hours=4),
            written_application="请假申请书.pdf",
        )
        office.people.save_official(
            Official(id="b-leader", name="赵六", role="delegation_leader", delegation="b")
        )
        office.people.save_official(Official(id="org-1", name="钱七", role="organiser"))
        office.leave.request(leave)
        office.leave.decide("l1", LeaveStage.DELEGATION, approver="b-leader", approved=True)
        office.leave.decide("l1", LeaveStage.ORGANISER, approver="org-1", approved=True)

        statuses = office.attendance.evaluate("s1")
        assert [(s.certificate_no, s.code, s.label) for s in statuses] == [
            ("c3", "present", "出席"),
            ("c2", "late", "迟到"),
            ("c4", "on_leave", "请假"),
            ("c1", "left_early", "早退"),
        ]
        assert [s.certificate_no for s in statuses] == order
        exempt = office.attendance.evaluate("s1", rule="always")
        assert {s.code for s in exempt} == {"exempt"}
        by_deputy = {c.delegate.key: c for c in plugin.rule.contexts}
        assert [s.kind for s in by_deputy["c2"].scans] == [ScanKind.ENTRY, ScanKind.EXIT]
        with pytest.raises(NotRegistered, match="unknown attendance rule 'lenient'"):
            office.attendance.evaluate("s1", rule="lenient")
