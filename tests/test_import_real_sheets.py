"""Rosters as county offices and the garrison really make them: title rows, merged 选举单位
cells, an instructions sheet first, footers, blank separator rows, repeated headers, one
sheet per delegation, CSV in GB18030, Excel's "Unicode 文本" and semicolon-separated files.
Each is imported through the Python API and through ``lvzhi import``."""

from __future__ import annotations

import csv
import importlib
import io
import sqlite3
import zipfile
from collections.abc import Sequence
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

import lvzhi
from lvzhi.cli import main
from lvzhi.domain import Delegate, DelegationKind, Gender
from lvzhi.errors import ImportProblem
from lvzhi.importing import parse_roster, read_grid, unit_from_title
from lvzhi.importing.text import decode_text, detect_delimiter

openpyxl = importlib.import_module("openpyxl")  # no type stubs

TITLE = "衡阳市第十六届人民代表大会代表名册"
HEADER = ["序号", "姓　名", "性别", "民族", "代表证号", "选举单位", "界别", "手机号码", "是否新任"]
FOOTER = "制表单位：衡阳市人大常委会选举联络工作委员会　制表人：刘某　审核：陈某"
NOTE = "注：1. 代表证号以常委会颁发的代表证为准；2. 手机号码仅供会务联系。"

# Three delegations as a county office lists them: the 选举单位 cell is merged down over each
# delegation's rows, so only the first row of each block holds the name.
HENGNAN = [
    [1, "王　毅", "男", "汉族", "0430101", "衡南县", "工人", "138 0013 8001", "是"],
    [2, "欧阳明", "女", "汉族", 430102.0, None, "农民", 13800138002.0, "否"],
    [3, "木沙\u2022买买提", "男", "维吾尔族", "0430103", None, "专业技术人员", "", "是"],
]
LEIYANG = [
    [4, "李 娟", "女", "汉族", "0430201", "耒阳市", "公务员", "+86 139-0734-0001", "否"],
    [5, "张建东", "男", "瑶族", "0430202", None, "基层干部", "(0734)4312345转801", "是"],
]
GARRISON = [
    [6, "刘伟", "男", "汉族", "0430301", "驻衡部队", "解放军", "１３７００１３８０００", "否"],
    [
        7,
        "阿依古丽\u30fb买买提",
        "女",
        "维吾尔族",
        "0430302",
        None,
        "解放军",
        "0086 13700138001",
        "否",
    ],
]

#: What the stored deputies of the workbooks above must be, field by field.
EXPECTED = [
    ("0430101", "王毅", Gender.MALE, "衡南县", "工人", True, "13800138001", "汉族"),
    ("430102", "欧阳明", Gender.FEMALE, "衡南县", "农民", False, "13800138002", "汉族"),
    ("0430103", "木沙·买买提", Gender.MALE, "衡南县", "专业技术人员", True, "", "维吾尔族"),
    ("0430201", "李娟", Gender.FEMALE, "耒阳市", "公务员", False, "13907340001", "汉族"),
    ("0430202", "张建东", Gender.MALE, "耒阳市", "基层干部", True, "0734-4312345-801", "瑶族"),
    ("0430301", "刘伟", Gender.MALE, "驻衡部队", "解放军", False, "13700138000", "汉族"),
    (
        "0430302",
        "阿依古丽·买买提",
        Gender.FEMALE,
        "驻衡部队",
        "解放军",
        False,
        "13700138001",
        "维吾尔族",
    ),
]


def fields(delegates: Sequence[Delegate], units: dict[str, str]) -> list[tuple[Any, ...]]:
    """The deputies as EXPECTED lists them (delegation by name)."""
    return [
        (
            d.certificate_no,
            d.name,
            d.gender,
            units[d.delegation],
            d.sector,
            d.is_new,
            d.phone,
            d.ethnicity,
        )
        for d in delegates
    ]


def title_row(sheet: Any, text: str, width: int) -> None:
    sheet.append([text])
    sheet.merge_cells(
        start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=width
    )


