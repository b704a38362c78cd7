"""``lvzhi leave`` and ``lvzhi checks`` on a SQLite store."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_leave_service import setup

import lvzhi
from lvzhi.cli.main import main


@pytest.fixture
def db(tmp_path: Path) -> tuple[str, dict[str, list[str]]]:
    url = f"sqlite:///{tmp_path / 'course.db'}"
    with lvzhi.open(url, load_entrypoints=False) as office:
        units = setup(office)
    return url, units


def test_leave_commands(
    db: tuple[str, dict[str, list[str]]], capsys: pytest.CaptureFixture[str]
) -> None:
    url, units = db
    cert = units["hengnan"][0]
    submit = ["leave", "submit", cert, "--from", "2022-09-07 08:00", "--to", "2022-09-07 12:00"]
    submit += ["--category", "因公", "--reason", "单位事务", "--application", "申请书.pdf"]
    # The real clock is years after the course: every session has begun.
    assert main([*submit, "--db", url]) == 1
    assert "already begun" in capsys.readouterr().err
    assert main([*submit, "--emergency", "突发任务", "--db", url]) == 0
    line = capsys.readouterr().out
    rid = line.split("\t")[0]
    assert "2022-09-07 08:00" in line and "因公" in line and "submitted" in line
    deny = ["leave", "approve", rid, "--stage", "delegation", "--by", "leiyang-leader"]
    assert main([*deny, "--db", url]) == 1
    assert "leiyang-leader may not approve" in capsys.readouterr().err
    ok = ["leave", "approve", rid, "--stage", "delegation", "--by", "hengnan-leader"]
    assert main([*ok, "--db", url]) == 0
    assert (
        main(["leave", "reject", rid, "--stage", "organiser", "--by", "organiser-01", "--db", url])
        == 0
    )
    assert "rejected" in capsys.readouterr().out
    assert main(["leave", "list", "--db", url]) == 0
    assert capsys.readouterr().out.count("\n") == 1


def test_checks_commands(
    db: tuple[str, dict[str, list[str]]], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    url, units = db
    cert = units["qidong"][0]
    add = ["checks", "add", cert, "--kind", "lodging", "--by", "organiser-02"]
    add += ["--finding", "夜不归宿", "--breach", "--at", "2022-09-07 22:30", "--db", url]
    assert main(add) == 0
    assert main(["checks", "list", "--db", url]) == 0
    assert "2022-09-07 22:30" in capsys.readouterr().out
    target = tmp_path / "tongbao.xlsx"
    assert main(["checks", "report", "--issue", "--export", str(target), "--db", url]) == 0
    out = capsys.readouterr().out
    assert "祁东县人大常委会" in out and "issued" in out and target.stat().st_size > 0
    assert main(["checks", "report", "--issue", "--db", url]) == 0
    assert "issued 0 report(s)" in capsys.readouterr().out
