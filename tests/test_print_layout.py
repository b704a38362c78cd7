"""Exports a clerk prints: the print layout of xlsx and ods, read back, and a realistic course
printed to PDF by LibreOffice the way a clerk prints it, every text whole on A4 pages."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import tablib
from odf.opendocument import load as load_ods

import lvzhi
from lvzhi import hookimpl
from lvzhi.builtins import xlsx
from lvzhi.builtins.exporters import exporters
from lvzhi.builtins.xlsx import FOOTER
from lvzhi.ports import ReportContext
from lvzhi.reports import heading, prepare
from lvzhi.reports.layout import (
    LANDSCAPE_OVER,
    MAX_WIDTH,
    MIN_WIDTH,
    columns,
    heading_text,
    is_landscape,
    text_width,
)
from lvzhi.samples.load import load_course
from lvzhi.testing.contracts.exporter import read_workbook

PROGRAMME = "衡阳市第十六届人大代表（新任代表）履职培训班"
REPORTS = ("roster", "timetable", "delegations", "groups")
TOOLS = ("soffice", "pdftotext", "pdfinfo")


def by_format() -> dict[str, Any]:
    return {e.format: e for e in exporters()}


def cjk_width(text: str) -> int:
    """The width rule of the forms, computed independently: wide and full-width characters
    count 2, every other 1."""
    return max(
        sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
        for line in str(text).split("\n")
    )


# -- the layout rules -------------------------------------------------------------------


def test_heading_text_joins_the_programme_and_the_table_with_a_full_width_space() -> None:
    assert heading_text("代表名册", PROGRAMME) == f"{PROGRAMME}\u3000代表名册"
    assert heading_text("代表名册") == "代表名册"
    assert heading_text("代表名册", "  ") == "代表名册"
    assert heading_text(f"{PROGRAMME}日程安排表", PROGRAMME) == f"{PROGRAMME}日程安排表"


def test_text_width_counts_cjk_characters_twice() -> None:
    assert text_width("HY16-0001") == 9
    assert text_width("王毅") == 4
    assert text_width("2022年9月6日（星期二）") == 22
    assert text_width("第一行\n第二行很长") == 10
    for text in ("欧阳·明", "é", "①②", "《人大代表履职常识100问》"):
        assert text_width(text) >= cjk_width(text)


def test_columns_fit_the_widest_text_and_wrap_beyond_the_cap() -> None:
    long = "人大代表" * 20
    data = tablib.Dataset(
        (1, "王毅", long, "是"),
        (12, "欧阳明明", "短", "否"),
        headers=["序号", "姓名", "内容", "新任"],
    )
    number, name, body, new = columns(data)
    assert number.width >= 4 and number.centred and not number.wraps
    assert name.width >= cjk_width("欧阳明明") + 2 and not name.centred
    assert (body.width, body.wraps) == (MAX_WIDTH, True)
    assert new.centred and MIN_WIDTH <= new.width <= cjk_width("新任") + 3
    assert not is_landscape([number, name, new])
    assert is_landscape(columns(tablib.Dataset(headers=["长" * 30] * 4)))


def test_prepare_titles_every_sheet_for_the_programme() -> None:
    single = tablib.Dataset(headers=["序号"], title="代表名册")
    assert heading(prepare(single, spreadsheet=True, timezone="UTC")) == "代表名册"
    titled = prepare(single, spreadsheet=True, timezone="UTC", programme_title=PROGRAMME)
    assert heading(titled) == f"{PROGRAMME}\u3000代表名册"
    assert heading(prepare(titled, spreadsheet=True, timezone="UTC")) == heading(titled)
    untitled = prepare(
        tablib.Dataset(headers=["序号"]), spreadsheet=True, timezone="UTC", report_title="新名单"
    )
    assert heading(untitled) == "新名单"
    book = tablib.Databook(
        [tablib.Dataset(headers=["序号"], title=t) for t in ("第一组", "第二组")]
    )
    sheets = prepare(
        book, spreadsheet=False, timezone="UTC", programme_title=PROGRAMME, report_title="分组名单"
    ).sheets()
    assert [heading(s) for s in sheets] == [
        f"{PROGRAMME}\u3000分组名单（第一组）",
        f"{PROGRAMME}\u3000分组名单（第二组）",
    ]
    assert [s.title for s in sheets] == ["第一组", "第二组"]  # sheet names are unchanged
    hostile = prepare(single, spreadsheet=True, timezone="UTC", programme_title="=1+1")
    assert heading(hostile) == "'=1+1\u3000代表名册"


# -- xlsx and ods read back -------------------------------------------------------------


def form() -> tablib.Dataset:
    data = tablib.Dataset(
        (1, "王毅", "全过程人民民主专题辅导" * 4, "第一行\n第二行"),
        (2, "欧阳明明", "短", ""),
        headers=["序号", "姓名", "内容", "备注"],
        title="代表名册",
    )
    return prepare(data, spreadsheet=True, timezone="UTC", programme_title=PROGRAMME)


def test_xlsx_sheet_is_a_printed_form() -> None:
    sheet = openpyxl.load_workbook(io.BytesIO(by_format()["xlsx"].export(form()))).active
    assert sheet["A1"].value == f"{PROGRAMME}\u3000代表名册"
    assert [str(r) for r in sheet.merged_cells.ranges] == ["A1:D1"]
    widths = {c: sheet.column_dimensions[c].width for c in "ABCD"}
    size = sheet["A1"].font.sz
    assert sheet["A1"].font.b and 12 <= size < 16  # smaller, to stay on one line
    assert cjk_width(sheet["A1"].value) * size / 10 <= sum(widths.values())
    assert sheet["A1"].alignment.horizontal == "center"
    assert sheet.row_dimensions[1].height >= size
    assert [c.value for c in sheet[2]] == ["序号", "姓名", "内容", "备注"]
    assert all(c.font.b and c.border.bottom.style == "thin" for c in sheet[2])
    assert sheet.freeze_panes == "A3"
    assert sheet.print_title_rows == "$2:$2"
    for row in sheet.iter_rows(min_row=2, max_row=4):
        for cell in row:
            assert {cell.border.left.style, cell.border.right.style} == {"thin"}, cell
            assert {cell.border.top.style, cell.border.bottom.style} == {"thin"}, cell
            assert cell.alignment.wrap_text, cell
    assert sheet["A1"].border.left is None or sheet["A1"].border.left.style is None
    assert sheet["A3"].alignment.horizontal == "center"  # 序号: short, centred
    assert sheet["B3"].alignment.horizontal is None
    assert widths["B"] >= cjk_width("欧阳明明")
    assert widths["C"] == MAX_WIDTH  # wraps instead
    assert widths["D"] >= cjk_width("第一行")
    assert sheet["D3"].value == "第一行\n第二行"
    setup = sheet.page_setup
    assert (setup.paperSize, setup.orientation) == (9, "portrait")
    assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert sheet.print_options.horizontalCentered is True
    assert sheet.oddFooter.center.text == FOOTER == "第 &P 页，共 &N 页"
    margins = sheet.page_margins
    assert 0.4 <= margins.left <= 1 and 0.4 <= margins.top <= 1.2
    assert {"表格标题", "表头", "表格", "表格居中"} <= set(sheet.parent.named_styles)


def test_xlsx_short_title_is_large() -> None:
    data = tablib.Dataset((1, "王毅", "衡南县"), headers=["序号", "姓名", "选举单位"], title="名册")
    sheet = openpyxl.load_workbook(io.BytesIO(by_format()["xlsx"].export(data))).active
    assert (sheet["A1"].value, sheet["A1"].font.sz, sheet["A1"].style) == ("名册", 16, "表格标题")


def test_xlsx_wide_table_is_landscape_and_a_long_title_gets_room() -> None:
    wide = tablib.Dataset(
        ("x",) * 9, headers=[f"很长的列名第{n}列" for n in range(9)], title="宽表"
    )
    ready = prepare(wide, spreadsheet=True, timezone="UTC", programme_title=PROGRAMME * 3)
    sheet = openpyxl.load_workbook(io.BytesIO(by_format()["xlsx"].export(ready))).active
    assert sum(sheet.column_dimensions[c].width for c in "ABCDEFGHI") > LANDSCAPE_OVER
    assert sheet.page_setup.orientation == "landscape"
    assert sheet["A1"].alignment.wrap_text
    assert sheet.row_dimensions[1].height > 30  # two lines of the title font


def ods_tables(payload: bytes) -> Iterator[Any]:
    for element in load_ods(io.BytesIO(payload)).spreadsheet.childNodes:
        if element.qname[1] == "table":
            yield element


def children(element: Any, name: str) -> list[Any]:
    return [c for c in element.childNodes if c.qname[1] == name]


def test_ods_sheet_is_a_printed_form() -> None:
    payload = by_format()["ods"].export(form())
    doc = load_ods(io.BytesIO(payload))
    (sheet,) = ods_tables(payload)
    title_row = children(sheet, "table-row")[0]
    title = children(title_row, "table-cell")[0]
    assert str(title) == f"{PROGRAMME}\u3000代表名册"
    assert title.getAttribute("numbercolumnsspanned") == "4"
    (header_rows,) = children(sheet, "table-header-rows")
    assert [str(c) for c in children(children(header_rows, "table-row")[0], "table-cell")] == [
        "序号",
        "姓名",
        "内容",
        "备注",
    ]
    assert read_workbook("ods", payload)[0][1][1] == [
        1,
        "王毅",
        "全过程人民民主专题辅导" * 4,
        "第一行\n第二行",
    ]
    widths = []
    styles = {s.getAttribute("name"): s for s in doc.automaticstyles.childNodes}
    for column in children(sheet, "table-column"):
        (props,) = styles[column.getAttribute("stylename")].childNodes
        widths.append(float(props.getAttribute("columnwidth").removesuffix("cm")))
    assert widths[1] >= cjk_width("欧阳明明") * 0.2
    assert widths[2] == pytest.approx(MAX_WIDTH * 0.2)
    table_style = styles[sheet.getAttribute("stylename")]
    assert table_style.getAttribute("masterpagename") == "portrait"
    layout = styles["A4-portrait"].childNodes[0]
    assert (layout.getAttribute("pagewidth"), layout.getAttribute("pageheight")) == (
        "21cm",
        "29.7cm",
    )
    masters = {m.getAttribute("name"): m for m in doc.masterstyles.childNodes}
    footer = str(masters["portrait"])
    assert footer.startswith("第 ") and footer.endswith(" 页")


class NewDeputiesReport:
    """A plugin's report: a plain tablib table, nothing about printing."""

    name = "new_deputies"
    title = "新任代表名单"
    needs_programme = False

    def build(self, context: ReportContext) -> tablib.Dataset:
        data = tablib.Dataset(headers=["序号", "姓名"], title=self.title)
        for number, d in enumerate(context.uow.delegates.list()[:3], start=1):
            data.append([number, d.name])
        data.append([4, "王\x07毅\u202e"])  # what a plugin's own data may hold
        return data


