"""What the rows of a table were made from, kept beside the cells.

An exporter that writes a structured format instead of a grid of cells (an iCalendar file
with one event per session) needs more than the printed text: the session's id, its
instants.  A report attaches a :class:`RowSources` to its table (:func:`attach_sources`):
one item per row, in row order, and the zone the table shows.  Preparing a table for an
exporter (:func:`lvzhi.reports.prepare`) carries it over unchanged, like a picture's
drawing hints; the exporter reads it with :func:`sources_of`.  Built in: the timetable
(its items are the :class:`~lvzhi.domain.programme.Session` of each row).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs
import tablib

__all__ = ["SOURCES_ATTRIBUTE", "RowSources", "attach_sources", "sources_of"]

#: The attribute of a ``tablib.Dataset`` holding its :class:`RowSources`.
SOURCES_ATTRIBUTE = "lvzhi_sources"


@attrs.frozen
class RowSources:
    """``items[i]`` is what row ``i`` was made from; ``timezone`` (IANA) is the zone the
    table's times are shown in."""

    items: tuple[Any, ...] = attrs.field(converter=tuple)
    timezone: str


def attach_sources(sheet: tablib.Dataset, items: Iterable[Any], timezone: str) -> tablib.Dataset:
    """Attach the rows' sources to ``sheet`` and return it."""
    setattr(sheet, SOURCES_ATTRIBUTE, RowSources(tuple(items), timezone))
    return sheet


def sources_of(sheet: tablib.Dataset) -> RowSources | None:
    """The sources attached to ``sheet``, or ``None`` when it has none or they no longer
    match its rows."""
    sources = getattr(sheet, SOURCES_ATTRIBUTE, None)
    if not isinstance(sources, RowSources) or len(sources.items) != sheet.height:
        return None
    return sources
