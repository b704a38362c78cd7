"""One sheet per discussion group (分组名单): convener, recorder, leaders sitting in, members;
the group's room in its title row."""

from __future__ import annotations

from collections.abc import Iterable

import tablib

from lvzhi.domain import Delegate, Delegation, DiscussionGroup, Official, Venue
from lvzhi.reports._common import (
    OrderKey,
    delegation_names,
    find,
    official_row,
    ordered,
    phone,
    sheet_title,
)
from lvzhi.reports.layout import HEADING_SEPARATOR, heading_text

__all__ = ["GROUP_HEADERS", "group_tables"]

GROUP_HEADERS = ("序号", "身份", "姓名", "性别", "代表证号", "选举单位", "界别", "手机")


def group_tables(
    groups: Iterable[DiscussionGroup],
    delegates: Iterable[Delegate],
    delegations: Iterable[Delegation],
    *,
    officials: Iterable[Official] = (),
    venues: Iterable[Venue] = (),
    order_key: OrderKey | None = None,
    reveal_phones: bool = False,
    programme_title: str | None = None,
    report: str = "分组名单",
) -> tablib.Databook:
    """One sheet per discussion group (by ``number``), named after the group.

    The convener (召集人), the recorder (记录人) and the leaders sitting in (列席领导) come
    first when they are among ``officials``; then the members, numbered, in the group's
    order or by ``order_key``.  A member whose certificate number is not among
    ``delegates`` is listed last with only that number, so that nobody silently
    disappears.  A group with a room (``venue_id`` among ``venues``) has it in its title
    row: ``programme_title　分组名单（第一组）　地点：301会议室``.
    """
    by_cert = {d.certificate_no: d for d in delegates}
    names = delegation_names(delegations)
    by_id = {o.id: o for o in officials}
    rooms = {v.id: v.name for v in venues}
    book = tablib.Databook()
    titles: list[str] = []
    for group in sorted(groups, key=lambda g: (g.number, g.id)):
        title = sheet_title(group.name, taken=titles)
        titles.append(title)
        data = tablib.Dataset(headers=list(GROUP_HEADERS), title=title)
        room = rooms.get(group.venue_id or "", "")
        if room:
            name = f"{report}（{group.name}）{HEADING_SEPARATOR}地点：{room}"
            data.heading = heading_text(name, programme_title)
        for role, official_id in (("召集人", group.convener_id), ("记录人", group.recorder_id)):
            official = find(by_id, official_id)
            if official is not None:
                data.append(official_row(role, official, reveal_phones, GROUP_HEADERS))
        for leader_id in group.leader_ids:
            leader = by_id.get(leader_id)
            if leader is not None:
                data.append(official_row("列席领导", leader, reveal_phones, GROUP_HEADERS))
        members = [by_cert[c] for c in group.members if c in by_cert]
        for number, d in enumerate(ordered(members, order_key), start=1):
            data.append(
                [
                    number,
                    "代表",
                    d.name,
                    d.gender.label,
                    d.certificate_no,
                    names.get(d.delegation, d.delegation),
                    d.sector,
                    phone(d.phone, reveal_phones),
                ]
            )
        unknown = [c for c in group.members if c not in by_cert]
        for number, cert in enumerate(unknown, start=len(members) + 1):
            data.append([number, "代表", "", "", cert, "", "", ""])
        book.add_sheet(data)
    return book
