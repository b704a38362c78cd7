"""Reading a spreadsheet as it arrives: every sheet of an xlsx or ods workbook, or a text
file (csv, tab-separated, ``.txt``), as raw :class:`Grid` values whose rows are numbered as
a spreadsheet program shows them.  Cells merged down (a 选举单位 written once for a
delegation's rows) are filled down; formulas are read by the value saved with them."""

from __future__ import annotations

import importlib
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO

import attrs

from lvzhi.errors import ImportProblem, RowProblem
from lvzhi.i18n import _
from lvzhi.importing.text import read_text

__all__ = ["Grid", "Source", "read_grid", "read_sheets"]

Source = str | Path | bytes | BinaryIO


@attrs.frozen
class Grid:
    """A sheet as read: ``rows[i]`` is spreadsheet row ``i + 1`` (rows may differ in length;
    empty cells are ``None``).  ``title`` is the sheet name (``""`` for a text file),
    ``format`` what was read; ``uncached`` holds the 0-based ``(row, column)`` of every
    formula cell saved without a value (read as ``None``)."""

    rows: tuple[tuple[Any, ...], ...]
    title: str = ""
    format: str = ""
    uncached: frozenset[tuple[int, int]] = frozenset()


_SUFFIXES = {
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "csv",
    ".ods": "ods",
}


def _load(source: Source) -> tuple[bytes, str]:
    """The bytes of ``source`` and a name to report it by."""
    if isinstance(source, bytes):
        return source, "<bytes>"
    if isinstance(source, str | Path):
        path = Path(source)
        return path.read_bytes(), str(path.name)
    data = source.read()
    name = getattr(source, "name", None)
    return data, Path(name).name if isinstance(name, str) else "<stream>"


def _sniff(data: bytes) -> str:
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if "mimetype" in archive.namelist():
                    mimetype = archive.read("mimetype").decode("ascii", "replace")
                    if "opendocument.spreadsheet" in mimetype:
                        return "ods"
        except zipfile.BadZipFile:
            return "xlsx"
        return "xlsx"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "xls"
    return "csv"


def _load_name(source: Source) -> str:
    """The name ``source`` is reported by: the file name, ``<bytes>`` or ``<stream>``."""
    if isinstance(source, bytes):
        return "<bytes>"
    if isinstance(source, str | Path):
        return Path(source).name
    name = getattr(source, "name", None)
    return Path(name).name if isinstance(name, str) else "<stream>"


def _file_problem(
    source_name: str, reason: str, value: Any = None, *, sheet: str | None = None
) -> ImportProblem:
    return ImportProblem(source_name, [RowProblem(0, None, value, reason, sheet)])


def read_sheets(
    source: Source, *, format: str | None = None, source_name: str | None = None
) -> tuple[Grid, ...]:
    """Every sheet of an xlsx or ods workbook, in the workbook's order, or the one table of
    a text file, as raw grids.

    ``format`` is ``"xlsx"``, ``"csv"`` (any text file) or ``"ods"``; if omitted it comes
    from the file suffix, else from the content.  A file that cannot be read raises
    :class:`~lvzhi.errors.ImportProblem` with one problem on row 0 (the whole file).
    """
    data, default_name = _load(source)
    name = source_name or default_name
    fmt = format.lower().lstrip(".") if format else None
    if fmt in ("txt", "tsv"):
        fmt = "csv"
    if fmt is None and isinstance(source, str | Path):
        fmt = _SUFFIXES.get(Path(source).suffix.lower())
    if fmt is None:
        fmt = _sniff(data)
    try:
        if fmt == "xlsx":
            return _read_xlsx(data)
        if fmt == "csv":
            rows = read_text(data)
            return (Grid(rows, "", "csv"),)
        if fmt == "ods":
            return _read_ods(data)
    except ImportProblem:
        raise
    except Exception as exc:
        reason = _("cannot read the file as {format}: {error}").format(format=fmt, error=exc)
        raise _file_problem(name, reason) from exc
    if fmt == "xls":
        raise _file_problem(name, _("old .xls workbooks are not read; save the file as .xlsx"))
    reason = _("unknown format {format!r}; use xlsx, ods, csv or txt").format(format=fmt)
    raise _file_problem(name, reason, fmt)


def read_grid(
    source: Source,
    *,
    format: str | None = None,
    source_name: str | None = None,
    sheet: str | None = None,
) -> Grid:
    """One sheet as a raw grid: the sheet named ``sheet``, else the first one."""
    name = source_name or _load_name(source)
    grids = read_sheets(source, format=format, source_name=name)
    return grids[0] if sheet is None else pick_sheet(grids, sheet, name)


def pick_sheet(grids: Sequence[Grid], sheet: str, source_name: str) -> Grid:
    """The grid of the sheet named ``sheet`` (spaces around it ignored), or an
    :class:`~lvzhi.errors.ImportProblem` that lists the sheets there are."""
    for grid in grids:
        if grid.title.strip() == sheet.strip() and grid.format != "csv":
            return grid
    if all(grid.format == "csv" for grid in grids):
        raise _file_problem(source_name, _("a text file has no sheets to choose from"), sheet)
    listed = _(", ").join(grid.title for grid in grids)
    reason = _("no sheet named {sheet!r}; the sheets are: {sheets}")
    raise _file_problem(source_name, reason.format(sheet=sheet, sheets=listed), sheet)


