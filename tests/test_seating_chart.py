"""The seat list (seats) and the seating chart (seating-chart): csv, xlsx drawn like the hall,
html with an inline SVG; every deputy at the seat the plan gives."""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import attrs
import openpyxl
import pytest
import tablib

import lvzhi
from lvzhi.builtins.chart import seat_cells
from lvzhi.cli import main
from lvzhi.domain import Delegate, Delegation, Official
from lvzhi.domain.seating import SeatPlan
from lvzhi.domain.zones import zones_along_walk
from lvzhi.errors import NotFound, ValidationError
from lvzhi.hallfiles import load_hall
from lvzhi.reports import prepare
from lvzhi.reports.grid import BLOCKED_COLOUR, CellKind, hints_of, zone_colour
from lvzhi.reports.seating import SEAT_HEADERS

HALL_FILE = Path(lvzhi.__file__).parent / "samples" / "hall.toml"
UNITS = (
    Delegation(code="a", name="雁峰区", order=1),
    Delegation(code="b", name="衡南县", order=2),
    Delegation(code="c", name="石鼓区", order=3),
)
LEADERS = tuple(Official(id=f"l{n}", name=f"领导{n}", role="领导") for n in range(1, 10))
TAKERS = tuple(Official(id=f"t{n}", name=f"签到员{n}", role="工作人员") for n in range(1, 5))


def deputies(count: int = 150) -> list[Delegate]:
    return [
        Delegate(
            certificate_no=f"c{n:03d}",
            name=f"代表{n:03d}",
            gender="男" if n % 2 else "女",
            delegation=UNITS[n % 3].code,
        )
        for n in range(count)
    ]


@pytest.fixture
def seated(office: lvzhi.Secretariat) -> dict[str, str]:
    """The sample hall, four zones with takers, 150 deputies zipped onto the walk; the plan."""
    hall = load_hall(HALL_FILE)
    people = deputies()
    zones = [
        attrs.evolve(zone, taker_id=TAKERS[i].id)
        for i, zone in enumerate(zones_along_walk(hall, 4))
    ]
    # every fifth deputy skips a seat, so that the plan is not the walk itself
    seats = [s for i, s in enumerate(hall.walk_ids()) if i % 5 != 4]
    plan = {d.certificate_no: seat for d, seat in zip(people, seats, strict=False)}
    with office.unit_of_work() as uow:
        uow.delegations.put_many(UNITS)
        uow.delegates.put_many(people)
        uow.officials.put_many([*LEADERS, *TAKERS])
        uow.halls.put(hall)
        uow.zones.put_many(zones)
        uow.seat_plans.put(SeatPlan(hall_id=hall.id, assignments=plan))
        uow.commit()
    return plan


def names() -> dict[str, str]:
    return {d.certificate_no: d.name for d in deputies()}


def test_seats_csv_through_the_command_line(
    seated: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'lvzhi.db'}"
    with lvzhi.open(url, load_entrypoints=False) as office:
        with office.unit_of_work() as uow:
            hall = load_hall(HALL_FILE)
            uow.halls.put(hall)
            uow.delegations.put_many(UNITS)
            uow.delegates.put_many(deputies())
            uow.zones.put_many(zones_along_walk(hall, 4))
            uow.seat_plans.put(SeatPlan(hall_id=hall.id, assignments=seated))
            uow.commit()
    out = tmp_path / "seats.csv"
    assert main(["export", "seats", "-f", "csv", "-o", str(out), "--db", url]) == 0
    rows = list(csv.reader(io.StringIO(out.read_text("utf-8-sig"))))
    assert tuple(rows[0]) == SEAT_HEADERS
    assert len(rows) == 1 + len(seated)
    hall = load_hall(HALL_FILE)
    walk = [s.id for s in hall.walk()]
    certs = [r[4] for r in rows[1:]]
    assert certs == sorted(seated, key=lambda c: walk.index(seated[c]))
    first = rows[1]
    seat = hall.seat(seated[first[4]])
    assert first == ["会议中心礼堂", "A区", str(seat.row), str(seat.number), first[4], *first[5:]]
    assert first[5] == names()[first[4]]
    assert {r[1] for r in rows[1:]} <= {"A区", "B区", "C区", "D区"}


def test_seats_use_section_names_without_zones(office: lvzhi.Secretariat) -> None:
    hall = load_hall(HALL_FILE)
    with office.unit_of_work() as uow:
        uow.halls.put(hall)
        uow.delegates.put_many(deputies(3))
        uow.seat_plans.put(
            SeatPlan(
                hall_id=hall.id, assignments={"c000": "back-right-12-2", "c001": "front-right-1-4"}
            )
        )
        uow.commit()
    data = office.reports.table("seats")
    assert isinstance(data, tablib.Dataset)
    assert data["区"] == ["右前区", "右后区"]
    assert data["座号"] == [4, 2]


