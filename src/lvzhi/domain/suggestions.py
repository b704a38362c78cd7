"""Suggestions (意见建议) collected in the discussion, with formal replies (专门答复)."""

from __future__ import annotations

import enum
from typing import Any

import attrs
import pendulum

from lvzhi.domain import _fields as f
from lvzhi.domain.events import Event, SuggestionReplied
from lvzhi.errors import TransitionError, ValidationError

__all__ = ["Reply", "Satisfaction", "Suggestion", "SuggestionState"]


class SuggestionState(enum.StrEnum):
    SUBMITTED = "submitted"
    ASSIGNED = "assigned"  # handed to a handling unit
    REPLIED = "replied"


class Satisfaction(enum.StrEnum):
    SATISFIED = "satisfied"  # 满意
    BASICALLY = "basically_satisfied"  # 基本满意
    DISSATISFIED = "dissatisfied"  # 不满意


def _to_suggestion_state(value: Any) -> Any:
    return f.to_enum(SuggestionState, value)


def _to_optional_satisfaction(value: Any) -> Any:
    return None if value is None else f.to_enum(Satisfaction, value)


@attrs.frozen(kw_only=True)
class Reply:
    body: str = attrs.field(converter=f.clean_text, validator=f.non_empty)
    replied_by: str = attrs.field(validator=f.non_empty)
    replied_at: pendulum.DateTime = attrs.field(converter=f.utc, validator=f.aware)


@attrs.frozen(kw_only=True)
class Suggestion:
    """A suggestion, filed under a two-level taxonomy (category → aspect; the seed: 4
    categories and 8 aspects), handed to a unit with a deadline, answered formally."""

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
        converter=_to_suggestion_state,
        validator=f.enum_member(SuggestionState),
    )
    reply: Reply | None = attrs.field(default=None)
    satisfaction: Satisfaction | None = attrs.field(
        default=None,
        converter=_to_optional_satisfaction,
    )

    @proposers.validator
    def _has_proposer(self, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
        if not value:
            raise ValidationError("Suggestion.proposers", value, "needs at least one deputy")

    @property
    def key(self) -> str:
        return self.id

    def assign(self, unit: str, deadline: pendulum.Date | None = None) -> Suggestion:
        if self.state is SuggestionState.REPLIED:
            raise TransitionError("Suggestion", self.state.value, "be assigned")
        return attrs.evolve(
            self, handling_unit=unit, deadline=deadline, state=SuggestionState.ASSIGNED
        )

    def answer(self, reply: Reply) -> tuple[Suggestion, list[Event]]:
        if self.state is SuggestionState.REPLIED:
            raise TransitionError("Suggestion", self.state.value, "be replied to again")
        new = attrs.evolve(self, reply=reply, state=SuggestionState.REPLIED)
        return new, [SuggestionReplied(occurred_at=reply.replied_at, suggestion_id=self.id)]
