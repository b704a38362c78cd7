"""A deputy's seat and personal timetable as attachments of a notice.

The notifier has no way back into the secretariat: what a message carries is in the
notice.  :func:`deputy_attachments` reads the deputy's seats and the sessions the deputy
must attend through the secretariat's public services and returns them as
:class:`~lvzhi.domain.notices.NoticeAttachment` values for one recipient; put them on the
notice before issuing it::

    notice = attrs.evolve(notice, attachments=deputy_attachments(office, "001", recipient="王一"))
    office.notices.issue(notice, addresses={"王一": "wangyi@example.org"})

They are stored with the notice, so every retry sends the same files, and notifiers that
carry no files (``log``, ``file``) simply ignore them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pendulum

from lvzhi.domain import Delegate, DiscussionGroup, Programme, Session, SessionKind
from lvzhi.domain.halls import Seat
from lvzhi.domain.notices import NoticeAttachment
from lvzhi.errors import NotFound

__all__ = [
    "SEAT_FILENAME",
    "TIMETABLE_CALENDAR",
    "TIMETABLE_FILENAME",
    "deputy_attachments",
    "personal_calendar",
    "personal_sessions",
]

SEAT_FILENAME = "座位.txt"
TIMETABLE_FILENAME = "个人日程.txt"
TIMETABLE_CALENDAR = "个人日程.ics"
_WEEKDAYS = "一二三四五六日"


def _attends(session: Session, delegate: Delegate, groups: Iterable[str]) -> bool:
    """Whether the session's audience includes the deputy (``groups``: the ids of the
    deputy's discussion groups), as the attendance records count it."""
    audience = session.audience
    if audience.new_only and not delegate.is_new:
        return False
    return (
        audience.everyone
        or delegate.delegation in audience.delegations
        or any(g in audience.groups for g in groups)
    )


def personal_sessions(
    office: Any, certificate_no: str, programme_id: str | None = None
) -> list[Session]:
    """The sessions of the programme whose audience includes the deputy, in time order."""
    delegate: Delegate = office.people.delegate(certificate_no)
    groups = [g.id for g in office.groups.list(programme_id) if certificate_no in g.members]
    return [s for s in office.programme.timetable(programme_id) if _attends(s, delegate, groups)]


def _seats(
    office: Any, certificate_no: str, hall_ids: Iterable[str] | None, programme_id: str | None
) -> dict[str, tuple[str, Seat]]:
    """hall id → (hall name, seat) for every hall with a stored plan that seats the deputy."""
    halls = office.halls.halls()
    if hall_ids is not None:
        wanted = set(hall_ids)
        halls = [h for h in halls if h.id in wanted]
    seats: dict[str, tuple[str, Seat]] = {}
    for hall in halls:
        try:
            seat = office.seating.seat_of(certificate_no, hall.id, programme_id)
        except NotFound:  # no plan for this hall
            continue
        if seat is not None:
            seats[hall.id] = (hall.name, seat)
    return seats


def _place(
    session: Session,
    venues: Mapping[str, str],
    seats: Mapping[str, tuple[str, Seat]],
    groups: Sequence[DiscussionGroup],
) -> str:
    """Where the deputy goes for ``session``: the room and seat, or for a group discussion
    the deputy's group and its room."""
    if session.kind is SessionKind.GROUP_DISCUSSION or session.audience.groups:
        for group in groups:
            if not session.audience.groups or group.id in session.audience.groups:
                room = venues.get(group.venue_id or "", "")
                return f"{group.name} {room}".strip()
    venue = session.venue_id or ""
    where = venues.get(venue, "")
    if venue in seats:
        where = f"{where} 座位 {seats[venue][1].label}".strip()
    return where


def _day(programme: Programme, instant: pendulum.DateTime) -> str:
    local = programme.local(instant)
    return f"{local.month}月{local.day}日（星期{_WEEKDAYS[local.weekday()]}）"


def _seat_text(delegate: Delegate, seats: dict[str, tuple[str, Seat]]) -> str:
    lines = [f"{delegate.name}代表（代表证号 {delegate.certificate_no}）的座位", ""]
    lines += [f"{hall}：{seat.label}" for hall, seat in seats.values()]
    return "\n".join(lines) + "\n"


