"""Built-in exporters: csv, xlsx, ods, json, yaml and html.

What each does with a ``tablib.Databook`` (several sheets):

* ``xlsx`` and ``ods`` keep the sheets apart (``multi_sheet=True``); sheet names are made
  valid and unique (at most 31 characters, none of ``[]:*?/\\``).
* ``csv`` writes the sheets one after another: a line with the sheet title, the sheet's
  header and rows, then an empty line.
* ``json`` and ``yaml`` write tablib's book layout, a list of
  ``{"title": ..., "data": [{header: value, ...}, ...]}`` in sheet order (it loads back
  with ``tablib.Databook().load(text, "json")``).
* ``html`` writes one document with a heading and a table per sheet; the covers
  (``lvzhi.reports.covers``) as one printable page per deputy.

A sheet that is a picture (it carries drawing hints, ``lvzhi.reports.grid``: the seating
chart) is drawn by xlsx (``lvzhi.builtins.chart``) and by html (an inline SVG,
``lvzhi.reports.svg``); csv, json and yaml leave it out when the workbook has other sheets
(the seating chart's list of seats), and ods writes its cells as plain rows.

xlsx (``lvzhi.builtins.xlsx``, openpyxl in write-only mode) and ods
(``lvzhi.builtins.ods``, odfpy) are laid out to be printed: a title row, a header
repeated on every page, fitted columns, borders, A4 scaled to the page width and page
numbers (``lvzhi.reports.layout``).  json, yaml and html come from tablib; html shows
each sheet's title row as its heading.  csv is UTF-8 **with** a byte-order mark, so that
Chinese Excel opens it without garbling.

The core prepares every table before calling an exporter
(:func:`lvzhi.reports.prepare`): it cleans text of characters the format cannot hold,
neutralises formulas for spreadsheet formats, converts datetimes to the report's time
zone (wall-clock time for spreadsheet formats) and works out each sheet's title row.
These exporters therefore neutralise nothing themselves.  xlsx and ods cannot store a time
zone: an aware datetime that reaches them unprepared is converted to UTC before its zone is
dropped, never just stripped.
"""

from __future__ import annotations

import csv
import datetime as _dt
import html
import io
from collections.abc import Callable
from typing import Any, TypeAlias

import attrs
import tablib

from lvzhi.builtins.ods import export_ods
from lvzhi.builtins.xlsx import export_xlsx
from lvzhi.plugins import hookimpl
from lvzhi.ports import Exporter
from lvzhi.reports.covers import covers_html, covers_of, is_cover_sheet
from lvzhi.reports.grid import hints_of, plain_sheets
from lvzhi.reports.layout import heading
from lvzhi.reports.render import DANGEROUS_PREFIXES as DANGEROUS_PREFIXES
from lvzhi.reports.render import neutralise as neutralise
from lvzhi.reports.svg import STYLE as SVG_STYLE
from lvzhi.reports.svg import svg_chart

__all__ = ["TablibExporter", "exporters", "lvzhi_register_exporters"]

Table: TypeAlias = tablib.Dataset | tablib.Databook


def _sheets(data: Table) -> list[tablib.Dataset]:
    return list(data.sheets()) if isinstance(data, tablib.Databook) else [data]


def _tabular(data: Table) -> Table:
    """``data`` without the sheets that are pictures (``lvzhi.reports.grid``), for the
    formats that cannot draw; a single table when one sheet is left."""
    if not isinstance(data, tablib.Databook):
        return data
    sheets = plain_sheets(data.sheets())
    if len(sheets) == len(data.sheets()):
        return data
    return sheets[0] if len(sheets) == 1 else tablib.Databook(sheets)


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


# -- csv -------------------------------------------------------------------------------


def _csv_rows(sheet: tablib.Dataset) -> list[list[Any]]:
    rows: list[list[Any]] = []
    if sheet.headers:
        rows.append(list(sheet.headers))
    rows.extend(list(row) for row in sheet)
    return rows


def _csv(data: Table) -> bytes:
    data = _tabular(data)
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


# -- json, yaml, html (tablib) ------------------------------------------------------------


def _map_cells(sheet: tablib.Dataset, cell: Callable[[Any], Any]) -> tablib.Dataset:
    out = tablib.Dataset(*[[cell(v) for v in row] for row in sheet], title=sheet.title)
    if sheet.headers:
        out.headers = list(sheet.headers)
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
    data = _tabular(data)
    if isinstance(data, tablib.Databook):
        plain: Table = tablib.Databook([_map_cells(s, _plain_value) for s in data.sheets()])
    else:
        plain = _map_cells(data, _plain_value)
    text: str = plain.export("yaml")
    return text.encode("utf-8")


def _json(data: Table) -> bytes:
    text: str = _tabular(data).export("json")
    return text.encode("utf-8")


def _html(data: Table) -> bytes:
    sheets = _sheets(data)
    if len(sheets) == 1 and is_cover_sheet(sheets[0]):  # one printable page per deputy
        title = heading(sheets[0]) or sheets[0].title or ""
        return covers_html(covers_of(sheets[0]), title=title).encode("utf-8")
    pictures = [s for s in sheets if hints_of(s) is not None]
    doc_title = heading(sheets[0]) if len(sheets) == 1 or pictures else ""
    style = f"<style>{SVG_STYLE}</style>" if pictures else ""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        '<head><meta charset="utf-8">',
        f"<title>{html.escape(doc_title or '')}</title>{style}</head>",
        "<body>",
    ]
    for index, sheet in enumerate(sheets, start=1):
        title = heading(sheet) or (f"Sheet{index}" if len(sheets) > 1 else "")
        if title:
            parts.append(f"<h2>{html.escape(title)}</h2>")
        hints = hints_of(sheet)
        parts.append(svg_chart(sheet, hints) if hints is not None else sheet.export("html"))
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
            export_xlsx,
        ),
        TablibExporter(
            "ods", "ods", "application/vnd.oasis.opendocument.spreadsheet", True, True, export_ods
        ),
        TablibExporter("json", "json", "application/json", False, False, _json),
        TablibExporter("yaml", "yaml", "application/yaml", False, False, _yaml),
        TablibExporter("html", "html", "text/html; charset=utf-8", True, False, _html),
    ]


@hookimpl
def lvzhi_register_exporters() -> list[Exporter]:
    """Register csv, xlsx, ods, json, yaml and html."""
    return exporters()
