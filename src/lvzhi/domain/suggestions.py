"""Suggestions (意见建议) collected in the discussion, with formal replies (专门答复).

A suggestion moves through a state machine, and every move is kept on it as a
:class:`Transition` (when, by whom, from which state to which, why)::

    submitted ─(classify)→ classified ─(assign)→ assigned ─(reply)→ replied
        └──────────────(assign)──────────────────┘                     │
    replied ─(rate 满意/基本满意)→ closed                                │
    replied ─(rate 不满意)→ reopened ─(assign)→ assigned (second round) ─┘
    submitted/classified/assigned/reopened ─(merge)→ merged (into another suggestion)

Transitions are pure: each returns the new suggestion (and the events it caused).  A move
the machine does not allow raises :class:`~lvzhi.errors.TransitionError` naming both
states.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
import pendulum

from lvzhi.domain import _fields as f
from lvzhi.domain.events import (
    Event,
    SuggestionAssigned,
    SuggestionClassified,
    SuggestionRated,
    SuggestionReplied,
    SuggestionsMerged,
)
from lvzhi.domain.taxonomy import SuggestionStats, Taxonomy, count_suggestions
from lvzhi.errors import TransitionError, ValidationError

__all__ = [
    "SATISFACTION_LABELS",
    "STATE_LABELS",
    "Reply",
    "Satisfaction",
    "Suggestion",
    "SuggestionState",
    "Transition",
    "suggestion_stats",
]


class SuggestionState(enum.StrEnum):
    SUBMITTED = "submitted"  # 已提交
    CLASSIFIED = "classified"  # 已归类
    ASSIGNED = "assigned"  # 已交办 (handed to a handling unit)
    REPLIED = "replied"  # 已答复
    REOPENED = "reopened"  # 不满意，重新办理
    CLOSED = "closed"  # 已办结
    MERGED = "merged"  # 已并入另一条建议

    @property
    def final(self) -> bool:
        return self in (SuggestionState.CLOSED, SuggestionState.MERGED)


STATE_LABELS: dict[str, str] = {
    "submitted": "已提交",
    "classified": "已归类",
    "assigned": "已交办",
    "replied": "已答复",
    "reopened": "重新办理",
    "closed": "已办结",
    "merged": "已合并",
}


class Satisfaction(enum.StrEnum):
    SATISFIED = "satisfied"  # 满意
    BASICALLY = "basically_satisfied"  # 基本满意
    DISSATISFIED = "dissatisfied"  # 不满意

    @property
    def label(self) -> str:
        return SATISFACTION_LABELS[self.value]

    @classmethod
    def parse(cls, value: Any) -> Satisfaction:
        """A satisfaction from its value or its Chinese label (满意, 基本满意, 不满意)."""
        if isinstance(value, str):
            for key, label in SATISFACTION_LABELS.items():
                if value.strip() == label:
                    return cls(key)
        found: Satisfaction = f.to_enum(cls, value)
        if not isinstance(found, cls):
            choices = "、".join(SATISFACTION_LABELS.values())
            raise ValidationError("Suggestion.satisfaction", value, f"must be one of {choices}")
        return found


SATISFACTION_LABELS: dict[str, str] = {
    "satisfied": "满意",
    "basically_satisfied": "基本满意",
    "dissatisfied": "不满意",
}


def _to_state(value: Any) -> Any:
    return f.to_enum(SuggestionState, value)


def _to_optional_state(value: Any) -> Any:
    return None if value is None else f.to_enum(SuggestionState, value)


def _to_optional_satisfaction(value: Any) -> Any:
    return None if value is None else f.to_enum(Satisfaction, value)


@attrs.frozen(kw_only=True)
class Reply:
    """A formal reply: its text, who recorded it and when, the unit that answered, who
    signed it and the template it was written from (if any)."""

    body: str = attrs.field(converter=f.clean_text, validator=f.non_empty)
    replied_by: str = attrs.field(validator=f.non_empty)
    replied_at: pendulum.DateTime = attrs.field(converter=f.utc, validator=f.aware)
    unit: str = attrs.field(default="", converter=f.clean_text, validator=f.text)
    signer: str = attrs.field(default="", converter=f.clean_text, validator=f.text)
    template: str = attrs.field(default="", validator=f.text)


@attrs.frozen(kw_only=True)
class Transition:
    """One move of a suggestion's state machine.  ``from_state`` is ``None`` for the
    submission itself; a move that keeps the state (reclassifying, reassigning, taking in
    merged suggestions) has ``from_state == to_state``."""

    at: pendulum.DateTime = attrs.field(converter=f.utc, validator=f.aware)
    by: str = attrs.field(default="", validator=f.text)
    from_state: SuggestionState | None = attrs.field(converter=_to_optional_state)
    to_state: SuggestionState = attrs.field(
        converter=_to_state, validator=f.enum_member(SuggestionState)
    )
    action: str = attrs.field(default="", validator=f.text)
    reason: str = attrs.field(default="", validator=f.text)


def _transitions(value: Iterable[Transition]) -> tuple[Transition, ...]:
    return tuple(value)


def _replies(value: Iterable[Reply]) -> tuple[Reply, ...]:
    return tuple(value)


def _optional_number(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        f.fail(instance, attribute, value, "must be a whole number >= 1")


_S = SuggestionState
_OPEN = (_S.SUBMITTED, _S.CLASSIFIED, _S.ASSIGNED, _S.REOPENED)

#: action → {from state: to state}; what is not listed is refused.
MOVES: dict[str, dict[SuggestionState, SuggestionState]] = {
    "classify": {_S.SUBMITTED: _S.CLASSIFIED, _S.CLASSIFIED: _S.CLASSIFIED}
    | {s: s for s in (_S.ASSIGNED, _S.REOPENED)},
    "assign": dict.fromkeys(_OPEN, _S.ASSIGNED),
    "reply": {_S.ASSIGNED: _S.REPLIED},
    "close": {_S.REPLIED: _S.CLOSED},
    "reopen": {_S.REPLIED: _S.REOPENED},
    "merge": dict.fromkeys(_OPEN, _S.MERGED),
    "absorb": {s: s for s in _OPEN},
}
_TARGETS = {
    "classify": _S.CLASSIFIED,
    "assign": _S.ASSIGNED,
    "reply": _S.REPLIED,
    "close": _S.CLOSED,
    "reopen": _S.REOPENED,
    "merge": _S.MERGED,
}
_SHOWN = {"close": "rate", "reopen": "rate", "absorb": "merge into"}


@attrs.frozen(kw_only=True)
class Suggestion:
    """A suggestion, filed under a two-level taxonomy (category → aspect; the seed: 4
    categories and 8 aspects), handed to a unit with a deadline, answered formally, rated
    by its proposers.  ``number`` is its number within the course (编号)."""

    id: str = attrs.field(validator=f.identifier)
    programme_id: str = attrs.field(validator=f.identifier)
    title: str = attrs.field(converter=f.clean_text, validator=f.non_empty)
    body: str = attrs.field(default="", converter=f.clean_text, validator=f.text)
    proposers: tuple[str, ...] = attrs.field(converter=f.str_tuple, validator=f.identifiers)
    group_id: str | None = attrs.field(default=None, validator=f.optional_identifier)
    category: str = attrs.field(default="", converter=f.clean_text, validator=f.text)
    aspect: str = attrs.field(default="", converter=f.clean_text, validator=f.text)
    handling_unit: str = attrs.field(default="", converter=f.clean_text, validator=f.text)
    deadline: pendulum.Date | None = attrs.field(
        default=None, converter=f.optional_date, validator=f.is_optional_date
    )
    submitted_at: pendulum.DateTime = attrs.field(converter=f.utc, validator=f.aware)
    state: SuggestionState = attrs.field(
        default=SuggestionState.SUBMITTED,
        converter=_to_state,
        validator=f.enum_member(SuggestionState),
    )
    reply: Reply | None = attrs.field(default=None)
    satisfaction: Satisfaction | None = attrs.field(
        default=None,
        converter=_to_optional_satisfaction,
    )
    number: int | None = attrs.field(default=None, validator=_optional_number)
    session_id: str | None = attrs.field(default=None, validator=f.optional_identifier)
    merged_into: str | None = attrs.field(default=None, validator=f.optional_identifier)
    previous_replies: tuple[Reply, ...] = attrs.field(default=(), converter=_replies)
    transitions: tuple[Transition, ...] = attrs.field(default=(), converter=_transitions)

    @proposers.validator
    def _has_proposer(self, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
        if not value:
            raise ValidationError("Suggestion.proposers", value, "needs at least one deputy")

    def __attrs_post_init__(self) -> None:
        if (self.state is SuggestionState.MERGED) != (self.merged_into is not None):
            raise ValidationError(
                "Suggestion.merged_into", self.merged_into, "is set exactly when merged"
            )

    @property
    def key(self) -> str:
        return self.id

    @property
    def label(self) -> str:
        """第N号 when numbered, else the id."""
        return f"第{self.number}号" if self.number is not None else self.id

    @property
    def round(self) -> int:
        """The handling round: 1, or 2 after a 不满意 reopened it, and so on."""
        return 1 + sum(1 for t in self.transitions if t.to_state is SuggestionState.REOPENED)

    # -- the state machine -------------------------------------------------------------

    def can(self, action: str) -> bool:
        """Whether ``action`` (a key of ``MOVES``) is allowed in the current state."""
        return self.state in MOVES[action]

    def _move(
        self, action: str, *, at: pendulum.DateTime, by: str, reason: str, **changes: Any
    ) -> Suggestion:
        to = MOVES[action].get(self.state)
        if to is None:
            target = _TARGETS.get(action, self.state)
            raise TransitionError(
                "Suggestion", self.state.value, _SHOWN.get(action, action), target.value
            )
        step = Transition(
            at=at, by=by, from_state=self.state, to_state=to, action=action, reason=reason
        )
        return attrs.evolve(self, state=to, transitions=(*self.transitions, step), **changes)

    def submitted(self, *, by: str = "", reason: str = "") -> Suggestion:
        """The suggestion with its submission as the first entry of its trail."""
        step = Transition(
            at=self.submitted_at,
            by=by,
            from_state=None,
            to_state=self.state,
            action="submit",
            reason=reason,
        )
        return attrs.evolve(self, transitions=(step, *self.transitions))

    def classify(
        self,
        category: str,
        aspect: str,
        *,
        taxonomy: Taxonomy | None = None,
        at: pendulum.DateTime,
        by: str = "",
        reason: str = "",
    ) -> tuple[Suggestion, list[Event]]:
        """File (or refile) the suggestion under ``category`` → ``aspect``, checked against
        ``taxonomy`` when one is given."""
        if taxonomy is not None:
            taxonomy.check(category, aspect)
        if not category or not aspect:
            raise ValidationError("Suggestion.category", category, "needs a category and aspect")
        why = reason or f"{self.category or '—'}/{self.aspect or '—'} → {category}/{aspect}"
        new = self._move("classify", at=at, by=by, reason=why, category=category, aspect=aspect)
        event = SuggestionClassified(
            occurred_at=at, suggestion_id=self.id, category=category, aspect=aspect
        )
        return new, [event]

    def hand_to(
        self,
        unit: str,
        deadline: pendulum.Date | None = None,
        *,
        at: pendulum.DateTime,
        by: str = "",
        reason: str = "",
    ) -> tuple[Suggestion, list[Event]]:
        """Hand the suggestion to a handling unit (承办单位) with a deadline (办理期限)."""
        unit = f.clean_text(unit)
        if not unit:
            raise ValidationError("Suggestion.handling_unit", unit, "must be non-empty text")
        new = self._move(
            "assign",
            at=at,
            by=by,
            reason=reason or unit,
            handling_unit=unit,
            deadline=deadline,
        )
        return new, [SuggestionAssigned(occurred_at=at, suggestion_id=self.id, unit=unit)]

    def assign(
        self,
        unit: str,
        deadline: pendulum.Date | None = None,
        *,
        at: pendulum.DateTime | None = None,
        by: str = "",
        reason: str = "",
    ) -> Suggestion:
        """:meth:`hand_to` without the events; with no ``at``, the time of the last move."""
        when = at or (self.transitions[-1].at if self.transitions else self.submitted_at)
        return self.hand_to(unit, deadline, at=when, by=by, reason=reason)[0]

    def answer(self, reply: Reply, *, reason: str = "") -> tuple[Suggestion, list[Event]]:
        """Record the formal reply; an earlier round's reply is kept in
        ``previous_replies``."""
        earlier = self.previous_replies + ((self.reply,) if self.reply else ())
        new = self._move(
            "reply",
            at=reply.replied_at,
            by=reply.replied_by,
            reason=reason or reply.template,
            reply=reply,
            previous_replies=earlier,
        )
        return new, [SuggestionReplied(occurred_at=reply.replied_at, suggestion_id=self.id)]

    def rate(
        self,
        satisfaction: Satisfaction | str,
        *,
        at: pendulum.DateTime,
        by: str = "",
        reason: str = "",
    ) -> tuple[Suggestion, list[Event]]:
        """The proposers' rating: 满意 or 基本满意 closes the suggestion, 不满意 reopens it
        for another round of handling."""
        rating = Satisfaction.parse(satisfaction)
        action = "reopen" if rating is Satisfaction.DISSATISFIED else "close"
        new = self._move(action, at=at, by=by, reason=reason or rating.label, satisfaction=rating)
        event = SuggestionRated(
            occurred_at=at,
            suggestion_id=self.id,
            satisfaction=rating.value,
            state=new.state.value,
        )
        return new, [event]

    def merge_into(
        self, target: Suggestion, *, at: pendulum.DateTime, by: str = "", reason: str = ""
    ) -> Suggestion:
        """This suggestion, merged into ``target`` (terminal)."""
        if target.id == self.id or target.programme_id != self.programme_id:
            raise ValidationError(
                "merge", target.id, "must be another suggestion of the same course"
            )
        why = f"→ {target.label}" + (f": {reason}" if reason else "")
        return self._move("merge", at=at, by=by, reason=why, merged_into=target.id)

    def absorb(
        self,
        others: Sequence[Suggestion],
        *,
        at: pendulum.DateTime,
        by: str = "",
        reason: str = "",
    ) -> tuple[Suggestion, list[Event]]:
        """This suggestion taking in ``others``: it keeps every proposer of each."""
        proposers = dict.fromkeys(self.proposers)
        for other in others:
            proposers.update(dict.fromkeys(other.proposers))
        why = "、".join(o.label for o in others) + (f": {reason}" if reason else "")
        new = self._move("absorb", at=at, by=by, reason=why, proposers=tuple(proposers))
        event = SuggestionsMerged(
            occurred_at=at, suggestion_id=self.id, merged_ids=tuple(o.id for o in others)
        )
        return new, [event]


def suggestion_stats(
    suggestions: Iterable[Suggestion],
    taxonomy: Taxonomy,
    *,
    group_names: Mapping[str, str] | None = None,
) -> SuggestionStats:
    """The statistics of ``suggestions``: categories and aspects in ``taxonomy`` order,
    groups by name (``group_names``: id → name, in the order to print)."""
    names = dict(group_names or {})
    rows = [
        (
            s.category,
            s.aspect,
            names.get(s.group_id, s.group_id) if s.group_id else "",
            s.handling_unit,
            s.state.value,
            s.satisfaction.value if s.satisfaction else "",
            s.state is SuggestionState.MERGED,
        )
        for s in suggestions
    ]
    return count_suggestions(rows, taxonomy, groups=list(names.values()))