class ReportPlugin:
    @hookimpl
    def lvzhi_register_reports(self) -> list[Any]:
        return [NewDeputiesReport()]


def test_a_plugin_report_gets_the_layout_for_free(tmp_path: Path) -> None:
    with lvzhi.open("memory://", load_entrypoints=False, plugins=[ReportPlugin()]) as office:
        store_course(office)
        office.reports.export("new_deputies", "xlsx", tmp_path / "new.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "new.xlsx").active
    assert sheet["A1"].value == f"{PROGRAMME}\u3000新任代表名单"
    assert sheet.print_title_rows == "$2:$2"
    assert sheet["B6"].value == "王\ufffd毅"


# -- a course printed by LibreOffice ------------------------------------------------------


def store_course(office: lvzhi.Secretariat) -> None:
    load_course(office)
    office.groups.form(12)


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Any]]:
    """Every form of the course in xlsx and ods, with the table each was made from."""
    out = tmp_path_factory.mktemp("forms")
    files: dict[str, tuple[Path, Any]] = {}
    with lvzhi.open("memory://", load_entrypoints=False) as office:
        store_course(office)
        for report in REPORTS:
            table = office.reports.table(report)
            for fmt in ("xlsx", "ods"):
                path = out / f"{report}.{fmt}"
                office.reports.export(report, fmt, path)
                files[f"{report}.{fmt}"] = (path, table)
    return files


