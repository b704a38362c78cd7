"""lvzhi-ics: the timetable and each deputy's personal timetable as iCalendar.

Installing the distribution adds the export formats ``ics`` (one calendar) and ``ics-zip``
(one calendar per deputy) and the report ``personal-timetable``::

    office.export("timetable", "ics", "timetable.ics")
    office.reports.export("personal-timetable", "ics", "me.ics", options={"deputy": "4304001"})
"""

from __future__ import annotations

from lvzhi_ics.api import personal_calendar, write_personal_calendars
from lvzhi_ics.calendar import CalendarEvent, build_calendar, events_of
from lvzhi_ics.exporter import IcsExporter, IcsZipExporter
from lvzhi_ics.personal import PersonalEvent, PersonalTimetable

__all__ = [
    "CalendarEvent",
    "IcsExporter",
    "IcsZipExporter",
    "PersonalEvent",
    "PersonalTimetable",
    "build_calendar",
    "events_of",
    "personal_calendar",
    "write_personal_calendars",
]
__version__ = "0.1.0"
