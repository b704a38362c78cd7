"""Built-in exporters, backed by tablib: csv, xlsx, ods, json, yaml and html.

What each does with a ``tablib.Databook`` (several sheets):

* ``xlsx`` and ``ods`` keep the sheets apart (``multi_sheet=True``); sheet names are made
  valid and unique (at most 31 characters, none of ``[]:*?/\\``).
* ``csv`` writes the sheets one after another: a line with the sheet title, the sheet's
  header and rows, then an empty line.
* ``json`` and ``yaml`` write tablib's book layout, a list of
  ``{"title": ..., "data": [{header: value, ...}, ...]}`` in sheet order (it loads back
  with ``tablib.Databook().load(text, "json")``).
* ``html`` writes one document with a heading and a table per sheet.

csv is UTF-8 **with** a byte-order mark, so that Chinese Excel opens it without garbling.
Time-zone-aware datetimes are written as local wall-clock time without the zone in xlsx
and ods (neither can store a zone).

:func:`neutralise` protects against formula injection.  The core applies it before calling
an exporter whose ``spreadsheet`` flag is set: csv, xlsx, ods and html (a spreadsheet program
opens html tables too, and pasting one into a sheet evaluates formulas).  json and yaml are
data for programs and are written exactly.
"""

from __future__ import annotations

import csv
import datetime as _dt
import html
import io
from collections.abc import Callable
from typing import Any

import attrs
import tablib

from lvzhi.plugins import hookimpl
from lvzhi.ports import Exporter
from lvzhi.reports import sheet_title

__all__ = [
    "DANGEROUS_PREFIXES",
    "TablibExporter",
    "exporters",
    "lvzhi_register_exporters",
    "neutralise",
]

#: A text cell starting with one of these is read as a formula by spreadsheet programs
#: (OWASP, "CSV Injection").
DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(DANGEROUS_PREFIXES):
        return "'" + value
    return value


def _map_dataset(data: tablib.Dataset, cell: Callable[[Any], Any]) -> tablib.Dataset:
    headers = [cell(h) for h in data.headers] if data.headers else None
    title = cell(data.title) if data.title else data.title
    out = tablib.Dataset(*[tuple(cell(v) for v in row) for row in data], title=title)
    if headers is not None:
        out.headers = headers
    return out


def _map(
    data: tablib.Dataset | tablib.Databook, cell: Callable[[Any], Any]
) -> tablib.Dataset | tablib.Databook:
    if isinstance(data, tablib.Databook):
        return tablib.Databook([_map_dataset(sheet, cell) for sheet in data.sheets()])
    return _map_dataset(data, cell)


def neutralise(data: tablib.Dataset | tablib.Databook) -> tablib.Dataset | tablib.Databook:
    """A copy of ``data`` in which every text cell (headers and titles too) starting with
    ``= + - @``, a tab or a carriage return is prefixed with ``'``, so that a spreadsheet
    program shows it as text instead of running it.  Numbers and other values are kept
    (``-5`` stays the number -5).  Idempotent: a neutralised cell starts with ``'``."""
    return _map(data, _safe)


def _local_naive(value: Any) -> Any:
    if isinstance(value, _dt.datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value


def _sheets(data: tablib.Dataset | tablib.Databook) -> list[tablib.Dataset]:
    return list(data.sheets()) if isinstance(data, tablib.Databook) else [data]


def _titled(data: tablib.Databook) -> tablib.Databook:
    """Valid, unique sheet names for a workbook."""
    taken: list[str] = []
    sheets = []
    for index, sheet in enumerate(data.sheets(), start=1):
        copy = _map_dataset(sheet, _local_naive)
        copy.title = sheet_title(sheet.title or f"Sheet{index}", taken=taken)
        taken.append(copy.title)
        sheets.append(copy)
    return tablib.Databook(sheets)


def _csv_rows(sheet: tablib.Dataset) -> list[list[Any]]:
    rows: list[list[Any]] = []
    if sheet.headers:
        rows.append(list(sheet.headers))
    rows.extend(list(row) for row in sheet)
    return rows


def _csv(data: tablib.Dataset | tablib.Databook) -> bytes:
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


def _xlsx(data: tablib.Dataset | tablib.Databook) -> bytes:
    book = _titled(data if isinstance(data, tablib.Databook) else tablib.Databook([data]))
    out: bytes = book.export("xlsx")
    return out


def _ods(data: tablib.Dataset | tablib.Databook) -> bytes:
    book = _titled(data if isinstance(data, tablib.Databook) else tablib.Databook([data]))
    out: bytes = book.export("ods")
    return out


def _text_format(name: str) -> Callable[[tablib.Dataset | tablib.Databook], bytes]:
    def export(data: tablib.Dataset | tablib.Databook) -> bytes:
        text: str = data.export(name)
        return text.encode("utf-8")

    return export


def _html(data: tablib.Dataset | tablib.Databook) -> bytes:
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
    write: Callable[[tablib.Dataset | tablib.Databook], bytes] = attrs.field(repr=False)

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
        TablibExporter("json", "json", "application/json", False, False, _text_format("json")),
        TablibExporter("yaml", "yaml", "application/yaml", False, False, _text_format("yaml")),
        TablibExporter("html", "html", "text/html; charset=utf-8", True, False, _html),
    ]


@hookimpl
def lvzhi_register_exporters() -> list[Exporter]:
    """Register csv, xlsx, ods, json, yaml and html."""
    return exporters()