def _timetable_text(
    programme: Programme,
    delegate: Delegate,
    sessions: Sequence[Session],
    places: Mapping[str, str],
) -> str:
    lines = [f"{programme.title}", f"{delegate.name}代表个人日程", ""]
    day = ""
    for s in sessions:
        if _day(programme, s.starts_at) != day:
            day = _day(programme, s.starts_at)
            lines += ([""] if lines[-1] else []) + [day]
        start = programme.local(s.starts_at).format("HH:mm")
        end = programme.local(s.ends_at).format("HH:mm")
        where = places.get(s.id, "")
        lines.append(f"  {start}—{end}  {s.title}" + (f"  {where}" if where else ""))
    if not sessions:
        lines.append("（无）")
    return "\n".join(lines) + "\n"


def _ics_text(value: str) -> str:
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> list[str]:
    """RFC 5545 3.1: lines of at most 75 octets, continued with a leading space, never
    splitting a UTF-8 character."""
    out: list[str] = []
    current, size, limit = "", 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append(current)
            current, size, limit = " ", 1, 75
        current += char
        size += width
    out.append(current)
    return out


def _utc(instant: pendulum.DateTime) -> str:
    return instant.in_timezone("UTC").strftime("%Y%m%dT%H%M%SZ")


def personal_calendar(
    programme: Programme,
    delegate: Delegate,
    sessions: Sequence[Session],
    places: Mapping[str, str],
    *,
    stamp: pendulum.DateTime,
) -> str:
    """The sessions as an iCalendar file (RFC 5545) that calendar programs import;
    ``places`` maps session ids to where the deputy goes (room, seat)."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//lvzhi//lvzhi-smtp//ZH",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_ics_text(programme.title + ' ' + delegate.name)}",
    ]
    for s in sessions:
        where = places.get(s.id, "")
        details = [s.kind.label] + [x for x in (s.lecturer, s.host, s.notes) if x]
        lines += [
            "BEGIN:VEVENT",
            f"UID:{s.id}.{delegate.certificate_no}.{programme.id}@lvzhi",
            f"DTSTAMP:{_utc(stamp)}",
            f"DTSTART:{_utc(s.starts_at)}",
            f"DTEND:{_utc(s.ends_at)}",
            f"SUMMARY:{_ics_text(s.title)}",
        ]
        if where:
            lines.append(f"LOCATION:{_ics_text(where)}")
        lines += [f"DESCRIPTION:{_ics_text('；'.join(details))}", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "\r\n".join(part for line in lines for part in _fold(line)) + "\r\n"


def deputy_attachments(
    office: Any,
    certificate_no: str,
    *,
    recipient: str = "",
    programme_id: str | None = None,
    hall_ids: Iterable[str] | None = None,
) -> tuple[NoticeAttachment, ...]:
    """The deputy's seat (``座位.txt``, when some stored seat plan seats the deputy) and
    personal timetable (``个人日程.txt`` and ``个人日程.ics``), for ``recipient``'s delivery
    (every recipient's when empty).

    ``office`` is a :class:`lvzhi.Secretariat`; ``programme_id`` chooses the programme
    (the current one when ``None``) and the seat plans stored for it; ``hall_ids`` limits
    the halls looked at."""
    delegate: Delegate = office.people.delegate(certificate_no)
    programme: Programme = office.programme.get(programme_id)
    sessions = personal_sessions(office, certificate_no, programme_id)
    venues = {v.id: v.name for v in office.programme.venues()}
    seats = _seats(office, certificate_no, hall_ids, programme_id)
    groups = [g for g in office.groups.list(programme_id) if certificate_no in g.members]
    places = {s.id: _place(s, venues, seats, groups) for s in sessions}
    files: list[NoticeAttachment] = []
    if seats:
        files.append(
            NoticeAttachment(
                filename=SEAT_FILENAME,
                content=_seat_text(delegate, seats),
                recipient=recipient,
            )
        )
    files.append(
        NoticeAttachment(
            filename=TIMETABLE_FILENAME,
            content=_timetable_text(programme, delegate, sessions, places),
            recipient=recipient,
        )
    )
    files.append(
        NoticeAttachment(
            filename=TIMETABLE_CALENDAR,
            content=personal_calendar(programme, delegate, sessions, places, stamp=office.now()),
            media_type="text/calendar",
            recipient=recipient,
        )
    )
    return tuple(files)
