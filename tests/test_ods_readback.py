"""Table reports read back from the files a user opens: each exported as .ods and read with
odfpy (the OpenDocument reader LibreOffice's format follows), and as .xlsx read with
openpyxl — sheet names, title row, headers and values."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pendulum
import pytest
from odf import opendocument, table, text  # type: ignore[import-untyped]

import lvzhi
from lvzhi.clock import FixedClock
from lvzhi.samples import Course
from lvzhi.samples.load import load_course
from lvzhi.samples.materials import build_materials


def _cell_text(cell: Any) -> str:
    parts = []
    for p in cell.getElementsByType(text.P):
        parts.append("".join(str(node) for node in p.childNodes))
    return "\n".join(parts)


def ods_sheets(path: Path) -> dict[str, list[list[str]]]:
    """Every table of an .ods file as rows of cell texts (repeated cells expanded, trailing
    empty cells dropped)."""
    doc = opendocument.load(str(path))
    sheets: dict[str, list[list[str]]] = {}
    for sheet in doc.spreadsheet.getElementsByType(table.Table):
        rows: list[list[str]] = []
        for row in sheet.getElementsByType(table.TableRow):
            cells: list[str] = []
            for cell in row.childNodes:
                if cell.qname[1] not in ("table-cell", "covered-table-cell"):
                    continue
                repeat = int(cell.getAttribute("numbercolumnsrepeated") or 1)
                cells += [_cell_text(cell)] * min(repeat, 64)
            while cells and cells[-1] == "":
                cells.pop()
            rows.append(cells)
        sheets[sheet.getAttribute("name")] = rows
    return sheets


def xlsx_sheets(path: Path) -> dict[str, list[list[Any]]]:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return {
            ws.title: [list(row) for row in ws.iter_rows(values_only=True)]
            for ws in book.worksheets
        }
    finally:
        book.close()


@pytest.fixture(scope="module")
def office() -> tuple[lvzhi.Secretariat, Course]:
    clock = FixedClock(pendulum.datetime(2022, 9, 8, 18, 0, tz="Asia/Shanghai"))
    office = lvzhi.open("memory://", clock=clock, load_entrypoints=False)
    course = load_course(office)
    groups = office.groups.form(12)
    first = office.suggestions.submit(
        title="关于增加实务课程的建议",
        body="建议多安排案例教学",
        proposers=list(groups[0].members[:2]),
        group_id=groups[0].id,
        category="代表履职能力",
        aspect="学习培训",
    )
    office.suggestions.assign(first.id, "市人大常委会选举联络工作委员会")
    office.suggestions.submit(title="关于代表联络站建设的建议", proposers=[groups[1].members[0]])
    build_materials(office, course.programme, course)
    return office, course


#: report → (the first sheet's name as lvzhi writes it, its headers, a value in the data)
EXPECTED: dict[str, tuple[str, list[str], str]] = {
    "suggestions": (
        "建议汇总表",
        ["编号", "类别", "方面", "内容", "提出人", "小组", "承办单位", "办理期限", "办理状态"],
        "关于增加实务课程的建议：建议多安排案例教学",
    ),
    "suggestion-stats": ("按类别和方面", ["类别", "方面", "件数"], "学习培训"),
    "handbook": (
        "人大代表履职常识100问",
        ["编号", "部分", "问题", "解答", "依据"],
        "闭会期间代表应当做哪些工作？",
    ),
    "speakers": ("授课及发言安排表", ["日期", "时间", "专题", "角色", "姓名"], "代表履职经验交流"),
    "evaluation-results": ("概况", ["项目", "数值"], "应参评人数"),
    "covers": ("代表履职手册封面", ["序号", "姓名", "代表证号", "代表团", "届次"], "第十六届"),
    "roster": ("代表名册", ["序号"], "HY16-0001"),
    "timetable": ("日程安排表", ["日期"], "开班式"),
}


def _find_header(rows: list[list[Any]], first: str) -> int:
    for index, row in enumerate(rows):
        if row and str(row[0]) == first:
            return index
    raise AssertionError(f"no header row starting {first!r} in {rows[:3]}")


@pytest.mark.parametrize("report", list(EXPECTED))
def test_ods_reads_back_with_odfpy(
    report: str, office: tuple[lvzhi.Secretariat, Course], tmp_path: Path
) -> None:
    secretariat, course = office
    target = tmp_path / f"{report}.ods"
    secretariat.reports.export(report, "ods", target)
    sheets = ods_sheets(target)
    name, headers, value = EXPECTED[report]
    assert name in sheets, list(sheets)
    rows = sheets[name]
    assert course.programme.title in rows[0][0]  # the title row
    at = _find_header(rows, headers[0])
    assert rows[at][: len(headers)] == headers
    assert any(value in cell for row in rows[at + 1 :] for cell in row), value


@pytest.mark.parametrize("report", list(EXPECTED))
def test_xlsx_reads_back_with_openpyxl(
    report: str, office: tuple[lvzhi.Secretariat, Course], tmp_path: Path
) -> None:
    secretariat, course = office
    target = tmp_path / f"{report}.xlsx"
    secretariat.reports.export(report, "xlsx", target)
    sheets = xlsx_sheets(target)
    name, headers, value = EXPECTED[report]
    assert name in sheets, list(sheets)
    rows = sheets[name]
    assert course.programme.title in str(rows[0][0])
    at = _find_header(rows, headers[0])
    assert [str(v) for v in rows[at][: len(headers)]] == headers
    assert any(value in str(cell) for row in rows[at + 1 :] for cell in row if cell is not None)


def test_numbers_stay_numbers(office: tuple[lvzhi.Secretariat, Course], tmp_path: Path) -> None:
    secretariat, _ = office
    target = tmp_path / "results.xlsx"
    secretariat.reports.export("evaluation-results", "xlsx", target)
    by_item = xlsx_sheets(target)["按题目"]
    at = _find_header(by_item, "序号")
    overall = dict(zip(by_item[at], by_item[at + 1], strict=False))
    assert isinstance(overall["平均分"], float) and 1 <= overall["平均分"] <= 5
    assert isinstance(overall["作答人数"], int) and overall["作答人数"] > 280
    target_ods = tmp_path / "results.ods"
    secretariat.reports.export("evaluation-results", "ods", target_ods)
    doc = opendocument.load(str(target_ods))
    kinds = {
        c.getAttribute("valuetype")
        for c in doc.spreadsheet.getElementsByType(table.TableCell)
        if c.getAttribute("valuetype")
    }
    assert {"float", "string"} <= kinds
