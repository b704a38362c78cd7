"""Notices: advance notices (预告通知), reports back to delegations (通报), and others.
Notices are addressed to bodies (送: a fixed distribution list), not only to people."""

from __future__ import annotations

import enum
from typing import Any

import attrs
import pendulum

from lvzhi.domain import _fields as f
from lvzhi.errors import ValidationError
from lvzhi.i18n import _

__all__ = ["Notice", "NoticeAttachment", "NoticeKind"]


class NoticeKind(enum.StrEnum):
    ADVANCE = "advance"  # 预告通知
    REPORT = "report"  # 通报
    TIMETABLE = "timetable"  # 日程安排
    BULLETIN = "bulletin"  # 简报
    OTHER = "other"


def _to_notice_kind(value: Any) -> Any:
    return f.to_enum(NoticeKind, value)


def _filename(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    f.non_empty(instance, attribute, value)
    if any(c in value for c in '/\\:*?"<>|') or any(ord(c) < 32 for c in value):
        f.fail(instance, attribute, value, _("must be a file name without a folder"))


def _media_type(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    major, _slash, minor = value.partition("/") if isinstance(value, str) else ("", "", "")
    if major != "text" or not minor or not minor.replace("-", "").replace(".", "").isalnum():
        f.fail(instance, attribute, value, _("must be a text media type such as text/plain"))


@attrs.frozen(kw_only=True)
class NoticeAttachment:
    """A text file that goes with a notice: a deputy's seat, a personal timetable (.ics)….

    It is stored with the notice, so every delivery and every retry carries the same file.
    ``recipient`` limits it to that recipient's deliveries (one of the notice's
    ``recipients``); empty, it goes to every recipient.  Notifiers that cannot carry files
    ignore attachments."""

    filename: str = attrs.field(converter=f.clean_text, validator=_filename)
    content: str = attrs.field(validator=f.text)
    media_type: str = attrs.field(default="text/plain", validator=_media_type)
    recipient: str = attrs.field(default="", converter=f.clean_text, validator=f.text)


def _attachments(value: Any) -> Any:
    return tuple(value) if isinstance(value, list | tuple) else value


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
    attachments: tuple[NoticeAttachment, ...] = attrs.field(default=(), converter=_attachments)

    @recipients.validator
    def _recipients(self, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
        if not value or not all(isinstance(r, str) and r.strip() for r in value):
            raise ValidationError("Notice.recipients", value, "needs at least one recipient")

    @attachments.validator
    def _check_attachments(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, tuple) or not all(isinstance(a, NoticeAttachment) for a in value):
            f.fail(self, attribute, value, _("must be a tuple of NoticeAttachment"))
        seen: set[tuple[str, str]] = set()
        for item in value:
            if item.recipient and item.recipient not in self.recipients:
                raise ValidationError(
                    "Notice.attachments.recipient",
                    item.recipient,
                    _("is not one of the notice's recipients"),
                )
            for whom in (item.recipient,) if item.recipient else self.recipients:
                if (whom, item.filename) in seen:
                    raise ValidationError(
                        "Notice.attachments.filename",
                        item.filename,
                        _("is attached twice for {recipient}").format(recipient=whom),
                    )
                seen.add((whom, item.filename))

    def attachments_for(self, recipient: str) -> tuple[NoticeAttachment, ...]:
        """The attachments of ``recipient``'s delivery: those for everyone and those for
        ``recipient``, in the order given."""
        return tuple(a for a in self.attachments if a.recipient in ("", recipient))

    @property
    def key(self) -> str:
        return self.id
