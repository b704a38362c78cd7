"""Demo data for leave and discipline on the synthetic course (``lvzhi.samples.course``).

Call :func:`file_leave` before attendance is taken (the clock before the course), then,
after the scans are recorded, :func:`run_discipline`: the pending request is approved after
the fact (its deputy's statuses become ``on_leave``), spot checks are recorded (one breach)
and the 通报 are issued to each delegation concerned.  The deputy of the request approved
after the fact (``LeavePlan.after_the_fact``) should not sign in to the sessions it covers.
"""

from __future__ import annotations

import attrs
import pendulum

from lvzhi.clock import FixedClock
from lvzhi.domain.leave import LeaveStage
from lvzhi.errors import PermissionDenied
from lvzhi.secretariat import Secretariat

__all__ = ["DisciplineSummary", "LeavePlan", "file_leave", "run_discipline"]

TZ = "Asia/Shanghai"


def _at(day: int, hm: str) -> pendulum.DateTime:
    hour, minute = (int(x) for x in hm.split(":"))
    return pendulum.datetime(2022, 9, day, hour, minute, tz=TZ)


@attrs.frozen(kw_only=True)
class LeavePlan:
    """The requests :func:`file_leave` filed: ``after_the_fact`` is the id of the one left
    for the organiser, and ``absent`` the certificate number of its deputy."""

    request_ids: tuple[str, ...]
    after_the_fact: str
    absent: str
    refused_attempts: int


@attrs.frozen(kw_only=True)
class DisciplineSummary:
    leave: dict[str, int]
    approved_after_the_fact: str
    spot_checks: int
    breaches: int
    violations: int
    reports: tuple[str, ...]  # the bodies the 通报 went to
    notices: tuple[str, ...]  # the notice ids issued


def _deputy(office: Secretariat, unit: str, index: int) -> str:
    return office.people.delegates(delegation=unit)[index].certificate_no


def file_leave(
    office: Secretariat, clock: FixedClock, programme_id: str | None = None
) -> LeavePlan:
    """File four written requests and decide them with the proper approvers: one approved at
    both stages, one of a garrison deputy approved by the garrison's leader and the
    organiser, one rejected by the deputy's delegation, and one approved by the delegation
    and left for the organiser (see :func:`run_discipline`).  An official of another
    delegation tries to decide one first and is refused (kept on the request)."""
    specs = (
        ("hengyang", 4, "因病", "门诊复查", (6, "14:00"), (6, "18:00"), "hengyang-staff", True),
        (
            "garrison",
            1,
            "因公",
            "部队紧急任务",
            (7, "08:00"),
            (7, "18:00"),
            "garrison-leader",
            True,
        ),
        (
            "changning",
            7,
            "家庭事务",
            "家中有事",
            (8, "08:00"),
            (8, "12:00"),
            "changning-leader",
            False,
        ),
        (
            "zhengxiang",
            2,
            "因公",
            "单位迎检",
            (7, "14:00"),
            (7, "18:00"),
            "zhengxiang-leader",
            None,
        ),
    )
    ids: list[str] = []
    refused = 0
    after = absent = ""
    for unit, index, category, reason, start, end, approver, outcome in specs:
        cert = _deputy(office, unit, index)
        request = office.leave.submit(
            cert,
            starts_at=_at(*start),
            ends_at=_at(*end),
            category=category,
            reason=reason,
            application=f"请假申请书-{cert}.pdf",
            programme_id=programme_id,
        )
        ids.append(request.id)
        clock.advance(hours=1)
        if unit == "changning":
            try:
                office.leave.decide(
                    request.id, "delegation", approver="hengnan-leader", approved=True
                )
            except PermissionDenied:
                refused += 1
        approved = outcome is not False
        office.leave.decide(request.id, LeaveStage.DELEGATION, approver=approver, approved=approved)
        if outcome is True:
            clock.advance(hours=2)
            office.leave.decide(
                request.id, LeaveStage.ORGANISER, approver="organiser-01", approved=True
            )
        elif outcome is None:
            after, absent = request.id, cert
    return LeavePlan(
        request_ids=tuple(ids), after_the_fact=after, absent=absent, refused_attempts=refused
    )


def run_discipline(
    office: Secretariat, clock: FixedClock, plan: LeavePlan, programme_id: str | None = None
) -> DisciplineSummary:
    """After the course: approve the pending request after the fact, record three spot
    checks (one breach) and issue the 通报 to each delegation with violations."""
    clock.set(_at(8, "17:00"))
    office.leave.decide(
        plan.after_the_fact,
        LeaveStage.ORGANISER,
        approver="organiser-02",
        approved=True,
        note="事后补批：已提交书面申请",
    )
    checks = (
        ("meal", "shigu", 3, "organiser-03", _at(6, "12:10"), "培训中心餐厅", "按时就餐", False),
        (
            "lodging",
            "hengdong",
            5,
            "organiser-04",
            _at(6, "22:00"),
            "培训中心住宿楼",
            "在房间休息",
            False,
        ),
        (
            "lodging",
            "qidong",
            6,
            "organiser-04",
            _at(7, "22:30"),
            "培训中心住宿楼",
            "未经请假夜不归宿",
            True,
        ),
    )
    for kind, unit, index, by, at, place, finding, breach in checks:
        office.discipline.spot_check(
            _deputy(office, unit, index),
            kind=kind,
            by=by,
            finding=finding,
            place=place,
            breach=breach,
            at=at,
            programme_id=programme_id,
        )
    clock.set(_at(8, "18:00"))
    found = office.discipline.findings(programme_id)
    issued = office.discipline.issue_reports(programme_id)
    leave: dict[str, int] = {}
    for r in office.leave.list():
        leave[r.state.value] = leave.get(r.state.value, 0) + 1
    return DisciplineSummary(
        leave=leave,
        approved_after_the_fact=plan.after_the_fact,
        spot_checks=len(checks),
        breaches=sum(1 for c in checks if c[-1]),
        violations=len(found.violations),
        reports=tuple(t.report_body for t in found.tongbao),
        notices=tuple(n.id for n in issued),
    )
