"""Notices: advance notices (预告通知), reports back to delegations (通报), and others.
Notices are addressed to bodies (送: a fixed distribution list), not only to people."""

from __future__ import annotations

import enum
from typing import Any

import attrs
import pendulum

from lvzhi.domain import _fields as f
from lvzhi.errors import ValidationError

__all__ = ["Notice", "NoticeKind"]


class NoticeKind(enum.StrEnum):
    ADVANCE = "advance"  # 预告通知
    REPORT = "report"  # 通报
    TIMETABLE = "timetable"  # 日程安排
    BULLETIN = "bulletin"  # 简报
    OTHER = "other"


def _to_notice_kind(value: Any) -> Any:
    return f.to_enum(NoticeKind, value)


@attrs.frozen(kw_only=True)
class Notice:
    """A notice issued by the organiser: an advance notice, a report back to delegations
    (通报), a timetable or bulletin.  ``recipients`` are bodies or people as written on the
    distribution list (送); notifiers deliver it."""

    id: str = attrs.field(validator=f.identifier)
    programme_id: str = attrs.field(validator=f.identifier)
    kind: NoticeKind = attrs.field(converter=_to_notice_kind, validator=f.enum_member(NoticeKind))
    title: str = attrs.field(converter=f.clean_text, validator=f.non_empty)
    body: str = attrs.field(default="", validator=f.text)
    recipients: tuple[str, ...] = attrs.field(converter=f.str_tuple)  # bodies or people
    issued_at: pendulum.DateTime = attrs.field(converter=f.utc, validator=f.aware)
    issued_by: str = attrs.field(default="", converter=f.clean_text, validator=f.text)

    @recipients.validator
    def _recipients(self, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
        if not value or not all(isinstance(r, str) and r.strip() for r in value):
            raise ValidationError("Notice.recipients", value, "needs at least one recipient")

    @property
    def key(self) -> str:
        return self.id
