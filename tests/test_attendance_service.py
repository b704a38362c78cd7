"""``office.attendance``: checked scans, corrections, statuses, records and statistics."""

from __future__ import annotations

from collections.abc import Iterator

import pendulum
import pytest

import lvzhi
from lvzhi.clock import FixedClock
from lvzhi.domain import LeaveStage, Official, Scan
from lvzhi.domain.hall_layout import SectionSpec, build_hall, uniform_rows
from lvzhi.domain.seating import SeatPlan
from lvzhi.domain.zones import Zone
from lvzhi.errors import NotFound, ValidationError
from lvzhi.samples.load import load_course
from lvzhi.settings import Settings
from lvzhi.testing.factories import (
    make_delegate,
    make_delegation,
    make_leave_request,
    make_programme,
    make_session,
)

START = pendulum.datetime(2022, 9, 6, 1, 0, tz="UTC")  # 09:00 in Asia/Shanghai


def _seed(office: lvzhi.Secretariat) -> None:
    hall = build_hall(
        id="hall",
        name="报告厅",
        sections=[SectionSpec(id=f"S{n}", name=f"{n}区", rows=uniform_rows(1, 2)) for n in (1, 2)],
    )
    seats = [s.id for s in hall.seats]
    with office.unit_of_work() as uow:
        uow.programmes.put(make_programme(id="p"))
        uow.delegations.put(make_delegation(code="a", name="甲县", order=1))
        uow.delegations.put(make_delegation(code="b", name="乙县", order=2))
        for cert, name, unit in (
            ("c1", "王一", "a"),
            ("c2", "李二", "a"),
            ("c3", "张三", "b"),
            ("c4", "刘四", "b"),
        ):
            uow.delegates.put(make_delegate(certificate_no=cert, name=name, delegation=unit))
        uow.officials.put(Official(id="t1", name="赵甲", role="organiser"))
        uow.officials.put(Official(id="t2", name="钱乙", role="organiser"))
        uow.halls.put(hall)
        uow.zones.put(
            Zone(id="zA", hall_id="hall", name="A区", seats=tuple(seats[:2]), taker_id="t1")
        )
        uow.zones.put(
            Zone(id="zB", hall_id="hall", name="B区", seats=tuple(seats[2:]), taker_id="t2")
        )
        uow.seat_plans.put(
            SeatPlan(
                hall_id="hall",
                programme_id="p",
                assignments={"c1": seats[0], "c2": seats[1], "c3": seats[2]},
            )
        )  # c4 has no seat
        uow.sessions.put(make_session(id="s1", programme_id="p", starts_at=START, venue_id="hall"))
        uow.sessions.put(
            make_session(id="s2", programme_id="p", starts_at=START.add(hours=5), venue_id="hall")
        )


@pytest.fixture
def office() -> Iterator[lvzhi.Secretariat]:
    with lvzhi.open(
        "memory://", load_entrypoints=False, clock=FixedClock(START.add(hours=10))
    ) as office:
        _seed(office)
        yield office


def scan(
    sid: str,
    cert: str,
    kind: str,
    minutes: int,
    zone: str = "A区",
    taker: str = "t1",
    session: str = "s1",
) -> Scan:
    base = START if session == "s1" else START.add(hours=5)
    return Scan(
        id=sid,
        session_id=session,
        certificate_no=cert,
        kind=kind,
        scanned_at=base.add(minutes=minutes),
        zone=zone,
        taker_id=taker,
    )


DAY = [
    scan("1", "c1", "entry", -10),
    scan("2", "c1", "exit", 151),
    scan("3", "c2", "entry", 20),
    scan("4", "c2", "exit", 151),
    scan("5", "c3", "entry", -5, zone="A区", taker="t1"),  # sits in B
    scan("6", "c3", "exit", 60, zone="B区", taker="t1"),  # B's taker is t2
    scan("7", "c4", "entry", -100),  # far outside the window, no seat
]


def codes(office: lvzhi.Secretariat, session: str = "s1") -> dict[str, str]:
    return {s.certificate_no: s.code for s in office.attendance.evaluate(session)}


def test_record_stores_everything_and_flags(office: lvzhi.Secretariat) -> None:
    result = office.attendance.record(DAY)
    assert (result.recorded, result.ignored) == (7, 0)
    flagged = {f.scan_id: f.reasons for f in result.flags}
    assert flagged == {
        "5": ("wrong_zone",),
        "6": ("wrong_taker",),
        "7": ("outside_window", "unknown_seat"),
    }
    again = office.attendance.record(DAY[:3])
    assert (again.recorded, again.ignored) == (0, 3)
    assert len(office.attendance.scans(session_id="s1")) == 7
    assert {f.scan_id for f in office.attendance.flags("s1")} == {"5", "6", "7"}


def test_statuses_follow_the_log(office: lvzhi.Secretariat) -> None:
    office.attendance.record(DAY)
    assert codes(office) == {"c1": "present", "c2": "late", "c3": "left_early", "c4": "absent"}