def block(sheet: Any, rows: list[list[Any]], column: int = 6) -> None:
    """Append a delegation's rows and merge its 选举单位 cells down."""
    sheet.append(rows[0])
    first = sheet.max_row  # (an appended blank row does not count in max_row)
    for row in rows[1:]:
        sheet.append(row)
    if len(rows) > 1:
        sheet.merge_cells(
            start_row=first, start_column=column, end_row=sheet.max_row, end_column=column
        )


def footer(sheet: Any, width: int) -> None:
    sheet.append([])
    for text in (FOOTER, NOTE):
        title_row(sheet, text, width)
    sheet.append([None, None, None, None, None, None, None, "2022年8月20日"])


def merged_workbook(path: Path, *, instructions: bool = False) -> Path:
    """Title, header, three merged delegation blocks with a blank row and a repeated header
    (page 2) between them, then the footer.  Rows: 1 title, 2 header, 3–5 衡南县, 6 blank,
    7–8 耒阳市, 9 header again, 10–11 驻衡部队, 12 blank, 13 制表…, 14 注…, 15 date."""
    book = openpyxl.Workbook()
    sheet = book.active
    if instructions:
        sheet.title = "填表说明"
        sheet.append(["填表说明"])
        sheet.append(["1. 姓名：与代表证一致，两字姓名中间不加空格。"])
        sheet.append(["2. 性别：填 男 或 女。"])
        sheet.append(["3. 选举单位：填县市区名称，驻衡部队填“驻衡部队”。"])
        sheet = book.create_sheet("代表名册")
    else:
        sheet.title = "代表名册"
    title_row(sheet, TITLE, len(HEADER))
    sheet.append(HEADER)
    block(sheet, HENGNAN)
    sheet.append([])
    block(sheet, LEIYANG)
    sheet.append(HEADER)
    block(sheet, GARRISON)
    footer(sheet, len(HEADER))
    book.save(path)
    return path


def per_delegation_workbook(path: Path, *, sheet_names: Sequence[str] | None = None) -> Path:
    """One sheet per delegation, no 选举单位 column; the sheets are named after the
    delegations and carry a title such as 衡南县代表团代表名单."""
    header = [h for h in HEADER if h != "选举单位"]
    book = openpyxl.Workbook()
    book.remove(book.active)
    names = sheet_names or ("衡南县", "耒阳市", "驻衡部队")
    for name, unit, rows in zip(
        names, ("衡南县", "耒阳市", "驻衡部队"), (HENGNAN, LEIYANG, GARRISON), strict=True
    ):
        sheet = book.create_sheet(name)
        title_row(sheet, f"{unit}代表团代表名单", len(header))
        sheet.append(header)
        for row in rows:
            sheet.append(row[:5] + row[6:])
        footer(sheet, len(header))
    book.save(path)
    return path


def text_rows(*, delimiter: str = ",") -> list[list[Any]]:
    """The same roster as text rows (every 选举单位 cell filled), with a title, a blank row,
    a repeated header and the footer."""

    def filled(rows: list[list[Any]]) -> list[list[Any]]:
        out = []
        for row in rows:
            cells = ["" if v is None else v for v in row]
            cells[5] = cells[5] or out[-1][5]
            cells[4] = str(cells[4]).removesuffix(".0")
            cells[7] = str(cells[7]).removesuffix(".0")
            out.append(cells)
        return out

    return [
        [TITLE],
        HEADER,
        *filled(HENGNAN),
        [],
        *filled(LEIYANG),
        HEADER,
        *filled(GARRISON),
        [],
        [FOOTER],
        [NOTE],
        ["", "", "", "", "", "", "", "2022年8月20日"],
    ]


def write_text(path: Path, rows: list[list[Any]], *, delimiter: str, encoding: str) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def units_of(office: lvzhi.Secretariat) -> dict[str, str]:
    return {d.code: d.name for d in office.people.delegations()}


# --------------------------------------------------------------------------- the API


