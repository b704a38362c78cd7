"""office.discipline: spot checks, violations, the 通报 and each deputy's record."""

from __future__ import annotations

import pendulum
import pytest
from test_leave_service import at, setup, submit

import lvzhi
from lvzhi.clock import FixedClock
from lvzhi.domain import NoticeKind, Scan, ScanKind, Suggestion
from lvzhi.errors import PermissionDenied
from lvzhi.testing.contracts.exporter import read_workbook


def scans(session: str, cert: str, entry: pendulum.DateTime, exit: pendulum.DateTime) -> list[Scan]:
    return [
        Scan(id=f"{session}-{cert}-in", session_id=session, certificate_no=cert, scanned_at=entry),
        Scan(
            id=f"{session}-{cert}-out",
            session_id=session,
            certificate_no=cert,
            kind=ScanKind.EXIT,
            scanned_at=exit,
        ),
    ]


@pytest.fixture
def course(office: lvzhi.Secretariat, clock: FixedClock) -> dict[str, list[str]]:
    """Only s01 (6 Sept 09:00-09:40) has begun: everyone signs in on time except a late
    deputy of 衡南县, one who leaves early, one absent, one absent on approved leave."""
    units = setup(office)
    pid = office.programme.get().id
    hengnan = units["hengnan"]
    rid = submit(office, hengnan[3], day=6)
    office.leave.decide(rid, "delegation", approver="hengnan-leader", approved=True)
    office.leave.decide(rid, "organiser", approver="organiser-01", approved=True)
    clock.set(at(6, 9, 45))
    log: list[Scan] = []
    s01 = f"{pid}-s01"
    for certs in units.values():
        for cert in certs:
            if cert in (hengnan[2], hengnan[3]):
                continue
            entry = at(6, 9, 17) if cert == hengnan[0] else at(6, 8, 55)
            leave = at(6, 9, 30) if cert == hengnan[1] else at(6, 9, 41)
            log += scans(s01, cert, entry, leave)
    office.attendance.record(log)
    return units


def test_violations_and_the_report_to_the_delegation(
    office: lvzhi.Secretariat, course: dict[str, list[str]]
) -> None:
    hengnan = course["hengnan"]
    found = {(v.certificate_no, v.kind.value): v for v in office.discipline.violations()}
    assert set(found) == {
        (hengnan[0], "late"),
        (hengnan[1], "left_early"),
        (hengnan[2], "absent"),
    }
    assert found[(hengnan[0], "late")].minutes_late == 17
    assert found[(hengnan[1], "left_early")].minutes_early == 10
    [report] = office.discipline.report()
    assert report.report_body == "衡南县人大常委会"
    names = [report.names[v.certificate_no] for v in report.violations]
    assert names == sorted(names, key=office.collation.key)
    body = report.body()
    assert "09:17入场，迟到17分钟" in body and "09:30离场，早退10分钟" in body
    assert hengnan[3] not in body  # on approved leave


def test_spot_checks_need_an_official_and_breaches_are_reported(
    office: lvzhi.Secretariat, course: dict[str, list[str]]
) -> None:
    cert = course["qidong"][0]
    with pytest.raises(PermissionDenied, match="made by an official"):
        office.discipline.spot_check(cert, kind="meal", by="passer-by", finding="x", breach=True)
    office.discipline.spot_check(
        cert, kind="lodging", by="organiser-02", finding="夜不归宿", place="住宿楼", breach=True
    )
    office.discipline.spot_check(
        course["qidong"][1], kind="meal", by="organiser-02", finding="正常"
    )
    assert len(office.discipline.checks()) == 2
    bodies = [r.report_body for r in office.discipline.report()]
    assert bodies == ["衡南县人大常委会", "祁东县人大常委会"]  # official order
    assert "住宿抽查：违纪，夜不归宿（住宿楼）" in office.discipline.report()[1].body()


