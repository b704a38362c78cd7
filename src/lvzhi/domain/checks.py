"""Corrections to the attendance log and spot checks of meals and lodging.

Both are new entries, never edits: a correction voids a scan or sets a deputy's status for a
session by a named official with a reason; a spot check records who checked what, when and
where, and what was found (the seed: 对用餐、住宿情况进行抽查)."""

from __future__ import annotations

import enum
from typing import Any

import attrs
import pendulum

from lvzhi.domain import _fields as f
from lvzhi.errors import ValidationError

__all__ = ["AttendanceCorrection", "CorrectionKind", "SpotCheck", "SpotCheckKind"]


class CorrectionKind(enum.StrEnum):
    VOID_SCAN = "void_scan"  # a scan that should not count (a wrong card, a double tap)
    SET_STATUS = "set_status"  # a status set by hand for one deputy and session


def _to_correction_kind(value: Any) -> Any:
    return f.to_enum(CorrectionKind, value)


@attrs.frozen(kw_only=True)
class AttendanceCorrection:
    """One correction of the attendance of ``certificate_no`` in ``session_id``:
    ``void_scan`` names the ``scan_id`` to disregard; ``set_status`` gives the ``status``
    code.  ``by`` is the official who made it, ``reason`` why."""

    id: str = attrs.field(validator=f.identifier)
    session_id: str = attrs.field(validator=f.identifier)
    certificate_no: str = attrs.field(validator=f.identifier)
    kind: CorrectionKind = attrs.field(
        converter=_to_correction_kind, validator=f.enum_member(CorrectionKind)
    )
    scan_id: str | None = attrs.field(default=None, validator=f.optional_identifier)
    status: str | None = attrs.field(default=None, validator=f.optional_identifier)
    by: str = attrs.field(validator=f.identifier)
    at: pendulum.DateTime = attrs.field(converter=f.utc, validator=f.aware)
    reason: str = attrs.field(converter=f.clean_text, validator=f.non_empty)

    def __attrs_post_init__(self) -> None:
        if self.kind is CorrectionKind.VOID_SCAN and self.scan_id is None:
            raise ValidationError("AttendanceCorrection.scan_id", None, "names the scan to void")
        if self.kind is CorrectionKind.SET_STATUS and self.status is None:
            raise ValidationError("AttendanceCorrection.status", None, "names the status to set")

    @property
    def key(self) -> str:
        return self.id


class SpotCheckKind(enum.StrEnum):
    MEAL = "meal"  # 用餐
    LODGING = "lodging"  # 住宿
    SESSION = "session"  # 课堂纪律
    OTHER = "other"


def _to_spot_check_kind(value: Any) -> Any:
    return f.to_enum(SpotCheckKind, value)


@attrs.frozen(kw_only=True)
class SpotCheck:
    """One spot check (抽查) of one deputy: who checked (an official), when, where, what was
    found, and whether it was a breach of discipline (then it is reported back, 通报)."""

    id: str = attrs.field(validator=f.identifier)
    programme_id: str = attrs.field(validator=f.identifier)
    kind: SpotCheckKind = attrs.field(
        converter=_to_spot_check_kind, validator=f.enum_member(SpotCheckKind)
    )
    certificate_no: str = attrs.field(validator=f.identifier)
    checked_by: str = attrs.field(validator=f.identifier)
    checked_at: pendulum.DateTime = attrs.field(converter=f.utc, validator=f.aware)
    place: str = attrs.field(default="", converter=f.clean_text, validator=f.text)
    finding: str = attrs.field(converter=f.clean_text, validator=f.non_empty)
    breach: bool = attrs.field(default=False, validator=f.instance_of(bool))

    @property
    def key(self) -> str:
        return self.id
