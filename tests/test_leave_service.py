"""office.leave: the written application, course dates, overlaps, emergencies, who may
decide (refusals audited) and approval after the fact re-deriving the statuses."""

from __future__ import annotations

import pendulum
import pytest

import lvzhi
from lvzhi.clock import FixedClock
from lvzhi.domain import Scan
from lvzhi.domain.leave import LeaveState
from lvzhi.errors import PermissionDenied, ValidationError
from lvzhi.samples.load import load_course

TZ = "Asia/Shanghai"


def at(day: int, hour: int, minute: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(2022, 9, day, hour, minute, tz=TZ)


def setup(office: lvzhi.Secretariat) -> dict[str, list[str]]:
    course = load_course(office)
    units: dict[str, list[str]] = {}
    for d in course.delegates:
        units.setdefault(d.delegation, []).append(d.certificate_no)
    return units


def submit(office: lvzhi.Secretariat, cert: str, day: int = 7, **kw: object) -> str:
    options: dict[str, object] = {"application": "申请书.pdf", "category": "因公"}
    options.update(kw)
    return office.leave.submit(
        cert,
        starts_at=at(day, 8),
        ends_at=at(day, 12),
        reason="单位事务",
        **options,  # type: ignore[arg-type]
    ).id


def test_filing_checks_application_dates_overlap_and_sessions_begun(
    office: lvzhi.Secretariat, clock: FixedClock
) -> None:
    units = setup(office)
    cert = units["hengnan"][0]
    with pytest.raises(ValidationError, match="written_application"):
        submit(office, cert, application="")
    with pytest.raises(ValidationError, match="outside the course dates"):
        submit(office, cert, day=9)
    first = submit(office, cert)
    with pytest.raises(ValidationError, match=f"overlaps leave request {first}"):
        office.leave.submit(
            cert,
            starts_at=at(7, 11),
            ends_at=at(7, 15),
            category="其他",
            reason="x",
            application="a",
        )
    office.leave.withdraw(first)
    assert submit(office, cert) != first  # a withdrawn request no longer blocks
    clock.set(at(6, 10))  # s02 (09:50) has begun
    with pytest.raises(ValidationError, match="already begun"):
        submit(office, units["hengnan"][1], day=6)
    late = office.leave.get(submit(office, units["hengnan"][1], day=6, emergency="突发疾病"))
    assert late.emergency and late.emergency_reason == "突发疾病"
    assert late.history[0].reason == "突发疾病"


@pytest.mark.parametrize(
    ("stage", "approver", "why"),
    [
        ("delegation", "leiyang-leader", "belongs to the deputy's delegation 衡南县"),  # wrong unit
        ("delegation", "organiser-01", "belongs to the deputy's delegation"),  # organiser first
        ("delegation", "attendance_taker-01", "belongs to the deputy's delegation"),
        ("delegation", "县级人大常委会", "is not an official"),  # a free name
    ],
)
def test_the_first_stage_refuses_anyone_else_and_keeps_the_attempt(
    office: lvzhi.Secretariat, stage: str, approver: str, why: str
) -> None:
    units = setup(office)
    rid = submit(office, units["hengnan"][2])
    with pytest.raises(PermissionDenied, match=why) as caught:
        office.leave.decide(rid, stage, approver=approver, approved=True)
    assert (caught.value.actor, caught.value.subject) == (approver, rid)
    stored = office.leave.get(rid)
    assert stored.state is LeaveState.SUBMITTED
    assert [(t.by, t.refused) for t in stored.refusals] == [(approver, True)]


def test_the_second_stage_refuses_a_delegation_official(office: lvzhi.Secretariat) -> None:
    units = setup(office)
    rid = submit(office, units["hengnan"][2])
    office.leave.decide(rid, "delegation", approver="hengnan-staff", approved=True)
    with pytest.raises(PermissionDenied, match="belongs to the organiser"):
        office.leave.decide(rid, "organiser", approver="hengnan-leader", approved=True)
    final = office.leave.decide(rid, "organiser", approver="organiser-03", approved=True)
    assert final.state is LeaveState.APPROVED
    assert [t.action for t in final.history] == [
        "submit",
        "approve:delegation",
        "approve:organiser",
        "approve:organiser",
    ]
    assert [t.refused for t in final.history] == [False, False, True, False]


def test_garrison_leave_is_approved_by_its_leader_not_its_staff(office: lvzhi.Secretariat) -> None:
    units = setup(office)
    rid = submit(office, units["garrison"][0])
    with pytest.raises(PermissionDenied, match="garrison's leaders"):
        office.leave.decide(rid, "delegation", approver="garrison-staff", approved=True)
    assert office.leave.decide(rid, "delegation", approver="garrison-leader", approved=True)


def test_only_the_deputy_withdraws(office: lvzhi.Secretariat) -> None:
    units = setup(office)
    cert = units["shigu"][0]
    rid = submit(office, cert)
    with pytest.raises(PermissionDenied, match="only the deputy"):
        office.leave.withdraw(rid, by="shigu-staff")
    assert office.leave.get(rid).refusals[0].by == "shigu-staff"
    assert office.leave.withdraw(rid, by=cert).state is LeaveState.WITHDRAWN


def test_approval_after_the_fact_turns_an_absence_into_leave(
    office: lvzhi.Secretariat, clock: FixedClock
) -> None:
    units = setup(office)
    cert, present = units["zhuhui"][0], units["zhuhui"][1]
    session = f"{office.programme.get().id}-s05"  # 7 September 09:00-11:30
    rid = submit(office, cert)
    office.leave.decide(rid, "delegation", approver="zhuhui-leader", approved=True)
    clock.set(at(7, 12))
    office.attendance.record(
        [Scan(id="in", session_id=session, certificate_no=present, scanned_at=at(7, 8, 55))]
    )

    def code(who: str) -> str:
        return next(s.code for s in office.attendance.evaluate(session) if s.certificate_no == who)

    assert code(cert) == "absent"
    office.leave.decide(rid, "organiser", approver="organiser-01", approved=True)
    assert code(cert) == "on_leave"
    assert code(present) == "present"
