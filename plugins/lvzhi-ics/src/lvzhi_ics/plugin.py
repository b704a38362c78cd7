"""The hook implementations: the ``ics`` and ``ics-zip`` formats and the
``personal-timetable`` report."""

from __future__ import annotations

from lvzhi import hookimpl
from lvzhi.ports import Exporter, Report
from lvzhi_ics.exporter import IcsExporter, IcsZipExporter
from lvzhi_ics.personal import PersonalTimetable


@hookimpl
def lvzhi_register_exporters() -> list[Exporter]:
    return [IcsExporter(), IcsZipExporter()]


@hookimpl
def lvzhi_register_reports() -> list[Report]:
    return [PersonalTimetable()]