def test_issuing_is_idempotent_and_a_changed_report_is_numbered_two(
    office: lvzhi.Secretariat, course: dict[str, list[str]]
) -> None:
    first = office.discipline.issue_reports()
    assert [n.recipients for n in first] == [("衡南县人大常委会",)]
    assert first[0].kind is NoticeKind.REPORT and first[0].id.endswith("hengnan-1")
    assert office.discipline.issue_reports() == []
    deliveries = office.notices.deliveries(first[0].id)
    assert deliveries and {d.recipient for d in deliveries} == {"衡南县人大常委会"}
    office.discipline.spot_check(
        course["hengnan"][5], kind="meal", by="organiser-02", finding="饮酒", breach=True
    )
    again = office.discipline.issue_reports()
    assert [n.id.rsplit("-", 1)[-1] for n in again] == ["2"]
    assert "（第2号）" in again[0].title
    reports = [n for n in office.notices.list() if n.kind is NoticeKind.REPORT]
    assert len(reports) == 2


def test_records_count_attendance_leave_violations_and_suggestions(
    office: lvzhi.Secretariat, course: dict[str, list[str]], clock: FixedClock
) -> None:
    hengnan = course["hengnan"]
    pid = office.programme.get().id
    office.suggestions.submit(
        Suggestion(
            id="y1",
            programme_id=pid,
            title="关于加强代表培训的建议",
            body="建议增加实务课程。",
            proposers=(hengnan[0], hengnan[1]),
            submitted_at=clock.now(),
        )
    )
    records = {r.certificate_no: r for r in office.discipline.records()}
    assert len(records) == 346
    late, absent, on_leave = records[hengnan[0]], records[hengnan[2]], records[hengnan[3]]
    assert (late.required, late.attended, late.late, late.suggestions) == (1, 1, 1, 1)
    assert (absent.absent, absent.rate, absent.violations) == (1, 0.0, 1)
    assert (on_leave.on_leave, on_leave.leave_days, on_leave.rate) == (1, 1, None)
    stats = {s.delegation: s for s in office.discipline.statistics()}
    assert stats["hengnan"].violations == 3 and stats["hengnan"].deputies == 40
    sheets = read_workbook("xlsx", office.discipline.export("records", "xlsx"))
    assert len(sheets) == 2 and "建议数" in str(sheets[0]) and "按代表团统计" in str(sheets[1])


def test_the_exports_gather_the_findings(office: lvzhi.Secretariat, course: object) -> None:
    """``office.export("tongbao")`` (and ``lvzhi export tongbao``) work out the findings
    first, exactly as ``office.discipline.export`` does."""
    payload = office.discipline.export("tongbao", "xlsx")
    text = str(read_workbook("xlsx", payload))
    assert "衡南县" in text and "迟到" in text and "代表证号" in text
    assert read_workbook("xlsx", office.export("tongbao", "xlsx")) == read_workbook("xlsx", payload)
    csv_text = office.export("records", "csv").decode("utf-8-sig")
    assert "建议数" in csv_text and "衡南县" in csv_text


def test_the_demo_data_approves_after_the_fact_and_reports_the_breach(
    office: lvzhi.Secretariat, clock: FixedClock
) -> None:
    from lvzhi.samples.discipline import file_leave, run_discipline

    setup(office)
    clock.set(at(2, 10))
    plan = file_leave(office, clock)
    assert plan.refused_attempts == 1
    log = [
        Scan(id=f"{s.id}-{d.key}", session_id=s.id, certificate_no=d.key, scanned_at=s.starts_at)
        for s in office.programme.timetable()
        for d in office.people.delegates()
        if not (d.key == plan.absent and at(7, 14) <= s.starts_at < at(7, 18))
    ]
    clock.set(at(8, 16))
    office.attendance.record(log)
    summary = run_discipline(office, clock, plan)
    assert summary.leave == {"approved": 3, "rejected": 1}
    assert summary.violations == 1 and summary.reports == ("祁东县人大常委会",)
    assert summary.notices == (f"{office.programme.get().id}-tongbao-qidong-1",)
    record = next(r for r in office.discipline.records() if r.certificate_no == plan.absent)
    assert (record.on_leave, record.absent, record.leave_days) == (2, 0, 1)