def test_merged_delegation_cells_footer_blank_row_and_repeated_header(tmp_path: Path) -> None:
    path = merged_workbook(tmp_path / "名册.xlsx")
    with lvzhi.open("memory://", load_entrypoints=False) as office:
        report = office.imports.roster(path)
        units = units_of(office)
        stored = sorted(office.people.delegates(), key=lambda d: d.certificate_no)
    assert report.delegates == 7
    assert fields(stored, units) == sorted(EXPECTED)
    assert [(s.row, s.kind) for s in report.skipped] == [
        (6, "blank"),
        (9, "header"),
        (13, "footer"),
        (14, "footer"),
        (15, "footer"),
    ]
    assert {s.sheet for s in report.skipped} == {"代表名册"}
    assert "制表单位" in report.skipped[2].reason
    kinds = {d.name: d.kind for d in office_delegations(path)}
    assert kinds == {
        "衡南县": DelegationKind.COUNTY,
        "耒阳市": DelegationKind.CITY,
        "驻衡部队": DelegationKind.GARRISON,
    }


def office_delegations(path: Path) -> Any:
    return parse_roster(path).delegations


def test_merged_cells_are_filled_down_in_the_grid(tmp_path: Path) -> None:
    grid = read_grid(merged_workbook(tmp_path / "名册.xlsx"))
    assert [row[5] for row in grid.rows[2:5]] == ["衡南县"] * 3
    assert [row[5] for row in grid.rows[9:11]] == ["驻衡部队"] * 2
    # a title merged across the sheet stays in its first cell
    assert grid.rows[0][0] == TITLE
    assert grid.rows[0][1:] == (None,) * (len(grid.rows[0]) - 1)


def test_roster_on_the_second_sheet_after_instructions(tmp_path: Path) -> None:
    path = merged_workbook(tmp_path / "名册.xlsx", instructions=True)
    result = parse_roster(path)
    units = {d.code: d.name for d in result.delegations}
    assert fields(result.delegates, units) == EXPECTED
    assert result.sheets == ("代表名册",)
    skipped_sheets = [(s.sheet, s.kind) for s in result.skipped if s.row == 0]
    assert skipped_sheets == [("填表说明", "sheet")]


def test_a_sheet_is_chosen_by_name(tmp_path: Path) -> None:
    path = merged_workbook(tmp_path / "名册.xlsx", instructions=True)
    assert len(parse_roster(path, sheet="代表名册").delegates) == 7
    with pytest.raises(ImportProblem) as info:
        parse_roster(path, sheet="填表说明")
    assert "header" in str(info.value)
    with pytest.raises(ImportProblem) as info:
        parse_roster(path, sheet="名单")
    message = str(info.value)
    assert "名单" in message and "填表说明" in message and "代表名册" in message


