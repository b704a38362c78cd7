"""The xlsx exporter: workbooks laid out to be printed, streamed by openpyxl in write-only
mode (rows go to the file as they come, without a cell object kept per value).

A sheet with a header row is a printed form (``lvzhi.reports.layout``):

* row 1 is its title row (:func:`~lvzhi.reports.heading`), merged across the
  table, bold and larger; row 2 the header, bold; both are centred;
* the header is frozen below the title and repeated at the top of every printed page;
* columns are fitted to their widest text; a column wider than the cap wraps its text;
* every cell of the table has a thin border, and every cell wraps rather than spill over;
* A4, scaled to the width of one page, landscape when the table is wide, with margins for
  binding and ``第 1 页，共 3 页`` centred in the footer.

A sheet without a header row is written as plain rows; a sheet that is a picture (it
carries drawing hints, ``lvzhi.reports.grid``) is drawn by ``lvzhi.builtins.chart``.  The
styles are named styles shared by every cell (表格标题, 表头, 表格, 表格居中), so a clerk
can restyle a workbook in one go.
"""

from __future__ import annotations

import datetime as _dt
import decimal
import io
import math
from collections.abc import Iterator
from typing import Any, TypeAlias

import tablib
from openpyxl import Workbook
from openpyxl.cell.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties

from lvzhi.builtins.chart import write_chart
from lvzhi.reports import sheet_title
from lvzhi.reports.characters import clean_text
from lvzhi.reports.grid import hints_of
from lvzhi.reports.layout import TITLE_SIZES, Column, columns, heading, is_landscape, title_font

__all__ = [
    "FOOTER",
    "HEADER_STYLE",
    "TITLE_SIZE",
    "TITLE_STYLE",
    "export_xlsx",
    "utc_naive",
]

Table: TypeAlias = tablib.Dataset | tablib.Databook

#: The footer of every printed page, centred (``&P`` the page, ``&N`` the number of pages).
FOOTER = "第 &P 页，共 &N 页"
#: Font size of the title row, in points (the table's is 11), unless a long title needs less.
TITLE_SIZE = TITLE_SIZES[0]
TITLE_STYLE = "表格标题"
HEADER_STYLE = "表头"
CELL_STYLE = "表格"
CENTRED_STYLE = "表格居中"
#: Paper size code of A4 in the xlsx page set-up.
A4 = 9
#: Margins in inches: 2 cm at the top and the bottom, 1.5 cm at the sides.
MARGINS = PageMargins(left=0.6, right=0.6, top=0.8, bottom=0.8, header=0.3, footer=0.3)

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
_KEPT = (int, float, decimal.Decimal, _dt.date, _dt.time, _dt.timedelta)
_TEMPORAL = (_dt.date, _dt.time, _dt.timedelta)


def _plain_datetime(value: _dt.datetime, tzinfo: _dt.tzinfo | None) -> _dt.datetime:
    return _dt.datetime(
        value.year,
        value.month,
        value.day,
        value.hour,
        value.minute,
        value.second,
        value.microsecond,
        tzinfo=tzinfo,
        fold=value.fold,
    )


def utc_naive(value: _dt.datetime) -> _dt.datetime:
    """A naive plain datetime: the UTC time of an aware one, the wall time of a naive one."""
    if value.utcoffset() is not None:
        value = value.astimezone(_dt.UTC)
    return _plain_datetime(value, None)


def _text(value: str) -> str:
    """Text xlsx can hold: what :func:`~lvzhi.reports.clean_text` keeps (the core
    has cleaned prepared tables already; this is for tables that were not)."""
    return clean_text(value)[0]


def _value(value: Any) -> Any:
    """A value openpyxl writes: clean text, plain naive datetimes (aware ones in UTC),
    numbers, dates and times as they are, anything else as its text."""
    kind = type(value)
    if kind is str:
        return _text(value)
    if value is None or kind is int or kind is float:
        return value
    if isinstance(value, _dt.datetime):
        return utc_naive(value)
    if isinstance(value, str):
        return _text(str.__str__(value))
    if isinstance(value, _KEPT):
        return value
    return _text(str(value))


def _styles(book: Any) -> None:
    """Add the named styles every sheet of ``book`` shares."""
    for name, font, border, alignment in (
        (TITLE_STYLE, Font(bold=True, size=TITLE_SIZE), Border(), _CENTRE),
        (HEADER_STYLE, Font(bold=True), _BORDER, _CENTRE),
        (CELL_STYLE, Font(), _BORDER, Alignment(vertical="center", wrap_text=True)),
        (CENTRED_STYLE, Font(), _BORDER, _CENTRE),
    ):
        book.add_named_style(NamedStyle(name=name, font=font, border=border, alignment=alignment))


