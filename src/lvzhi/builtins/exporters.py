"""Built-in exporters: csv, xlsx, ods, json, yaml and html.

What each does with a ``tablib.Databook`` (several sheets):

* ``xlsx`` and ``ods`` keep the sheets apart (``multi_sheet=True``); sheet names are made
  valid and unique (at most 31 characters, none of ``[]:*?/\\``).
* ``csv`` writes the sheets one after another: a line with the sheet title, the sheet's
  header and rows, then an empty line.
* ``json`` and ``yaml`` write tablib's book layout, a list of
  ``{"title": ..., "data": [{header: value, ...}, ...]}`` in sheet order (it loads back
  with ``tablib.Databook().load(text, "json")``).
* ``html`` writes one document with a heading and a table per sheet.

xlsx is written by openpyxl in write-only (streaming) mode: rows go to the file as they
come, without a cell object per value kept in memory; the header row is bold and frozen
and column widths are fitted to the header and the first rows.  ods, json, yaml and html
come from tablib.  csv is UTF-8 **with** a byte-order mark, so that Chinese Excel opens it
without garbling.

The core prepares every table before calling an exporter
(:func:`lvzhi.reports.prepare`): it neutralises formulas for spreadsheet formats and
converts datetimes to the report's time zone, wall-clock time for spreadsheet formats.
These exporters therefore neutralise nothing themselves.  xlsx and ods cannot store a time
zone: an aware datetime that reaches them unprepared is converted to UTC before its zone is
dropped, never just stripped.
"""

from __future__ import annotations

import csv
import datetime as _dt
import decimal
import html
import io
from collections.abc import Callable, Sequence
from typing import Any, TypeAlias

import attrs
import tablib
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from lvzhi.plugins import hookimpl
from lvzhi.ports import Exporter
from lvzhi.reports import sheet_title
from lvzhi.reports.render import DANGEROUS_PREFIXES as DANGEROUS_PREFIXES
from lvzhi.reports.render import neutralise as neutralise

__all__ = ["TablibExporter", "exporters", "lvzhi_register_exporters"]

Table: TypeAlias = tablib.Dataset | tablib.Databook

#: Rows looked at to fit xlsx column widths (a streamed sheet cannot be measured whole).
WIDTH_SAMPLE = 100
_MAX_WIDTH = 60
_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")


def _sheets(data: Table) -> list[tablib.Dataset]:
    return list(data.sheets()) if isinstance(data, tablib.Databook) else [data]


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


def _utc_naive(value: _dt.datetime) -> _dt.datetime:
    """A naive plain datetime: the UTC time of an aware one, the wall time of a naive one."""
    if value.utcoffset() is not None:
        value = value.astimezone(_dt.UTC)
    return _plain_datetime(value, None)


# -- csv -------------------------------------------------------------------------------


def _csv_rows(sheet: tablib.Dataset) -> list[list[Any]]:
    rows: list[list[Any]] = []
    if sheet.headers:
        rows.append(list(sheet.headers))
    rows.extend(list(row) for row in sheet)
    return rows


def _csv(data: Table) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    if isinstance(data, tablib.Databook):
        for index, sheet in enumerate(data.sheets()):
            if index:
                writer.writerow([])
            writer.writerow([sheet.title or f"Sheet{index + 1}"])
            writer.writerows(_csv_rows(sheet))
    else:
        writer.writerows(_csv_rows(data))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# -- xlsx, streamed ----------------------------------------------------------------------

_KEPT = (int, float, decimal.Decimal, _dt.date, _dt.time, _dt.timedelta)


def _xlsx_value(value: Any) -> Any:
    """A value openpyxl writes: text without the control characters xlsx forbids, plain
    naive datetimes (aware ones in UTC), numbers, dates and times as they are, anything
    else as its text."""
    kind = type(value)
    if kind is str:
        return (
            ILLEGAL_CHARACTERS_RE.sub("", value) if ILLEGAL_CHARACTERS_RE.search(value) else value
        )
    if value is None or kind is int or kind is float:
        return value
    if isinstance(value, _dt.datetime):
        return _utc_naive(value)
    if isinstance(value, str):
        return _xlsx_value(str.__str__(value))
    if isinstance(value, _KEPT):
        return value
    return _xlsx_value(str(value))


def _display_width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, _dt.datetime):
        return 19
    text = str(value)
    longest = max(text.split("\n"), key=len)
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in longest)


def _widths(headers: Sequence[Any] | None, rows: Sequence[Sequence[Any]]) -> list[int]:
    sample = ([list(headers)] if headers else []) + [list(r) for r in rows]
    width = max((len(r) for r in sample), default=0)
    found = [0] * width
    for row in sample:
        for index, value in enumerate(row):
            found[index] = max(found[index], _display_width(value))
    return [min(max(w + 2, 6), _MAX_WIDTH) for w in found]


