"""The timetable (日程安排表) of one programme."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pendulum
import tablib

from lvzhi.domain import Delegation, DiscussionGroup, Programme, Session, Venue
from lvzhi.reports._common import delegation_names
from lvzhi.reports.sources import attach_sources

__all__ = ["TIMETABLE_HEADERS", "timetable_table"]

TIMETABLE_HEADERS = ("日期", "时间", "内容", "类型", "主讲/主持", "地点", "参加人员")

_WEEKDAYS = "一二三四五六日"


def _date_label(day: pendulum.Date) -> str:
    return f"{day.year}年{day.month}月{day.day}日（星期{_WEEKDAYS[day.weekday()]}）"


def _audience(session: Session, names: Mapping[str, str], groups: Mapping[str, str]) -> str:
    audience = session.audience
    if audience.everyone:
        return "全体新任代表" if audience.new_only else "全体代表"
    parts = [names.get(c, c) for c in sorted(audience.delegations)]
    parts += [groups.get(g, g) for g in sorted(audience.groups)]
    text = "、".join(parts)
    return f"{text}新任代表" if audience.new_only else text


def timetable_table(
    programme: Programme,
    sessions: Iterable[Session],
    venues: Iterable[Venue],
    *,
    delegations: Iterable[Delegation] = (),
    groups: Iterable[DiscussionGroup] = (),
    timezone: str | None = None,
) -> tablib.Dataset:
    """The timetable (日程安排表) of ``programme``: 日期, 时间, 内容, 类型, 主讲/主持, 地点,
    参加人员.

    Titled ``日程安排表``: an export prints the programme's title before it
    (:func:`~lvzhi.reports.prepare`).  Only sessions of this programme, ordered by start
    then id.  Dates and times are
    converted to ``timezone`` (by default ``programme.timezone``) before they are shown
    (``2022年9月6日（星期二）``, ``09:00-10:30``).  ``delegations`` and ``groups`` turn
    codes and ids in an audience into names.  Each row's session is attached as the
    table's sources (``lvzhi.reports.sources``).
    """
    zone = timezone or programme.timezone
    places = {v.id: v.name for v in venues}
    names = delegation_names(delegations)
    group_names = {g.id: g.name for g in groups}
    chosen = sorted(
        (s for s in sessions if s.programme_id == programme.id),
        key=lambda s: (s.starts_at, s.id),
    )
    data = tablib.Dataset(headers=list(TIMETABLE_HEADERS), title="日程安排表")
    for s in chosen:
        start = s.starts_at.in_timezone(zone)
        end = s.ends_at.in_timezone(zone)
        speaker = [s.lecturer] if s.lecturer else []
        if s.host:
            speaker.append(f"主持：{s.host}")
        data.append(
            [
                _date_label(start.date()),
                f"{start:%H:%M}-{end:%H:%M}",
                s.title,
                s.kind.label,
                "；".join(speaker),
                places.get(s.venue_id, s.venue_id) if s.venue_id else "",
                _audience(s, names, group_names),
            ]
        )
    return attach_sources(data, chosen, zone)  # each row's session, for iCalendar
