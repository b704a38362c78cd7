"""Sign-in sheets (signin): per zone with its taker, per delegation, 请假 for approved leave."""

from __future__ import annotations

import io
from pathlib import Path

import attrs
import openpyxl
import pendulum
import pytest

import lvzhi
from lvzhi.domain import Delegate, Delegation, LeaveRequest, Official, Programme, Session
from lvzhi.domain.leave import LeaveState
from lvzhi.domain.seating import SeatPlan
from lvzhi.domain.zones import zones_along_walk
from lvzhi.errors import ValidationError
from lvzhi.hallfiles import load_hall
from lvzhi.reports.signin import SIGNIN_HEADERS

HALL_FILE = Path(lvzhi.__file__).parent / "samples" / "hall.toml"
UNITS = (Delegation(code="a", name="雁峰区", order=2), Delegation(code="b", name="衡南县", order=1))
PEOPLE = tuple(
    Delegate(certificate_no=f"c{n}", name=f"代表{n}", gender="男", delegation="ab"[n % 2])
    for n in range(1, 7)
)
TAKER = Official(id="t1", name="签到员甲", role="工作人员")
PROGRAMME = Programme(id="p1", title="履职培训班", start_date="2022-09-06", end_date="2022-09-08")
AT = pendulum.datetime(2022, 9, 6, 9, tz="Asia/Shanghai")
SESSION = Session(
    id="s1",
    programme_id="p1",
    title="开班式",
    kind="opening",
    starts_at=AT,
    ends_at=AT.add(hours=2),
)


def _leave(cert: str, state: LeaveState, day: int = 6) -> LeaveRequest:
    start = pendulum.datetime(2022, 9, day, 8, tz="Asia/Shanghai")
    return LeaveRequest(
        id=f"l-{cert}",
        programme_id="p1",
        certificate_no=cert,
        starts_at=start,
        ends_at=start.add(hours=6),
        reason="公务",
        submitted_at=start.subtract(days=2),
        state=state,
    )


@pytest.fixture
def stored(office: lvzhi.Secretariat) -> None:
    hall = load_hall(HALL_FILE)
    zones = zones_along_walk(hall, 4)
    zones[1] = attrs.evolve(zones[1], taker_id="t1")
    # c1, c2 in zone A (walk order c2 then c1); c3 in zone B; c4 in zone D; c5, c6 unseated
    plan = {
        "c2": "front-left-1-19",
        "c1": "front-left-2-19",
        "c3": "front-right-1-2",
        "c4": "back-right-12-2",
    }
    with office.unit_of_work() as uow:
        uow.programmes.put(PROGRAMME)
        uow.sessions.put(SESSION)
        uow.delegations.put_many(UNITS)
        uow.delegates.put_many(PEOPLE)
        uow.officials.put(TAKER)
        uow.halls.put(hall)
        uow.zones.put_many(zones)
        uow.seat_plans.put(SeatPlan(hall_id=hall.id, assignments=plan))
        uow.leave_requests.put_many(
            [
                _leave("c1", LeaveState.APPROVED),
                _leave("c3", LeaveState.SUBMITTED),  # not approved: no mark
                _leave("c4", LeaveState.APPROVED, day=7),  # another day: no mark
            ]
        )
        uow.commit()


def _sheets(payload: bytes) -> dict[str, list[tuple[object, ...]]]:
    book = openpyxl.load_workbook(io.BytesIO(payload))
    return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in book}


def test_signin_per_zone(stored: None, office: lvzhi.Secretariat) -> None:
    sheets = _sheets(office.export("signin", "xlsx", options={"session": "s1"}))
    assert list(sheets) == ["A区", "B区 签到员甲", "C区", "D区", "未安排座位"]
    zone_a = sheets["A区"]
    assert zone_a[0][0] == "履职培训班　签到表（A区）　开班式"
    assert zone_a[1] == SIGNIN_HEADERS
    assert zone_a[2:] == [
        (1, "1排19号", "代表2", "雁峰区", None, None),
        (2, "2排19号", "代表1", "衡南县", None, "请假"),
    ]
    zone_b = sheets["B区 签到员甲"]
    assert "签到员：签到员甲" in str(zone_b[0][0])
    assert zone_b[2] == (1, "1排2号", "代表3", "衡南县", None, None)
    assert sheets["C区"][2:] == []
    assert sheets["D区"][2][2:] == ("代表4", "雁峰区", None, None)
    assert [r[2] for r in sheets["未安排座位"][2:]] == ["代表5", "代表6"]


def test_signin_without_session_marks_nobody(stored: None, office: lvzhi.Secretariat) -> None:
    sheets = _sheets(office.export("signin", "xlsx"))
    assert all(row[5] is None for sheet in sheets.values() for row in sheet[2:])


def test_signin_per_delegation(stored: None, office: lvzhi.Secretariat) -> None:
    options = {"by": "delegation", "session": "s1"}
    sheets = _sheets(office.export("signin", "xlsx", options=options))
    assert list(sheets) == ["衡南县", "雁峰区"]  # official order
    assert sheets["衡南县"][2:] == [
        (1, "2排19号", "代表1", "衡南县", None, "请假"),
        (2, "1排2号", "代表3", "衡南县", None, None),
        (3, None, "代表5", "衡南县", None, None),
    ]
    assert [r[2] for r in sheets["雁峰区"][2:]] == ["代表2", "代表4", "代表6"]
    with pytest.raises(ValidationError, match="zone"):
        office.reports.table("signin", options={"by": "floor"})
