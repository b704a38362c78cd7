"""Course evaluation questionnaires (评估问卷): questions about the course as a whole or about
one session and its lecturer — a rating from 1 to 5, a choice among given answers, or free
text — and the deputies' responses, one per deputy and questionnaire.

:func:`evaluation_results` works out the results: per question the number of answers, the
mean rating and the distribution; the mean rating per session and per lecturer; the
response rate.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from typing import Any

import attrs
import pendulum

from lvzhi.domain import _fields as f
from lvzhi.errors import ValidationError
from lvzhi.i18n import _

__all__ = [
    "KIND_LABELS",
    "EvaluationAnswer",
    "EvaluationItem",
    "EvaluationResults",
    "ItemKind",
    "ItemResult",
    "Questionnaire",
    "Response",
    "evaluation_results",
]

#: The ratings, worst to best.
RATINGS = (1, 2, 3, 4, 5)


class ItemKind(enum.StrEnum):
    RATING = "rating"  # 评分 1-5
    CHOICE = "choice"  # 单选
    TEXT = "text"  # 意见建议 (free text)


KIND_LABELS: dict[str, str] = {"rating": "评分", "choice": "单选", "text": "文字"}


def _to_kind(value: Any) -> Any:
    if isinstance(value, str):
        for key, label in KIND_LABELS.items():
            if value.strip() == label:
                return ItemKind(key)
    return f.to_enum(ItemKind, value)


@attrs.frozen(kw_only=True)
class EvaluationItem:
    """One question of a questionnaire.  ``session_id`` and ``lecturer_id`` (an official)
    say what it is about when it is about one session; ``choices`` are the answers of a
    choice question (at least two, none repeated)."""

    id: str = attrs.field(validator=f.identifier)
    text: str = attrs.field(converter=f.clean_text, validator=f.non_empty)
    kind: ItemKind = attrs.field(
        default=ItemKind.RATING, converter=_to_kind, validator=f.enum_member(ItemKind)
    )
    choices: tuple[str, ...] = attrs.field(default=(), converter=f.str_tuple)
    session_id: str | None = attrs.field(default=None, validator=f.optional_identifier)
    lecturer_id: str | None = attrs.field(default=None, validator=f.optional_identifier)
    required: bool = attrs.field(default=False, validator=f.instance_of(bool))

    def __attrs_post_init__(self) -> None:
        field = f"EvaluationItem[{self.id}].choices"
        if self.kind is ItemKind.CHOICE:
            if len(self.choices) < 2:
                raise ValidationError(field, list(self.choices), _("needs at least two choices"))
            if len(set(self.choices)) != len(self.choices):
                raise ValidationError(field, list(self.choices), _("repeats a choice"))
        elif self.choices:
            reason = _("only a choice question has choices")
            raise ValidationError(field, list(self.choices), reason)


def _items(value: Iterable[EvaluationItem]) -> tuple[EvaluationItem, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class Questionnaire:
    """A questionnaire of a course: its questions in the order asked."""

    id: str = attrs.field(validator=f.identifier)
    programme_id: str = attrs.field(validator=f.identifier)
    title: str = attrs.field(converter=f.clean_text, validator=f.non_empty)
    items: tuple[EvaluationItem, ...] = attrs.field(converter=_items)
    created_at: pendulum.DateTime = attrs.field(converter=f.utc, validator=f.aware)

    def __attrs_post_init__(self) -> None:
        if not self.items:
            raise ValidationError("Questionnaire.items", [], _("needs at least one question"))
        seen: set[str] = set()
        for item in self.items:
            if item.id in seen:
                raise ValidationError("Questionnaire.items", item.id, _("repeats a question id"))
            seen.add(item.id)

    @property
    def key(self) -> str:
        return self.id

    def item(self, item_id: str) -> EvaluationItem:
        for item in self.items:
            if item.id == item_id:
                return item
        known = ", ".join(i.id for i in self.items)
        reason = _("is not a question of {questionnaire} ({known})").format(
            questionnaire=self.id, known=known
        )
        raise ValidationError("EvaluationAnswer.item_id", item_id, reason)

    def check(self, response: Response) -> Response:
        """``response`` checked against the questions: every answer to a known question of
        the right kind (a rating 1-5, one of the choices, text), each question answered at
        most once, every required question answered.  Returns it with its answers in the
        order of the questions."""
        where = f"Response[{response.certificate_no}]"
        if response.questionnaire_id != self.id:
            raise ValidationError(
                f"{where}.questionnaire_id",
                response.questionnaire_id,
                _("is another questionnaire"),
            )
        given: dict[str, EvaluationAnswer] = {}
        for answer in response.answers:
            item = self.item(answer.item_id)
            field = f"{where}.{item.id}"
            if item.id in given:
                raise ValidationError(field, answer.value, _("is answered twice"))
            if item.kind is ItemKind.RATING:
                if answer.value not in RATINGS:
                    raise ValidationError(field, answer.value, _("must be a rating from 1 to 5"))
            elif item.kind is ItemKind.CHOICE:
                if answer.value not in item.choices:
                    reason = _("must be one of {choices}").format(choices="、".join(item.choices))
                    raise ValidationError(field, answer.value, reason)
            elif not isinstance(answer.value, str):
                raise ValidationError(field, answer.value, _("must be text"))
            given[item.id] = answer
        for item in self.items:
            if item.required and item.id not in given:
                raise ValidationError(f"{where}.{item.id}", None, _("must be answered"))
        ordered = tuple(given[i.id] for i in self.items if i.id in given)
        return attrs.evolve(response, answers=ordered)


def _answer_value(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        value = f.clean_text(value)
        if value.isdigit() and len(value) == 1:
            return int(value)
    return value


def _is_value(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int | str):
        f.fail(instance, attribute, value, _("must be a rating or text"))
    if value == "":
        f.fail(instance, attribute, value, _("must be non-empty text"))


@attrs.frozen(kw_only=True)
class EvaluationAnswer:
    """The answer to one question: a rating (a whole number), a choice or text."""

    item_id: str = attrs.field(validator=f.identifier)
    value: int | str = attrs.field(converter=_answer_value, validator=_is_value)


def _answers(value: Iterable[EvaluationAnswer]) -> tuple[EvaluationAnswer, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class Response:
    """One deputy's response to a questionnaire (its key: questionnaire and certificate)."""

    questionnaire_id: str = attrs.field(validator=f.identifier)
    certificate_no: str = attrs.field(validator=f.identifier)
    answers: tuple[EvaluationAnswer, ...] = attrs.field(converter=_answers)
    submitted_at: pendulum.DateTime = attrs.field(converter=f.utc, validator=f.aware)
    note: str = attrs.field(default="", converter=f.clean_text, validator=f.text)

    @property
    def key(self) -> str:
        return f"{self.questionnaire_id}:{self.certificate_no}"

    def same_answers(self, other: Response) -> bool:
        return self.answers == other.answers


