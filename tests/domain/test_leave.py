"""The leave request as a state machine, who may decide it, and overlapping windows."""

from __future__ import annotations

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lvzhi.domain import Delegate, Delegation, DelegationKind, Official, OfficialRole, Programme
from lvzhi.domain.leave import (
    LeaveCategory,
    LeaveRequest,
    LeaveStage,
    LeaveState,
    authority,
    overlapping,
)
from lvzhi.errors import TransitionError, ValidationError
from lvzhi.serialization import dump, load

T0 = pendulum.datetime(2022, 9, 6, 9, tz="Asia/Shanghai")


def leave(id: str = "l1", start: int = 0, hours: int = 3, **kw: object) -> LeaveRequest:
    return LeaveRequest(
        id=id,
        programme_id="p",
        certificate_no=str(kw.pop("cert", "c1")),
        starts_at=T0.add(hours=start),
        ends_at=T0.add(hours=start + hours),
        reason="住院治疗",
        submitted_at=T0.subtract(days=2),
        **kw,  # type: ignore[arg-type]
    )


def test_every_transition_is_kept_with_who_when_from_to_and_why() -> None:
    req = leave().filed(by="c1", at=T0.subtract(days=2))
    first, events = req.decide(LeaveStage.DELEGATION, approver="a-leader", approved=True, at=T0)
    assert events[0].name == "leave.decided"
    second, _ = first.decide(
        LeaveStage.ORGANISER, approver="org-1", approved=True, at=T0.add(hours=1), note="同意"
    )
    assert second.state is LeaveState.APPROVED and second.excuses
    moves = [(t.by, t.from_state, t.to_state, t.action, t.reason) for t in second.history]
    assert moves == [
        ("c1", None, LeaveState.SUBMITTED, "submit", ""),
        (
            "a-leader",
            LeaveState.SUBMITTED,
            LeaveState.DELEGATION_APPROVED,
            "approve:delegation",
            "",
        ),
        ("org-1", LeaveState.DELEGATION_APPROVED, LeaveState.APPROVED, "approve:organiser", "同意"),
    ]
    assert second.history[2].at == T0.add(hours=1)


def test_the_organiser_cannot_decide_before_the_delegation_and_final_states_stay() -> None:
    req = leave()
    with pytest.raises(TransitionError, match="'submitted' cannot go to 'approved'"):
        req.decide(LeaveStage.ORGANISER, approver="org-1", approved=True, at=T0)
    rejected, _ = req.decide(LeaveStage.DELEGATION, approver="a", approved=False, at=T0)
    assert rejected.state is LeaveState.REJECTED and not rejected.state.live
    with pytest.raises(TransitionError):
        rejected.withdraw(at=T0)
    with pytest.raises(TransitionError):
        rejected.decide(LeaveStage.DELEGATION, approver="a", approved=True, at=T0)
    withdrawn, events = req.withdraw(at=T0, reason="不需要了")
    assert withdrawn.state is LeaveState.WITHDRAWN
    assert withdrawn.history[-1].by == "c1" and events[0].state == "withdrawn"


def test_a_refusal_is_kept_without_changing_the_state() -> None:
    req = leave()
    refused, events = req.refuse(
        by="x",
        action="approve:delegation",
        target=LeaveState.DELEGATION_APPROVED,
        reason="no",
        at=T0,
    )
    assert refused.state is LeaveState.SUBMITTED
    assert refused.refusals[0].by == "x" and refused.refusals[0].refused
    assert events[0].name == "leave.denied"


def test_category_aliases_emergency_reason_and_old_rows_load() -> None:
    assert leave(category="因病").category is LeaveCategory.SICK
    with pytest.raises(ValidationError, match="emergency_reason"):
        leave(emergency=True)
    old = dump(leave())
    for key in ("history", "category", "emergency", "emergency_reason"):
        old.pop(key)
    loaded = load(LeaveRequest, old)
    assert loaded.history == () and loaded.category is LeaveCategory.OTHER


PROGRAMME = Programme(
    id="p",
    title="培训班",
    organiser="市人大常委会联工委",
    start_date="2022-09-06",
    end_date="2022-09-08",
)
UNIT = Delegation(code="a", name="衡南县", kind="county", leader_id="a-lead", staff_id="a-staff")
GARRISON = Delegation(code="g", name="驻衡部队", kind=DelegationKind.GARRISON, leader_id="g-lead")


def official(id: str, role: OfficialRole, delegation: str | None = None, org: str = "") -> Official:
    return Official(id=id, name="张三", role=role, delegation=delegation, organisation=org)


def check(stage: LeaveStage, who: Official | None, unit: Delegation = UNIT) -> str | None:
    deputy = Delegate(certificate_no="c1", name="王五", gender="男", delegation=unit.code)
    return authority(stage, who, deputy=deputy, delegation=unit, programme=PROGRAMME)


def test_the_first_stage_belongs_to_the_deputys_own_delegation() -> None:
    assert (
        check(LeaveStage.DELEGATION, official("a-staff", OfficialRole.DELEGATION_STAFF, "a"))
        is None
    )
    assert (
        check(LeaveStage.DELEGATION, official("a-2", OfficialRole.DELEGATION_LEADER, "a")) is None
    )
    other = check(LeaveStage.DELEGATION, official("b-lead", OfficialRole.DELEGATION_LEADER, "b"))
    assert other is not None and "衡南县" in other and "b-lead" in other
    organiser = official("org-1", OfficialRole.ORGANISER, org=PROGRAMME.organiser)
    assert check(LeaveStage.DELEGATION, organiser) is not None
    assert check(LeaveStage.DELEGATION, None) == "is not an official"


def test_garrison_deputies_need_the_garrisons_leaders() -> None:
    leader = official("g-2", OfficialRole.DELEGATION_LEADER, "g")
    staff = official("g-staff", OfficialRole.DELEGATION_STAFF, "g")
    assert check(LeaveStage.DELEGATION, leader, GARRISON) is None
    assert "garrison's leaders" in str(check(LeaveStage.DELEGATION, staff, GARRISON))


def test_the_second_stage_belongs_to_the_organiser() -> None:
    assert check(LeaveStage.ORGANISER, official("org-1", OfficialRole.ORGANISER)) is None
    body = official("x", OfficialRole.LEADER, org=PROGRAMME.organiser)
    assert check(LeaveStage.ORGANISER, body) is None
    assert check(LeaveStage.ORGANISER, official("a-lead", OfficialRole.DELEGATION_LEADER, "a"))
    assert check(LeaveStage.ORGANISER, official("t", OfficialRole.LECTURER, org="某大学"))


windows = st.tuples(st.integers(0, 60), st.integers(1, 30))


@given(a=windows, b=windows, state=st.sampled_from(list(LeaveState)))
def test_overlap_is_found_exactly_when_live_windows_intersect(
    a: tuple[int, int], b: tuple[int, int], state: LeaveState
) -> None:
    mine = leave("new", start=a[0], hours=a[1])
    other = leave("old", start=b[0], hours=b[1], state=state)
    intersect = a[0] < b[0] + b[1] and b[0] < a[0] + a[1]
    found = overlapping(mine, [other, leave("else", start=b[0], hours=b[1], cert="c2")])
    assert (found is not None) == (intersect and state.live)
    assert overlapping(mine, [mine]) is None
