"""What the core does to every table before any exporter sees it, whoever wrote the
exporter: :func:`prepare` (formula neutralisation and time localisation) and
:func:`render` (prepare, then export).

* **Neutralisation.**  A text cell starting with ``=``, ``+``, ``-`` or ``@`` (or a tab
  or a carriage return) is a formula to a spreadsheet program; for formats a spreadsheet
  program opens (``Exporter.spreadsheet``) every such text cell, header and sheet title is
  prefixed with ``'`` (OWASP, "CSV Injection").  Numbers are never touched.
* **Localisation.**  Every time-zone-aware datetime cell is converted to the report's zone.
  Spreadsheet formats cannot store a zone, so there the converted value is then written as
  its wall-clock time (naive); other formats keep it aware.  Naive datetimes are taken to
  be wall-clock times already and are left alone.

Both return copies; the table given is never changed.
"""

from __future__ import annotations

import datetime as _dt
import zoneinfo
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeAlias

import tablib

from lvzhi.errors import ValidationError

if TYPE_CHECKING:
    from lvzhi.ports.export import Exporter

__all__ = ["DANGEROUS_PREFIXES", "neutralise", "prepare", "render"]

Table: TypeAlias = tablib.Dataset | tablib.Databook

#: A text cell starting with one of these is read as a formula by spreadsheet programs
#: (OWASP, "CSV Injection").
DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(DANGEROUS_PREFIXES):
        return "'" + value
    return value


def _map_dataset(data: tablib.Dataset, cell: Callable[[Any], Any]) -> tablib.Dataset:
    out = tablib.Dataset(*[[cell(v) for v in row] for row in data])
    if data.headers:
        out.headers = [cell(h) for h in data.headers]
    out.title = cell(data.title) if isinstance(data.title, str) else data.title
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


def prepare(data: Table, *, spreadsheet: bool, timezone: str) -> Table:
    """A copy of ``data`` ready for an exporter whose ``spreadsheet`` flag is
    ``spreadsheet``.

    For spreadsheet formats every text cell, header and title starting with ``= + - @``, a
    tab or a carriage return gets a leading ``'`` (as :func:`neutralise`) and every aware
    datetime is converted to ``timezone`` and then made naive (its wall-clock time there).
    For other formats aware datetimes are converted to ``timezone`` and stay aware, and text
    is kept exactly.  Numbers, dates and naive datetimes are never changed.  Idempotent.
    ``timezone`` is an IANA name (``"Asia/Shanghai"``); an unknown one is a
    :class:`~lvzhi.errors.ValidationError`.
    """
    zone = _zone(timezone)
    if spreadsheet:

        def cell(value: Any) -> Any:
            if isinstance(value, str):
                return "'" + value if value.startswith(DANGEROUS_PREFIXES) else value
            if _aware(value):
                return _wall_clock(value, zone, keep_zone=False)
            return value

    else:

        def cell(value: Any) -> Any:
            if _aware(value):
                return _wall_clock(value, zone, keep_zone=True)
            return value

    return _map(data, cell)


def render(data: Table, exporter: Exporter, *, timezone: str) -> bytes:
    """``exporter.export`` of ``prepare(data, spreadsheet=exporter.spreadsheet,
    timezone=timezone)``: the bytes of a table in the exporter's format."""
    return exporter.export(prepare(data, spreadsheet=exporter.spreadsheet, timezone=timezone))
