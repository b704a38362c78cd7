"""Training plans: one per term and one per year (一届一规划、一年一计划).

A term plan (五年培训规划) covers a term of the People's Congress (届) over several years; a
yearly plan (年度计划) lists the courses planned for one year.  Each plan lists planned
courses (:class:`PlanItem`): whom they train, on which topics, when, with what budget and
how many places; an item may cite the topics a needs survey ranked highest
(:class:`Citation`), and once a course is set up, the programme it became.

A plan is approved upward, and every step is kept on it as a :class:`PlanTransition`
(when, by whom, from which state to which, why)::

    drafted ─(submit)→ submitted ─(review)→ reviewed ─(approve)→ approved
       ↑                   │                    │
       └────(return)───────┴────────────────────┘

Only a drafted plan can be changed.  A move the machine does not allow raises
:class:`~lvzhi.errors.TransitionError` naming both states.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Any, ClassVar

import attrs
import pendulum

from lvzhi.domain import _fields as f
from lvzhi.domain.events import Event
from lvzhi.errors import TransitionError, ValidationError
from lvzhi.i18n import _

__all__ = [
    "AUDIENCE_LABELS",
    "PLAN_KIND_LABELS",
    "PLAN_STATE_LABELS",
    "Citation",
    "PlanAudience",
    "PlanItem",
    "PlanKind",
    "PlanMoved",
    "PlanState",
    "PlanTransition",
    "TrainingPlan",
]


class PlanKind(enum.StrEnum):
    TERM = "term"  # 一届一规划 (五年培训规划)
    YEAR = "year"  # 一年一计划 (年度计划)

    @classmethod
    def aliases(cls) -> dict[str, PlanKind]:
        return {"届": cls.TERM, "规划": cls.TERM, "年度": cls.YEAR, "计划": cls.YEAR}


PLAN_KIND_LABELS: dict[str, str] = {"term": "届培训规划", "year": "年度培训计划"}


class PlanState(enum.StrEnum):
    DRAFTED = "drafted"  # 起草
    SUBMITTED = "submitted"  # 已报审
    REVIEWED = "reviewed"  # 已审定
    APPROVED = "approved"  # 已批准


PLAN_STATE_LABELS: dict[str, str] = {
    "drafted": "起草中",
    "submitted": "已报审",
    "reviewed": "已审定",
    "approved": "已批准",
}


class PlanAudience(enum.StrEnum):
    """Whom a planned course trains."""

    NEW = "new"  # 新任代表
    ALL = "all"  # 全体代表
    LEVEL = "level"  # 某一级的代表 (``PlanItem.level``: 县级人大代表…)

    @classmethod
    def aliases(cls) -> dict[str, PlanAudience]:
        return {"新任代表": cls.NEW, "全体代表": cls.ALL, "分级": cls.LEVEL}


AUDIENCE_LABELS: dict[str, str] = {"new": "新任代表", "all": "全体代表", "level": "分级"}


def _state(value: Any) -> Any:
    return f.to_enum(PlanState, value)


def _optional_state(value: Any) -> Any:
    return None if value is None else f.to_enum(PlanState, value)


def _to_audience(value: Any) -> Any:
    return f.to_enum(PlanAudience, value)


def _to_kind(value: Any) -> Any:
    return f.to_enum(PlanKind, value)


def _non_negative_amount(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    f.non_negative_int(instance, attribute, value)


@attrs.frozen(kw_only=True)
class Citation:
    """A needs-survey topic a planned course answers: the topic, its rank (1 = most asked
    for) and how many deputies asked for it when the item was written."""

    topic: str = attrs.field(converter=f.clean_text, validator=f.non_empty)
    rank: int = attrs.field(validator=f.positive_int)
    count: int = attrs.field(default=0, validator=f.non_negative_int)

    def label(self) -> str:
        """依法履职（需求第1位，236人）."""
        return f"{self.topic}（需求第{self.rank}位，{self.count}人）"


def _citations(value: Iterable[Citation]) -> tuple[Citation, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class PlanItem:
    """One planned course of a plan, numbered from 1 within it (``no``).  ``budget`` is in
    yuan (元); ``places`` is how many deputies it trains (名额); ``programme_id`` is the
    course it became."""

    no: int = attrs.field(validator=f.positive_int)
    title: str = attrs.field(converter=f.clean_text, validator=f.non_empty)
    audience: PlanAudience = attrs.field(
        default=PlanAudience.ALL,
        converter=_to_audience,
        validator=f.enum_member(PlanAudience),
    )
    level: str = attrs.field(default="", converter=f.clean_text, validator=f.text)
    topics: tuple[str, ...] = attrs.field(default=(), converter=f.str_tuple)
    starts_on: pendulum.Date | None = attrs.field(
        default=None, converter=f.optional_date, validator=f.is_optional_date
    )
    ends_on: pendulum.Date | None = attrs.field(
        default=None, converter=f.optional_date, validator=f.is_optional_date
    )
    budget: int = attrs.field(default=0, validator=_non_negative_amount)
    places: int = attrs.field(default=0, validator=f.non_negative_int)
    place: str = attrs.field(default="", converter=f.clean_text, validator=f.text)
    cites: tuple[Citation, ...] = attrs.field(default=(), converter=_citations)
    programme_id: str | None = attrs.field(default=None, validator=f.optional_identifier)

    @topics.validator
    def _topics(self, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
        for topic in value:
            if not isinstance(topic, str) or not topic.strip():
                f.fail(self, attribute, value, _("must be non-empty text"))

    def __attrs_post_init__(self) -> None:
        if (self.audience is PlanAudience.LEVEL) != bool(self.level):
            raise ValidationError(
                "PlanItem.level", self.level, _("is given exactly when the audience is a level")
            )
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError(
                "PlanItem.ends_on", self.ends_on.isoformat(), _("is before starts_on")
            )

    @property
    def audience_label(self) -> str:
        return self.level if self.audience is PlanAudience.LEVEL else AUDIENCE_LABELS[self.audience]

    @property
    def dates(self) -> str:
        """2022-09-06至2022-09-08, or the one date, or empty."""
        if self.starts_on and self.ends_on and self.ends_on != self.starts_on:
            return f"{self.starts_on.isoformat()}至{self.ends_on.isoformat()}"
        day = self.starts_on or self.ends_on
        return day.isoformat() if day else ""


@attrs.frozen(kw_only=True)
class PlanTransition:
    """One step of a plan's approval trail: who (a body or an official) moved it from which
    state to which, when, and the remark they made.  ``from_state`` is ``None`` for the
    drafting itself."""

    at: pendulum.DateTime = attrs.field(converter=f.utc, validator=f.aware)
    by: str = attrs.field(converter=f.clean_text, validator=f.non_empty)
    from_state: PlanState | None = attrs.field(converter=_optional_state)
    to_state: PlanState = attrs.field(converter=_state, validator=f.enum_member(PlanState))
    action: str = attrs.field(validator=f.non_empty)
    remark: str = attrs.field(default="", converter=f.clean_text, validator=f.text)


def _items(value: Iterable[PlanItem]) -> tuple[PlanItem, ...]:
    return tuple(value)


def _transitions(value: Iterable[PlanTransition]) -> tuple[PlanTransition, ...]:
    return tuple(value)


_P = PlanState
#: action → {from state: to state}; what is not listed is refused.
MOVES: dict[str, dict[PlanState, PlanState]] = {
    "submit": {_P.DRAFTED: _P.SUBMITTED},
    "review": {_P.SUBMITTED: _P.REVIEWED},
    "approve": {_P.REVIEWED: _P.APPROVED},
    "return": {_P.SUBMITTED: _P.DRAFTED, _P.REVIEWED: _P.DRAFTED},
}
_TARGETS = {
    "submit": _P.SUBMITTED,
    "review": _P.REVIEWED,
    "approve": _P.APPROVED,
    "return": _P.DRAFTED,
}


@attrs.frozen(kw_only=True)
class PlanMoved(Event):
    """A training plan moved along its approval trail (``state`` is the new one)."""

    name: ClassVar[str] = "plan.moved"
    plan_id: str
    action: str
    state: str
    by: str


@attrs.frozen(kw_only=True)
class TrainingPlan:
    """A training plan: a term plan (``kind="term"``, years ``start_year``-``end_year``)
    or a yearly plan (``kind="year"``, one year, usually with ``parent_id`` its term plan).
    ``term`` is the People's Congress term (第十六届); ``drafted_by`` the body that drafts it
    (联工委); ``survey_id`` the needs survey it rests on."""

    id: str = attrs.field(validator=f.identifier)
    kind: PlanKind = attrs.field(converter=_to_kind, validator=f.enum_member(PlanKind))
    title: str = attrs.field(converter=f.clean_text, validator=f.non_empty)
    term: str = attrs.field(converter=f.clean_text, validator=f.non_empty)
    start_year: int = attrs.field(validator=f.positive_int)
    end_year: int = attrs.field(validator=f.positive_int)
    drafted_by: str = attrs.field(default="", converter=f.clean_text, validator=f.text)
    parent_id: str | None = attrs.field(default=None, validator=f.optional_identifier)
    survey_id: str | None = attrs.field(default=None, validator=f.optional_identifier)
    summary: str = attrs.field(default="", converter=f.clean_text, validator=f.text)
    items: tuple[PlanItem, ...] = attrs.field(default=(), converter=_items)
    state: PlanState = attrs.field(
        default=PlanState.DRAFTED, converter=_state, validator=f.enum_member(PlanState)
    )
    created_at: pendulum.DateTime = attrs.field(converter=f.utc, validator=f.aware)
    transitions: tuple[PlanTransition, ...] = attrs.field(default=(), converter=_transitions)

    def __attrs_post_init__(self) -> None:
        if self.end_year < self.start_year:
            raise ValidationError("TrainingPlan.end_year", self.end_year, _("is before start_year"))
        if self.kind is PlanKind.YEAR and self.end_year != self.start_year:
            raise ValidationError(
                "TrainingPlan.end_year", self.end_year, _("a yearly plan covers one year")
            )
        numbers = [i.no for i in self.items]
        if len(set(numbers)) != len(numbers):
            raise ValidationError("TrainingPlan.items", numbers, _("item numbers must be unique"))
        for item in self.items:
            for day in (item.starts_on, item.ends_on):
                if day is not None and not self.start_year <= day.year <= self.end_year:
                    raise ValidationError(
                        "PlanItem.starts_on",
                        day.isoformat(),
                        _("item {no} falls outside the plan's years {first}-{last}").format(
                            no=item.no, first=self.start_year, last=self.end_year
                        ),
                    )

    @property
    def key(self) -> str:
        return self.id

    @property
    def years(self) -> str:
        """2022-2026, or 2022."""
        if self.start_year == self.end_year:
            return str(self.start_year)
        return f"{self.start_year}-{self.end_year}"

    @property
    def budget(self) -> int:
        """The items' budgets together, in yuan."""
        return sum(i.budget for i in self.items)

    def item(self, no: int) -> PlanItem:
        for candidate in self.items:
            if candidate.no == no:
                return candidate
        numbers = ", ".join(str(i.no) for i in self.items) or _("(none)")
        raise ValidationError(
            "PlanItem.no",
            no,
            _("plan {plan!r} has no such item; its items are {numbers}").format(
                plan=self.id, numbers=numbers
            ),
        )

    # -- changes ------------------------------------------------------------------------

    def drafted(self, *, by: str, remark: str = "") -> TrainingPlan:
        """The plan with its drafting as the first step of its trail."""
        step = PlanTransition(
            at=self.created_at,
            by=by or self.drafted_by or "-",
            from_state=None,
            to_state=self.state,
            action="draft",
            remark=remark,
        )
        return attrs.evolve(self, transitions=(step, *self.transitions))

    def _editable(self) -> None:
        if self.state is not PlanState.DRAFTED:
            raise ValidationError(
                "TrainingPlan.state",
                self.state.value,
                _("plan {plan!r} can be changed only while drafted; return it first").format(
                    plan=self.id
                ),
            )

    def with_item(self, item: PlanItem) -> TrainingPlan:
        """Add ``item`` or replace the item of the same number (only while drafted)."""
        self._editable()
        others = tuple(i for i in self.items if i.no != item.no)
        return attrs.evolve(self, items=tuple(sorted((*others, item), key=lambda i: i.no)))

    def without_item(self, no: int) -> TrainingPlan:
        self._editable()
        self.item(no)
        return attrs.evolve(self, items=tuple(i for i in self.items if i.no != no))

    def next_item_no(self) -> int:
        return max((i.no for i in self.items), default=0) + 1

    def can(self, action: str) -> bool:
        return self.state in MOVES[action]

    def move(
        self, action: str, *, at: pendulum.DateTime, by: str, remark: str = ""
    ) -> tuple[TrainingPlan, list[Event]]:
        """``submit``, ``review``, ``approve`` or ``return`` (for revision: back to drafted),
        by a named body or official, with a remark; the step is kept on the trail."""
        if action not in MOVES:
            raise ValidationError(
                "action", action, _("must be one of {actions}").format(actions=", ".join(MOVES))
            )
        to = MOVES[action].get(self.state)
        if to is None:
            raise TransitionError("TrainingPlan", self.state.value, action, _TARGETS[action].value)
        if action == "submit" and not self.items:
            raise ValidationError(
                "TrainingPlan.items",
                (),
                _("plan {plan!r} lists no course yet").format(plan=self.id),
            )
        if action == "return" and not f.clean_text(remark):
            raise ValidationError("remark", remark, _("say why the plan is returned"))
        step = PlanTransition(
            at=at, by=by, from_state=self.state, to_state=to, action=action, remark=remark
        )
        new = attrs.evolve(self, state=to, transitions=(*self.transitions, step))
        event = PlanMoved(occurred_at=at, plan_id=self.id, action=action, state=to.value, by=by)
        return new, [event]

    def link(self, no: int, programme_id: str) -> TrainingPlan:
        """Item ``no`` became the programme ``programme_id`` (the plan must be approved)."""
        if self.state is not PlanState.APPROVED:
            raise ValidationError(
                "TrainingPlan.state",
                self.state.value,
                _("a course is set up only from an approved plan ({plan!r})").format(plan=self.id),
            )
        item = self.item(no)
        if item.programme_id not in (None, programme_id):
            raise ValidationError(
                "PlanItem.programme_id",
                item.programme_id,
                _("item {no} of plan {plan!r} already became another course").format(
                    no=no, plan=self.id
                ),
            )
        linked = attrs.evolve(item, programme_id=programme_id)
        items = tuple(linked if i.no == no else i for i in self.items)
        return attrs.evolve(self, items=items)