def sheets_of(table: Any) -> list[tablib.Dataset]:
    return list(table.sheets()) if isinstance(table, tablib.Databook) else [table]


def expected_heading(report: str, sheet: tablib.Dataset) -> str:
    names = {"delegations": "分代表团名册", "groups": "分组名单"}
    name = f"{names[report]}（{sheet.title}）" if report in names else sheet.title
    return f"{PROGRAMME}\u3000{name}"


@pytest.mark.parametrize("report", REPORTS)
def test_course_workbooks_read_back_as_printed_forms(
    report: str, printed: dict[str, tuple[Path, Any]]
) -> None:
    path, table = printed[f"{report}.xlsx"]
    book = openpyxl.load_workbook(path)
    sheets = sheets_of(table)
    assert len(book.worksheets) == len(sheets)
    for ws, sheet in zip(book.worksheets, sheets, strict=True):
        width = len(sheet.headers)
        assert ws["A1"].value == expected_heading(report, sheet)
        assert [str(r) for r in ws.merged_cells.ranges] == [f"A1:{chr(64 + width)}1"]
        assert ws["A1"].font.b and ws["A1"].font.sz > 11
        assert ws.freeze_panes == "A3"
        assert ws.print_title_rows == "$2:$2"
        rows = [list(sheet.headers), *[list(r) for r in sheet]]
        read = [list(r)[:width] for r in ws.iter_rows(min_row=2, values_only=True)]
        assert [["" if v is None else v for v in r] for r in read] == rows
        widths = []
        for index in range(width):
            letter = chr(65 + index)
            longest = max(cjk_width(r[index]) for r in rows)
            widths.append(ws.column_dimensions[letter].width)
            assert widths[-1] >= longest, (ws.title, sheet.headers[index], longest)
            assert ws[f"{letter}3"].border.left.style == "thin"
        setup = ws.page_setup
        assert int(setup.paperSize) == 9
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        wide = sum(widths) > LANDSCAPE_OVER
        assert setup.orientation == ("landscape" if wide else "portrait")
        assert ws.oddFooter.center.text == "第 &P 页，共 &N 页"
    if report == "timetable":
        assert book.active.page_setup.orientation == "landscape"  # seven columns of text
    if report == "roster":
        assert book.active.page_setup.orientation == "portrait"


