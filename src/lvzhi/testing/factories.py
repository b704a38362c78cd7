"""Factories for valid domain models with sensible defaults.

Each ``make_*`` function takes keyword overrides for any attribute.  Keys that must be unique
(certificate numbers, codes, ids) come from one process-wide counter, so two calls never
collide unless you pass the key yourself.  Times default to a course day,
2022-09-06 09:00-11:30 Beijing time, stored in UTC.
"""

from __future__ import annotations

import itertools
from typing import Any

import pendulum

from lvzhi.domain import (
    Delegate,
    Delegation,
    DelegationKind,
    DiscussionGroup,
    Gender,
    LeaveRequest,
    Notice,
    NoticeKind,
    Official,
    OfficialRole,
    Programme,
    Scan,
    ScanKind,
    Session,
    SessionKind,
    Suggestion,
    Venue,
    VenueKind,
)

__all__ = [
    "COURSE_DAY",
    "COURSE_START",
    "make_delegate",
    "make_delegation",
    "make_group",
    "make_leave_request",
    "make_notice",
    "make_official",
    "make_programme",
    "make_scan",
    "make_session",
    "make_suggestion",
    "make_venue",
    "next_number",
]

#: The default course day and the start of its morning session (09:00 Beijing time).
COURSE_DAY = pendulum.Date(2022, 9, 6)
COURSE_START = pendulum.datetime(2022, 9, 6, 9, 0, tz="Asia/Shanghai").in_timezone("UTC")

_counter = itertools.count(1)


def next_number() -> int:
    """The next number of the shared counter (used for unique keys)."""
    return next(_counter)


def _merge(defaults: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    defaults.update(overrides)
    return defaults


def make_delegation(**overrides: Any) -> Delegation:
    n = next_number()
    return Delegation(
        **_merge(
            {
                "code": f"D{n:05d}",
                "name": f"第{n}选举单位",
                "kind": DelegationKind.COUNTY,
                "order": n,
            },
            overrides,
        )
    )


def make_delegate(**overrides: Any) -> Delegate:
    n = next_number()
    return Delegate(
        **_merge(
            {
                "certificate_no": f"C{n:06d}",
                "name": f"代表{n}",
                "gender": Gender.FEMALE if n % 2 else Gender.MALE,
                "delegation": "D00001",
                "sector": "工人",
                "is_new": bool(n % 3 == 0),
            },
            overrides,
        )
    )


def make_official(**overrides: Any) -> Official:
    n = next_number()
    return Official(
        **_merge(
            {
                "id": f"O{n:05d}",
                "name": f"工作人员{n}",
                "role": OfficialRole.ORGANISER,
                "organisation": "人大常委会选举任免联络工作委员会",
            },
            overrides,
        )
    )


def make_programme(**overrides: Any) -> Programme:
    n = next_number()
    return Programme(
        **_merge(
            {
                "id": f"P{n:05d}",
                "title": "新任人大代表履职培训班",
                "term": "第十七届",
                "start_date": COURSE_DAY,
                "end_date": COURSE_DAY.add(days=2),
            },
            overrides,
        )
    )


def make_session(**overrides: Any) -> Session:
    n = next_number()
    starts_at = overrides.pop("starts_at", COURSE_START)
    return Session(
        **_merge(
            {
                "id": f"S{n:05d}",
                "programme_id": "P00001",
                "title": "人民代表大会制度专题辅导",
                "kind": SessionKind.LECTURE,
                "starts_at": starts_at,
                "ends_at": starts_at.add(hours=2, minutes=30),
            },
            overrides,
        )
    )


def make_venue(**overrides: Any) -> Venue:
    n = next_number()
    return Venue(
        **_merge(
            {"id": f"V{n:05d}", "name": f"第{n}会议室", "kind": VenueKind.ROOM, "capacity": 60},
            overrides,
        )
    )


def make_group(**overrides: Any) -> DiscussionGroup:
    n = next_number()
    return DiscussionGroup(
        **_merge(
            {
                "id": f"G{n:05d}",
                "programme_id": "P00001",
                "number": n,
                "name": f"第{n}组",
                "topic": "如何依法履职",
            },
            overrides,
        )
    )


def make_scan(**overrides: Any) -> Scan:
    n = next_number()
    return Scan(
        **_merge(
            {
                "id": f"scan-{n:08d}",
                "session_id": "S00001",
                "certificate_no": "C000001",
                "kind": ScanKind.ENTRY,
                "scanned_at": COURSE_START.subtract(minutes=10),
                "zone": "A区",
            },
            overrides,
        )
    )


def make_leave_request(**overrides: Any) -> LeaveRequest:
    n = next_number()
    starts_at = overrides.pop("starts_at", COURSE_START)
    return LeaveRequest(
        **_merge(
            {
                "id": f"L{n:05d}",
                "programme_id": "P00001",
                "certificate_no": "C000001",
                "starts_at": starts_at,
                "ends_at": starts_at.add(hours=3),
                "reason": "因公务请假半天",
                "submitted_at": starts_at.subtract(days=1),
            },
            overrides,
        )
    )


def make_suggestion(**overrides: Any) -> Suggestion:
    n = next_number()
    return Suggestion(
        **_merge(
            {
                "id": f"Y{n:05d}",
                "programme_id": "P00001",
                "title": "关于加强代表履职培训的建议",
                "body": "建议增加实务课程。",
                "proposers": ("C000001",),
                "category": "履职保障",
                "aspect": "培训",
                "submitted_at": COURSE_START.add(hours=5),
            },
            overrides,
        )
    )


def make_notice(**overrides: Any) -> Notice:
    n = next_number()
    return Notice(
        **_merge(
            {
                "id": f"N{n:05d}",
                "programme_id": "P00001",
                "kind": NoticeKind.ADVANCE,
                "title": "关于举办代表履职培训班的预告通知",
                "body": "各选举单位：\n定于九月六日举办培训班。",
                "recipients": ("各选举单位人大常委会",),
                "issued_at": COURSE_START.subtract(days=7),
                "issued_by": "会务组",
            },
            overrides,
        )
    )
