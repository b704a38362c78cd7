"""What the core does to every table before any exporter sees it, whoever wrote the
exporter: :func:`prepare` (text cleaning, formula neutralisation, time localisation and
the title row) and :func:`render` (prepare, then export).

* **Impossible characters.**  Text a format cannot hold is cleaned
  (``lvzhi.reports.characters``): for formats a spreadsheet program opens
  (``Exporter.spreadsheet``) control characters become U+FFFD and zero-width and
  bidirectional controls are removed; for the others only lone surrogates are replaced.
  :func:`prepare_export` says which cells were changed (:class:`Replacement`).
* **Neutralisation.**  A text cell starting with ``=``, ``+``, ``-`` or ``@`` (or a tab
  or a carriage return) is a formula to a spreadsheet program; for spreadsheet formats
  every such text cell, header, sheet title and title row is prefixed with ``'`` (OWASP,
  "CSV Injection").  Numbers are never touched.
* **Localisation.**  Every time-zone-aware datetime cell is converted to the report's zone.
  Spreadsheet formats cannot store a zone, so there the converted value is then written as
  its wall-clock time (naive); other formats keep it aware.  Naive datetimes are taken to
  be wall-clock times already and are left alone.
* **Title row.**  Each sheet gets the text of its printed title row
  (:func:`lvzhi.reports.heading`): the programme's title and the table's name.
* **Drawing hints.**  A sheet that is a picture (``lvzhi.reports.grid``) keeps its hints,
  and a sheet of pages (the covers, ``lvzhi.reports.covers``) its mark; rows keep their
  sources (``lvzhi.reports.sources``).

All of them return copies; the table given is never changed.
"""

from __future__ import annotations

import datetime as _dt
import zoneinfo
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeAlias

import attrs
import tablib

from lvzhi.errors import ValidationError
from lvzhi.reports.characters import Replacement, clean_text, unsafe_pattern
from lvzhi.reports.covers import PAGES_ATTRIBUTE
from lvzhi.reports.grid import HINTS_ATTRIBUTE
from lvzhi.reports.layout import heading_text
from lvzhi.reports.sources import SOURCES_ATTRIBUTE

if TYPE_CHECKING:
    from lvzhi.ports.export import Exporter

__all__ = ["DANGEROUS_PREFIXES", "Prepared", "neutralise", "prepare", "prepare_export", "render"]

Table: TypeAlias = tablib.Dataset | tablib.Databook

#: A text cell starting with one of these is read as a formula by spreadsheet programs
#: (OWASP, "CSV Injection").
DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _carry_hints(source: tablib.Dataset, copy: tablib.Dataset) -> None:
    """Keep a picture's drawing hints (``lvzhi.reports.grid``) on the copy: they hold
    positions and identifiers only, which preparing never changes."""
    for attribute in (HINTS_ATTRIBUTE, PAGES_ATTRIBUTE, SOURCES_ATTRIBUTE):
        hints = getattr(source, attribute, None)
        if hints is not None:
            setattr(copy, attribute, hints)


def _safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(DANGEROUS_PREFIXES):
        return "'" + value
    return value


def _map_dataset(data: tablib.Dataset, cell: Callable[[Any], Any]) -> tablib.Dataset:
    out = tablib.Dataset(*[[cell(v) for v in row] for row in data])
    if data.headers:
        out.headers = [cell(h) for h in data.headers]
    out.title = cell(data.title) if isinstance(data.title, str) else data.title
    if getattr(data, "heading", None):
        out.heading = cell(data.heading)
    _carry_hints(data, out)
    return out


def _map(data: Table, cell: Callable[[Any], Any]) -> Table:
    if isinstance(data, tablib.Databook):
        return tablib.Databook([_map_dataset(sheet, cell) for sheet in data.sheets()])
    return _map_dataset(data, cell)


def neutralise(data: Table) -> Table:
    """A copy of ``data`` in which every text cell (headers and titles too) starting with
    ``= + - @``, a tab or a carriage return is prefixed with ``'``, so that a spreadsheet
    program shows it as text instead of running it.  Numbers and other values are kept
    (``-5`` stays the number -5).  Idempotent: a neutralised cell starts with ``'``."""
    return _map(data, _safe)


def _zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError("timezone", name, "is not a known IANA time zone") from exc


def _aware(value: Any) -> bool:
    return isinstance(value, _dt.datetime) and value.utcoffset() is not None


def _wall_clock(value: _dt.datetime, zone: _dt.tzinfo, *, keep_zone: bool) -> _dt.datetime:
    """``value`` converted to ``zone`` as a plain :class:`datetime.datetime` (not a
    subclass), aware in ``zone`` if ``keep_zone``, naive wall-clock time otherwise."""
    local = value.astimezone(zone)
    return _dt.datetime(
        local.year,
        local.month,
        local.day,
        local.hour,
        local.minute,
        local.second,
        local.microsecond,
        tzinfo=zone if keep_zone else None,
        fold=local.fold,
    )


@attrs.frozen
class Prepared:
    """A table ready for an exporter (``data``) and the texts in it whose characters were
    replaced or removed (``replacements``, in sheet, row and column order)."""

    data: Table
    replacements: tuple[Replacement, ...] = ()