def test_no_sheet_with_a_header_lists_the_sheets(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "说明"
    book.active.append(["请按模板填写"])
    book.create_sheet("统计").append(["合计", 346])
    path = tmp_path / "empty.xlsx"
    book.save(path)
    with pytest.raises(ImportProblem) as info:
        parse_roster(path)
    (problem,) = info.value.problems
    assert problem.row == 0
    assert "说明" in problem.reason and "统计" in problem.reason


def test_one_sheet_per_delegation_named_after_it(tmp_path: Path) -> None:
    path = per_delegation_workbook(tmp_path / "分团名册.xlsx")
    with lvzhi.open("memory://", load_entrypoints=False) as office:
        report = office.imports.roster(path)
        units = units_of(office)
        stored = sorted(office.people.delegates(), key=lambda d: d.certificate_no)
    assert fields(stored, units) == sorted(EXPECTED)
    assert report.sheets == ("衡南县", "耒阳市", "驻衡部队")
    assert sorted(units.values()) == ["耒阳市", "衡南县", "驻衡部队"]
    footers = [(s.sheet, s.row) for s in report.skipped if s.kind == "footer"]
    assert footers == [
        ("衡南县", 7), ("衡南县", 8), ("衡南县", 9),
        ("耒阳市", 6), ("耒阳市", 7), ("耒阳市", 8),
        ("驻衡部队", 6), ("驻衡部队", 7), ("驻衡部队", 8),
    ]  # fmt: skip


def test_one_sheet_per_delegation_named_by_its_title(tmp_path: Path) -> None:
    path = per_delegation_workbook(tmp_path / "r.xlsx", sheet_names=("Sheet1", "Sheet2", "Sheet3"))
    result = parse_roster(path)
    units = {d.code: d.name for d in result.delegations}
    assert fields(result.delegates, units) == EXPECTED
    assert [d.kind for d in result.delegations] == [
        DelegationKind.COUNTY,
        DelegationKind.CITY,
        DelegationKind.GARRISON,
    ]


@pytest.mark.parametrize(
    ("title", "unit"),
    [
        ("衡南县代表团代表名单", "衡南县"),
        ("衡阳市第十六届人民代表大会衡南县代表团代表名单", "衡南县"),
        ("驻衡部队代表团　代表名册", "驻衡部队"),
        ("衡阳市第十六届人大代表名册", None),  # the whole congress, not a delegation
        (None, None),
    ],
)
def test_the_delegation_a_title_names(title: str | None, unit: str | None) -> None:
    assert unit_from_title(title) == unit


def test_sheet_names_with_a_number_or_a_count(tmp_path: Path) -> None:
    path = per_delegation_workbook(
        tmp_path / "r.xlsx", sheet_names=("1.衡南县", "2.耒阳市（2人）", "驻衡部队")
    )
    book = openpyxl.load_workbook(path)
    for sheet in book.worksheets:
        sheet["A1"] = "代表名单"  # a title that names no delegation
    book.save(path)
    names = [d.name for d in parse_roster(path).delegations]
    assert names == ["衡南县", "耒阳市", "驻衡部队"]


def test_a_delegation_no_sheet_or_title_names_is_a_problem(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active  # "Sheet"
    sheet.append(["姓名", "性别", "代表证号"])
    sheet.append(["王毅", "男", "C1"])
    path = tmp_path / "r.xlsx"
    book.save(path)
    with pytest.raises(ImportProblem) as info:
        parse_roster(path)
    (problem,) = info.value.problems
    assert (problem.row, problem.column) == (1, "选举单位")
    assert "sheet's name" in problem.reason


def test_bad_rows_of_a_per_delegation_workbook_name_their_sheet(tmp_path: Path) -> None:
    path = per_delegation_workbook(tmp_path / "r.xlsx")
    book = openpyxl.load_workbook(path)
    book["耒阳市"]["G4"] = "12345"  # 手机号码 of 张建东
    book["驻衡部队"]["E3"] = "0430101"  # the certificate number of 王毅 on 衡南县
    book.save(path)
    with pytest.raises(ImportProblem) as info:
        parse_roster(path)
    found = [(p.sheet, p.row, p.column, p.value) for p in info.value.problems]
    assert found == [
        ("衡南县", 3, "代表证号", "0430101"),
        ("耒阳市", 4, "手机号码", "12345"),
    ]
    assert "衡南县 row 3 and 驻衡部队 row 3" in info.value.problems[0].reason


def test_csv_in_gb18030_with_title_footer_and_repeated_header(tmp_path: Path) -> None:
    rows = text_rows()
    rows = [[str(c).replace("\u2022", "·").replace("\u30fb", "·") for c in r] for r in rows]
    path = write_text(tmp_path / "名册.csv", rows, delimiter=",", encoding="gb18030")
    result = parse_roster(path)
    units = {d.code: d.name for d in result.delegations}
    assert fields(result.delegates, units) == EXPECTED
    assert [(s.row, s.kind) for s in result.skipped] == [
        (6, "blank"), (9, "header"), (13, "footer"), (14, "footer"), (15, "footer"),
    ]  # fmt: skip


def test_unicode_text_export_utf16_tab_separated_txt(tmp_path: Path) -> None:
    raw = write_text(tmp_path / "x.txt", text_rows(), delimiter="\t", encoding="utf-16")
    assert raw.read_bytes()[:2] == b"\xff\xfe"  # what Excel writes: UTF-16 LE with BOM
    result = parse_roster(raw)
    units = {d.code: d.name for d in result.delegations}
    assert fields(result.delegates, units) == EXPECTED
    big_endian = write_text(tmp_path / "be.txt", text_rows(), delimiter="\t", encoding="utf-16-be")
    big_endian.write_bytes(b"\xfe\xff" + big_endian.read_bytes())
    assert len(parse_roster(big_endian).delegates) == 7


@pytest.mark.parametrize(
    ("delimiter", "encoding"), [(";", "utf-8"), (";", "utf-8-sig"), ("\t", "gb18030")]
)
def test_other_delimiters_are_detected(tmp_path: Path, delimiter: str, encoding: str) -> None:
    rows = [[str(c).replace("\u2022", "·").replace("\u30fb", "·") for c in r] for r in text_rows()]
    path = write_text(tmp_path / "r.csv", rows, delimiter=delimiter, encoding=encoding)
    result = parse_roster(path)
    assert [d.phone for d in result.delegates] == [e[6] for e in EXPECTED]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark(encoding: str) -> None:
    text = "姓名\t性别\t代表证号\t选举单位\r\n王毅\t男\tC1\t衡南县\r\n"
    assert decode_text(text.encode(encoding)) == text
    result = parse_roster(text.encode(encoding), format="txt")
    assert [(d.name, d.certificate_no) for d in result.delegates] == [("王毅", "C1")]


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("标题\n姓名,性别,证号\n王毅,男,C1\n", ","),
        ("标题\n姓名\t性别\t职务\n王毅\t男\t主任, 书记\n李强\t男\t县长, 副书记\n", "\t"),
        ('姓名;性别;职务\n王毅;男;"主任; 书记"\n', ";"),
    ],
)
def test_the_separator_is_detected(text: str, delimiter: str) -> None:
    assert detect_delimiter(text) == delimiter