@attrs.frozen(kw_only=True)
class ItemResult:
    """The results of one question: how many answered, the mean rating (rating questions),
    the count of each rating or choice, and the texts given (text questions)."""

    item: EvaluationItem
    answered: int
    mean: float | None
    distribution: Mapping[str, int]
    texts: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class EvaluationResults:
    """What a questionnaire's responses add up to."""

    questionnaire: Questionnaire
    expected: int
    responses: int
    items: tuple[ItemResult, ...]
    by_session: Mapping[str, tuple[float, int]]
    by_lecturer: Mapping[str, tuple[float, int]]
    overall: float | None

    @property
    def response_rate(self) -> float:
        """Responses per deputy expected (0 when none is expected)."""
        return self.responses / self.expected if self.expected else 0.0


def _mean(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def evaluation_results(
    questionnaire: Questionnaire, responses: Iterable[Response], *, expected: int
) -> EvaluationResults:
    """The results of ``responses`` (to ``questionnaire``) from ``expected`` deputies."""
    answers: dict[str, list[Any]] = {i.id: [] for i in questionnaire.items}
    count = 0
    for response in responses:
        if response.questionnaire_id != questionnaire.id:
            continue
        count += 1
        for answer in response.answers:
            if answer.item_id in answers:
                answers[answer.item_id].append(answer.value)
    results: list[ItemResult] = []
    sessions: dict[str, list[int]] = {}
    lecturers: dict[str, list[int]] = {}
    every: list[int] = []
    for item in questionnaire.items:
        values = answers[item.id]
        if item.kind is ItemKind.RATING:
            ratings = [v for v in values if isinstance(v, int)]
            every += ratings
            if item.session_id:
                sessions.setdefault(item.session_id, []).extend(ratings)
            if item.lecturer_id:
                lecturers.setdefault(item.lecturer_id, []).extend(ratings)
            spread = {str(r): ratings.count(r) for r in RATINGS}
            results.append(
                ItemResult(
                    item=item, answered=len(ratings), mean=_mean(ratings), distribution=spread
                )
            )
        elif item.kind is ItemKind.CHOICE:
            spread = {c: values.count(c) for c in item.choices}
            results.append(
                ItemResult(item=item, answered=len(values), mean=None, distribution=spread)
            )
        else:
            texts = tuple(str(v) for v in values)
            results.append(
                ItemResult(item=item, answered=len(texts), mean=None, distribution={}, texts=texts)
            )
    return EvaluationResults(
        questionnaire=questionnaire,
        expected=expected,
        responses=count,
        items=tuple(results),
        by_session={k: (_mean(v) or 0.0, len(v)) for k, v in sessions.items() if v},
        by_lecturer={k: (_mean(v) or 0.0, len(v)) for k, v in lecturers.items() if v},
        overall=_mean(every),
    )
