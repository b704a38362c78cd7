"""Two-stage leave (请假): a written application approved first by the deputy's own
county-level Standing Committee (or the garrison's leaders), then by the organiser.

Transitions are pure: each returns the new request and the events it caused.  Every move,
and every refused attempt, is kept on the request as a :class:`LeaveTransition` (who,
when, from, to, why).  Who may decide which stage is :func:`authority`; overlapping
requests are found by :func:`overlapping`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Any

import attrs
import pendulum

from lvzhi.domain import _fields as f
from lvzhi.domain.events import Event, LeaveDecided, LeaveDenied
from lvzhi.domain.people import Delegate, Delegation, DelegationKind, Official, OfficialRole
from lvzhi.domain.programme import Programme
from lvzhi.errors import TransitionError, ValidationError

__all__ = [
    "LeaveCategory",
    "LeaveDecision",
    "LeaveRequest",
    "LeaveStage",
    "LeaveState",
    "LeaveTransition",
    "authority",
    "overlapping",
]


class LeaveState(enum.StrEnum):
    SUBMITTED = "submitted"  # 已提交
    DELEGATION_APPROVED = "delegation_approved"  # 县级人大常委会（驻军）已同意
    APPROVED = "approved"  # 市人大常委会已批准
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"

    @property
    def final(self) -> bool:
        return self in (LeaveState.APPROVED, LeaveState.REJECTED, LeaveState.WITHDRAWN)

    @property
    def live(self) -> bool:
        """Neither rejected nor withdrawn: the request still stands or was granted."""
        return self not in (LeaveState.REJECTED, LeaveState.WITHDRAWN)


class LeaveStage(enum.StrEnum):
    DELEGATION = "delegation"  # first stage: the deputy's own unit
    ORGANISER = "organiser"  # second stage: the organising Standing Committee


class LeaveCategory(enum.StrEnum):
    """Why leave is asked for (请假事由类别)."""

    SICK = "sick"  # 因病
    OFFICIAL = "official"  # 因公
    FAMILY = "family"  # 家庭事务
    OTHER = "other"  # 其他

    @classmethod
    def aliases(cls) -> dict[str, LeaveCategory]:
        return {
            "因病": cls.SICK,
            "病假": cls.SICK,
            "因公": cls.OFFICIAL,
            "公务": cls.OFFICIAL,
            "家庭事务": cls.FAMILY,
            "事假": cls.FAMILY,
            "其他": cls.OTHER,
        }

    @property
    def label(self) -> str:
        return {"sick": "因病", "official": "因公", "family": "家庭事务", "other": "其他"}[
            self.value
        ]


def _to_leave_stage(value: Any) -> Any:
    return f.to_enum(LeaveStage, value)


def _to_leave_state(value: Any) -> Any:
    return f.to_enum(LeaveState, value)


def _to_optional_state(value: Any) -> Any:
    return None if value is None else f.to_enum(LeaveState, value)


def _to_category(value: Any) -> Any:
    return f.to_enum(LeaveCategory, value)


@attrs.frozen(kw_only=True)
class LeaveDecision:
    stage: LeaveStage = attrs.field(converter=_to_leave_stage, validator=f.enum_member(LeaveStage))
    approver: str = attrs.field(validator=f.non_empty)  # an official's id
    approved: bool = attrs.field(validator=f.instance_of(bool))
    decided_at: pendulum.DateTime = attrs.field(converter=f.utc, validator=f.aware)
    note: str = attrs.field(default="", validator=f.text)


@attrs.frozen(kw_only=True)
class LeaveTransition:
    """One move of a request (``from_state`` is ``None`` for the filing), or a refused
    attempt (``refused``: the state did not change; ``to_state`` is where it would have
    gone).  ``by`` is an official's id or the deputy's certificate number."""

    at: pendulum.DateTime = attrs.field(converter=f.utc, validator=f.aware)
    by: str = attrs.field(default="", validator=f.text)
    from_state: LeaveState | None = attrs.field(default=None, converter=_to_optional_state)
    to_state: LeaveState = attrs.field(
        converter=_to_leave_state, validator=f.enum_member(LeaveState)
    )
    action: str = attrs.field(default="", validator=f.text)
    reason: str = attrs.field(default="", validator=f.text)
    refused: bool = attrs.field(default=False, validator=f.instance_of(bool))


def _decisions(value: Iterable[LeaveDecision]) -> tuple[LeaveDecision, ...]:
    return tuple(value)


def _history(value: Iterable[LeaveTransition]) -> tuple[LeaveTransition, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class LeaveRequest:
    """A written leave application covering ``starts_at``..``ends_at``: ``category``
    (因病, 因公, 家庭事务, 其他), ``reason`` (its text) and ``written_application`` (a
    reference to the signed application, or its text).  An ``emergency`` request (filed
    after a covered session began) keeps its ``emergency_reason``."""

    id: str = attrs.field(validator=f.identifier)
    programme_id: str = attrs.field(validator=f.identifier)
    certificate_no: str = attrs.field(validator=f.identifier)
    starts_at: pendulum.DateTime = attrs.field(converter=f.utc, validator=f.aware)
    ends_at: pendulum.DateTime = attrs.field(converter=f.utc, validator=f.aware)
    reason: str = attrs.field(converter=f.clean_text, validator=f.non_empty)
    submitted_at: pendulum.DateTime = attrs.field(converter=f.utc, validator=f.aware)
    written_application: str = attrs.field(default="", validator=f.text)  # file ref / text
    category: LeaveCategory = attrs.field(
        default=LeaveCategory.OTHER, converter=_to_category, validator=f.enum_member(LeaveCategory)
    )
    emergency: bool = attrs.field(default=False, validator=f.instance_of(bool))
    emergency_reason: str = attrs.field(default="", converter=f.clean_text, validator=f.text)
    state: LeaveState = attrs.field(
        default=LeaveState.SUBMITTED,
        converter=_to_leave_state,
        validator=f.enum_member(LeaveState),
    )
    decisions: tuple[LeaveDecision, ...] = attrs.field(default=(), converter=_decisions)
    history: tuple[LeaveTransition, ...] = attrs.field(default=(), converter=_history)

    def __attrs_post_init__(self) -> None:
        if self.ends_at <= self.starts_at:
            raise ValidationError(
                "LeaveRequest.ends_at", self.ends_at.isoformat(), "must be after starts_at"
            )
        if self.emergency and not self.emergency_reason:
            raise ValidationError(
                "LeaveRequest.emergency_reason", "", "an emergency request needs its reason"
            )

    @property
    def key(self) -> str:
        return self.id

    @property
    def excuses(self) -> bool:
        """Only a request approved at both stages excuses an absence."""
        return self.state is LeaveState.APPROVED

    @property
    def refusals(self) -> tuple[LeaveTransition, ...]:
        """The refused attempts to decide or withdraw it (the audit)."""
        return tuple(t for t in self.history if t.refused)

    def covers(self, start: pendulum.DateTime, end: pendulum.DateTime) -> bool:
        """Whether the leave overlaps the window ``start``..``end``."""
        return self.starts_at < end and start < self.ends_at

    def filed(self, *, by: str, at: pendulum.DateTime) -> LeaveRequest:
        """The request with its filing recorded (once)."""
        if self.history:
            return self
        note = self.emergency_reason if self.emergency else ""
        move = LeaveTransition(
            at=at, by=by, from_state=None, to_state=self.state, action="submit", reason=note
        )
        return attrs.evolve(self, history=(move,))

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
        new_state = self.target(stage, approved)
        if self.state is not expected:
            raise TransitionError(
                "LeaveRequest", self.state.value, f"be decided at {stage.value}", new_state.value
            )
        decision = LeaveDecision(
            stage=stage, approver=approver, approved=approved, decided_at=at, note=note
        )
        move = LeaveTransition(
            at=at,
            by=approver,
            from_state=self.state,
            to_state=new_state,
            action=f"{'approve' if approved else 'reject'}:{stage.value}",
            reason=note,
        )
        new = attrs.evolve(
            self,
            state=new_state,
            decisions=(*self.decisions, decision),
            history=(*self.history, move),
        )
        event = LeaveDecided(
            occurred_at=at,
            request_id=self.id,
            certificate_no=self.certificate_no,
            stage=stage.value,
            approved=approved,
            state=new_state.value,
        )
        return new, [event]

    @staticmethod
    def target(stage: LeaveStage, approved: bool) -> LeaveState:
        """The state a decision at ``stage`` leads to."""
        if not approved:
            return LeaveState.REJECTED
        if stage is LeaveStage.DELEGATION:
            return LeaveState.DELEGATION_APPROVED
        return LeaveState.APPROVED

    def refuse(
        self, *, by: str, action: str, target: LeaveState, reason: str, at: pendulum.DateTime
    ) -> tuple[LeaveRequest, list[Event]]:
        """Record a refused attempt by ``by`` (the state does not change)."""
        move = LeaveTransition(
            at=at,
            by=by,
            from_state=self.state,
            to_state=target,
            action=action,
            reason=reason,
            refused=True,
        )
        event = LeaveDenied(
            occurred_at=at, request_id=self.id, actor=by, action=action, reason=reason
        )
        return attrs.evolve(self, history=(*self.history, move)), [event]

    def withdraw(
        self, *, at: pendulum.DateTime, by: str = "", reason: str = ""
    ) -> tuple[LeaveRequest, list[Event]]:
        """The deputy withdraws a request that is not yet finally decided."""
        if self.state.final:
            raise TransitionError(
                "LeaveRequest", self.state.value, "be withdrawn", LeaveState.WITHDRAWN.value
            )
        move = LeaveTransition(
            at=at,
            by=by or self.certificate_no,
            from_state=self.state,
            to_state=LeaveState.WITHDRAWN,
            action="withdraw",
            reason=reason,
        )
        new = attrs.evolve(self, state=LeaveState.WITHDRAWN, history=(*self.history, move))
        event = LeaveDecided(
            occurred_at=at,
            request_id=self.id,
            certificate_no=self.certificate_no,
            stage="deputy",
            approved=False,
            state=LeaveState.WITHDRAWN.value,
        )
        return new, [event]


def overlapping(request: LeaveRequest, others: Iterable[LeaveRequest]) -> LeaveRequest | None:
    """The first live request (by start, then id) of the same deputy and programme, other
    than ``request`` itself, whose window overlaps ``request``'s; ``None`` if there is none."""
    clashes = [
        o
        for o in others
        if o.id != request.id
        and o.certificate_no == request.certificate_no
        and o.programme_id == request.programme_id
        and o.state.live
        and o.covers(request.starts_at, request.ends_at)
    ]
    return min(clashes, key=lambda o: (o.starts_at, o.id)) if clashes else None


