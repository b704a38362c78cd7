"""Two-stage leave (请假): a written application approved first by the deputy's own
county-level Standing Committee (or the garrison's leaders), then by the organiser.

Transitions are pure: each returns the new request and the events it caused.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Any

import attrs
import pendulum

from lvzhi.domain import _fields as f
from lvzhi.domain.events import Event, LeaveDecided
from lvzhi.errors import TransitionError, ValidationError

__all__ = ["LeaveDecision", "LeaveRequest", "LeaveStage", "LeaveState"]


class LeaveState(enum.StrEnum):
    SUBMITTED = "submitted"  # 已提交
    DELEGATION_APPROVED = "delegation_approved"  # 县级人大常委会（驻军）已同意
    APPROVED = "approved"  # 市人大常委会已批准
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"

    @property
    def final(self) -> bool:
        return self in (LeaveState.APPROVED, LeaveState.REJECTED, LeaveState.WITHDRAWN)


class LeaveStage(enum.StrEnum):
    DELEGATION = "delegation"  # first stage: the deputy's own unit
    ORGANISER = "organiser"  # second stage: the organising Standing Committee


def _to_leave_stage(value: Any) -> Any:
    return f.to_enum(LeaveStage, value)


def _to_leave_state(value: Any) -> Any:
    return f.to_enum(LeaveState, value)


@attrs.frozen(kw_only=True)
class LeaveDecision:
    stage: LeaveStage = attrs.field(converter=_to_leave_stage, validator=f.enum_member(LeaveStage))
    approver: str = attrs.field(validator=f.non_empty)
    approved: bool = attrs.field(validator=f.instance_of(bool))
    decided_at: pendulum.DateTime = attrs.field(converter=f.utc, validator=f.aware)
    note: str = attrs.field(default="", validator=f.text)


def _decisions(value: Iterable[LeaveDecision]) -> tuple[LeaveDecision, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class LeaveRequest:
    """A written leave application covering ``starts_at``..``ends_at``."""

    id: str = attrs.field(validator=f.identifier)
    programme_id: str = attrs.field(validator=f.identifier)
    certificate_no: str = attrs.field(validator=f.identifier)
    starts_at: pendulum.DateTime = attrs.field(converter=f.utc, validator=f.aware)
    ends_at: pendulum.DateTime = attrs.field(converter=f.utc, validator=f.aware)
    reason: str = attrs.field(converter=f.clean_text, validator=f.non_empty)
    submitted_at: pendulum.DateTime = attrs.field(converter=f.utc, validator=f.aware)
    written_application: str = attrs.field(default="", validator=f.text)  # file ref / text
    state: LeaveState = attrs.field(
        default=LeaveState.SUBMITTED,
        converter=_to_leave_state,
        validator=f.enum_member(LeaveState),
    )
    decisions: tuple[LeaveDecision, ...] = attrs.field(default=(), converter=_decisions)

    def __attrs_post_init__(self) -> None:
        if self.ends_at <= self.starts_at:
            raise ValidationError(
                "LeaveRequest.ends_at", self.ends_at.isoformat(), "must be after starts_at"
            )

    @property
    def key(self) -> str:
        return self.id

    @property
    def excuses(self) -> bool:
        """Only a request approved at both stages excuses an absence."""
        return self.state is LeaveState.APPROVED

    def covers(self, start: pendulum.DateTime, end: pendulum.DateTime) -> bool:
        """Whether the leave overlaps the window ``start``..``end``."""
        return self.starts_at < end and start < self.ends_at

    def decide(
        self,
        stage: LeaveStage,
        *,
        approver: str,
        approved: bool,
        at: pendulum.DateTime,
        note: str = "",
    ) -> tuple[LeaveRequest, list[Event]]:
        """Record one stage's decision.  The delegation decides first, then the organiser."""
        expected = {
            LeaveStage.DELEGATION: LeaveState.SUBMITTED,
            LeaveStage.ORGANISER: LeaveState.DELEGATION_APPROVED,
        }[stage]
        if self.state is not expected:
            raise TransitionError("LeaveRequest", self.state.value, f"be decided at {stage.value}")
        if approved:
            new_state = (
                LeaveState.DELEGATION_APPROVED
                if stage is LeaveStage.DELEGATION
                else LeaveState.APPROVED
            )
        else:
            new_state = LeaveState.REJECTED
        decision = LeaveDecision(
            stage=stage, approver=approver, approved=approved, decided_at=at, note=note
        )
        new = attrs.evolve(self, state=new_state, decisions=(*self.decisions, decision))
        event = LeaveDecided(
            occurred_at=at,
            request_id=self.id,
            certificate_no=self.certificate_no,
            stage=stage.value,
            approved=approved,
            state=new_state.value,
        )
        return new, [event]

    def withdraw(self, *, at: pendulum.DateTime) -> tuple[LeaveRequest, list[Event]]:
        if self.state.final:
            raise TransitionError("LeaveRequest", self.state.value, "be withdrawn")
        new = attrs.evolve(self, state=LeaveState.WITHDRAWN)
        event = LeaveDecided(
            occurred_at=at,
            request_id=self.id,
            certificate_no=self.certificate_no,
            stage="deputy",
            approved=False,
            state=LeaveState.WITHDRAWN.value,
        )
        return new, [event]
