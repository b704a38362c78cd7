"""``lvzhi scan``, ``lvzhi attendance`` and ``lvzhi export attendance`` end to end."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pendulum
import pytest

import lvzhi
from lvzhi.cli.main import main
from lvzhi.domain import Official
from lvzhi.testing.factories import (
    make_delegate,
    make_delegation,
    make_programme,
    make_session,
)

START = pendulum.datetime(2022, 9, 6, 1, 0, tz="UTC")  # 09:00 in Asia/Shanghai


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'course.db'}"
    with lvzhi.open(url, load_entrypoints=False) as office, office.unit_of_work() as uow:
        uow.programmes.put(make_programme(id="p", timezone="Asia/Shanghai"))
        uow.delegations.put(make_delegation(code="a", name="甲县", order=1))
        uow.delegates.put(make_delegate(certificate_no="c1", name="王一", delegation="a"))
        uow.delegates.put(make_delegate(certificate_no="c2", name="李二", delegation="a"))
        uow.officials.put(Official(id="t1", name="赵甲", role="organiser"))
        uow.sessions.put(make_session(id="s1", programme_id="p", starts_at=START, title="开班式"))
        uow.sessions.put(
            make_session(id="s2", programme_id="p", starts_at=START.add(hours=5), title="讲座")
        )
    return url


def test_scan_evaluate_correct_and_export(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["scan", "c1", "--session", "s1", "--at", "2022-09-06T08:55", "--db", db]) == 0
    assert (
        main(["scan", "c1", "--session", "s1", "--exit", "--at", "2022-09-06T11:31", "--db", db])
        == 0
    )
    batch = tmp_path / "batch.csv"
    batch.write_text(
        "id,session,certificate,kind,time,zone,taker\n"
        "b1,s1,c2,entry,2022-09-06T09:20,A区,t1\n"
        "b2,s1,c2,exit,2022-09-06T11:31,A区,t1\n",
        encoding="utf-8",
    )
    assert main(["scan", "--file", str(batch), "--db", db]) == 0
    assert "2 scans recorded, 0 already stored" in capsys.readouterr().out
    assert main(["scan", "--file", str(batch), "--db", db]) == 0  # uploaded twice
    assert "0 scans recorded, 2 already stored" in capsys.readouterr().out

    assert main(["attendance", "evaluate", "s1", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "出席 1" in out and "迟到 1" in out
    assert "c2\t李二\t迟到" in out and "c1\t" not in out

    assert (
        main(
            [
                "attendance",
                "set",
                "s1",
                "c2",
                "present",
                "--by",
                "t1",
                "--reason",
                "交通管制",
                "--db",
                db,
            ]
        )
        == 0
    )
    assert main(["attendance", "void", "b1", "--by", "t1", "--reason", "误刷", "--db", db]) == 0
    assert main(["attendance", "evaluate", "s1", "--db", db]) == 0
    assert "出席 2" in capsys.readouterr().out
    assert main(["attendance", "records", "--db", db]) == 0
    assert "c1\t王一\t2\t1" in capsys.readouterr().out

    assert main(["export", "attendance", "-f", "csv", "-o", "-", "--db", db]) == 0
    text = capsys.readouterr().out
    rows = [r for r in csv.reader(io.StringIO(text.lstrip("\ufeff"))) if r]
    header = next(i for i, r in enumerate(rows) if r and r[0] == "场次")
    assert rows[header] == [
        "场次",
        "代表证号",
        "姓名",
        "代表团",
        "状态",
        "签到时间",
        "签退时间",
        "备注",
    ]
    body = rows[header + 1 :]
    assert [
        "开班式",
        "c1",
        "王一",
        "甲县",
        "出席",
        "2022-09-06 08:55:00",
        "2022-09-06 11:31:00",
        "",
    ] in body
    c2 = next(r for r in body if r[0] == "开班式" and r[1] == "c2")
    assert c2[4] == "出席" and "人工认定为出席（t1）：交通管制" in c2[7]
    assert "作废签到记录 b1（t1）：误刷" in c2[7] and "b1：已作废" in c2[7]
    assert c2[5] == ""  # the only entry was voided
    assert {r[4] for r in body if r[0] == "讲座"} == {"缺席"}

    assert (
        main(["export", "attendance", "-f", "csv", "-o", "-", "--option", "session=s2", "--db", db])
        == 0
    )
    only = [r for r in csv.reader(io.StringIO(capsys.readouterr().out.lstrip("\ufeff"))) if r]
    assert {r[0] for r in only[only.index(rows[header]) + 1 :]} == {"讲座"}

    for report in ("attendance-summary", "attendance-records"):
        assert main(["export", report, "-f", "csv", "-o", "-", "--db", db]) == 0
        assert "甲县" in capsys.readouterr().out


def test_scan_needs_a_session_or_a_file(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scan", "c1", "--db", db]) == 1
    assert "lvzhi: error" in capsys.readouterr().err