def test_semicolon_file_whose_cells_hold_commas(tmp_path: Path) -> None:
    text = (
        "姓名;性别;代表证号;选举单位;职务\n"
        "王毅;男;C1;衡南县;衡南县人大常委会主任, 党组书记\n"
        "李强;男;C2;衡南县;县长, 县委副书记\n"
    )
    path = tmp_path / "r.txt"
    path.write_text(text, encoding="utf-8")
    titles = [d.title for d in parse_roster(path).delegates]
    assert titles == ["衡南县人大常委会主任, 党组书记", "县长, 县委副书记"]


def test_a_header_without_deputies_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text(f"{TITLE}\n" + ",".join(HEADER) + f"\n\n{FOOTER}\n", encoding="utf-8")
    with pytest.raises(ImportProblem) as info:
        parse_roster(path)
    (problem,) = info.value.problems
    assert "no deputies" in problem.reason


def with_cached_value(path: Path, cell: str, value: str) -> None:
    """Give a formula cell the cached value a spreadsheet program stores when it saves."""
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    xml = members[sheet].decode("utf-8")
    start = xml.index(f'<c r="{cell}"')
    end = xml.index("</c>", start)
    old = xml[start:end]
    new = old.replace("<v></v>", "").replace("<v />", "").replace("<v/>", "")
    new = new.replace(f'<c r="{cell}"', f'<c r="{cell}" t="str"', 1) + f"<v>{value}</v>"
    members[sheet] = (xml[:start] + new + xml[end:]).encode("utf-8")
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def test_formulas_are_read_by_their_saved_value(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["姓名", "性别", "代表证号", "选举单位"])
    sheet.append(["王毅", "男", '="0430"&"101"', "衡南县"])
    sheet.append(["李强", "男", '="0430"&"102"', "衡南县"])
    path = tmp_path / "f.xlsx"
    book.save(path)
    with_cached_value(path, "C2", "0430101")
    with pytest.raises(ImportProblem) as info:
        parse_roster(path)
    (problem,) = info.value.problems
    assert (problem.row, problem.column) == (3, "代表证号")
    assert "C3" in problem.reason and "formula" in problem.reason
    with_cached_value(path, "C3", "0430102")
    assert [d.certificate_no for d in parse_roster(path).delegates] == ["0430101", "0430102"]


