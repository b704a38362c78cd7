"""The course (Programme), its timetable (Sessions) and the places it uses (Venues)."""

from __future__ import annotations

import enum
from typing import Any

import attrs
import pendulum

from lvzhi.domain import _fields as f
from lvzhi.errors import ValidationError

__all__ = [
    "AttendancePolicy",
    "Audience",
    "Programme",
    "Session",
    "SessionKind",
    "Venue",
    "VenueKind",
]


def _to_session_kind(value: Any) -> Any:
    return f.to_enum(SessionKind, value)


def _to_venue_kind(value: Any) -> Any:
    return f.to_enum(VenueKind, value)


@attrs.frozen(kw_only=True)
class AttendancePolicy:
    """The course's attendance rules, as numbers (the rules that apply them are plugins).

    Defaults follow published county rules: entering more than 5 minutes after a session
    starts is late; leaving before it ends is early; two lates or early departures count as
    one absence.
    """

    grace_minutes: int = attrs.field(default=5, validator=f.non_negative_int)
    early_leave_minutes: int = attrs.field(default=0, validator=f.non_negative_int)
    lates_per_absence: int = attrs.field(default=2, validator=f.positive_int)
    scan_opens_minutes: int = attrs.field(default=30, validator=f.non_negative_int)
    require_written_leave: bool = attrs.field(default=True, validator=f.instance_of(bool))


@attrs.frozen(kw_only=True)
class Programme:
    """A training course (培训班): title, term (届), dates, time zone and attendance policy."""

    id: str = attrs.field(validator=f.identifier)
    title: str = attrs.field(converter=f.clean_text, validator=f.non_empty)
    term: str = attrs.field(default="", converter=f.clean_text, validator=f.text)
    organiser: str = attrs.field(default="", converter=f.clean_text, validator=f.text)
    start_date: pendulum.Date = attrs.field(converter=f.date, validator=f.is_date)
    end_date: pendulum.Date = attrs.field(converter=f.date, validator=f.is_date)
    timezone: str = attrs.field(default="Asia/Shanghai", validator=f.timezone_name)
    policy: AttendancePolicy = attrs.field(
        factory=AttendancePolicy, validator=f.instance_of(AttendancePolicy)
    )

    def __attrs_post_init__(self) -> None:
        if self.end_date < self.start_date:
            raise ValidationError(
                "Programme.end_date", self.end_date.isoformat(), "is before start_date"
            )

    @property
    def key(self) -> str:
        return self.id

    def days(self) -> list[pendulum.Date]:
        """Every calendar day of the course."""
        out: list[pendulum.Date] = []
        day = self.start_date
        while day <= self.end_date:
            out.append(day)
            day = day.add(days=1)
        return out

    def local(self, instant: pendulum.DateTime) -> pendulum.DateTime:
        """``instant`` in the course's own time zone."""
        return instant.in_timezone(self.timezone)


class SessionKind(enum.StrEnum):
    """What a timetable slot is."""

    OPENING = "opening"  # 开班式
    LECTURE = "lecture"  # 专题辅导 / 理论授课
    PRACTICAL = "practical"  # 实务课程
    EXPERIENCE_SHARING = "experience_sharing"  # 代表履职经验交流
    GROUP_DISCUSSION = "group_discussion"  # 分组讨论
    CLOSING = "closing"  # 结业式
    OTHER = "other"

    @classmethod
    def aliases(cls) -> dict[str, SessionKind]:
        return {
            "开班式": cls.OPENING,
            "开幕式": cls.OPENING,
            "专题辅导": cls.LECTURE,
            "授课": cls.LECTURE,
            "讲座": cls.LECTURE,
            "实务课程": cls.PRACTICAL,
            "经验交流": cls.EXPERIENCE_SHARING,
            "交流发言": cls.EXPERIENCE_SHARING,
            "分组讨论": cls.GROUP_DISCUSSION,
            "结业式": cls.CLOSING,
            "其他": cls.OTHER,
        }

    @property
    def label(self) -> str:
        return {
            "opening": "开班式",
            "lecture": "专题辅导",
            "practical": "实务课程",
            "experience_sharing": "经验交流",
            "group_discussion": "分组讨论",
            "closing": "结业式",
            "other": "其他",
        }[self.value]


