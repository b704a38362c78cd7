"""The exporters: ``ics`` (one calendar) and ``ics-zip`` (one calendar per deputy)."""

from __future__ import annotations

import io
import zipfile

import tablib

from lvzhi.errors import ValidationError
from lvzhi_ics.calendar import build_calendar, calendars_by_owner, events_of

__all__ = ["IcsExporter", "IcsZipExporter"]


def _name(data: tablib.Dataset | tablib.Databook) -> str:
    sheets = data.sheets() if isinstance(data, tablib.Databook) else [data]
    heading = getattr(sheets[0], "heading", None) if sheets else None
    return " ".join(str(heading or (sheets[0].title if sheets else "") or "").split())


class IcsExporter:
    """``format="ics"``: the sessions of a timetable-like report as one iCalendar file.

    A report that covers several deputies (``personal-timetable`` without the option
    ``deputy``) is refused: choose a deputy, or use ``ics-zip``."""

    format = "ics"
    extension = "ics"
    media_type = "text/calendar; charset=utf-8"
    spreadsheet = False
    multi_sheet = False

    def export(self, data: tablib.Dataset | tablib.Databook) -> bytes:
        events = events_of(data)
        owners = calendars_by_owner(events)
        if len(owners) > 1:
            raise ValidationError(
                "format",
                "ics",
                f"this table holds the timetables of {len(owners)} deputies; export one "
                "with the option deputy=<certificate number>, or all with the format ics-zip",
            )
        return bytes(build_calendar(events, name=_name(data)).to_ical())


class IcsZipExporter:
    """``format="ics-zip"``: a zip with one ``<certificate number>.ics`` per deputy of a
    personal timetable (``timetable.ics`` for the whole course)."""

    format = "ics-zip"
    extension = "zip"
    media_type = "application/zip"
    spreadsheet = False
    multi_sheet = True

    def export(self, data: tablib.Dataset | tablib.Databook) -> bytes:
        events = events_of(data)
        title = _name(data)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for owner, own in calendars_by_owner(events).items():
                name = f"{title}（{own[0].owner_name}）" if owner else title
                filename = f"{owner}.ics" if owner else "timetable.ics"
                info = zipfile.ZipInfo(filename, date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, build_calendar(own, name=name).to_ical())
        return buffer.getvalue()