def test_ods_cells_merged_down_are_filled(tmp_path: Path) -> None:
    opendocument = importlib.import_module("odf.opendocument")
    table = importlib.import_module("odf.table")
    text = importlib.import_module("odf.text")
    doc = opendocument.OpenDocumentSpreadsheet()
    sheet = table.Table(name="代表名册")
    rows: list[list[Any]] = [
        ["姓名", "性别", "代表证号", "选举单位"],
        ["王毅", "男", "C1", ("衡南县", 2)],
        ["李强", "男", "C2", None],  # covered by the merged cell above
        ["赵六", "女", "C3", "耒阳市"],
    ]
    for cells in rows:
        row = table.TableRow()
        for value in cells:
            if value is None:
                row.addElement(table.CoveredTableCell())
                continue
            value, down = value if isinstance(value, tuple) else (value, 1)
            cell = table.TableCell(valuetype="string", numberrowsspanned=down)
            cell.addElement(text.P(text=value))
            row.addElement(cell)
        sheet.addElement(row)
    doc.spreadsheet.addElement(sheet)
    path = tmp_path / "r.ods"
    doc.save(str(path))
    result = parse_roster(path)
    units = {d.code: d.name for d in result.delegations}
    assert [(d.name, units[d.delegation]) for d in result.delegates] == [
        ("王毅", "衡南县"),
        ("李强", "衡南县"),
        ("赵六", "耒阳市"),
    ]


def test_problems_of_a_one_sheet_workbook_do_not_name_blank_sheets(tmp_path: Path) -> None:
    path = merged_workbook(tmp_path / "r.xlsx")
    book = openpyxl.load_workbook(path)
    book.create_sheet("Sheet2")
    book.create_sheet("Sheet3")
    book["代表名册"]["C4"] = "未知"
    book.save(path)
    with pytest.raises(ImportProblem) as info:
        parse_roster(path)
    assert [(p.sheet, p.row, p.column) for p in info.value.problems] == [(None, 4, "性别")]


# --------------------------------------------------------------------------- the command


def test_cli_imports_a_real_workbook_and_summarises_skipped_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = merged_workbook(tmp_path / "名册.xlsx", instructions=True)
    db = tmp_path / "course.db"
    assert main(["import", str(path), "--db", f"sqlite:///{db}"]) == 0
    out = capsys.readouterr().out
    assert "imported 7 deputies" in out
    assert "skipped 5 rows" in out
    assert "row 13" in out and "制表单位" in out
    with closing(sqlite3.connect(db)) as con:
        assert con.execute("select count(*) from delegates").fetchone() == (7,)


def test_cli_sheet_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = per_delegation_workbook(tmp_path / "r.xlsx")
    db = f"sqlite:///{tmp_path / 'c.db'}"
    assert main(["import", str(path), "--sheet", "耒阳市", "--db", db]) == 0
    assert "imported 2 deputies" in capsys.readouterr().out
    assert main(["import", str(path), "--sheet", "祁东县", "--db", db]) == 1
    err = capsys.readouterr().err
    assert "祁东县" in err and "衡南县" in err and "Traceback" not in err


def test_cli_reads_unicode_text_and_rejects_bad_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = text_rows()
    rows[3][7] = "12345"  # 欧阳明's phone
    rows[6][1] = "李\u200b娟"  # a zero-width space inside a name
    path = write_text(tmp_path / "名册.txt", rows, delimiter="\t", encoding="utf-16")
    db = tmp_path / "c.db"
    assert main(["import", str(path), "--db", f"sqlite:///{db}"]) == 1
    err = capsys.readouterr().err
    lines = [line.strip() for line in err.splitlines()]
    assert lines[0].endswith("2 problem(s), nothing was imported")
    assert lines[1].startswith("row 4, column “手机号码”")
    assert lines[2].startswith("row 7, column “姓\u3000名”: contains U+200B (ZERO WIDTH SPACE)")
    with closing(sqlite3.connect(db)) as con:
        assert con.execute("select count(*) from delegates").fetchone() == (0,)
