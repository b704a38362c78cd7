"""The personal timetable (个人日程安排表): the sessions a deputy must attend, each with the
place the deputy goes to — the hall and the deputy's seat in it, or the room of the
deputy's discussion group.

``personal-timetable`` with the option ``deputy=<certificate number>`` is one deputy's
table; without it, every deputy's rows in one table (official order), which the ``ics-zip``
format splits into one calendar per deputy.  Each row's source is a
:class:`PersonalEvent`, so that the ``ics`` formats can write real events.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
import tablib

from lvzhi.domain import Delegate, DiscussionGroup, Session
from lvzhi.domain.halls import Hall
from lvzhi.domain.seating import SeatPlan
from lvzhi.domain.zones import Zone
from lvzhi.errors import NotFound
from lvzhi.ports import ReportContext
from lvzhi.reports.sources import attach_sources

__all__ = [
    "PERSONAL_HEADERS",
    "PersonalEvent",
    "PersonalTimetable",
    "covers",
    "personal_events",
]

PERSONAL_HEADERS = ("代表证号", "姓名", "日期", "时间", "内容", "类型", "地点", "座位", "备注")
_WEEKDAYS = "一二三四五六日"


@attrs.frozen(kw_only=True)
class PersonalEvent:
    """One session in one deputy's timetable: where the deputy goes (``venue``, the
    ``seat`` label and its ``zone``, or the discussion ``group``)."""

    session: Session
    certificate_no: str
    name: str
    venue: str = ""
    seat: str = ""
    zone: str = ""
    group: str = ""


def covers(session: Session, deputy: Delegate, group_ids: Iterable[str]) -> bool:
    """Whether the session's audience includes the deputy (a member of ``group_ids``)."""
    audience = session.audience
    if audience.new_only and not deputy.is_new:
        return False
    if audience.everyone:
        return True
    return deputy.delegation in audience.delegations or bool(audience.groups & set(group_ids))


@attrs.frozen
class _Places:
    """The halls, their seat plans for the programme and their zones; the venues' names."""

    venues: Mapping[str, str]
    halls: Mapping[str, Hall]
    plans: Mapping[str, SeatPlan]
    zones: Mapping[str, Sequence[Zone]]

    def seat(self, hall_id: str, certificate_no: str) -> tuple[str, str]:
        """The deputy's seat label and zone name in the hall (``""`` when not seated)."""
        hall = self.halls.get(hall_id)
        plan = self.plans.get(hall_id)
        seat_id = plan.seat_of(certificate_no) if plan else None
        if hall is None or seat_id is None:
            return "", ""
        seat = hall.find(seat_id)
        zone = next((z.name for z in self.zones.get(hall_id, ()) if seat_id in z.seats), "")
        return (seat.label if seat else seat_id), zone


def _places(context: ReportContext, programme_id: str) -> _Places:
    uow = context.uow
    halls = {h.id: h for h in uow.halls.list()}
    plans: dict[str, SeatPlan] = {}
    for plan in sorted(uow.seat_plans.list(), key=lambda p: p.programme_id is not None):
        # the programme's own plan of a hall wins over the hall's plan for any programme
        if plan.programme_id in (None, programme_id):
            plans[plan.hall_id] = plan
    zones: dict[str, list[Zone]] = {}
    for zone in uow.zones.list():
        zones.setdefault(zone.hall_id, []).append(zone)
    venues = {v.id: v.name for v in uow.venues.list()}
    return _Places(venues=venues, halls=halls, plans=plans, zones=zones)


def personal_events(
    deputy: Delegate,
    sessions: Sequence[Session],
    groups: Sequence[DiscussionGroup],
    places: _Places,
) -> list[PersonalEvent]:
    """The sessions the deputy must attend, in time order, with where the deputy goes."""
    own = [g for g in groups if deputy.certificate_no in g.members]
    events = []
    for session in sessions:
        if not covers(session, deputy, {g.id for g in own}):
            continue
        group = ""
        venue_id = session.venue_id
        if venue_id is None and own:
            venue_id = own[0].venue_id  # a discussion in the group's own room
            group = own[0].name
        seat, zone = places.seat(venue_id, deputy.certificate_no) if venue_id else ("", "")
        events.append(
            PersonalEvent(
                session=session,
                certificate_no=deputy.certificate_no,
                name=deputy.name,
                venue=places.venues.get(venue_id, venue_id) if venue_id else "",
                seat=seat,
                zone=zone,
                group=group,
            )
        )
    return events


def _row(event: PersonalEvent, zone: str) -> list[Any]:
    s = event.session
    start = s.starts_at.in_timezone(zone)
    end = s.ends_at.in_timezone(zone)
    day = start.date()
    seat = "　".join(p for p in (event.zone, event.seat) if p)
    notes = "；".join(p for p in (event.group, s.notes) if p)
    return [
        event.certificate_no,
        event.name,
        f"{day.year}年{day.month}月{day.day}日（星期{_WEEKDAYS[day.weekday()]}）",
        f"{start:%H:%M}-{end:%H:%M}",
        s.title,
        s.kind.label,
        event.venue,
        seat,
        notes,
    ]


class PersonalTimetable:
    """The report ``personal-timetable`` (个人日程安排表); option ``deputy``."""

    name = "personal-timetable"
    title = "个人日程安排表"
    needs_programme = True

    def build(self, context: ReportContext) -> tablib.Dataset:
        programme = context.programme
        assert programme is not None  # needs_programme
        uow = context.uow
        wanted = str(context.options.get("deputy") or "").strip()
        if wanted:
            found = uow.delegates.find(wanted)
            if found is None:
                raise NotFound("deputy (option deputy)", wanted)
            deputies = [found]
        else:
            order = {d.code: (d.order, d.code) for d in uow.delegations.list()}
            deputies = sorted(
                uow.delegates.list(),
                key=lambda d: (
                    order.get(d.delegation, (1 << 30, d.delegation)),
                    context.order_key(d.name),
                    d.certificate_no,
                ),
            )
        sessions = sorted(
            uow.sessions.select(programme_id=programme.id), key=lambda s: (s.starts_at, s.id)
        )
        groups = sorted(uow.groups.select(programme_id=programme.id), key=lambda g: g.number)
        places = _places(context, programme.id)
        title = f"{self.title}（{deputies[0].name}）" if wanted else self.title
        data = tablib.Dataset(headers=list(PERSONAL_HEADERS), title=title)
        events: list[PersonalEvent] = []
        for deputy in deputies:
            for event in personal_events(deputy, sessions, groups, places):
                data.append(_row(event, context.timezone))
                events.append(event)
        return attach_sources(data, events, context.timezone)