class _Preparer:
    """One preparation: the cell conversion for the format and what it replaced."""

    def __init__(self, *, spreadsheet: bool, timezone: str) -> None:
        self.spreadsheet = spreadsheet
        self.zone = _zone(timezone)
        self.found: list[Replacement] = []
        self.dirty = False
        self.cell = self._converter()

    def _converter(self) -> Callable[[Any], Any]:
        """The conversion of one cell, as one closure: it runs for every cell of a table."""
        spreadsheet = self.spreadsheet
        zone = self.zone
        unsafe = unsafe_pattern(printed=spreadsheet).search
        prefixes = DANGEROUS_PREFIXES

        def cell(value: Any) -> Any:
            if isinstance(value, str):
                if unsafe(value) is not None:
                    value = clean_text(value, printed=spreadsheet)[0]
                    self.dirty = True
                if spreadsheet and value.startswith(prefixes):
                    return "'" + value
                return value
            if isinstance(value, _dt.datetime) and value.utcoffset() is not None:
                return _wall_clock(value, zone, keep_zone=not spreadsheet)
            return value

        return cell

    def note(self, sheet: str, part: str, value: Any, **where: Any) -> None:
        """Record a replacement in ``value`` (the text as given) when there was one."""
        if isinstance(value, str):
            codes = clean_text(value, printed=self.spreadsheet)[1]
            if codes:
                self.found.append(Replacement(sheet=sheet, part=part, code_points=codes, **where))

    def dataset(self, data: tablib.Dataset, index: int, name: str, programme: str | None) -> Any:
        cell = self.cell
        title = cell(data.title) if isinstance(data.title, str) else data.title
        label = str(title or f"Sheet{index}")
        self.note(label, "sheet name", data.title)
        out = tablib.Dataset(title=title)
        headers = list(data.headers or ())
        labels = [cell(h) for h in headers]
        for h in headers:
            self.note(label, "header", h, column=str(cell(h)))
        self.dirty = False
        for number, row in enumerate(data, start=1):
            out.append([cell(v) for v in row])
            if self.dirty:
                self.dirty = False
                for column, value in enumerate(row):
                    name_of = str(labels[column]) if column < len(labels) else f"#{column + 1}"
                    self.note(label, "cell", value, row=number, column=name_of)
        if headers:
            out.headers = labels
        text = getattr(data, "heading", None) or heading_text(name, programme)
        if text:
            self.note(label, "title row", text)
            out.heading = cell(text)
        _carry_hints(data, out)
        return out


def _sheet_name(sheet: tablib.Dataset, report_title: str | None, in_book: bool) -> str:
    """The table's name in a title row: a single table's title; in a workbook the report's
    title with the sheet's in brackets (``分组名单（第一组）``)."""
    own = str(sheet.title or "")
    if in_book and report_title and own and own != report_title:
        return f"{report_title}（{own}）"
    return own or (report_title or "")


def prepare_export(
    data: Table,
    *,
    spreadsheet: bool,
    timezone: str,
    programme_title: str | None = None,
    report_title: str | None = None,
) -> Prepared:
    """:func:`prepare`, and the texts whose characters were replaced or removed."""
    preparer = _Preparer(spreadsheet=spreadsheet, timezone=timezone)
    if isinstance(data, tablib.Databook):
        sheets = [
            preparer.dataset(s, i, _sheet_name(s, report_title, True), programme_title)
            for i, s in enumerate(data.sheets(), start=1)
        ]
        out: Table = tablib.Databook(sheets)
    else:
        name = _sheet_name(data, report_title, False)
        out = preparer.dataset(data, 1, name, programme_title)
    return Prepared(out, tuple(preparer.found))


def prepare(
    data: Table,
    *,
    spreadsheet: bool,
    timezone: str,
    programme_title: str | None = None,
    report_title: str | None = None,
) -> Table:
    """A copy of ``data`` ready for an exporter whose ``spreadsheet`` flag is
    ``spreadsheet``.

    For spreadsheet formats every text cell, header and title is cleaned of the characters
    the formats cannot hold (:func:`~lvzhi.reports.clean_text`) and, when it
    starts with ``= + - @``, a tab or a carriage return, gets a leading ``'`` (as
    :func:`neutralise`); every aware datetime is converted to ``timezone`` and then made
    naive (its wall-clock time there).  For other formats aware datetimes are converted to
    ``timezone`` and stay aware, and text is kept except for lone surrogates.  Numbers,
    dates and naive datetimes are never changed.  Idempotent.  ``timezone`` is an IANA name
    (``"Asia/Shanghai"``); an unknown one is a :class:`~lvzhi.errors.ValidationError`.

    Each sheet also gets the text of its printed title row
    (:func:`~lvzhi.reports.heading`): ``programme_title`` and the table's name —
    the title of a single table (``report_title`` when it has none), or
    ``report_title（sheet title）`` for a sheet of a workbook — separated by a full-width
    space.  :func:`prepare_export` also says what was replaced.
    """
    return prepare_export(
        data,
        spreadsheet=spreadsheet,
        timezone=timezone,
        programme_title=programme_title,
        report_title=report_title,
    ).data


def render(
    data: Table,
    exporter: Exporter,
    *,
    timezone: str,
    programme_title: str | None = None,
    report_title: str | None = None,
) -> bytes:
    """``exporter.export`` of :func:`prepare` of ``data``: the bytes of a table in the
    exporter's format."""
    ready = prepare(
        data,
        spreadsheet=exporter.spreadsheet,
        timezone=timezone,
        programme_title=programme_title,
        report_title=report_title,
    )
    return exporter.export(ready)
