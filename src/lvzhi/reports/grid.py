"""Drawing hints: how a sheet that is a picture (the seating chart, 座次表) is drawn.

A report can only return ``tablib`` tables, and an exporter only sees tables.  A chart is
therefore a sheet whose rows are the picture's rows — one cell per seat, empty cells for
aisles — with a :class:`GridHints` attached as the attribute :data:`HINTS_ATTRIBUTE`
(``lvzhi_grid``).  The hints say what each cell is (a seat, a rostrum seat, a label, a
legend swatch), which zone colours it, whether it is blocked or reserved, which cells are
merged; every *text* stays in the sheet's cells, so that the core prepares it (cleaning,
neutralising) like any other table.  The hints hold no text a clerk typed: seat ids and
certificate numbers only, which are identifiers.

:func:`~lvzhi.reports.prepare` copies the hints onto the sheet it returns.  An exporter
that knows them (xlsx, html) draws the sheet; any other exporter sees a plain table of
text.  :func:`drawn` and :func:`plain_sheets` are for exporters that cannot draw and want
to leave the picture out when the workbook has other sheets.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

import attrs
import tablib

__all__ = [
    "BLOCKED_COLOUR",
    "HINTS_ATTRIBUTE",
    "RESERVED_COLOUR",
    "ZONE_COLOURS",
    "CellKind",
    "GridCell",
    "GridHints",
    "attach",
    "drawn",
    "hints_of",
    "plain_sheets",
    "zone_colour",
]

#: The attribute of a ``tablib.Dataset`` holding its :class:`GridHints`.
HINTS_ATTRIBUTE = "lvzhi_grid"

#: Light fills, one per zone in turn (RGB hex), readable under black text in print.
ZONE_COLOURS = (
    "CFE2F3",
    "FCE5CD",
    "D9EAD3",
    "EAD1DC",
    "FFF2CC",
    "D9D2E9",
    "D0E0E3",
    "F4CCCC",
    "E6F4EA",
    "FDE9D9",
    "DDEBF7",
    "EDEDED",
)
#: The fill of a blocked seat (grey).
BLOCKED_COLOUR = "A6A6A6"
#: The fill of a reserved seat.
RESERVED_COLOUR = "FFFFFF"


def zone_colour(index: int) -> str:
    """The fill of the zone at ``index`` (0 = the first zone)."""
    return ZONE_COLOURS[index % len(ZONE_COLOURS)]


class CellKind(enum.StrEnum):
    SEAT = "seat"  # a seat of the hall
    ROSTRUM = "rostrum"  # a seat on the rostrum (主席台)
    LABEL = "label"  # a row label, a section name, the rostrum's name
    TITLE = "title"  # a legend heading
    SWATCH = "swatch"  # a legend colour sample
    TEXT = "text"  # legend text


@attrs.frozen(kw_only=True)
class GridCell:
    """One drawn cell: ``row`` and ``column`` index the sheet's rows (from 0, the header
    row excluded) and cells; ``span`` merges it with the cells to its right.  For a seat:
    the ``seat_id``, the occupant's ``certificate_no`` (empty when nobody sits there), its
    ``zone`` (an index into ``GridHints.zones``, ``None`` outside every zone) and
    whether it is ``blocked`` or ``reserved``; ``number`` is the seat's printed number."""

    row: int
    column: int
    kind: CellKind
    span: int = 1
    zone: int | None = None
    seat_id: str = ""
    certificate_no: str = ""
    number: int = 0
    blocked: bool = False
    reserved: bool = False


@attrs.frozen(kw_only=True)
class GridHints:
    """How to draw a sheet: its ``cells`` that are more than text, the ``zones`` (ids, in
    colour order), the hall's ``rows`` and ``columns`` (the legend and labels may add
    rows below), and whether to print it ``landscape`` on one page."""

    cells: tuple[GridCell, ...]
    zones: tuple[str, ...] = ()
    rows: int = 0
    columns: int = 0
    landscape: bool = True

    def seats(self) -> dict[str, GridCell]:
        """Seat id → its cell, for the seats of the hall and of the rostrum."""
        return {c.seat_id: c for c in self.cells if c.seat_id}


def attach(sheet: tablib.Dataset, hints: GridHints) -> tablib.Dataset:
    """Attach ``hints`` to ``sheet`` and return it."""
    setattr(sheet, HINTS_ATTRIBUTE, hints)
    return sheet


def hints_of(sheet: tablib.Dataset) -> GridHints | None:
    """The hints attached to ``sheet``, or ``None`` for a plain table."""
    hints = getattr(sheet, HINTS_ATTRIBUTE, None)
    return hints if isinstance(hints, GridHints) else None


def drawn(sheet: tablib.Dataset) -> bool:
    """Whether ``sheet`` is a picture (it carries hints)."""
    return hints_of(sheet) is not None


def plain_sheets(sheets: Iterable[tablib.Dataset]) -> list[tablib.Dataset]:
    """``sheets`` without the pictures — unless every sheet is one, then all of them."""
    given = list(sheets)
    plain = [s for s in given if not drawn(s)]
    return plain or given
