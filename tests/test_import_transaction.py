"""Acceptance: a roster with errors leaves every table exactly as it was, and a failure in
the middle of writing rolls the whole import back."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

import lvzhi
from lvzhi.errors import ImportProblem, StorageError

GOOD = (
    "姓名,性别,代表证号,选举单位,手机\n"
    "王毅,男,C1,衡南县,13812345678\n"
    "李强,男,C2,衡南县,13812345679\n"
)


def snapshot(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    con = sqlite3.connect(db)
    try:
        tables = [
            r[0]
            for r in con.execute(
                "select name from sqlite_master where type='table' and name not like 'sqlite_%'"
            )
        ]
        return {t: sorted(con.execute(f'select * from "{t}"').fetchall()) for t in tables}
    finally:
        con.close()


def test_bad_roster_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "course.db"
    good = tmp_path / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    with lvzhi.open(f"sqlite:///{db}", load_entrypoints=False) as office:
        office.import_roster(good)
    before = snapshot(db)
    assert len(before["delegates"]) == 2
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "姓名,性别,代表证号,选举单位,手机\n"
        "王毅,男,C1,祁东县,13800000000\n"  # valid update, new delegation
        "赵六,未知,C3,衡南县,\n"  # bad gender
        "钱七,女,C 4,衡南县,abc\n",  # bad certificate and phone
        encoding="utf-8",
    )
    with lvzhi.open(f"sqlite:///{db}", load_entrypoints=False) as office:
        with pytest.raises(ImportProblem) as info:
            office.import_roster(bad)
    rows = {(p.row, p.column) for p in info.value.problems}
    assert rows == {(3, "性别"), (4, "代表证号"), (4, "手机")}
    assert snapshot(db) == before


def test_failure_while_writing_rolls_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "course.db"
    roster = tmp_path / "roster.csv"
    roster.write_text(GOOD, encoding="utf-8")
    from lvzhi.builtins import sqlite as backend

    calls = {"n": 0}
    original = backend.SQLiteRepository.put

    def flaky(self: Any, item: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise StorageError("disk on fire")
        original(self, item)

    with lvzhi.open(f"sqlite:///{db}", load_entrypoints=False) as office:
        before = snapshot(db)
        monkeypatch.setattr(backend.SQLiteRepository, "put", flaky)
        with pytest.raises(StorageError, match="disk on fire"):
            office.import_roster(roster)
    assert calls["n"] == 2
    assert snapshot(db) == before
