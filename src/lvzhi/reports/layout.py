"""The print layout shared by the spreadsheet exporters: the title row of each sheet and the
width of each column.

* **Title row.**  Every sheet with a header row is printed under a title row: the
  programme's title and the table's name separated by a full-width space
  (``衡阳市第十六届人大代表（新任代表）履职培训班　代表名册``), just the table's name when
  there is no programme.  The core works it out while preparing a table
  (:func:`~lvzhi.reports.prepare`) and keeps it on each sheet; :func:`heading` reads it
  back, falling back to the sheet's title for a table that was not prepared.
* **Column widths** are in spreadsheet width units (the width of one digit): a CJK or other
  wide character counts 2, any other 1.  A column is as wide as its widest text (header
  included) plus a margin, at least :data:`MIN_WIDTH`; a column whose text would need more
  than :data:`MAX_WIDTH` gets that width and wraps its text.
* **Title font.**  The title row is bold, 16 points, smaller (down to 12) when that keeps
  a long title on one line over the table, and wraps beyond that (:func:`title_font`).
* **Orientation.**  A table wider than :data:`LANDSCAPE_OVER` units is printed landscape;
  every table is scaled to the width of one page.
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Sequence
from typing import Any

import attrs
import tablib

__all__ = [
    "HEADING_SEPARATOR",
    "LANDSCAPE_OVER",
    "MAX_WIDTH",
    "MIN_WIDTH",
    "TITLE_SIZES",
    "Column",
    "columns",
    "heading",
    "heading_text",
    "is_landscape",
    "text_width",
    "title_font",
]

#: Between the programme's title and the table's name in a title row (a full-width space).
HEADING_SEPARATOR = "\u3000"
#: The narrowest column, in width units.
MIN_WIDTH = 6
#: The widest column; longer text wraps inside it.
MAX_WIDTH = 50
#: A table whose columns add up to more than this many units is printed landscape.
LANDSCAPE_OVER = 100
#: A column whose every cell is at most this wide is centred (序号, 性别, 是/否).
NARROW = 4
#: The title row's font size in points: the largest, and the smallest before it wraps.
TITLE_SIZES = (16, 12)

_TEMPORAL_WIDTHS = ((_dt.datetime, 19), (_dt.date, 10), (_dt.time, 8))


def heading_text(name: str, programme_title: str | None = None) -> str:
    """The text of a title row: ``programme_title`` and ``name`` separated by a full-width
    space; ``name`` alone without a programme title or when it already starts with it."""
    programme_title = (programme_title or "").strip()
    if not programme_title or name.startswith(programme_title):
        return name
    if not name:
        return programme_title
    return f"{programme_title}{HEADING_SEPARATOR}{name}"


def heading(sheet: tablib.Dataset) -> str:
    """The title row of ``sheet``: what :func:`~lvzhi.reports.prepare` worked out, else the
    sheet's title (``""`` when it has neither)."""
    text = getattr(sheet, "heading", None) or sheet.title or ""
    return str(text)


def text_width(text: str) -> int:
    """Width units ``text`` needs: 2 for each wide character (CJK, full-width forms), 1 for
    any other; the widest line of a text of several lines.  A character outside ASCII
    that is not wide (``·``, ``é``) is counted 2 as well, never too narrow."""
    if "\n" in text:
        return max(text_width(line) for line in text.split("\n"))
    if text.isascii():
        return len(text)
    return len(text) + (len(text.encode("utf-8", "replace")) - len(text) + 1) // 2


def cell_width(value: Any) -> int:
    """Width units the value of one cell needs as a spreadsheet shows it."""
    if value is None:
        return 0
    if isinstance(value, str):
        return text_width(value)
    for kind, width in _TEMPORAL_WIDTHS:
        if isinstance(value, kind):
            return width
    return text_width(str(value))


@attrs.frozen
class Column:
    """How one column is printed: its ``width`` in width units, whether its text ``wraps``
    (it is wider than :data:`MAX_WIDTH`) and whether it is ``centred`` (every cell is
    short: numbers, 男/女, 是/否)."""

    width: float
    wraps: bool = False
    centred: bool = False


def _fitted(needed: int) -> float:
    """A column width for text ``needed`` units wide: a margin of 2 units plus a tenth, as a
    wide character is a little wider than two digits."""
    return float(needed + 2 + math.ceil(needed / 10))


def columns(sheet: tablib.Dataset) -> list[Column]:
    """The columns of ``sheet`` as printed, measured over every cell and the header."""
    headers: Sequence[Any] = list(sheet.headers or ())
    width = max(len(headers), sheet.width if sheet.height else 0)
    widest = [0] * width
    for row in sheet:
        for index, value in enumerate(row):
            if type(value) is str:
                # a text of n characters is at most 2n wide: skip the measure when that
                # cannot beat the widest so far
                if 2 * len(value) > widest[index]:
                    widest[index] = max(widest[index], text_width(value))
            else:
                widest[index] = max(widest[index], cell_width(value))
    out = []
    for index in range(width):
        header = cell_width(headers[index]) if index < len(headers) else 0
        needed = max(widest[index], header)
        fitted = _fitted(needed)
        centred = 0 < widest[index] <= NARROW
        if fitted > MAX_WIDTH:
            out.append(Column(float(MAX_WIDTH), wraps=True))
        else:
            out.append(Column(max(fitted, float(MIN_WIDTH)), centred=centred))
    return out


def is_landscape(widths: Sequence[Column]) -> bool:
    """Whether a table of these columns is printed landscape (wider than
    :data:`LANDSCAPE_OVER` units)."""
    return sum(c.width for c in widths) > LANDSCAPE_OVER


def title_font(text: str, widths: Sequence[Column]) -> tuple[int, int]:
    """The font size (points) of a title row of ``text`` over columns of ``widths``, and the
    lines it takes: the largest of :data:`TITLE_SIZES` that keeps the title on one line
    (a width unit is about the width of a character of 11 points, half a wide one), else
    the smallest, wrapped over as many lines as it needs."""
    largest, smallest = TITLE_SIZES
    table = sum(c.width for c in widths) * 0.95
    needed = max(text_width(text), 1)
    size = max(smallest, min(largest, math.floor(10 * table / needed)))
    lines = max(1, math.ceil(needed * size / 10 / max(table, 1.0)))
    return size, lines
