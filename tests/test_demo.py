from __future__ import annotations

import csv
import io
import sqlite3
from contextlib import closing
from pathlib import Path

import openpyxl
import pytest

from lvzhi.cli import main
from lvzhi.errors import LvzhiError
from lvzhi.samples.demo import run_demo


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    assert main(["demo", "--out", str(out)]) == 0
    return out


def test_demo_leaves_database_and_exports(demo_dir: Path) -> None:
    db = demo_dir / "lvzhi-demo.db"
    with closing(sqlite3.connect(db)) as con:
        assert con.execute("select count(*) from delegates").fetchone() == (346,)
        assert con.execute("select count(*) from delegations").fetchone() == (13,)
        assert con.execute("select count(*) from discussion_groups").fetchone() == (12,)
        # 100 submitted, 4 merged into others: 96 remain, as the bulletin says
        assert con.execute("select count(*) from suggestions").fetchone() == (100,)
        assert con.execute("select journal_mode from pragma_journal_mode").fetchone() == ("wal",)
    for name in (
        "roster.xlsx",
        "roster.csv",
        "timetable.xlsx",
        "timetable.csv",
        "delegations.xlsx",
        "groups.xlsx",
        "suggestions.xlsx",
    ):
        path = demo_dir / "exports" / name
        if name.endswith(".xlsx"):
            book = openpyxl.load_workbook(path, read_only=True)
            rows = [r for ws in book.worksheets for r in ws.iter_rows(values_only=True)]
            book.close()
        else:
            rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
        deputies = [r for r in rows if r and any(str(c).startswith("HY16-") for c in r)]
        expected = {"roster": 346, "delegations": 346, "groups": 346}.get(name.split(".")[0])
        if expected is not None:
            assert len(deputies) == expected, name  # every deputy once
        assert len(rows) > 1, name
    wb = openpyxl.load_workbook(demo_dir / "exports" / "delegations.xlsx", read_only=True)
    assert len(wb.sheetnames) == 13
    timetable = (demo_dir / "exports" / "timetable.csv").read_text(encoding="utf-8-sig")
    assert "开班式" in timetable and "结业式" in timetable and "分组讨论" in timetable
    notices = sorted((demo_dir / "notices").glob("*advance*.txt"))
    assert len(notices) == 13  # the advance notice, one file per delegation it was sent to
    text = notices[0].read_text(encoding="utf-8")
    assert "预告通知" in text and "送：" in text


def test_demo_summary_and_rerun(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = run_demo(tmp_path)
    second = run_demo(tmp_path)  # the demo database is recreated
    assert first.deputies == second.deputies == 346
    assert first.first_names == second.first_names
    assert first.groups == 12
    assert max(first.group_sizes) - min(first.group_sizes) <= 1
    assert first.suggestions == first.replied == 96
    assert first.duplicate_scans_ignored == 200
    assert first.leave == {"approved": 3, "rejected": 1}  # one approved after the fact
    assert first.bulletin == "共收集意见建议96条，归纳为4大类8个方面"
    assert first.merged == 4
    assert first.flagged > 0 and first.corrections == 2
    assert first.reports > 0 and first.breaches == 1
    assert dict(first.statuses)["迟到"] > 0 and dict(first.statuses)["缺席"] > 0
    assert any("346 deputies" in line for line in first.lines())


def test_demo_refuses_a_store_with_data(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'mine.db'}"
    run_demo(tmp_path / "a", url)
    with pytest.raises(LvzhiError, match="empty store"):
        run_demo(tmp_path / "b", url)


def test_demo_seats_zones_rostrum_and_group_roles(demo_dir: Path) -> None:
    import lvzhi

    with lvzhi.open(f"sqlite:///{demo_dir / 'lvzhi-demo.db'}", load_entrypoints=False) as office:
        hall = office.halls.hall("hall")
        plan = office.seating.plan_for("hall")
        deputies = office.people.delegates()
        assert list(plan.assignments) == [d.key for d in deputies]  # 346, official order
        assert len(set(plan.assignments.values())) == 346
        walk = hall.walk_ids()
        for cert, seat_id in plan.assignments.items():
            assert hall.seat(seat_id).available, cert
        for unit in {d.delegation for d in deputies}:  # each delegation one run of the walk
            places = sorted(
                walk.index(plan.assignments[d.key]) for d in deputies if d.delegation == unit
            )
            assert places[-1] - places[0] == len(places) - 1, unit
        zones = office.seating.zones("hall")
        takers = {o.id for o in office.people.officials(role="attendance_taker")}
        assert len(zones) == 4 and all(z.taker_id in takers for z in zones)
        assert len({z.taker_id for z in zones}) == 4
        assert sorted(s for z in zones for s in z.seats) == sorted(s.id for s in hall.seats)
        groups = office.groups.list()
        officials = {o.id: o for o in office.people.officials()}
        assert len(groups) == 12
        for g in groups:
            assert g.convener_id in officials and g.recorder_id in officials
            assert any(officials[o].role.value == "leader" for o in g.leader_ids)
        assert len({g.convener_id for g in groups}) == 12
        report = office.groups.balance()
        assert report.worst()["new"] <= 1 and report.worst()["delegation"] <= 1
    exports = demo_dir / "exports"
    for name in ("seating-chart.xlsx", "seating-chart.html", "signin.xlsx"):
        assert (exports / name).stat().st_size > 0, name
    seats = list(csv.reader(io.StringIO((exports / "seats.csv").read_text(encoding="utf-8-sig"))))
    listed = {c for row in seats for c in row if c.startswith("HY16-")}
    assert listed == set(plan.assignments)


def test_demo_summary_names_seating_and_zones(tmp_path: Path) -> None:
    summary = run_demo(tmp_path)
    assert summary.seated == 346 and summary.hall_capacity == 380
    assert len(summary.zones) == 4 and all(taker for _zone, taker in summary.zones)
    assert (summary.rostrum_leaders, summary.rostrum_rows) == (12, 2)
    assert summary.conveners == summary.recorders == 12
    assert any("346 deputies seated" in line for line in summary.lines())
