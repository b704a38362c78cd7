"""Tables whose rows are sessions, written as iCalendar (RFC 5545) with ``icalendar``.

Each row with a source (:mod:`lvzhi.reports.sources`) becomes one ``VEVENT``: a
:class:`~lvzhi.domain.Session` (the timetable) or a
:class:`~lvzhi_ics.personal.PersonalEvent` (a deputy's personal timetable).

* ``DTSTART``/``DTEND`` are the session's instants as wall-clock times in the table's zone
  (the programme's, ``Asia/Shanghai``), with ``TZID`` and a ``VTIMEZONE`` for that zone;
* ``UID`` is stable per session (``<session>.<programme>@lvzhi``; a personal event adds the
  certificate number), so a calendar imported again updates its events instead of
  doubling them;
* ``SUMMARY`` is the title, ``LOCATION`` the venue (and the deputy's zone and seat),
  ``DESCRIPTION`` the other columns of the row and the session's notes, ``CATEGORIES`` the
  kind of session; ``DTSTAMP`` is when the file was written (UTC).

Texts come from the prepared table (cleaned like any export); times and identifiers from
the sources.
"""

from __future__ import annotations

import datetime as _dt
import functools
import zoneinfo
from collections.abc import Iterable, Sequence
from typing import Any

import attrs
import tablib
from icalendar import Calendar, Event, Timezone

from lvzhi.domain import Session
from lvzhi.errors import ValidationError
from lvzhi.reports.sources import sources_of
from lvzhi_ics.personal import PersonalEvent

__all__ = ["PRODID", "CalendarEvent", "build_calendar", "events_of"]

PRODID = "-//lvzhi//lvzhi-ics 0.1.0//ZH"
#: Columns that are not repeated in an event's description: they are its time, title,
#: place or owner.
_NOT_DESCRIBED = frozenset({"日期", "时间", "内容", "地点", "座位", "代表证号", "姓名", "类型"})


@attrs.frozen(kw_only=True)
class CalendarEvent:
    """One event to write: the session, the texts of its row, its owner (a certificate
    number, ``""`` for the whole course) and the zone of its wall-clock times."""

    session: Session
    cells: tuple[tuple[str, str], ...]  # (header, text) of the row
    owner: str = ""
    owner_name: str = ""
    timezone: str = "Asia/Shanghai"

    def cell(self, header: str) -> str:
        return next((v for h, v in self.cells if h == header), "")

    @property
    def uid(self) -> str:
        s = self.session
        owner = f".{self.owner}" if self.owner else ""
        return f"{s.id}{owner}.{s.programme_id}@lvzhi"


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def events_of(data: tablib.Dataset | tablib.Databook) -> list[CalendarEvent]:
    """The events of every sheet whose rows have session sources; a
    :class:`~lvzhi.errors.ValidationError` when no sheet has any (a table that is not
    made of sessions, such as the roster)."""
    sheets = data.sheets() if isinstance(data, tablib.Databook) else [data]
    events: list[CalendarEvent] = []
    found = False
    for sheet in sheets:
        sources = sources_of(sheet)
        if sources is None:
            continue
        items = [i for i in sources.items if isinstance(i, Session | PersonalEvent)]
        if len(items) != len(sources.items):
            continue
        found = True
        headers = [_text(h) for h in (sheet.headers or ())]
        for item, row in zip(items, sheet, strict=True):
            cells = tuple(zip(headers, (_text(v) for v in row), strict=False))
            if isinstance(item, PersonalEvent):
                events.append(
                    CalendarEvent(
                        session=item.session,
                        cells=cells,
                        owner=item.certificate_no,
                        owner_name=item.name,
                        timezone=sources.timezone,
                    )
                )
            else:
                events.append(CalendarEvent(session=item, cells=cells, timezone=sources.timezone))
    if not found:
        raise ValidationError(
            "format",
            "ics",
            "renders only reports made of sessions (timetable, personal-timetable); "
            "this table's rows are not sessions",
        )
    return events


def _local(instant: Any, zone: zoneinfo.ZoneInfo) -> _dt.datetime:
    """A plain ``datetime`` in ``zone`` (icalendar writes its ``TZID``)."""
    local = instant.astimezone(zone)
    return _dt.datetime(
        local.year,
        local.month,
        local.day,
        local.hour,
        local.minute,
        local.second,
        tzinfo=zone,
        fold=local.fold,
    )


@functools.lru_cache(maxsize=32)
def _vtimezone(zone: str, first_year: int, last_year: int) -> Timezone:
    """The ``VTIMEZONE`` of ``zone`` from ``first_year`` to ``last_year`` (working it out
    takes a while: one per zone and years, shared by every calendar written)."""
    return Timezone.from_tzid(
        zone, first_date=_dt.date(first_year, 1, 1), last_date=_dt.date(last_year, 1, 1)
    )


def _description(event: CalendarEvent) -> str:
    lines = [f"{h}：{v}" for h, v in event.cells if v and h and h not in _NOT_DESCRIBED]
    notes = event.session.notes
    if notes and not any(notes in line for line in lines):
        lines.append(notes)
    return "\n".join(lines)


def _location(event: CalendarEvent) -> str:
    return "　".join(p for p in (event.cell("地点"), event.cell("座位")) if p)


def build_calendar(
    events: Sequence[CalendarEvent],
    *,
    name: str = "",
    timezone: str | None = None,
    stamp: _dt.datetime | None = None,
) -> Calendar:
    """One ``VCALENDAR`` with a ``VEVENT`` per event and a ``VTIMEZONE`` for each zone
    used.  ``name`` becomes ``X-WR-CALNAME``; ``stamp`` (default: now) every
    ``DTSTAMP``."""
    zone_name = timezone or (events[0].timezone if events else "Asia/Shanghai")
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", zone_name)
    now = (stamp or _dt.datetime.now(_dt.UTC)).astimezone(_dt.UTC).replace(microsecond=0)
    zones = {e.timezone: zoneinfo.ZoneInfo(e.timezone) for e in events}
    if events:
        # A VTIMEZONE with the rules of the years around the course, not of every year.
        first = min(e.session.starts_at for e in events).year - 1
        last = max(e.session.ends_at for e in events).year + 2
        for tzid in zones:
            calendar.add_component(_vtimezone(tzid, first, last))
    for item in events:
        zone = zones[item.timezone]
        session = item.session
        vevent = Event()
        vevent.add("uid", item.uid)
        vevent.add("dtstamp", now)
        vevent.add("dtstart", _local(session.starts_at, zone))
        vevent.add("dtend", _local(session.ends_at, zone))
        vevent.add("summary", item.cell("内容") or session.title)
        location = _location(item)
        if location:
            vevent.add("location", location)
        description = _description(item)
        if description:
            vevent.add("description", description)
        vevent.add("categories", [session.kind.label])
        vevent.add("status", "CONFIRMED")
        calendar.add_component(vevent)
    return calendar


def calendars_by_owner(events: Iterable[CalendarEvent]) -> dict[str, list[CalendarEvent]]:
    """The events grouped by owner (``""``: the whole course), in the order first met."""
    out: dict[str, list[CalendarEvent]] = {}
    for event in events:
        out.setdefault(event.owner, []).append(event)
    return out