@attrs.frozen(kw_only=True)
class Audience:
    """Who must attend a session.  ``everyone`` means every deputy on the roster; otherwise
    the union of the listed delegations and groups (and, if ``new_only``, only new deputies)."""

    everyone: bool = attrs.field(default=True, validator=f.instance_of(bool))
    delegations: frozenset[str] = attrs.field(
        factory=frozenset, converter=f.str_frozenset, validator=f.identifiers
    )
    groups: frozenset[str] = attrs.field(
        factory=frozenset, converter=f.str_frozenset, validator=f.identifiers
    )
    new_only: bool = attrs.field(default=False, validator=f.instance_of(bool))

    def __attrs_post_init__(self) -> None:
        if self.everyone and (self.delegations or self.groups):
            raise ValidationError(
                "Audience.everyone", True, "cannot be combined with delegations or groups"
            )

    def describe(self) -> str:
        if self.everyone:
            return "全体新任代表" if self.new_only else "全体代表"
        parts = sorted(self.delegations) + [f"第{g}组" for g in sorted(self.groups)]
        return "、".join(parts)


class VenueKind(enum.StrEnum):
    HALL = "hall"  # 会场 / 报告厅
    ROOM = "room"  # 分组讨论室
    DINING = "dining"  # 餐厅
    LODGING = "lodging"  # 住宿
    OTHER = "other"


@attrs.frozen(kw_only=True)
class Venue:
    """A place the course uses: the main hall, group rooms, dining hall, lodging."""

    id: str = attrs.field(validator=f.identifier)
    name: str = attrs.field(converter=f.clean_text, validator=f.non_empty)
    kind: VenueKind = attrs.field(
        default=VenueKind.HALL,
        converter=_to_venue_kind,
        validator=f.enum_member(VenueKind),
    )
    address: str = attrs.field(default="", converter=f.clean_text, validator=f.text)
    capacity: int | None = attrs.field(default=None)

    @capacity.validator
    def _capacity(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is not None:
            f.positive_int(self, attribute, value)

    @property
    def key(self) -> str:
        return self.id


@attrs.frozen(kw_only=True)
class Session:
    """One slot of the timetable (日程安排表).  ``starts_at``/``ends_at`` are tz-aware and
    stored in UTC; show them with :meth:`Programme.local`."""

    id: str = attrs.field(validator=f.identifier)
    programme_id: str = attrs.field(validator=f.identifier)
    title: str = attrs.field(converter=f.clean_text, validator=f.non_empty)
    kind: SessionKind = attrs.field(
        converter=_to_session_kind, validator=f.enum_member(SessionKind)
    )
    starts_at: pendulum.DateTime = attrs.field(converter=f.utc, validator=f.aware)
    ends_at: pendulum.DateTime = attrs.field(converter=f.utc, validator=f.aware)
    venue_id: str | None = attrs.field(default=None, validator=f.optional_identifier)
    lecturer: str = attrs.field(default="", converter=f.clean_text, validator=f.text)
    host: str = attrs.field(default="", converter=f.clean_text, validator=f.text)  # 主持人
    audience: Audience = attrs.field(factory=Audience, validator=f.instance_of(Audience))
    notes: str = attrs.field(default="", converter=f.clean_text, validator=f.text)

    def __attrs_post_init__(self) -> None:
        if self.ends_at <= self.starts_at:
            raise ValidationError(
                "Session.ends_at", self.ends_at.isoformat(), "must be after starts_at"
            )

    @property
    def key(self) -> str:
        return self.id

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)
