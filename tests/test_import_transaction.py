"""Acceptance: a roster with errors leaves every table exactly as it was, and a failure in
the middle of writing rolls the whole import back."""

from __future__ import annotations

import importlib
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import lvzhi
from lvzhi.errors import ImportProblem, StorageError

openpyxl = importlib.import_module("openpyxl")  # no type stubs

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


def big_roster(path: Path, size: int, *, phone: str = "138") -> Path:
    """``size`` deputies in two delegations, one of them new to the database."""
    lines = ["姓名,性别,代表证号,选举单位,手机"]
    for n in range(size):
        unit = "衡南县" if n % 2 else "祁东县"
        lines.append(f"代表{n},{'男' if n % 3 else '女'},C{n + 1},{unit},{phone}{n:08d}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    return path


def test_bad_roster_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "course.db"
    good = tmp_path / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    with lvzhi.open(f"sqlite:///{db}", load_entrypoints=False) as office:
        office.imports.roster(good)
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
            office.imports.roster(bad)
    rows = {(p.row, p.column) for p in info.value.problems}
    assert rows == {(3, "性别"), (4, "代表证号"), (4, "手机")}
    assert snapshot(db) == before


def test_failure_while_writing_rolls_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The deputies are written in several batches; the second batch fails.  The first
    batch, the new delegation and the event are all gone."""
    db = tmp_path / "course.db"
    roster = big_roster(tmp_path / "roster.csv", 12_000)
    from lvzhi.builtins import sqlite as backend

    calls = {"n": 0}
    original = backend.SQLiteRepository.put_many

    def flaky(self: Any, items: Any) -> int:
        calls["n"] += 1
        if calls["n"] == 2:
            raise StorageError("disk on fire")
        return original(self, items)

    with lvzhi.open(f"sqlite:///{db}", load_entrypoints=False) as office:
        before = snapshot(db)
        monkeypatch.setattr(backend.SQLiteRepository, "put_many", flaky)
        with pytest.raises(StorageError, match="disk on fire"):
            office.imports.roster(roster)
        assert calls["n"] == 2
        assert snapshot(db) == before
        monkeypatch.undo()
        # Nothing is left locked or half-done: the same import then succeeds.
        report = office.imports.roster(roster)
    assert (report.created, report.updated) == (12_000, 0)
    assert len(snapshot(db)["delegates"]) == 12_000


def test_failed_update_keeps_the_previous_import(tmp_path: Path) -> None:
    """A re-import that fails part-way (here: its progress callback raises after the first
    batch) leaves the deputies of the previous import exactly as they were."""
    db = tmp_path / "course.db"
    with lvzhi.open(f"sqlite:///{db}", load_entrypoints=False) as office:
        office.imports.roster(big_roster(tmp_path / "first.csv", 12_000))
        before = snapshot(db)
        seen: list[tuple[int, int]] = []

        def progress(done: int, total: int) -> None:
            seen.append((done, total))
            raise KeyboardInterrupt  # the user gave up

        changed = big_roster(tmp_path / "second.csv", 12_000, phone="139")
        with pytest.raises(KeyboardInterrupt):
            office.imports.roster(changed, progress=progress)
        assert len(seen) == 1
        assert 0 < seen[0][0] < 12_000 == seen[0][1]  # stopped after a first batch
        assert snapshot(db) == before
        assert office.people.delegate("C1").phone == "13800000000"


# --------------------------------------------------------------------------- real sheets

HEADER = ["序号", "姓名", "性别", "代表证号", "选举单位", "手机"]
FOOTER = "制表单位：衡阳市人大常委会选举联络工作委员会　制表人：刘某　审核：陈某"


def merged_with_a_bad_phone(path: Path) -> tuple[Path, set[tuple[str | None, int, str | None]]]:
    """Title, merged 选举单位 cells, a blank row, the header again, a footer; one phone of
    five digits."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["衡阳市第十六届人民代表大会代表名册"])
    sheet.append(HEADER)
    sheet.append([1, "王毅", "男", "C1", "祁东县", "13800138000"])  # row 3, new delegation
    sheet.append([2, "赵六", "男", "C3", None, "12345"])  # row 4: bad phone
    sheet.merge_cells("E3:E4")
    sheet.append([])
    sheet.append(HEADER)
    sheet.append([3, "钱七", "女", "C4", "衡南县", "0734-8123456"])
    sheet.append([])
    sheet.append([FOOTER])
    book.save(path)
    return path, {(None, 4, "手机")}


def duplicated_certificates(path: Path) -> tuple[Path, set[tuple[str | None, int, str | None]]]:
    lines = ["姓名,性别,代表证号,选举单位"]
    lines += [f"代表{n},男,C{n // 2 + 10},祁东县" for n in range(40)]
    path.with_suffix(".csv").write_text("\n".join(lines) + "\n", encoding="gb18030")
    return path.with_suffix(".csv"), {(None, 2 + 2 * k, "代表证号") for k in range(20)}


def per_delegation_with_a_bad_sheet(
    path: Path,
) -> tuple[Path, set[tuple[str | None, int, str | None]]]:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for unit, rows in (
        ("祁东县", [["孙八", "男", "C5", "13800138005"]]),
        ("耒阳市", [["周九", "女", "C6", "+86 139 0000 0006"], ["李\u200b娟", "女", "C7", ""]]),
    ):
        sheet = book.create_sheet(unit)
        sheet.append([f"{unit}代表团代表名单"])
        sheet.append(["姓名", "性别", "代表证号", "手机"])
        for row in rows:
            sheet.append(row)
        sheet.append([FOOTER])
    book.save(path)
    return path, {("耒阳市", 4, "姓名")}


def formula_without_a_value(path: Path) -> tuple[Path, set[tuple[str | None, int, str | None]]]:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["姓名", "性别", "代表证号", "选举单位"])
    sheet.append(["孙八", "男", "C5", "祁东县"])
    sheet.append(["周九", "女", '="C"&"6"', "祁东县"])
    book.save(path)
    return path, {(None, 3, "代表证号")}


def header_and_footer_only(path: Path) -> tuple[Path, set[tuple[str | None, int, str | None]]]:
    path = path.with_suffix(".txt")
    text = "衡阳市第十六届人民代表大会代表名册\n姓名\t性别\t代表证号\t选举单位\n\n" + FOOTER + "\n"
    path.write_bytes(text.encode("utf-16"))
    return path, {(None, 0, None)}


Case = Callable[[Path], tuple[Path, set[tuple[str | None, int, str | None]]]]


@pytest.mark.parametrize(
    "case",
    [
        merged_with_a_bad_phone,
        duplicated_certificates,
        per_delegation_with_a_bad_sheet,
        formula_without_a_value,
        header_and_footer_only,
    ],
)
def test_a_refused_real_sheet_changes_nothing(tmp_path: Path, case: Case) -> None:
    db = tmp_path / "course.db"
    good = tmp_path / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    with lvzhi.open(f"sqlite:///{db}", load_entrypoints=False) as office:
        office.imports.roster(good)
    before = snapshot(db)
    path, expected = case(tmp_path / "bad.xlsx")
    with lvzhi.open(f"sqlite:///{db}", load_entrypoints=False) as office:
        with pytest.raises(ImportProblem) as info:
            office.imports.roster(path)
    assert {(p.sheet, p.row, p.column) for p in info.value.problems} == expected
    assert snapshot(db) == before