# --------------------------------------------------------------------------- xlsx

_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _read_xlsx(data: bytes) -> tuple[Grid, ...]:
    # The normal (not read-only) mode: only it knows the merged cells.  For a roster it is
    # about as fast as read-only iteration.  ``data_only`` reads formulas by the value the
    # spreadsheet program saved with them.
    openpyxl = importlib.import_module("openpyxl")  # untyped; a tablib dependency
    book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    uncached = _uncached_formulas(data, openpyxl) if _has_formulas(data) else {}
    grids = []
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        spans = [(r.min_row, r.min_col, r.max_row) for r in sheet.merged_cells.ranges]
        title = str(sheet.title)
        missing = frozenset(
            (row, col)
            for row, col in uncached.get(title, ())
            if row < len(rows) and (col >= len(rows[row]) or rows[row][col] is None)
        )
        grids.append(Grid(tuple(fill_down(rows, spans)), title, "xlsx", missing))
    book.close()
    return tuple(grids)


def _has_formulas(data: bytes) -> bool:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for member in archive.namelist():
            sheet = member.startswith("xl/worksheets/") and member.endswith(".xml")
            if sheet and _FORMULA.search(archive.read(member)):
                return True
    return False


def _uncached_formulas(data: bytes, openpyxl: Any) -> dict[str, list[tuple[int, int]]]:
    """0-based positions of the formula cells of each sheet (which of them have no saved
    value is known only next to the values read with ``data_only``)."""
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    found: dict[str, list[tuple[int, int]]] = {}
    try:
        for sheet in book.worksheets:
            cells = found.setdefault(str(sheet.title), [])
            sheet.reset_dimensions()  # a stored dimension can be wrong; read every cell
            for row in sheet.iter_rows():
                for cell in row:
                    if getattr(cell, "data_type", None) == "f":
                        cells.append((cell.row - 1, cell.column - 1))
    finally:
        book.close()
    return found


def fill_down(
    rows: list[tuple[Any, ...]], spans: Iterable[tuple[int, int, int]]
) -> list[tuple[Any, ...]]:
    """Copy the value of each merged range spanning several rows, given as 1-based
    ``(first row, column, last row)``, into the empty cells below it in its first column.
    Ranges within one row (a title merged across the sheet) are left as they are."""
    for first, column, last in spans:
        top, col = first - 1, column - 1
        if last <= first or top >= len(rows) or col >= len(rows[top]):
            continue
        value = rows[top][col]
        if value is None:
            continue
        for index in range(first, min(last, len(rows))):
            row = rows[index]
            if col < len(row) and row[col] is not None:
                continue
            cells = list(row) + [None] * (col + 1 - len(row))
            cells[col] = value
            rows[index] = tuple(cells)
    return rows


# --------------------------------------------------------------------------- ods


def _read_ods(data: bytes) -> tuple[Grid, ...]:
    # tablib's ODS reader drops empty rows and collapsed empty cells, which shifts row
    # numbers and columns; this reader expands repeated rows and cells instead, using
    # tablib's cell decoding.
    opendocument = importlib.import_module("odf.opendocument")  # untyped; a tablib dependency
    ods_format = importlib.import_module("tablib.formats._ods").ODSFormat

    doc = opendocument.load(io.BytesIO(data))
    grids = []
    for sheet in doc.spreadsheet.childNodes:
        if sheet.qname[1] == "table":
            spans: list[tuple[int, int, int]] = []
            rows = list(_ods_rows(sheet, ods_format, spans))
            grids.append(
                Grid(tuple(fill_down(rows, spans)), str(sheet.getAttribute("name")), "ods")
            )
    return tuple(grids) or (Grid((), "", "ods"),)


def _ods_rows(sheet: Any, fmt: Any, spans: list[tuple[int, int, int]]) -> Iterator[tuple[Any, ...]]:
    pending_blank = 0
    emitted = 0
    for row in _ods_row_elements(sheet):
        cells: list[Any] = []
        for cell in row.childNodes:
            if cell.qname[1] not in ("table-cell", "covered-table-cell"):
                continue
            repeat = int(cell.getAttribute("numbercolumnsrepeated") or 1)
            value = fmt.read_cell(cell) if cell.qname[1] == "table-cell" else None
            if value == "":
                value = None
            down = int(cell.getAttribute("numberrowsspanned") or 1) if value is not None else 1
            if down > 1:
                first = emitted + pending_blank + 1
                spans.append((first, len(cells) + 1, first + down - 1))
            if value is None and repeat > 1:
                cells.extend([None] * min(repeat, 1024))
            else:
                cells.extend([value] * repeat)
        while cells and cells[-1] is None:
            cells.pop()
        repeat_rows = int(row.getAttribute("numberrowsrepeated") or 1)
        if not cells:
            # Trailing blank rows are often "repeated" a million times; emit them lazily.
            pending_blank += repeat_rows
            continue
        for _blank in range(pending_blank):
            yield ()
        emitted += pending_blank + repeat_rows
        pending_blank = 0
        for _repeat in range(repeat_rows):
            yield tuple(cells)


def _ods_row_elements(node: Any) -> Iterator[Any]:
    for child in node.childNodes:
        kind = getattr(child, "qname", ("", ""))[1]
        if kind == "table-row":
            yield child
        elif kind in ("table-header-rows", "table-rows", "table-row-group"):
            yield from _ods_row_elements(child)
