"""A sheet that is a picture (``lvzhi.reports.grid``), such as the seating chart (座次表),
as an inline SVG drawing for an HTML page: one ``<g class="seat">`` per seat with
``data-seat`` (the seat id) and ``data-cert`` (the occupant's certificate number, empty when
the seat is free), a ``<rect>`` filled in its zone's colour and a ``<text>`` with one
``<tspan>`` per line of the cell (name, delegation); the rostrum on top, aisles as gaps,
section names and the legend as text.  Every text comes from the sheet's cells.
"""

from __future__ import annotations

import html

import tablib

from lvzhi.reports.grid import (
    BLOCKED_COLOUR,
    RESERVED_COLOUR,
    CellKind,
    GridCell,
    GridHints,
    zone_colour,
)

__all__ = ["STYLE", "svg_chart"]

#: Sizes in pixels.
SEAT_WIDTH = 84
SEAT_HEIGHT = 42
AISLE_WIDTH = 26
LABEL_WIDTH = 52
LINE_HEIGHT = 24
MARGIN = 10
ROSTRUM_COLOUR = "FFE699"

#: The style sheet the drawing needs, for the page's ``<head>``.
STYLE = """
svg.chart { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei",
  "SimSun", sans-serif; }
svg.chart rect.seat { stroke: #000; stroke-width: 1; }
svg.chart .reserved rect { stroke-dasharray: 4 3; }
svg.chart .rostrum rect { stroke-width: 2; }
svg.chart text { font-size: 13px; dominant-baseline: middle; }
svg.chart text.name { font-weight: bold; }
svg.chart text.number { font-size: 9px; fill: #555; dominant-baseline: hanging; }
svg.chart text.label { font-weight: bold; text-anchor: middle; }
svg.chart text.legend-title { font-weight: bold; font-size: 15px; }
"""

_DRAWN = (CellKind.SEAT, CellKind.ROSTRUM, CellKind.SWATCH)


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def _text(sheet: tablib.Dataset, cell: GridCell) -> str:
    values = sheet[cell.row]
    value = values[cell.column] if cell.column < len(values) else ""
    return "" if value is None else str(value)


class _Layout:
    """Where each column and row of the grid is drawn."""

    def __init__(self, sheet: tablib.Dataset, hints: GridHints) -> None:
        width = max(hints.columns, sheet.width if sheet.height else 0)
        used = {c.column for c in hints.cells if c.kind in _DRAWN}
        self.x = [MARGIN]
        for column in range(width):
            size = LABEL_WIDTH if column == 0 else SEAT_WIDTH if column in used else AISLE_WIDTH
            self.x.append(self.x[-1] + size)
        tall = {c.row for c in hints.cells if c.kind in (CellKind.SEAT, CellKind.ROSTRUM)}
        self.y = [MARGIN]
        for row in range(sheet.height):
            self.y.append(self.y[-1] + (SEAT_HEIGHT + 4 if row in tall else LINE_HEIGHT))

    @property
    def width(self) -> int:
        return self.x[-1] + MARGIN

    @property
    def height(self) -> int:
        return self.y[-1] + MARGIN

    def box(self, cell: GridCell) -> tuple[int, int, int, int]:
        """x, y, width and height of a cell (with its span)."""
        last = min(cell.column + cell.span, len(self.x) - 1)
        x, y = self.x[cell.column], self.y[cell.row]
        return x, y, self.x[last] - x, self.y[cell.row + 1] - y


def _fill(cell: GridCell) -> str:
    if cell.kind is CellKind.ROSTRUM:
        return ROSTRUM_COLOUR
    if cell.blocked:
        return BLOCKED_COLOUR
    if cell.reserved:
        return RESERVED_COLOUR
    if cell.zone is not None:
        return zone_colour(cell.zone)
    return "FFFFFF"


def _seat(cell: GridCell, text: str, layout: _Layout) -> str:
    x, y, w, h = layout.box(cell)
    w, h = w - 4, h - 4
    classes = ["seat", cell.kind.value]
    if cell.blocked:
        classes.append("blocked")
    if cell.reserved:
        classes.append("reserved")
    lines = text.split("\n") if text else []
    parts = [
        f'<g class="{" ".join(classes)}" data-seat="{_esc(cell.seat_id)}" '
        f'data-cert="{_esc(cell.certificate_no)}">',
        f'<rect class="seat" x="{x + 2}" y="{y + 2}" width="{w}" height="{h}" rx="3" '
        f'fill="#{_fill(cell)}"/>',
    ]
    centre = x + 2 + w / 2
    first = y + 2 + h / 2 - (len(lines) - 1) * 8
    for number, line in enumerate(lines):
        kind = "name" if number == 0 and cell.certificate_no else "line"
        parts.append(
            f'<text class="{kind}" x="{centre:g}" y="{first + 16 * number:g}" '
            f'text-anchor="middle">{_esc(line)}</text>'
        )
    if cell.certificate_no and cell.number:
        parts.append(f'<text class="number" x="{x + 5}" y="{y + 4}">{cell.number}</text>')
    parts.append("</g>")
    return "".join(parts)


def _label(cell: GridCell, text: str, layout: _Layout) -> str:
    x, y, w, h = layout.box(cell)
    middle = y + h / 2
    if cell.kind is CellKind.LABEL:
        return f'<text class="label" x="{x + w / 2:g}" y="{middle:g}">{_esc(text)}</text>'
    kind = "legend-title" if cell.kind is CellKind.TITLE else "legend"
    return f'<text class="{kind}" x="{x + 4}" y="{middle:g}">{_esc(text)}</text>'


def svg_chart(sheet: tablib.Dataset, hints: GridHints) -> str:
    """The ``<svg>`` element drawing ``sheet`` as its ``hints`` say."""
    layout = _Layout(sheet, hints)
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="{layout.width}" '
        f'height="{layout.height}" viewBox="0 0 {layout.width} {layout.height}">'
    ]
    for cell in hints.cells:
        text = _text(sheet, cell)
        if cell.kind in _DRAWN:
            parts.append(_seat(cell, text, layout))
        elif text:
            parts.append(_label(cell, text, layout))
    parts.append("</svg>")
    return "\n".join(parts)
