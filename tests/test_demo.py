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
        assert con.execute("select count(*) from suggestions").fetchone() == (96,)
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
    notices = sorted((demo_dir / "notices").glob("*.txt"))
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
    assert first.leave == {"approved": 2, "delegation_approved": 1, "rejected": 1}
    assert any("346 deputies" in line for line in first.lines())


def test_demo_refuses_a_store_with_data(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'mine.db'}"
    run_demo(tmp_path / "a", url)
    with pytest.raises(LvzhiError, match="empty store"):
        run_demo(tmp_path / "b", url)
