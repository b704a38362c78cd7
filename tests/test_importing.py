"""Roster import: formats, header detection, normalisation and error reports."""

from __future__ import annotations

import importlib
import io
from pathlib import Path
from typing import Any

import pytest
import tablib

from lvzhi.domain import DelegationKind, Gender
from lvzhi.errors import ImportProblem, RowProblem
from lvzhi.importing import (
    derive_codes,
    detect_header,
    match_header,
    parse_roster,
    read_grid,
    read_table,
)

openpyxl = importlib.import_module("openpyxl")  # no type stubs

TITLE = "衡阳市第十六届人大代表名册"
CN_HEADER = ["序号", "姓　名", "性别", "代表证号", "选举单位", "界别", "手机号码", "是否新任"]
CN_ROWS: list[list[Any]] = [
    [1, "王　毅", "男", 430400001.0, "衡南县", "工人", 13812345678.0, "是"],
    [2, "李 娟", "女", "430400002", "衡阳县", "农民", "1.3812345679E10", "否"],
    [3, "张三", "女", 430400003, "衡南县", "", 13812345670, "✓"],
    [4, "Li Ming", "M", "430400004.0", "驻衡部队", "解放军", "138-1234-5671", "连任"],
]


def write_xlsx(path: Path, header: list[Any], rows: list[list[Any]], *, title: bool = True) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    if title:
        sheet.append([TITLE])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
        sheet.append([])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def csv_text(header: list[Any], rows: list[list[Any]], *, title: bool = True) -> str:
    buffer = io.StringIO()
    import csv

    writer = csv.writer(buffer)
    if title:
        writer.writerow([TITLE])
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buffer.getvalue()


def check_cn(result: Any) -> None:
    assert [d.name for d in result.delegates] == ["王毅", "李娟", "张三", "Li Ming"]
    assert [d.certificate_no for d in result.delegates] == [
        "430400001",
        "430400002",
        "430400003",
        "430400004",
    ]
    assert [d.phone for d in result.delegates] == [
        "13812345678",
        "13812345679",
        "13812345670",
        "13812345671",
    ]
    assert [d.is_new for d in result.delegates] == [True, False, True, False]
    assert [d.gender for d in result.delegates] == [
        Gender.MALE,
        Gender.FEMALE,
        Gender.FEMALE,
        Gender.MALE,
    ]
    assert [(d.code, d.name, d.order) for d in result.delegations] == [
        ("d01", "衡南县", 0),
        ("d02", "衡阳县", 0),
        ("d03", "驻衡部队", 0),
    ]
    assert [d.delegation for d in result.delegates] == ["d01", "d02", "d01", "d03"]


def test_xlsx_with_merged_title_row(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "名册.xlsx", [*CN_HEADER, "备注"], [[*r, "x"] for r in CN_ROWS])
    result = parse_roster(path)
    check_cn(result)
    assert result.header_row == 3
    assert result.ignored_columns == ("备注",)
    assert result.columns["name"] == "姓　名"
    assert result.format == "xlsx"
    assert result.delegations[0].kind is DelegationKind.COUNTY
    assert result.delegations[2].kind is DelegationKind.GARRISON


def test_xlsx_from_bytes_and_stream_is_sniffed(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "r.bin", CN_HEADER, CN_ROWS)
    check_cn(parse_roster(path.read_bytes()))
    with path.open("rb") as stream:
        check_cn(parse_roster(stream))


def test_csv_utf8_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_bytes(b"\xef\xbb\xbf" + csv_text(CN_HEADER, CN_ROWS).encode("utf-8"))
    result = parse_roster(path)
    check_cn(result)
    assert result.header_row == 2