def test_flags_and_statuses_are_derived_so_later_leave_counts(office: lvzhi.Secretariat) -> None:
    office.attendance.record([scan("9", "c1", "entry", 30)])
    assert codes(office)["c1"] == "late"
    request = make_leave_request(
        id="l1", programme_id="p", certificate_no="c1", starts_at=START, ends_at=START.add(hours=1)
    )
    for stage, who in ((LeaveStage.DELEGATION, "县"), (LeaveStage.ORGANISER, "市")):
        request, _ = request.decide(stage, approver=who, approved=True, at=START)
    with office.unit_of_work() as uow:  # approved after the fact
        uow.leave_requests.put(request)
    assert codes(office)["c1"] == "on_leave"
    assert "on_leave" in {r for f in office.attendance.flags("s1") for r in f.reasons}


def test_corrections_are_new_entries(office: lvzhi.Secretariat) -> None:
    office.attendance.record(DAY)
    office.attendance.void_scan("1", by="t1", reason="刷错卡")
    assert codes(office)["c1"] == "absent"
    assert len(office.attendance.scans(session_id="s1")) == 7  # nothing deleted
    office.attendance.set_status("s1", "c1", "exempt", by="t2", reason="会务工作")
    assert codes(office)["c1"] == "exempt"
    assert [c.kind.value for c in office.attendance.corrections("s1")] == [
        "void_scan",
        "set_status",
    ]
    with pytest.raises(NotFound):
        office.attendance.set_status("s1", "c1", "present", by="ghost", reason="x")
    with pytest.raises(NotFound):
        office.attendance.void_scan("nope", by="t1", reason="x")
    with pytest.raises(ValidationError):
        office.attendance.set_status("s1", "c1", "asleep", by="t1", reason="x")
    detail = {s.certificate_no: s for s in office.attendance.evaluate("s1", detail=True)}
    assert any(r.startswith("人工认定为免签（t2）：会务工作") for r in detail["c1"].remarks)
    assert any(r.startswith("作废签到记录 1（t1）：刷错卡") for r in detail["c1"].remarks)


def test_records_and_statistics(office: lvzhi.Secretariat) -> None:
    office.attendance.record(DAY)
    office.attendance.record(
        [
            scan("s2-1", "c1", "entry", 10, session="s2"),
            scan("s2-2", "c1", "exit", 150, session="s2"),
        ]
    )
    record = office.attendance.record_of("c1")
    t = record.tally
    assert (t.required, t.present, t.late, t.absences) == (2, 1, 1, 0)
    assert t.rate == 1.0
    c2 = office.attendance.record_of("c2").tally
    assert (c2.late, c2.absent, c2.absences) == (1, 1, 1)
    assert [r.certificate_no for r in office.attendance.records()] == ["c1", "c2", "c4", "c3"]
    by_unit = {g.key: g for g in office.attendance.statistics(by="delegation")}
    assert by_unit["a"].required == 4 and by_unit["a"].attended == 3
    by_session = {g.key: g.counts["absent"] for g in office.attendance.statistics(by="session")}
    assert by_session == {"s1": 1, "s2": 3}
    by_zone = {g.key: g.required for g in office.attendance.statistics(by="zone")}
    assert by_zone == {"zA": 4, "zB": 2, "-": 2}


def test_office_overrides_apply_per_session() -> None:
    settings = Settings(
        attendance_overrides={"*": {"grace_minutes": 30}, "s1": {"allow_reentry": False}}
    )
    with lvzhi.open(
        "memory://", load_entrypoints=False, settings=settings, clock=FixedClock(START)
    ) as office:
        _seed(office)
        office.attendance.record(
            [
                scan("1", "c1", "entry", 20),
                scan("2", "c1", "exit", 60),
                scan("3", "c1", "entry", 61),
                scan("4", "c1", "exit", 150),
            ]
        )
        assert codes(office)["c1"] == "left_early"  # no re-entry in s1; 20 minutes is in grace
        office.attendance.record(
            [scan("5", "c1", "entry", 20, session="s2"), scan("6", "c1", "exit", 150, session="s2")]
        )
        assert codes(office, "s2")["c1"] == "present"


def test_evaluate_all_reads_one_snapshot(office: lvzhi.Secretariat) -> None:
    office.attendance.record(DAY)
    every = office.attendance.evaluate_all()
    assert list(every) == ["s1", "s2"]
    assert {s.certificate_no: s.code for s in every["s1"]} == codes(office)


def test_demo_attendance_on_the_sample_course() -> None:
    from lvzhi.samples.attendance import simulate_attendance
    from lvzhi.samples.course import make_course

    course = make_course()
    with lvzhi.open(
        "memory://", load_entrypoints=False, clock=FixedClock(pendulum.datetime(2022, 9, 9))
    ) as office:
        load_course(office, course)
        done = simulate_attendance(office)
        assert done.recorded > 0 and done.duplicates_ignored == 200
        assert done.corrections == 2
        assert {"出席", "迟到", "早退", "缺席", "免签"} <= set(done.statuses)
        assert sum(done.statuses.values()) == sum(
            len(v) for v in office.attendance.evaluate_all().values()
        )