def _xlsx(data: Table) -> bytes:
    book = Workbook(write_only=True)
    taken: list[str] = []
    for index, sheet in enumerate(_sheets(data), start=1):
        title = sheet_title(sheet.title or f"Sheet{index}", taken=taken)
        taken.append(title)
        ws = book.create_sheet(title)
        headers = [_xlsx_value(h) for h in sheet.headers] if sheet.headers else None
        rows = iter(sheet)
        head = [
            [_xlsx_value(v) for v in row] for _, row in zip(range(WIDTH_SAMPLE), rows, strict=False)
        ]
        for column, width in enumerate(_widths(headers, head), start=1):
            ws.column_dimensions[get_column_letter(column)].width = width
        if headers is not None:
            ws.freeze_panes = "A2"
            cells = []
            for value in headers:
                cell = WriteOnlyCell(ws, value=value)
                cell.font = _BOLD
                cells.append(cell)
            ws.append(cells)
        for values in head:
            ws.append(_wrapped(ws, values))
        for row in rows:
            ws.append(_wrapped(ws, [_xlsx_value(v) for v in row]))
    if not taken:
        book.create_sheet("Sheet1")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _wrapped(ws: Any, values: list[Any]) -> list[Any]:
    """``values``, with a wrapping cell for each text of several lines."""
    if not any(type(v) is str and "\n" in v for v in values):
        return values
    out: list[Any] = []
    for value in values:
        if type(value) is str and "\n" in value:
            cell = WriteOnlyCell(ws, value=value)
            cell.alignment = _WRAP
            out.append(cell)
        else:
            out.append(value)
    return out


# -- ods, json, yaml, html (tablib) -------------------------------------------------------


def _map_cells(sheet: tablib.Dataset, cell: Callable[[Any], Any]) -> tablib.Dataset:
    out = tablib.Dataset(*[[cell(v) for v in row] for row in sheet], title=sheet.title)
    if sheet.headers:
        out.headers = list(sheet.headers)
    return out


def _ods_value(value: Any) -> Any:
    return _utc_naive(value) if isinstance(value, _dt.datetime) else value


def _ods(data: Table) -> bytes:
    taken: list[str] = []
    sheets = []
    for index, sheet in enumerate(_sheets(data), start=1):
        copy = _map_cells(sheet, _ods_value)
        copy.title = sheet_title(sheet.title or f"Sheet{index}", taken=taken)
        taken.append(copy.title)
        sheets.append(copy)
    out: bytes = tablib.Databook(sheets).export("ods")
    return out


def _plain_value(value: Any) -> Any:
    """Subclasses of ``str``, ``datetime`` and ``date`` (enums, pendulum) as the plain
    types a YAML safe dumper knows; the time zone is kept."""
    if isinstance(value, str) and type(value) is not str:
        return str.__str__(value)
    if isinstance(value, _dt.datetime) and type(value) is not _dt.datetime:
        return _plain_datetime(value, value.tzinfo)
    if isinstance(value, _dt.date) and type(value) not in (_dt.date, _dt.datetime):
        return _dt.date(value.year, value.month, value.day)
    return value


def _yaml(data: Table) -> bytes:
    if isinstance(data, tablib.Databook):
        plain: Table = tablib.Databook([_map_cells(s, _plain_value) for s in data.sheets()])
    else:
        plain = _map_cells(data, _plain_value)
    text: str = plain.export("yaml")
    return text.encode("utf-8")


def _json(data: Table) -> bytes:
    text: str = data.export("json")
    return text.encode("utf-8")


def _html(data: Table) -> bytes:
    sheets = _sheets(data)
    doc_title = sheets[0].title if len(sheets) == 1 and sheets[0].title else ""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        '<head><meta charset="utf-8">',
        f"<title>{html.escape(doc_title or '')}</title></head>",
        "<body>",
    ]
    for index, sheet in enumerate(sheets, start=1):
        heading = sheet.title or (f"Sheet{index}" if len(sheets) > 1 else "")
        if heading:
            parts.append(f"<h2>{html.escape(heading)}</h2>")
        parts.append(sheet.export("html"))
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts).encode("utf-8")


@attrs.define
class TablibExporter:
    """An :class:`~lvzhi.ports.Exporter` whose bytes come from ``write``.

    Mutable only because the protocol declares plain attributes; treat it as read-only.
    """

    format: str
    extension: str
    media_type: str
    spreadsheet: bool
    multi_sheet: bool
    write: Callable[[Table], bytes] = attrs.field(repr=False)

    def export(self, data: tablib.Dataset | tablib.Databook) -> bytes:
        return self.write(data)


def exporters() -> list[Exporter]:
    """The built-in exporters, in a fixed order."""
    return [
        TablibExporter("csv", "csv", "text/csv; charset=utf-8", True, False, _csv),
        TablibExporter(
            "xlsx",
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            True,
            True,
            _xlsx,
        ),
        TablibExporter(
            "ods", "ods", "application/vnd.oasis.opendocument.spreadsheet", True, True, _ods
        ),
        TablibExporter("json", "json", "application/json", False, False, _json),
        TablibExporter("yaml", "yaml", "application/yaml", False, False, _yaml),
        TablibExporter("html", "html", "text/html; charset=utf-8", True, False, _html),
    ]


@hookimpl
def lvzhi_register_exporters() -> list[Exporter]:
    """Register csv, xlsx, ods, json, yaml and html."""
    return exporters()
