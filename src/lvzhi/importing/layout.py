"""Where the deputies are in a workbook: which sheets hold the roster, which delegation a
sheet without a 选举单位 column lists, and which rows below the header are not deputies
(blank separator rows, the header repeated on every printed page, notes and footers)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from lvzhi.domain._fields import clean_text
from lvzhi.i18n import _
from lvzhi.importing.cells import _blank_row
from lvzhi.importing.headers import (
    HEADER_SCAN_ROWS,
    _header_text,
    _is_blank,
    _no_header,
    detect_header,
    match_header,
)
from lvzhi.importing.readers import Grid, _file_problem, pick_sheet

__all__ = ["FOOTER_WORDS", "SheetPlan", "SkippedRow", "plan_sheets", "unit_from_title"]

#: A row below the header whose first non-empty cell starts with one of these is a note or
#: a footer (制表单位：…, 审核：…, 注：…, 合计…), not a deputy.
FOOTER_WORDS = (
    "制表",
    "填表",
    "填报",
    "审核",
    "注",
    "备注",
    "说明",
    "联系人",
    "联系电话",
    "合计",
    "共计",
    "总计",
    "小计",
)

#: The columns without which a sheet is not a roster (选举单位 may come from the sheet).
PERSONAL_FIELDS = ("name", "gender", "certificate_no")


@attrs.frozen
class SkippedRow:
    """A row of the file that is not a deputy and was passed over.

    ``row`` is the 1-based row number (``0``: the whole sheet), ``sheet`` the sheet's name
    (``""`` for a text file), ``kind`` one of ``"blank"`` (a blank row between deputies),
    ``"header"`` (the header written again), ``"note"`` (a note among the deputies),
    ``"empty"`` (no name, gender or certificate number), ``"footer"`` (a footer line below
    the data, and every row after it) or ``"sheet"`` (a sheet that was not imported);
    ``reason`` says it in words, quoting the row."""

    row: int
    sheet: str
    kind: str
    reason: str

    def __str__(self) -> str:
        if self.row:
            where = _("{sheet} row {row}").format(sheet=self.sheet, row=self.row).strip()
        else:
            where = _("sheet {sheet}").format(sheet=self.sheet)
        return _("{where}: {reason}").format(where=where, reason=self.reason)


@attrs.frozen
class SheetPlan:
    """A sheet to import: its header row (0-based ``header_index``), the column of each
    recognised attribute, the headers as written, the ignored headers, ``unit`` (the
    delegation of every row of a sheet without a 选举单位 column, if its name or title says
    it) and ``label`` (the sheet's name in problems; ``None`` for a one-sheet file)."""

    grid: Grid
    header_index: int
    columns: Mapping[str, int]
    headers: Mapping[str, str]
    ignored: tuple[str, ...]
    unit: str | None
    label: str | None


def map_columns(cells: Sequence[Any]) -> tuple[dict[str, int], dict[str, str], list[str]]:
    """The column of each recognised attribute (the first one wins), its header as written,
    and the headers not recognised."""
    columns: dict[str, int] = {}
    headers: dict[str, str] = {}
    ignored: list[str] = []
    for index, cell in enumerate(cells):
        if _is_blank(cell):
            continue
        field = match_header(cell)
        if field is None or field in columns:
            ignored.append(_header_text(cell))
            continue
        columns[field] = index
        headers[field] = _header_text(cell)
    return columns, headers, ignored


def roster_header(rows: Sequence[Sequence[Any]]) -> int | None:
    """The header row of a roster: the first of the top rows with at least two known
    headers, one of them the name; else the first with two known headers."""
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        found = [match_header(cell) for cell in row]
        if "name" in found and sum(1 for f in found if f is not None) >= 2:
            return index
    return detect_header(rows)


_DEFAULT_SHEET = re.compile(r"(sheet|工作表|表)\s*[0-9]*", re.IGNORECASE)
_DECORATION = re.compile(r"^[0-9]+[.、．\s]*|[（(][^）)]*[）)]$")
_TITLE_PREFIX = re.compile(r"^.*(人民代表大会|人大|届)")


def unit_from_title(text: Any) -> str | None:
    """The delegation a title names: ``衡南县代表团代表名单`` → ``衡南县`` (also with the
    congress named first, ``衡阳市第十六届人民代表大会衡南县代表团…``); ``None`` for a title
    without ``代表团``."""
    if not isinstance(text, str):
        return None
    compact = "".join(str(clean_text(text)).split())
    if "代表团" not in compact:
        return None
    unit = _TITLE_PREFIX.sub("", compact[: compact.index("代表团")])
    return unit or None


def _unit_from_sheet_name(title: str) -> str | None:
    name = "".join(str(clean_text(title)).split())
    name = _DECORATION.sub("", name)
    if not name or _DEFAULT_SHEET.fullmatch(name):
        return None
    return name


def sheet_unit(grid: Grid, header_index: int) -> str | None:
    """The delegation of a sheet without a 选举单位 column: named by a title above the
    header (``…代表团…``), else by the sheet's name unless that is a default one
    (``Sheet1``, ``工作表1``)."""
    for row in grid.rows[:header_index]:
        for cell in row:
            unit = unit_from_title(cell)
            if unit:
                return unit
    return _unit_from_sheet_name(grid.title)


def _plan(grid: Grid, header_index: int, label: str | None) -> SheetPlan:
    columns, headers, ignored = map_columns(grid.rows[header_index])
    unit = None if "delegation" in columns else sheet_unit(grid, header_index)
    return SheetPlan(grid, header_index, columns, headers, tuple(ignored), unit, label)


def plan_sheets(
    grids: Sequence[Grid], *, sheet: str | None, source_name: str
) -> tuple[list[SheetPlan], list[SkippedRow]]:
    """The sheets to import and the sheets passed over.

    With ``sheet``, that sheet.  Otherwise the first sheet whose header names a roster's
    columns; if it has no 选举单位 column, the workbook lists one delegation per sheet and
    every sheet with such a header is imported.  Raises
    :class:`~lvzhi.errors.ImportProblem` when no sheet has a header."""
    # Problems name the sheet when the workbook has more than one (blank ones, such as the
    # Sheet2 and Sheet3 a new workbook comes with, do not count).
    many = sum(1 for grid in grids if not all(_blank_row(row) for row in grid.rows)) > 1
    if sheet is not None:
        grid = pick_sheet(grids, sheet, source_name)
        index = roster_header(grid.rows)
        if index is None:
            raise _no_header(source_name, grid.title if many else None)
        return [_plan(grid, index, grid.title if many else None)], []
    plans = []
    for grid in grids:
        index = roster_header(grid.rows)
        if index is not None:
            plans.append(_plan(grid, index, grid.title if many else None))
    if not plans:
        if not many:
            raise _no_header(source_name)
        listed = _(", ").join(grid.title for grid in grids)
        raise _file_problem(
            source_name,
            _(
                "no sheet has a header row in its first {count} rows (sheets: {sheets}); "
                "expected headers such as 姓名, 性别, 代表证号, 选举单位"
            ).format(count=HEADER_SCAN_ROWS, sheets=listed),
        )
    complete = [p for p in plans if all(f in p.columns for f in PERSONAL_FIELDS)]
    if not complete:
        chosen = [next((p for p in plans if "name" in p.columns), plans[0])]
    elif "delegation" in complete[0].columns:
        chosen = complete[:1]
    else:
        chosen = complete
    return chosen, _skipped_sheets(grids, plans, chosen)


def _skipped_sheets(
    grids: Sequence[Grid], plans: Sequence[SheetPlan], chosen: Sequence[SheetPlan]
) -> list[SkippedRow]:
    taken = {id(p.grid) for p in chosen}
    headed = {id(p.grid): p for p in plans}
    first = chosen[0].grid.title
    skipped = []
    for grid in grids:
        if id(grid) in taken or all(_blank_row(row) for row in grid.rows):
            continue
        plan = headed.get(id(grid))
        if plan is None:
            reason = _("no roster header in its first {count} rows").format(count=HEADER_SCAN_ROWS)
        elif all(f in plan.columns for f in PERSONAL_FIELDS):
            reason = _(
                "has a roster header too; only sheet “{sheet}” is imported (choose by name)"
            ).format(sheet=first)
        else:
            reason = _("not a roster: its header has no 姓名, 性别 or 代表证号 column")
        skipped.append(SkippedRow(0, grid.title, "sheet", reason))
    return skipped


# --------------------------------------------------------------------------- rows


def filled(row: Sequence[Any]) -> int:
    """How many cells of ``row`` are not blank."""
    return sum(1 for cell in row if not _is_blank(cell))


def is_note(row: Sequence[Any]) -> bool:
    """Whether the first non-blank cell of ``row`` starts like a note or a footer."""
    for cell in row:
        if not _is_blank(cell):
            return isinstance(cell, str) and cell.strip().startswith(FOOTER_WORDS)
    return False


def is_header_again(row: Sequence[Any], columns: Mapping[str, int]) -> bool:
    """Whether ``row`` repeats the header: at least two of its cells name the attribute of
    their column (the header of a second printed page, or a two-row header)."""
    wanted = min(2, len(columns))
    hits = 0
    for field, at in columns.items():
        if at < len(row) and isinstance(row[at], str) and match_header(row[at]) == field:
            hits += 1
            if hits >= wanted:
                return True
    return False


def footer_start(rows: Sequence[Sequence[Any]], after: int, stop: int) -> int:
    """Index of the first row of the footer: after row index ``after`` (the last deputy),
    the first row that is a note or holds a single non-blank cell; ``stop`` if none."""
    for index in range(after + 1, stop):
        row = rows[index]
        count = filled(row)
        if count == 1 or (count and is_note(row)):
            return index
    return stop


def excerpt(row: Sequence[Any], limit: int = 40) -> str:
    """The non-blank cells of ``row`` as one line of at most ``limit`` characters."""
    text = " ".join(str(clean_text(str(c))) for c in row if not _is_blank(c))
    return text if len(text) <= limit else text[: limit - 1] + "…"
