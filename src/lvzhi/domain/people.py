"""People and units: deputies, delegations and the organiser's officials."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

import attrs

from lvzhi.domain import _fields as f

__all__ = [
    "Delegate",
    "Delegation",
    "DelegationKind",
    "Gender",
    "Official",
    "OfficialRole",
]


class Gender(enum.StrEnum):
    """性别.  Accepts 男/女, M/F, male/female."""

    MALE = "male"
    FEMALE = "female"

    @classmethod
    def aliases(cls) -> dict[str, Gender]:
        return {"男": cls.MALE, "女": cls.FEMALE, "m": cls.MALE, "f": cls.FEMALE}

    @property
    def label(self) -> str:
        return "男" if self is Gender.MALE else "女"


class DelegationKind(enum.StrEnum):
    """What kind of electoral unit a delegation is (选举单位)."""

    DISTRICT = "district"  # 区
    COUNTY = "county"  # 县
    CITY = "city"  # 县级市
    GARRISON = "garrison"  # 驻军
    OTHER = "other"

    @classmethod
    def aliases(cls) -> dict[str, DelegationKind]:
        return {
            "区": cls.DISTRICT,
            "县": cls.COUNTY,
            "市": cls.CITY,
            "县级市": cls.CITY,
            "驻军": cls.GARRISON,
            "部队": cls.GARRISON,
            "其他": cls.OTHER,
        }

    @property
    def label(self) -> str:
        return {
            "district": "区",
            "county": "县",
            "city": "县级市",
            "garrison": "驻军",
            "other": "其他",
        }[self.value]


class OfficialRole(enum.StrEnum):
    """Roles people other than deputies play in a course."""

    ORGANISER = "organiser"  # 会务组 / 联工委工作人员
    LEADER = "leader"  # 常委会领导 (open/close, sit in on groups)
    LECTURER = "lecturer"  # 授课教师
    ATTENDANCE_TAKER = "attendance_taker"  # 分区考勤人员
    GROUP_CONVENER = "group_convener"  # 小组召集人
    DELEGATION_LEADER = "delegation_leader"  # 带队领导
    DELEGATION_STAFF = "delegation_staff"  # 代表团工作人员

    @classmethod
    def aliases(cls) -> dict[str, OfficialRole]:
        return {
            "会务组": cls.ORGANISER,
            "领导": cls.LEADER,
            "授课教师": cls.LECTURER,
            "考勤": cls.ATTENDANCE_TAKER,
            "召集人": cls.GROUP_CONVENER,
            "带队领导": cls.DELEGATION_LEADER,
            "工作人员": cls.DELEGATION_STAFF,
        }


def _email(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value and (not isinstance(value, str) or "@" not in value or " " in value):
        f.fail(instance, attribute, value, "must be an e-mail address")


def _to_delegation_kind(value: Any) -> Any:
    return f.to_enum(DelegationKind, value)


def _to_gender(value: Any) -> Any:
    if isinstance(value, Gender):
        return value  # what to_enum returns first; checked here to spare a call per deputy
    return f.to_enum(Gender, value)


def _to_official_role(value: Any) -> Any:
    return f.to_enum(OfficialRole, value)


@attrs.frozen(kw_only=True)
class Delegation:
    """A delegation / electoral unit (代表团 / 选举单位): a county-level unit or the garrison.

    Each sends one leading official (带队领导) and one staff member (工作人员) who manage their
    deputies during the course; ``report_to`` is the body that reports (通报) are addressed
    to, e.g. ``"衡南县人大常委会"``.  ``order`` is the official order of units (行政区划序),
    used wherever delegations are listed.
    """

    code: str = attrs.field(validator=f.identifier)
    name: str = attrs.field(converter=f.clean_text, validator=f.non_empty)
    kind: DelegationKind = attrs.field(
        default=DelegationKind.OTHER,
        converter=_to_delegation_kind,
        validator=f.enum_member(DelegationKind),
    )
    order: int = attrs.field(default=0, validator=f.non_negative_int)
    leader_id: str | None = attrs.field(default=None, validator=f.optional_identifier)
    staff_id: str | None = attrs.field(default=None, validator=f.optional_identifier)
    report_to: str = attrs.field(default="", converter=f.clean_text, validator=f.text)

    @property
    def key(self) -> str:
        return self.code

    @property
    def report_body(self) -> str:
        """Where a 通报 goes: ``report_to`` or, if unset, the unit's Standing Committee."""
        if self.report_to:
            return self.report_to
        if self.kind is DelegationKind.GARRISON:
            return f"{self.name}领导"
        return f"{self.name}人大常委会"


@attrs.frozen(kw_only=True)
class Delegate:
    """A deputy (人大代表), keyed by the deputy certificate number (代表证号)."""

    certificate_no: str = attrs.field(validator=f.identifier)
    name: str = attrs.field(converter=f.clean_name, validator=f.person_name)
    gender: Gender = attrs.field(converter=_to_gender, validator=f.enum_member(Gender))
    delegation: str = attrs.field(validator=f.identifier)
    sector: str = attrs.field(default="", converter=f.clean_text, validator=f.text)  # 界别
    is_new: bool = attrs.field(default=False, validator=f.instance_of(bool))  # 新任代表
    phone: str = attrs.field(default="", converter=f.phone_number, validator=f.phone)
    email: str = attrs.field(default="", converter=f.clean_text, validator=_email)
    title: str = attrs.field(default="", converter=f.clean_text, validator=f.text)  # 职务
    ethnicity: str = attrs.field(default="", converter=f.clean_text, validator=f.text)

    @property
    def key(self) -> str:
        return self.certificate_no

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Delegate:
        """Build from a mapping with the attribute names as keys (unknown keys rejected)."""
        names = {a.name for a in attrs.fields(cls)}
        unknown = set(row) - names
        if unknown:
            from lvzhi.errors import ValidationError

            raise ValidationError("Delegate", sorted(unknown), "unknown fields")
        return cls(**dict(row))


@attrs.frozen(kw_only=True)
class Official:
    """Someone who is not a deputy: organiser staff, leaders, lecturers, attendance takers,
    group conveners, and each delegation's leading official and staff member."""

    id: str = attrs.field(validator=f.identifier)
    name: str = attrs.field(converter=f.clean_name, validator=f.person_name)
    role: OfficialRole = attrs.field(
        converter=_to_official_role, validator=f.enum_member(OfficialRole)
    )
    organisation: str = attrs.field(default="", converter=f.clean_text, validator=f.text)
    title: str = attrs.field(default="", converter=f.clean_text, validator=f.text)
    phone: str = attrs.field(default="", converter=f.phone_number, validator=f.phone)
    delegation: str | None = attrs.field(default=None, validator=f.optional_identifier)

    @property
    def key(self) -> str:
        return self.id
