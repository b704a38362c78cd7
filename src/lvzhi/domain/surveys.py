"""The needs survey (培训需求专题调研) that a training plan rests on.

A :class:`Survey` asks questions — single choice, multiple choice or free text; the choice
questions marked ``topic`` offer training topics — and each deputy answers once
(:class:`SurveyResponse`, keyed by survey and certificate number).  :func:`rank_topics`
counts how many deputies asked for each topic and ranks them, most asked for first.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from typing import Any

import attrs
import pendulum

from lvzhi.domain import _fields as f
from lvzhi.errors import ValidationError
from lvzhi.i18n import _

__all__ = [
    "QUESTION_KIND_LABELS",
    "Answer",
    "Question",
    "QuestionKind",
    "Survey",
    "SurveyResponse",
    "TopicDemand",
    "rank_topics",
    "response_id",
]


class QuestionKind(enum.StrEnum):
    SINGLE = "single"  # 单选
    MULTIPLE = "multiple"  # 多选
    TEXT = "text"  # 填空 / 开放题

    @classmethod
    def aliases(cls) -> dict[str, QuestionKind]:
        return {"单选": cls.SINGLE, "多选": cls.MULTIPLE, "填空": cls.TEXT, "开放": cls.TEXT}


QUESTION_KIND_LABELS: dict[str, str] = {"single": "单选", "multiple": "多选", "text": "填空"}


def _texts(instance: Any, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
    for item in value:
        if not isinstance(item, str) or not item.strip():
            f.fail(instance, attribute, value, _("must be non-empty text"))
    if len(set(value)) != len(value):
        f.fail(instance, attribute, value, _("must not repeat an option"))


def _to_kind(value: Any) -> Any:
    return f.to_enum(QuestionKind, value)


def _clean_tuple(value: Any) -> tuple[Any, ...]:
    return tuple(f.clean_text(v) for v in f.str_tuple(value))


@attrs.frozen(kw_only=True)
class Question:
    """A question: ``id`` (q1…), its text, its kind and, for a choice, its options;
    ``topic`` marks a question whose options are training topics (ranked by demand);
    ``max_choices`` limits a multiple choice (0: no limit)."""

    id: str = attrs.field(validator=f.identifier)
    text: str = attrs.field(converter=f.clean_text, validator=f.non_empty)
    kind: QuestionKind = attrs.field(
        default=QuestionKind.SINGLE,
        converter=_to_kind,
        validator=f.enum_member(QuestionKind),
    )
    options: tuple[str, ...] = attrs.field(default=(), converter=_clean_tuple, validator=_texts)
    topic: bool = attrs.field(default=False, validator=f.instance_of(bool))
    max_choices: int = attrs.field(default=0, validator=f.non_negative_int)

    def __attrs_post_init__(self) -> None:
        choice = self.kind is not QuestionKind.TEXT
        if choice and len(self.options) < 2:
            raise ValidationError(
                "Question.options", self.options, _("a choice question needs two options or more")
            )
        if not choice and (self.options or self.topic):
            raise ValidationError(
                "Question.options", self.options, _("a text question has no options or topics")
            )


@attrs.frozen(kw_only=True)
class Answer:
    """The answer to one question: the options chosen, or the text written."""

    question_id: str = attrs.field(validator=f.identifier)
    choices: tuple[str, ...] = attrs.field(default=(), converter=_clean_tuple)
    text: str = attrs.field(default="", converter=f.clean_text, validator=f.text)


def _questions(value: Iterable[Question]) -> tuple[Question, ...]:
    return tuple(value)


def _answers(value: Iterable[Answer]) -> tuple[Answer, ...]:
    return tuple(value)


def response_id(survey_id: str, certificate_no: str) -> str:
    """The key of a deputy's response: ``<survey>:<certificate>``."""
    return f"{survey_id}:{certificate_no}"