class _ColumnCell(Cell):
    """The cell a form column writes row after row: its style never changes (dates get
    cells of their own), so its id in the workbook's style table is looked up once."""

    __slots__ = ("_known_style_id",)

    @property
    def style_id(self) -> int:
        try:
            return self._known_style_id
        except AttributeError:
            self._known_style_id: int = super().style_id
            return self._known_style_id


def _column_cell(ws: Any, style: str) -> Cell:
    cell = _ColumnCell(worksheet=ws, column=1, row=1)
    cell.style = style
    return cell


def _cell(ws: Any, style: str, value: Any = None) -> Cell:
    cell = WriteOnlyCell(ws)
    cell.style = style  # before the value: a date's number format survives
    if value is not None:
        cell.value = value
    return cell


def _pass_cells_through(ws: Any) -> None:
    """Let ``ws.append`` write rows of ready cells as they are.

    openpyxl's write-only sheet copies every appended value into a cell of its own, and a
    styled cell it is given costs it a failed conversion and a throw-away cell.  Every row
    of a form is a list of styled cells (one per column, reused from row to row), so they
    are handed to the writer directly.  Without this hook openpyxl's own path writes the
    same file, only slower.
    """

    def values_to_row(cells: list[Cell], row_idx: int) -> Iterator[Cell]:
        for column, cell in enumerate(cells, start=1):
            cell.column = column
            cell.row = row_idx
            yield cell

    ws._values_to_row = values_to_row


def _page_set_up(ws: Any, widths: list[Column]) -> None:
    ws.page_setup.paperSize = A4
    ws.page_setup.orientation = "landscape" if is_landscape(widths) else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins = MARGINS
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = FOOTER


def _title_cell(ws: Any, title: str, widths: list[Column]) -> Cell:
    """The title row's cell, in the title font's size for ``widths``; the row made as high
    as its lines."""
    size, lines = title_font(title, widths)
    ws.row_dimensions[1].height = float(lines * math.ceil(size * 1.4) + 8)
    cell = _cell(ws, TITLE_STYLE, title)
    if size != TITLE_SIZE:
        cell.font = Font(bold=True, size=size)
    return cell


def _form(ws: Any, sheet: tablib.Dataset, widths: list[Column]) -> None:
    """Write ``sheet`` as a printed form: title row, header, bordered rows."""
    width = len(widths)
    header_row = 1
    title = _text(heading(sheet))
    if title:
        header_row = 2
        title_cell = _title_cell(ws, title, widths)
        if width > 1:
            ws.merged_cells.add(f"A1:{get_column_letter(width)}1")
    ws.freeze_panes = f"A{header_row + 1}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    _pass_cells_through(ws)
    if title:
        ws.append([title_cell])
    ws.append([_cell(ws, HEADER_STYLE, _value(h)) for h in sheet.headers])
    styles = [CENTRED_STYLE if c.centred else CELL_STYLE for c in widths]
    cells = [_column_cell(ws, style) for style in styles]
    for row in sheet:
        out = cells
        for index, value in enumerate(row):
            value = _value(value)
            if isinstance(value, _TEMPORAL):  # a cell of its own, for its number format
                if out is cells:
                    out = list(cells)
                out[index] = _cell(ws, styles[index], value)
            else:
                cells[index].value = value
        ws.append(out)


def export_xlsx(data: Table) -> bytes:
    """The bytes of an xlsx workbook of ``data``: one worksheet per sheet, named by
    :func:`~lvzhi.reports.sheet_title` (valid, unique); each sheet with a header row laid
    out as a printed form (see the module)."""
    book = Workbook(write_only=True)
    _styles(book)
    taken: list[str] = []
    sheets = list(data.sheets()) if isinstance(data, tablib.Databook) else [data]
    for index, sheet in enumerate(sheets, start=1):
        title = sheet_title(_text(str(sheet.title or "")) or f"Sheet{index}", taken=taken)
        taken.append(title)
        ws = book.create_sheet(title)
        hints = hints_of(sheet)
        if hints is not None:
            write_chart(ws, sheet, hints, clean=_value)
            continue
        widths = columns(sheet)
        for column, measure in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(column)].width = measure.width
        _page_set_up(ws, widths)
        if sheet.headers:
            _form(ws, sheet, widths)
        else:
            for row in sheet:
                ws.append([_value(v) for v in row])
    if not taken:
        book.create_sheet("Sheet1")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