def test_hall_must_be_chosen_among_several(office: lvzhi.Secretariat) -> None:
    with pytest.raises(ValidationError, match="no hall"):
        office.reports.table("seats")
    hall = load_hall(HALL_FILE)
    with office.unit_of_work() as uow:
        uow.halls.put(hall)
        uow.halls.put(attrs.evolve(hall, id="small-hall", name="小礼堂"))
        uow.commit()
    with pytest.raises(ValidationError, match="main-hall.*small-hall"):
        office.reports.table("seats")
    with pytest.raises(NotFound):
        office.reports.table("seats", options={"hall": "nowhere"})
    assert len(office.reports.table("seats", options={"hall": "small-hall"})) == 0


def test_chart_hints_survive_preparation(seated: dict[str, str], office: lvzhi.Secretariat) -> None:
    book = office.reports.table("seating-chart")
    assert isinstance(book, tablib.Databook)
    chart = book.sheets()[0]
    ready = prepare(book, spreadsheet=True, timezone="Asia/Shanghai")
    assert isinstance(ready, tablib.Databook)
    assert hints_of(ready.sheets()[0]) is hints_of(chart) is not None
    assert hints_of(ready.sheets()[1]) is None


def test_chart_csv_is_the_list_of_seats(seated: dict[str, str], office: lvzhi.Secretariat) -> None:
    text = office.export("seating-chart", "csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["排", "座位", "姓名", "代表团"]
    assert len(rows) == 1 + len(seated)
    hall = load_hall(HALL_FILE)
    by_name = {r[2]: r[1] for r in rows[1:]}
    for cert, seat in seated.items():
        assert by_name[names()[cert]] == hall.seat(seat).label


def _rgb(cell: Any) -> str:
    return str(cell.fill.fgColor.rgb)[-6:]


def test_chart_xlsx_has_every_deputy_at_the_plan_seat(
    seated: dict[str, str], office: lvzhi.Secretariat
) -> None:
    options = {"rostrum": [o.id for o in LEADERS]}
    payload = office.export("seating-chart", "xlsx", options=options)
    book = office.reports.table("seating-chart", options=options)
    hints = hints_of(book.sheets()[0])
    assert hints is not None
    ws = openpyxl.load_workbook(io.BytesIO(payload)).worksheets[0]
    cells = seat_cells(hints)
    hall = load_hall(HALL_FILE)
    who = names()
    units = {d.certificate_no: d.delegation for d in deputies()}
    unit_names = {u.code: u.name for u in UNITS}
    for cert, seat in seated.items():
        value = ws.cell(*cells[seat]).value
        assert value == f"{who[cert]}\n{unit_names[units[cert]]}", seat
    zones = {z: i for i, z in enumerate(hints.zones)}
    stored = {z.id: z for z in zones_along_walk(hall, 4)}
    for zone_id, index in zones.items():
        seat = next(s for s in stored[zone_id].seats if not hall.seat(s).blocked)
        assert _rgb(ws.cell(*cells[seat])) == zone_colour(index)
    assert len({zone_colour(i) for i in zones.values()}) == 4
    blocked = hall.seat("20排19号").id
    assert _rgb(ws.cell(*cells[blocked])) == BLOCKED_COLOUR
    assert ws.cell(*cells[hall.seat("20排2号").id]).value == "预留"
    # the rostrum on top, No. 1 in the middle of the front row
    rostrum = [c for c in hints.cells if c.kind is CellKind.ROSTRUM]
    first = min(c.row for c in hints.cells if c.kind is CellKind.SEAT)
    assert all(c.row < first for c in rostrum)
    front = [c for c in rostrum if c.seat_id.startswith("rostrum-1-")]
    assert [ws.cell(c.row + 2, c.column + 1).value for c in front][3] == "领导1"
    # an aisle is an empty column between the sections
    left = hall.section("front-left").seats[0]
    right = hall.section("front-right").seats[0]
    assert cells[right.id][1] - cells[left.id][1] == 11
    assert all(ws.cell(row, 12).value is None for row in range(first + 2, ws.max_row - 10))
    # one page, landscape
    assert ws.page_setup.orientation == "landscape"
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 1)
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    texts = [str(c.value) for row in ws.iter_rows() for c in row if c.value]
    assert any("签到员1" in t and "A区" in t for t in texts)
    assert any("雁峰区" in t and "人" in t for t in texts)