def _tools_or_skip() -> None:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if not missing:
        return
    message = f"printing needs {', '.join(missing)} (LibreOffice and poppler-utils)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def to_pdf(source: Path, out: Path) -> Path:
    """``source`` printed to PDF by LibreOffice, with a profile of its own."""
    out.mkdir(exist_ok=True)
    profile = out / "profile"
    command = [
        "soffice",
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--convert-to",
        "pdf",
        "--outdir",
        str(out),
        str(source),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=600)
    pdf = out / f"{source.stem}.pdf"
    assert pdf.is_file(), f"LibreOffice printed nothing for {source.name}"
    return pdf


def pdf_text(pdf: Path) -> list[str]:
    run = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, timeout=120
    )
    return [" ".join(line.split()) for line in run.stdout.decode("utf-8").splitlines()]


def page_sizes(pdf: Path) -> set[tuple[float, float]]:
    run = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "1000", str(pdf)], check=True, capture_output=True
    )
    found = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", run.stdout.decode())
    assert found, run.stdout
    return {(float(w), float(h)) for w, h in found}


def shown(value: Any) -> str:
    """A cell as the printed page shows it."""
    return " ".join(str(value).split())


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
@pytest.mark.parametrize("report", REPORTS)
def test_course_prints_whole_on_a4(
    report: str, fmt: str, printed: dict[str, tuple[Path, Any]], tmp_path: Path
) -> None:
    _tools_or_skip()
    source, table = printed[f"{report}.{fmt}"]
    pdf = to_pdf(source, tmp_path)
    lines = pdf_text(pdf)
    squeezed = [line.replace(" ", "") for line in lines]
    sheets = sheets_of(table)
    for sheet in sheets:  # every sheet's title row, whole, on one line
        title = expected_heading(report, sheet).replace("\u3000", "")
        assert any(title in line for line in squeezed), title
    first = sheets[0]
    headers = [shown(h) for h in first.headers]
    assert any(all(h in line for h in headers) for line in lines), headers
    for row in first:  # every cell whole, and the whole row on one line of one page
        cells = [shown(v) for v in row if shown(v)]
        assert any(all(c in line for c in cells) for line in lines), cells
    if report in ("roster", "timetable"):
        text = "\n".join(lines)
        for sheet in sheets:
            missing = {shown(v) for row in sheet for v in row if shown(v) not in text}
            assert not missing, sorted(missing)[:5]
    pages = [line for line in lines if re.fullmatch(r"第 \d+ 页，共 \d+ 页", line)]
    assert pages, "no page numbers in the footer"
    assert pages[-1].split()[1] == pages[-1].split()[3]
    wide = is_landscape(columns(first))
    for width, height in page_sizes(pdf):
        expected = (842, 595) if wide else (595, 842)
        assert abs(width - expected[0]) <= 2 and abs(height - expected[1]) <= 2, (width, height)


def test_xlsx_is_the_same_without_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    # rows of ready cells skip openpyxl's copy of each value; its own path gives the same
    def cells(payload: bytes) -> list[tuple[Any, ...]]:
        sheet = openpyxl.load_workbook(io.BytesIO(payload)).active
        return [
            (c.coordinate, c.value, c.style, c.font.b, left(c), c.number_format)
            for row in sheet.iter_rows()
            for c in row
        ]

    def left(cell: Any) -> str | None:
        return cell.border.left.style if cell.border.left else None

    data = form()
    data.append([3, None, dt.date(2022, 9, 6), "=1"])
    fast = cells(by_format()["xlsx"].export(data))
    monkeypatch.setattr(xlsx, "_pass_cells_through", lambda ws: None)
    assert cells(by_format()["xlsx"].export(data)) == fast
    assert ("C5", dt.datetime(2022, 9, 6), "表格", False, "thin", "yyyy-mm-dd") in fast
    assert ("B5", None, "表格", False, "thin", "General") in fast