def test_csv_utf8_without_bom(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_bytes(csv_text(CN_HEADER, CN_ROWS, title=False).encode("utf-8"))
    assert parse_roster(path).header_row == 1


@pytest.mark.parametrize("encoding", ["gbk", "gb18030"])
def test_csv_saved_by_chinese_excel(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "r.csv"
    rows = [["新任" if v == "✓" else v for v in row] for row in CN_ROWS]  # ✓ is not in GBK
    path.write_bytes(csv_text(CN_HEADER, rows).encode(encoding))
    check_cn(parse_roster(path))


def test_ods(tmp_path: Path) -> None:
    # written by tablib: title row, an empty row, then the header
    data = tablib.Dataset()
    data.append([TITLE] + [""] * (len(CN_HEADER) - 1))
    data.append([""] * len(CN_HEADER))
    data.append(CN_HEADER)
    for row in CN_ROWS:
        data.append(row)
    path = tmp_path / "r.ods"
    path.write_bytes(data.export("ods"))
    result = parse_roster(path)
    check_cn(result)
    assert result.header_row == 3


def test_english_headers_any_case_and_spacing(tmp_path: Path) -> None:
    header = ["No.", " NAME ", "Sex", "Certificate No", "Delegation", "Sector", "Mobile", "IS_NEW"]
    rows = [
        [1, "Wang Yi", "male", "c1", "Hengnan", "x", "+86 138 1234 5678", "yes"],
        [2, "Li Juan", "F", "c2", "Hengyang", "", None, "N"],
    ]
    result = parse_roster(write_xlsx(tmp_path / "en.xlsx", header, rows, title=False))
    assert [d.name for d in result.delegates] == ["Wang Yi", "Li Juan"]
    assert [d.phone for d in result.delegates] == ["13812345678", ""]
    assert [d.is_new for d in result.delegates] == [True, False]


def test_optional_columns(tmp_path: Path) -> None:
    header = ["姓名", "性别", "证号", "代表团", "职务", "民族", "邮箱"]
    rows = [["王毅", "男", "c1", "衡南县", "县长", "汉族", "w@example.org"]]
    (d,) = parse_roster(write_xlsx(tmp_path / "o.xlsx", header, rows)).delegates
    assert (d.title, d.ethnicity, d.email) == ("县长", "汉族", "w@example.org")


def test_known_delegation_codes_are_used_and_skipped(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "r.xlsx", CN_HEADER, CN_ROWS)
    result = parse_roster(path, delegation_codes={"衡阳县": "d01", "驻衡部队": "army"})
    assert [(d.code, d.name) for d in result.delegations] == [
        ("d02", "衡南县"),
        ("d01", "衡阳县"),
        ("army", "驻衡部队"),
    ]
    assert [d.name for d in result.new_delegations] == ["衡南县"]


def test_blank_rows_are_skipped_and_row_numbers_kept(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        CN_ROWS[0],
        [None] * 8,
        ["", " ", None],
        [5, "赵六", "X", "c5", "衡南县"],
    ]
    path = write_xlsx(tmp_path / "r.xlsx", CN_HEADER, rows)
    with pytest.raises(ImportProblem) as info:
        parse_roster(path)
    assert info.value.problems == (RowProblem(7, "性别", "X", info.value.problems[0].reason),)


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        CN_ROWS[0],  # row 4: fine
        [2, "李娟", "未知", "430400002", "衡阳县", "", "13812345679", "否"],  # bad gender
        [3, "张三", "女", "430400003", "衡南县", "", "call me", "否"],  # bad phone
        [4, "", "男", "430400004", "衡南县", "", "", "maybe"],  # empty name, bad flag
        [5, "赵六", "男", "bad number!", "", "", "", ""],  # bad certificate, empty unit
    ]
    path = write_xlsx(tmp_path / "bad.xlsx", CN_HEADER, rows)
    with pytest.raises(ImportProblem) as info:
        parse_roster(path, source_name="bad.xlsx")
    error = info.value
    found = {(p.row, p.column, p.value) for p in error.problems}
    assert found == {
        (5, "性别", "未知"),
        (6, "手机号码", "call me"),
        (7, "姓　名", None),  # openpyxl stores "" as an empty cell
        (7, "是否新任", "maybe"),
        (8, "代表证号", "bad number!"),
        (8, "选举单位", None),
    }
    assert [p.row for p in error.problems] == sorted(p.row for p in error.problems)
    text = str(error)
    assert text.startswith("bad.xlsx: 6 problem(s)")
    assert "row 6, column “手机号码”" in text
    assert "row 7, column “姓\u3000名”: required value is empty\n" in text
    assert "'call me'" in text


def test_duplicate_certificate_numbers_are_one_problem_naming_both_rows(tmp_path: Path) -> None:
    rows = [CN_ROWS[0], CN_ROWS[1], [9, "重复", "男", 430400001, "衡南县", "", "", "否"]]
    path = write_xlsx(tmp_path / "dup.xlsx", CN_HEADER, rows)
    with pytest.raises(ImportProblem) as info:
        parse_roster(path)
    assert info.value.problems == (
        RowProblem(4, "代表证号", "430400001", "certificate number 430400001 is on rows 4 and 6"),
    )


def test_missing_required_column(tmp_path: Path) -> None:
    header = ["序号", "姓名", "性别", "选举单位"]
    path = write_xlsx(tmp_path / "m.xlsx", header, [[1, "王毅", "男", "衡南县"]])
    with pytest.raises(ImportProblem) as info:
        parse_roster(path)
    (problem,) = info.value.problems
    assert problem.column == "代表证号"
    assert problem.row == 3
    assert "missing" in problem.reason


def test_no_header_row(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(ImportProblem) as info:
        parse_roster(path)
    assert info.value.problems[0].row == 0
    assert "header" in info.value.problems[0].reason


def test_unreadable_and_xls_files() -> None:
    with pytest.raises(ImportProblem, match="xlsx"):
        parse_roster(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    with pytest.raises(ImportProblem, match="cannot read"):
        parse_roster(b"PK\x03\x04 not really a zip", format="xlsx")


def test_read_table_drops_title_and_blank_rows(tmp_path: Path) -> None:
    rows: list[list[Any]] = [CN_ROWS[0], [None] * 8, CN_ROWS[1]]
    data = read_table(write_xlsx(tmp_path / "r.xlsx", CN_HEADER, rows))
    assert data.headers == CN_HEADER
    assert data.title == TITLE
    assert data.height == 2
    assert data[1][1] == "李 娟"


def test_read_grid_keeps_spreadsheet_row_numbers(tmp_path: Path) -> None:
    grid = read_grid(write_xlsx(tmp_path / "r.xlsx", CN_HEADER, CN_ROWS))
    assert grid.rows[0][0] == TITLE
    assert detect_header(grid.rows) == 2


@pytest.mark.parametrize(
    ("cell", "field"),
    [
        ("姓　名", "name"),
        (" 代表证号 ", "certificate_no"),
        ("Certificate_No", "certificate_no"),
        ("ＮＡＭＥ", "name"),
        ("联系电话", "phone"),
        ("新任", "is_new"),
        ("备注", None),
        (None, None),
    ],
)
def test_match_header(cell: Any, field: str | None) -> None:
    assert match_header(cell) == field


def test_cells_of_different_types_are_read_each_on_its_own(tmp_path: Path) -> None:
    """Text cells are cleaned once per distinct text; numbers and booleans that compare
    equal to them (1, 1.0, True) are still read by their own rules."""
    header = ["姓名", "性别", "代表证号", "选举单位", "界别", "是否新任"]
    rows: list[list[Any]] = [
        ["甲", "男", "c1", "衡南县", "1", "1"],
        ["乙", "女", "c2", "衡南县", 1, 1],
        ["丙", "男", "c3", "衡南县", True, True],
        ["丁", "女", "c4", "衡南县", 1.5, 0],
        ["戊", "男", "c5", "衡南县", "1", "否"],
    ]
    result = parse_roster(write_xlsx(tmp_path / "t.xlsx", header, rows))
    assert [d.sector for d in result.delegates] == ["1", "1", "是", "1.5", "1"]
    assert [d.is_new for d in result.delegates] == [True, True, True, False, False]


def test_short_rows_and_rows_of_empty_cells_in_csv(tmp_path: Path) -> None:
    text = (
        "姓名,性别,代表证号,选举单位,界别,手机\n"
        "王毅,男,C1,衡南县\n"  # trailing cells missing
        ",,,,,\n"  # wholly empty: skipped, row numbers kept
        "李强,男,C2,衡南县,工人,13812345678\n"
        "赵六,男,,衡南县\n"  # short and missing a required value
    )
    path = tmp_path / "short.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ImportProblem) as info:
        parse_roster(path)
    assert [(p.row, p.column) for p in info.value.problems] == [(5, "代表证号")]
    path.write_text(text.rsplit("赵六", 1)[0], encoding="utf-8")
    result = parse_roster(path)
    assert [(d.certificate_no, d.sector, d.phone) for d in result.delegates] == [
        ("C1", "", ""),
        ("C2", "工人", "13812345678"),
    ]


def test_derive_codes_numbers_new_names_in_order_skipping_taken_codes() -> None:
    known = {"衡阳县": "d02", "驻衡部队": "d01"}
    names = ["衡南县", "衡阳县", "祁东县", "衡南县", "驻衡部队", "耒阳市"]
    assert derive_codes(names, known) == {
        "衡南县": "d03",
        "衡阳县": "d02",
        "祁东县": "d04",
        "驻衡部队": "d01",
        "耒阳市": "d05",
    }
    assert derive_codes([], known) == {}