class _Seats(HTMLParser):
    """The seats of an SVG chart: data-seat → (data-cert, the lines of its text)."""

    def __init__(self) -> None:
        super().__init__()
        self.seats: dict[str, tuple[str, list[str]]] = {}
        self.current: str | None = None
        self.in_text = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "g" and "data-seat" in values:
            self.current = values["data-seat"] or ""
            self.seats[self.current] = (values.get("data-cert") or "", [])
        elif tag == "text" and self.current is not None:
            self.in_text = values.get("class") != "number"

    def handle_endtag(self, tag: str) -> None:
        if tag == "g":
            self.current = None
        elif tag == "text":
            self.in_text = False

    def handle_data(self, data: str) -> None:
        if self.in_text and self.current is not None:
            self.seats[self.current][1].append(data)


def test_chart_html_draws_every_deputy_at_the_plan_seat(
    seated: dict[str, str], office: lvzhi.Secretariat
) -> None:
    text = office.export("seating-chart", "html", options={"rostrum": "l1,l2,l3"}).decode()
    assert text.startswith("<!DOCTYPE html>")
    assert text.count("<svg") == 1
    parser = _Seats()
    parser.feed(text)
    hall = load_hall(HALL_FILE)
    assert set(parser.seats) >= {s.id for s in hall.seats}
    who = names()
    for cert, seat in seated.items():
        assert parser.seats[seat][0] == cert
        assert parser.seats[seat][1][0] == who[cert]
    free = next(s.id for s in hall.walk() if s.id not in set(seated.values()))
    assert parser.seats[free][0] == ""
    assert parser.seats["rostrum-1-4"][1] == ["领导1"]
    assert "签到员1" in text
    assert f'fill="#{BLOCKED_COLOUR}"' in text


def test_rostrum_needs_a_hall_with_one(office: lvzhi.Secretariat) -> None:
    hall = load_hall(HALL_FILE)
    with office.unit_of_work() as uow:
        uow.halls.put(attrs.evolve(hall, rostrum=None))
        uow.officials.put_many(LEADERS)
        uow.commit()
    with pytest.raises(ValidationError, match="no rostrum"):
        office.reports.table("seating-chart", options={"rostrum": ["l1"]})
    chart = office.reports.table("seating-chart").sheets()[0]
    assert not [c for c in hints_of(chart).cells if c.kind is CellKind.ROSTRUM]  # type: ignore[union-attr]


def test_the_command_line_passes_report_options(
    seated: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--option hall=ID`` chooses the hall where several are stored."""
    url = f"sqlite:///{tmp_path / 'lvzhi.db'}"
    with lvzhi.open(url, load_entrypoints=False) as office, office.unit_of_work() as uow:
        hall = load_hall(HALL_FILE)
        uow.halls.put(hall)
        uow.halls.put(attrs.evolve(hall, id="small-hall", name="小礼堂"))
        uow.delegations.put_many(UNITS)
        uow.delegates.put_many(deputies())
        uow.seat_plans.put(SeatPlan(hall_id=hall.id, assignments=seated))
    out = tmp_path / "seats.csv"
    argv = ["export", "seats", "-f", "csv", "-o", str(out), "--db", url]
    assert main(argv) == 1
    assert "main-hall" in capsys.readouterr().err
    assert main([*argv, "--option", f"hall={hall.id}"]) == 0
    rows = list(csv.reader(io.StringIO(out.read_text("utf-8-sig"))))
    assert len(rows) == 1 + len(seated)
    assert main([*argv, "--option", "hall"]) == 1
    assert "--option: must be KEY=VALUE (got 'hall')" in capsys.readouterr().err


def test_a_deputy_on_leave_keeps_the_seat_shown_empty(
    seated: dict[str, str], office: lvzhi.Secretariat
) -> None:
    """For a session, the seat of a deputy on approved leave stays theirs and shows 请假."""
    from lvzhi.domain import LeaveState
    from lvzhi.testing import make_leave_request, make_programme, make_session

    programme = make_programme(id="p1")
    session = make_session(id="s1", programme_id="p1")
    away = sorted(seated)[0]
    request = make_leave_request(
        id="l1",
        programme_id="p1",
        certificate_no=away,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        state=LeaveState.APPROVED,
    )
    with office.unit_of_work() as uow:
        uow.programmes.put(programme)
        uow.sessions.put(session)
        uow.leave_requests.put(request)
    parser = _Seats()
    parser.feed(office.export("seating-chart", "html", options={"session": "s1"}).decode())
    seat = seated[away]
    assert parser.seats[seat][0] == away  # still the deputy's seat
    assert "（请假）" in parser.seats[seat][1]
    assert names()[away] not in parser.seats[seat][1]
    other = sorted(seated)[1]
    assert parser.seats[seated[other]][1][0] == names()[other]
    plain = _Seats()
    plain.feed(office.export("seating-chart", "html").decode())
    assert plain.seats[seat][1][0] == names()[away]  # without a session: as planned
