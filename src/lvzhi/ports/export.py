"""The export seam: printable reports (what is printed) and exporters (in which format).

Every registered exporter renders every registered report: a report builds a
``tablib.Dataset`` (one table) or ``tablib.Databook`` (a workbook) from one read-only
snapshot of the store; an exporter turns that into bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import attrs

from lvzhi.domain import Programme

if TYPE_CHECKING:
    import tablib

    from lvzhi.ports.storage import UnitOfWork

__all__ = ["Exporter", "GatheringReport", "Report", "ReportContext"]


@runtime_checkable
class Exporter(Protocol):
    """Turns a table (a ``tablib.Dataset``) or a workbook (``tablib.Databook``) into bytes.

    ``format`` is the name users pass (``"xlsx"``); ``extension`` the file suffix without the
    dot; ``spreadsheet`` is true for formats a spreadsheet program opens: the core
    neutralises their cells against formula injection before calling ``export``, whoever
    wrote the exporter.  ``multi_sheet`` is true if the format keeps a Databook's sheets
    apart.  Datetimes arrive localised to the report's time zone.
    """

    format: str
    extension: str
    media_type: str
    spreadsheet: bool
    multi_sheet: bool

    def export(self, data: tablib.Dataset | tablib.Databook) -> bytes: ...


@attrs.frozen(kw_only=True)
class ReportContext:
    """What a report is built from: one read-only unit of work (a consistent snapshot),
    the programme it is about (``None`` when the store has none), the name order and the
    options the caller gave.  ``timezone`` is the programme's zone (``Asia/Shanghai``
    without a programme): every time a report shows is local to it."""

    uow: UnitOfWork
    programme: Programme | None
    order_key: Callable[[str], Any]
    timezone: str = "Asia/Shanghai"
    reveal_phones: bool = False
    options: Mapping[str, Any] = attrs.field(factory=dict)


@runtime_checkable
class Report(Protocol):
    """A printable form (代表名册, 日程安排表…).  ``name`` is what users pass
    (``lvzhi export roster``); ``title`` the form's Chinese title; ``needs_programme`` says
    whether building it without a stored programme is an error."""

    name: str
    title: str
    needs_programme: bool

    def build(self, context: ReportContext) -> tablib.Dataset | tablib.Databook: ...


class GatheringReport(Report, Protocol):
    """A report that needs results another capability works out (the statuses of the
    attendance rule, the findings of discipline) has a ``gather(office, programme_id)``
    method: the export calls it first and passes what it returns as ``context.options``
    (the caller's own options win)."""

    def gather(self, office: Any, programme_id: str | None) -> Mapping[str, Any]: ...