@attrs.frozen(kw_only=True)
class Survey:
    """A needs survey: its questions, who ran it and when."""

    id: str = attrs.field(validator=f.identifier)
    title: str = attrs.field(converter=f.clean_text, validator=f.non_empty)
    conducted_by: str = attrs.field(default="", converter=f.clean_text, validator=f.text)
    opens_on: pendulum.Date | None = attrs.field(
        default=None, converter=f.optional_date, validator=f.is_optional_date
    )
    closes_on: pendulum.Date | None = attrs.field(
        default=None, converter=f.optional_date, validator=f.is_optional_date
    )
    questions: tuple[Question, ...] = attrs.field(converter=_questions)

    def __attrs_post_init__(self) -> None:
        if not self.questions:
            raise ValidationError("Survey.questions", (), _("a survey needs a question"))
        ids = [q.id for q in self.questions]
        if len(set(ids)) != len(ids):
            raise ValidationError("Survey.questions", ids, _("question ids must be unique"))

    @property
    def key(self) -> str:
        return self.id

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        ids = ", ".join(q.id for q in self.questions)
        raise ValidationError(
            "Answer.question_id",
            question_id,
            _("survey {survey!r} has no such question; its questions are {ids}").format(
                survey=self.id, ids=ids
            ),
        )

    def topics(self) -> list[str]:
        """Every topic the topic questions offer, in the order asked."""
        seen = dict.fromkeys(o for q in self.questions if q.topic for o in q.options)
        return list(seen)

    def check(self, answer: Answer) -> None:
        """Refuse an answer that does not fit its question, naming the question."""
        q = self.question(answer.question_id)
        field = f"Answer[{q.id}]"
        if q.kind is QuestionKind.TEXT:
            if answer.choices:
                raise ValidationError(field, answer.choices, _("a text question takes no choice"))
            return
        if answer.text:
            raise ValidationError(field, answer.text, _("a choice question takes no text"))
        unknown = [c for c in answer.choices if c not in q.options]
        if unknown:
            raise ValidationError(
                field,
                "、".join(unknown),
                _("is not an option; the options are {options}").format(
                    options="、".join(q.options)
                ),
            )
        if len(set(answer.choices)) != len(answer.choices):
            raise ValidationError(field, answer.choices, _("an option is chosen twice"))
        if q.kind is QuestionKind.SINGLE and len(answer.choices) > 1:
            raise ValidationError(
                field, "、".join(answer.choices), _("a single-choice question takes one option")
            )
        if q.max_choices and len(answer.choices) > q.max_choices:
            raise ValidationError(
                field,
                "、".join(answer.choices),
                _("takes at most {limit} options").format(limit=q.max_choices),
            )


@attrs.frozen(kw_only=True)
class SurveyResponse:
    """One deputy's answers to a survey (one response per deputy and survey); ``note`` says
    how it came in (纸质问卷, 网上填报…)."""

    survey_id: str = attrs.field(validator=f.identifier)
    certificate_no: str = attrs.field(validator=f.identifier)
    answers: tuple[Answer, ...] = attrs.field(converter=_answers)
    submitted_at: pendulum.DateTime = attrs.field(converter=f.utc, validator=f.aware)
    note: str = attrs.field(default="", converter=f.clean_text, validator=f.text)

    def __attrs_post_init__(self) -> None:
        ids = [a.question_id for a in self.answers]
        if len(set(ids)) != len(ids):
            raise ValidationError("SurveyResponse.answers", ids, _("a question is answered twice"))

    @property
    def key(self) -> str:
        return response_id(self.survey_id, self.certificate_no)

    def answer(self, question_id: str) -> Answer | None:
        return next((a for a in self.answers if a.question_id == question_id), None)


@attrs.frozen(kw_only=True)
class TopicDemand:
    """How many deputies asked for a topic, their share of the respondents and the topic's
    rank (1 = most asked for; equal counts share a rank)."""

    topic: str
    count: int
    share: float
    rank: int


def rank_topics(survey: Survey, responses: Sequence[SurveyResponse]) -> list[TopicDemand]:
    """The survey's topics ranked by how many respondents chose them (a deputy who chose a
    topic in several topic questions counts once), most first; equal counts keep the
    order the survey offers them in and share a rank (1, 2, 2, 4)."""
    topic_questions = [q.id for q in survey.questions if q.topic]
    counts = dict.fromkeys(survey.topics(), 0)
    mine = [r for r in responses if r.survey_id == survey.id]
    for response in mine:
        chosen: set[str] = set()
        for qid in topic_questions:
            answer = response.answer(qid)
            if answer is not None:
                chosen.update(c for c in answer.choices if c in counts)
        for topic in chosen:
            counts[topic] += 1
    total = len(mine)
    ordered = sorted(counts.items(), key=lambda kv: -kv[1])  # stable: survey order on ties
    ranked: list[TopicDemand] = []
    for position, (topic, count) in enumerate(ordered, 1):
        rank = ranked[-1].rank if ranked and ranked[-1].count == count else position
        share = count / total if total else 0.0
        ranked.append(TopicDemand(topic=topic, count=count, share=share, rank=rank))
    return ranked
