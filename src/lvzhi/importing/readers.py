"""Reading a spreadsheet as it arrives: the first sheet of an xlsx or ods workbook, or a csv
file, as a raw :class:`Grid` of rows numbered as a spreadsheet program shows them."""

from __future__ import annotations

import csv
import importlib
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

import attrs

from lvzhi.errors import ImportProblem, RowProblem

__all__ = ["Grid", "Source", "read_grid"]

Source = str | Path | bytes | BinaryIO


@attrs.frozen
class Grid:
    """A sheet as read: ``rows[i]`` is spreadsheet row ``i + 1`` (rows may differ in length;
    empty cells are ``None``).  ``title`` is the sheet name, ``format`` what was read."""

    rows: tuple[tuple[Any, ...], ...]
    title: str = ""
    format: str = ""


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


def _file_problem(source_name: str, reason: str, value: Any = None) -> ImportProblem:
    return ImportProblem(source_name, [RowProblem(0, None, value, reason)])


def read_grid(source: Source, *, format: str | None = None, source_name: str | None = None) -> Grid:
    """Read the first sheet of an xlsx or ods workbook, or a csv file, as a raw grid.

    ``format`` is ``"xlsx"``, ``"csv"`` or ``"ods"``; if omitted it comes from the file
    suffix, else from the content.  A file that cannot be read raises
    :class:`~lvzhi.errors.ImportProblem` with one problem on row 0 (the whole file).
    """
    data, default_name = _load(source)
    name = source_name or default_name
    fmt = format.lower().lstrip(".") if format else None
    if fmt is None and isinstance(source, str | Path):
        fmt = _SUFFIXES.get(Path(source).suffix.lower())
    if fmt is None:
        fmt = _sniff(data)
    try:
        if fmt == "xlsx":
            return _read_xlsx(data)
        if fmt == "csv":
            return _read_csv(data)
        if fmt == "ods":
            return _read_ods(data)
    except ImportProblem:
        raise
    except Exception as exc:
        raise _file_problem(name, f"cannot read the file as {fmt}: {exc}") from exc
    if fmt == "xls":
        raise _file_problem(name, "old .xls workbooks are not read; save the file as .xlsx")
    raise _file_problem(name, f"unknown format {fmt!r}; use xlsx, csv or ods", fmt)


def _read_xlsx(data: bytes) -> Grid:
    # openpyxl's read-only mode, as tablib does, but without building a Dataset: the raw
    # rows are needed to find the header, and read-only iteration is the fastest reader.
    openpyxl = importlib.import_module("openpyxl")  # untyped; a tablib dependency
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = book.active
        if sheet is None:
            return Grid((), "", "xlsx")
        # A stored dimension can be wrong (files written by other programs); read every cell.
        reset = getattr(sheet, "reset_dimensions", None)
        if reset is not None:
            reset()
        rows = tuple(tuple(row) for row in sheet.iter_rows(values_only=True))
        return Grid(rows, str(sheet.title), "xlsx")
    finally:
        book.close()


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Files saved by Chinese Excel ("CSV" = the ANSI code page, i.e. GBK); GB18030 is
        # its superset.
        return data.decode("gb18030")


def _read_csv(data: bytes) -> Grid:
    text = _decode(data)
    sample = text[:8192]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    # csv gives text cells only; an empty one becomes None (a row without any, as is).
    rows = tuple(
        [tuple(row) if "" not in row else tuple([cell or None for cell in row]) for row in reader]
    )
    return Grid(rows, "", "csv")


def _read_ods(data: bytes) -> Grid:
    # tablib's ODS reader drops empty rows and collapsed empty cells, which shifts row
    # numbers and columns; this reader expands repeated rows and cells instead, using
    # tablib's cell decoding.
    opendocument = importlib.import_module("odf.opendocument")  # untyped; a tablib dependency
    ods_format = importlib.import_module("tablib.formats._ods").ODSFormat

    doc = opendocument.load(io.BytesIO(data))
    for sheet in doc.spreadsheet.childNodes:
        if sheet.qname[1] == "table":
            return Grid(tuple(_ods_rows(sheet, ods_format)), str(sheet.getAttribute("name")), "ods")
    return Grid((), "", "ods")


def _ods_rows(sheet: Any, fmt: Any) -> Iterator[tuple[Any, ...]]:
    pending_blank = 0
    for row in _ods_row_elements(sheet):
        cells: list[Any] = []
        for cell in row.childNodes:
            if cell.qname[1] not in ("table-cell", "covered-table-cell"):
                continue
            repeat = int(cell.getAttribute("numbercolumnsrepeated") or 1)
            value = fmt.read_cell(cell) if cell.qname[1] == "table-cell" else None
            if value == "":
                value = None
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
        for _ in range(pending_blank):
            yield ()
        pending_blank = 0
        for _ in range(repeat_rows):
            yield tuple(cells)


def _ods_row_elements(node: Any) -> Iterator[Any]:
    for child in node.childNodes:
        kind = getattr(child, "qname", ("", ""))[1]
        if kind == "table-row":
            yield child
        elif kind in ("table-header-rows", "table-rows", "table-row-group"):
            yield from _ods_row_elements(child)
