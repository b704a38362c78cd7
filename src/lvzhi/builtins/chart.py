"""A sheet that is a picture (``lvzhi.reports.grid``), such as the seating chart (座次表),
written into an xlsx worksheet as it is drawn: one cell per seat, zones filled in their
colours, blocked seats grey, reserved seats dashed, the rostrum framed on top, aisles as
narrow empty columns, section names over their blocks and the legend merged below; the
whole printed on one A4 page (landscape unless the hints say otherwise).

The xlsx exporter calls :func:`write_chart` for every sheet carrying hints; the text of
every cell comes from the sheet, prepared by the core like any other table.
"""

from __future__ import annotations

from typing import Any

import tablib
from openpyxl.cell.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties

from lvzhi.reports.grid import (
    BLOCKED_COLOUR,
    RESERVED_COLOUR,
    CellKind,
    GridCell,
    GridHints,
    zone_colour,
)
from lvzhi.reports.layout import heading, text_width

__all__ = ["ROSTRUM_COLOUR", "seat_cells", "write_chart"]

#: The fill of the rostrum's seats.
ROSTRUM_COLOUR = "FFE699"
#: Paper size code of A4 in the xlsx page set-up.
A4 = 9
#: Width of an aisle column and of the row label column, in width units.
AISLE_WIDTH = 2.5
LABEL_WIDTH = 6.0
#: Font size of a seat's text, in points.
SEAT_SIZE = 9

_THIN = Side(style="thin", color="000000")
_DASHED = Side(style="dashed", color="000000")
_MEDIUM = Side(style="medium", color="000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_DASHED_BOX = Border(left=_DASHED, right=_DASHED, top=_DASHED, bottom=_DASHED)
_ROSTRUM_BOX = Border(left=_MEDIUM, right=_MEDIUM, top=_MEDIUM, bottom=_MEDIUM)
_CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center")
_MARGINS = PageMargins(left=0.3, right=0.3, top=0.4, bottom=0.4, header=0.2, footer=0.2)


def _fill(colour: str) -> PatternFill:
    return PatternFill(fill_type="solid", start_color=colour, end_color=colour)


def _style(cell: Cell, hint: GridCell) -> None:
    """Font, fill, border and alignment of a drawn cell."""
    kind = hint.kind
    if kind in (CellKind.SEAT, CellKind.SWATCH):
        cell.alignment = _CENTRE
        cell.font = Font(size=SEAT_SIZE)
        cell.border = _BOX
        if hint.blocked:
            cell.fill = _fill(BLOCKED_COLOUR)
        elif hint.reserved:
            cell.fill = _fill(RESERVED_COLOUR)
            cell.border = _DASHED_BOX
            cell.font = Font(size=SEAT_SIZE, italic=True)
        elif hint.zone is not None:
            cell.fill = _fill(zone_colour(hint.zone))
    elif kind is CellKind.ROSTRUM:
        cell.alignment = _CENTRE
        cell.font = Font(size=SEAT_SIZE + 1, bold=True)
        cell.border = _ROSTRUM_BOX
        cell.fill = _fill(ROSTRUM_COLOUR)
    elif kind in (CellKind.LABEL, CellKind.TITLE):
        cell.alignment = _CENTRE if kind is CellKind.LABEL else _LEFT
        cell.font = Font(bold=True)
    else:
        cell.alignment = _LEFT


def _widths(sheet: tablib.Dataset, hints: GridHints) -> list[float]:
    """Column widths: the label column, each seat column as wide as its widest line, and
    aisles narrow."""
    width = max(hints.columns, sheet.width if sheet.height else 0)
    widest = [0] * width
    for hint in hints.cells:
        if hint.kind in (CellKind.SEAT, CellKind.ROSTRUM, CellKind.SWATCH) and hint.span == 1:
            text = str(sheet[hint.row][hint.column] or "")
            widest[hint.column] = max(widest[hint.column], text_width(text))
    out = [LABEL_WIDTH]
    for column in range(1, width):
        out.append(float(max(widest[column] + 2, 6)) if widest[column] else AISLE_WIDTH)
    return out


def _set_up(ws: Any, hints: GridHints) -> None:
    ws.page_setup.paperSize = A4
    ws.page_setup.orientation = "landscape" if hints.landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins = _MARGINS
    ws.print_options.horizontalCentered = True
    ws.print_options.verticalCentered = True


def write_chart(ws: Any, sheet: tablib.Dataset, hints: GridHints, clean: Any = str) -> None:
    """Draw ``sheet`` into the write-only worksheet ``ws`` as its ``hints`` say: its title
    row (:func:`~lvzhi.reports.heading`) on row 1, the picture below.  ``clean`` turns a
    cell's value into what may be written (text xlsx can hold)."""
    widths = _widths(sheet, hints)
    for column, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width
    _set_up(ws, hints)
    total = len(widths)
    by_place = {(h.row, h.column): h for h in hints.cells}
    title = heading(sheet)
    offset = 1 if title else 0
    if title:
        cell = WriteOnlyCell(ws, value=clean(title))
        cell.font = Font(bold=True, size=16)
        cell.alignment = _CENTRE
        ws.row_dimensions[1].height = 30.0
        if total > 1:
            ws.merged_cells.add(f"A1:{get_column_letter(total)}1")
        ws.append([cell])
    for index, values in enumerate(sheet):
        row: list[Cell] = []
        tall = False
        for column in range(total):
            value = values[column] if column < len(values) else None
            cell = WriteOnlyCell(ws, value=clean(value) if value not in (None, "") else None)
            hint = by_place.get((index, column))
            if hint is not None:
                _style(cell, hint)
                tall = tall or hint.kind in (CellKind.SEAT, CellKind.ROSTRUM)
                _merge(ws, hint, index + 1 + offset, total)
            row.append(cell)
        if tall:
            ws.row_dimensions[index + 1 + offset].height = 2.6 * SEAT_SIZE + 6
        ws.append(row)


def _merge(ws: Any, hint: GridCell, row: int, total: int) -> None:
    last = min(hint.column + hint.span, total)
    if last - hint.column > 1:
        first_letter = get_column_letter(hint.column + 1)
        ws.merged_cells.add(f"{first_letter}{row}:{get_column_letter(last)}{row}")


def seat_cells(hints: GridHints, *, title_rows: int = 1) -> dict[str, tuple[int, int]]:
    """Seat id → (row, column) of its cell in a worksheet drawn by :func:`write_chart`,
    both from 1 as openpyxl counts them."""
    return {
        seat: (cell.row + 1 + title_rows, cell.column + 1) for seat, cell in hints.seats().items()
    }
