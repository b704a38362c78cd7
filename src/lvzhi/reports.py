"""Printed forms as ``tablib`` tables: roster (代表名册), timetable (日程安排表), one sheet per
delegation, one sheet per discussion group, suggestions and their replies.

Pure functions over models (no storage, no plugins).  Headers are Chinese, as the forms are
printed; each Dataset's ``title`` is the form's title.  Output is deterministic: the same
models give the same cells in the same order.

Names are listed in the order given unless ``order_key`` is passed: a sort key for one name,
normally a collation's ``key`` (姓氏笔画).  Phone numbers are masked (``138****5678``) unless
``reveal_phones=True``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import tablib

from lvzhi.domain import (
    Delegate,
    Delegation,
    DiscussionGroup,
    Official,
    OfficialRole,
    Programme,
    Session,
    Suggestion,
    Venue,
)

__all__ = [
    "DELEGATION_HEADERS",
    "GROUP_HEADERS",
    "ROSTER_HEADERS",
    "SUGGESTION_HEADERS",
    "TIMETABLE_HEADERS",
    "delegation_tables",
    "group_tables",
    "mask_phone",
    "roster_table",
    "sheet_title",
    "suggestion_table",
    "timetable_table",
]

OrderKey = Callable[[str], Any]

ROSTER_HEADERS = ("序号", "姓名", "性别", "代表证号", "选举单位", "界别", "是否新任", "手机")
TIMETABLE_HEADERS = ("日期", "时间", "内容", "类型", "主讲/主持", "地点", "参加人员")
DELEGATION_HEADERS = (
    "序号",
    "身份",
    "姓名",
    "性别",
    "代表证号",
    "界别",
    "是否新任",
    "职务",
    "手机",
)
SUGGESTION_HEADERS = (
    "序号",
    "标题",
    "内容",
    "类别",
    "方面",
    "提出人",
    "所在小组",
    "承办单位",
    "办理期限",
    "状态",
    "答复",
    "答复时间",
    "满意度",
)
GROUP_HEADERS = ("序号", "身份", "姓名", "性别", "代表证号", "选举单位", "界别", "手机")

_WEEKDAYS = "一二三四五六日"
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\：？＊／＼［］]")


def mask_phone(phone: str) -> str:
    """Hide the middle of a phone number: ``13812345678`` → ``138****5678``.

    Numbers of 8 characters or more keep their first 3 and last 4; shorter ones keep only
    their last 2.  Empty stays empty.
    """
    phone = phone.strip()
    if not phone:
        return ""
    if len(phone) >= 8:
        return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
    return "*" * max(len(phone) - 2, 0) + phone[-2:]


def _phone(phone: str, reveal: bool) -> str:
    return phone if reveal else mask_phone(phone)


def sheet_title(text: str, *, taken: Iterable[str] = ()) -> str:
    """A valid xlsx sheet name from ``text``: ``[]:*?/\\`` become ``-``, at most 31
    characters, not blank, and different from every name in ``taken`` (a ``(2)``, ``(3)``…
    suffix is added)."""
    base = _SHEET_FORBIDDEN.sub("-", " ".join(text.split())).strip("'") or "Sheet"
    base = base[:31]
    used = {t.lower() for t in taken}
    if base.lower() not in used:
        return base
    number = 2
    while True:
        suffix = f"({number})"
        candidate = base[: 31 - len(suffix)] + suffix
        if candidate.lower() not in used:
            return candidate
        number += 1


def _ordered(delegates: Iterable[Delegate], order_key: OrderKey | None) -> list[Delegate]:
    items = list(delegates)
    if order_key is None:
        return items
    return sorted(items, key=lambda d: (order_key(d.name), d.certificate_no))


def _names(delegations: Iterable[Delegation]) -> dict[str, str]:
    return {d.code: d.name for d in delegations}


def _yes_no(flag: bool) -> str:
    return "是" if flag else "否"


def roster_table(
    delegates: Iterable[Delegate],
    delegations: Iterable[Delegation],
    *,
    order_key: OrderKey | None = None,
    reveal_phones: bool = False,
    by_delegation: bool = False,
    title: str = "代表名册",
) -> tablib.Dataset:
    """The roster: 序号, 姓名, 性别, 代表证号, 选举单位, 界别, 是否新任, 手机.

    ``by_delegation`` lists delegations in official order (``Delegation.order``, then code)
    and the deputies of each by ``order_key`` (or as given).  A deputy whose delegation is
    unknown shows the code.
    """
    units = list(delegations)
    names = _names(units)
    rows = _ordered(delegates, order_key)
    if by_delegation:
        rank = {d.code: (d.order, d.code) for d in units}
        rows = sorted(rows, key=lambda d: rank.get(d.delegation, (1 << 30, d.delegation)))
    data = tablib.Dataset(headers=list(ROSTER_HEADERS), title=title)
    for number, d in enumerate(rows, start=1):
        data.append(
            [
                number,
                d.name,
                d.gender.label,
                d.certificate_no,
                names.get(d.delegation, d.delegation),
                d.sector,
                _yes_no(d.is_new),
                _phone(d.phone, reveal_phones),
            ]
        )
    return data


def _date_label(day: Any) -> str:
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
) -> tablib.Dataset:
    """The timetable (日程安排表) of ``programme``: 日期, 时间, 内容, 类型, 主讲/主持, 地点,
    参加人员.

    Only sessions of this programme, ordered by start then id.  Dates and times are local to
    ``programme.timezone`` (``2022年9月6日（星期二）``, ``09:00-10:30``).  ``delegations`` and
    ``groups`` turn codes and ids in an audience into names.
    """
    places = {v.id: v.name for v in venues}
    names = _names(delegations)
    group_names = {g.id: g.name for g in groups}
    chosen = sorted(
        (s for s in sessions if s.programme_id == programme.id),
        key=lambda s: (s.starts_at, s.id),
    )
    data = tablib.Dataset(headers=list(TIMETABLE_HEADERS), title=f"{programme.title}日程安排表")
    for s in chosen:
        start = programme.local(s.starts_at)
        end = programme.local(s.ends_at)
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
    return data


def _official_row(role: str, official: Official, reveal: bool, headers: Sequence[str]) -> list[Any]:
    cells: dict[str, Any] = {
        "身份": role,
        "姓名": official.name,
        "职务": " ".join(p for p in (official.organisation, official.title) if p),
        "手机": _phone(official.phone, reveal),
    }
    return [cells.get(h, "") for h in headers]


def _find(officials: Mapping[str, Official], key: str | None) -> Official | None:
    return officials.get(key) if key else None


def delegation_tables(
    delegates: Iterable[Delegate],
    delegations: Iterable[Delegation],
    officials: Iterable[Official] = (),
    *,
    order_key: OrderKey | None = None,
    reveal_phones: bool = False,
) -> tablib.Databook:
    """One sheet per delegation, in official order (``order``, then code), named after it.

    Each sheet lists the leading official (带队领导) and the staff member (工作人员) first,
    without a 序号, then the deputies numbered 1, 2, …  The leader and staff member are
    ``Delegation.leader_id``/``staff_id`` or, if unset, the first official (by id) with the
    role and the delegation.  Deputies of a delegation not in ``delegations`` get a sheet
    named by the code, after the others.
    """
    units = sorted(delegations, key=lambda d: (d.order, d.code))
    people = sorted(officials, key=lambda o: o.id)
    by_id = {o.id: o for o in people}
    members: dict[str, list[Delegate]] = {}
    for d in _ordered(delegates, order_key):
        members.setdefault(d.delegation, []).append(d)
    known = {d.code for d in units}
    extra = sorted(code for code in members if code not in known)

    book = tablib.Databook()
    titles: list[str] = []
    for code, name, unit in [(u.code, u.name, u) for u in units] + [(c, c, None) for c in extra]:
        title = sheet_title(name, taken=titles)
        titles.append(title)
        data = tablib.Dataset(headers=list(DELEGATION_HEADERS), title=title)
        for role, wanted, attr in (
            ("带队领导", OfficialRole.DELEGATION_LEADER, "leader_id"),
            ("工作人员", OfficialRole.DELEGATION_STAFF, "staff_id"),
        ):
            person = _find(by_id, getattr(unit, attr)) if unit is not None else None
            if person is None:
                person = next(
                    (o for o in people if o.role is wanted and o.delegation == code), None
                )
            if person is not None:
                data.append(_official_row(role, person, reveal_phones, DELEGATION_HEADERS))
        for number, d in enumerate(members.get(code, []), start=1):
            data.append(
                [
                    number,
                    "代表",
                    d.name,
                    d.gender.label,
                    d.certificate_no,
                    d.sector,
                    _yes_no(d.is_new),
                    d.title,
                    _phone(d.phone, reveal_phones),
                ]
            )
        book.add_sheet(data)
    return book


def group_tables(
    groups: Iterable[DiscussionGroup],
    delegates: Iterable[Delegate],
    delegations: Iterable[Delegation],
    *,
    officials: Iterable[Official] = (),
    order_key: OrderKey | None = None,
    reveal_phones: bool = False,
) -> tablib.Databook:
    """One sheet per discussion group (by ``number``), named after the group.

    The convener (召集人) and the leaders sitting in (列席领导) come first when they are
    among ``officials``; then the members, numbered, in the group's order or by
    ``order_key``.  A member whose certificate number is not among ``delegates`` is listed
    last with only that number, so that nobody silently disappears.
    """
    by_cert = {d.certificate_no: d for d in delegates}
    names = _names(delegations)
    by_id = {o.id: o for o in officials}
    book = tablib.Databook()
    titles: list[str] = []
    for group in sorted(groups, key=lambda g: (g.number, g.id)):
        title = sheet_title(group.name, taken=titles)
        titles.append(title)
        data = tablib.Dataset(headers=list(GROUP_HEADERS), title=title)
        convener = _find(by_id, group.convener_id)
        if convener is not None:
            data.append(_official_row("召集人", convener, reveal_phones, GROUP_HEADERS))
        for leader_id in group.leader_ids:
            leader = by_id.get(leader_id)
            if leader is not None:
                data.append(_official_row("列席领导", leader, reveal_phones, GROUP_HEADERS))
        members = [by_cert[c] for c in group.members if c in by_cert]
        for number, d in enumerate(_ordered(members, order_key), start=1):
            data.append(
                [
                    number,
                    "代表",
                    d.name,
                    d.gender.label,
                    d.certificate_no,
                    names.get(d.delegation, d.delegation),
                    d.sector,
                    _phone(d.phone, reveal_phones),
                ]
            )
        unknown = [c for c in group.members if c not in by_cert]
        for number, cert in enumerate(unknown, start=len(members) + 1):
            data.append([number, "代表", "", "", cert, "", "", ""])
        book.add_sheet(data)
    return book


_STATE_LABELS = {"submitted": "已提交", "assigned": "已交办", "replied": "已答复"}
_SATISFACTION_LABELS = {
    "satisfied": "满意",
    "basically_satisfied": "基本满意",
    "dissatisfied": "不满意",
}


def suggestion_table(
    suggestions: Iterable[Suggestion],
    delegates: Iterable[Delegate] = (),
    *,
    groups: Iterable[DiscussionGroup] = (),
    timezone: str = "Asia/Shanghai",
    title: str = "代表意见建议办理情况表",
) -> tablib.Dataset:
    """Suggestions and their replies (意见建议办理情况), by submission time then id.

    Proposers are shown by name when they are among ``delegates`` (else by certificate
    number), the group by name when it is among ``groups``; reply times are local to
    ``timezone``.
    """
    names = {d.certificate_no: d.name for d in delegates}
    group_names = {g.id: g.name for g in groups}
    data = tablib.Dataset(headers=list(SUGGESTION_HEADERS), title=title)
    ordered = sorted(suggestions, key=lambda s: (s.submitted_at, s.id))
    for number, s in enumerate(ordered, start=1):
        reply = s.reply
        data.append(
            [
                number,
                s.title,
                s.body,
                s.category,
                s.aspect,
                "、".join(names.get(p, p) for p in s.proposers),
                group_names.get(s.group_id, s.group_id) if s.group_id else "",
                s.handling_unit,
                s.deadline.isoformat() if s.deadline else "",
                _STATE_LABELS.get(s.state.value, s.state.value),
                reply.body if reply else "",
                f"{reply.replied_at.in_timezone(timezone):%Y-%m-%d %H:%M}" if reply else "",
                _SATISFACTION_LABELS.get(s.satisfaction.value, "") if s.satisfaction else "",
            ]
        )
    return data
