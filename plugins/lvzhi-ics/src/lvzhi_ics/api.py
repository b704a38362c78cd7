"""Personal calendars from Python: one deputy's, or every deputy's into a folder."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path
from typing import Any

from lvzhi.services.exports import write_atomically

__all__ = ["personal_calendar", "write_personal_calendars"]


def personal_calendar(
    office: Any, certificate_no: str, *, programme_id: str | None = None
) -> bytes:
    """The iCalendar file of one deputy's sessions, with the hall and seat in each event
    (``office`` is a :class:`lvzhi.Secretariat`)."""
    return bytes(
        office.reports.export(
            "personal-timetable",
            "ics",
            programme_id=programme_id,
            options={"deputy": certificate_no},
        )
    )


def write_personal_calendars(
    office: Any, folder: str | os.PathLike[str], *, programme_id: str | None = None
) -> list[Path]:
    """Write ``<certificate number>.ics`` for every deputy into ``folder`` (created if
    missing), all from one consistent snapshot of the store; returns the files written."""
    payload = office.reports.export("personal-timetable", "ics-zip", programme_id=programme_id)
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        for name in archive.namelist():
            written.append(write_atomically(target / Path(name).name, archive.read(name)))
    return written