_UNIT_ROLES = (OfficialRole.DELEGATION_LEADER, OfficialRole.DELEGATION_STAFF)


def authority(
    stage: LeaveStage,
    official: Official | None,
    *,
    deputy: Delegate,
    delegation: Delegation,
    programme: Programme,
) -> str | None:
    """Why ``official`` may not decide ``stage`` of a request of ``deputy`` (``None``: it
    may).  The first stage belongs to the deputy's own delegation — its leading official or
    staff member (for the garrison: its leaders only); the second to the organiser —
    officials with the organiser role or of the programme's organising body."""
    if official is None:
        return "is not an official"
    if stage is LeaveStage.DELEGATION:
        garrison = delegation.kind is DelegationKind.GARRISON
        named = (delegation.leader_id,) if garrison else (delegation.leader_id, delegation.staff_id)
        roles = (OfficialRole.DELEGATION_LEADER,) if garrison else _UNIT_ROLES
        if official.id in named or (
            official.delegation == delegation.code and official.role in roles
        ):
            return None
        who = "the garrison's leaders" if garrison else "its Standing Committee"
        return (
            f"the first approval belongs to the deputy's delegation {delegation.name} ({who}); "
            f"{official.id} is {official.role.value} of "
            f"{official.delegation or official.organisation or 'no delegation'}"
        )
    if official.role is OfficialRole.ORGANISER or (
        programme.organiser
        and official.delegation is None
        and official.organisation == programme.organiser
    ):
        return None
    return (
        f"the second approval belongs to the organiser {programme.organiser or '(organiser)'}; "
        f"{official.id} is {official.role.value} of "
        f"{official.delegation or official.organisation or 'no organisation'}"
    )
