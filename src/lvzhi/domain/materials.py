"""Course materials: the handbook of questions and answers (履职常识100问) and the people who
speak at the sessions — experience-sharing deputies (交流发言代表), lecturers (授课人) and
hosts (主持人).

The handbook has exactly four parts — what a deputy should do (应该做什么), may do
(可以做什么), must not do (不能做什么) and the guarantees for performing duties (履职保障) —
and its questions are numbered 1, 2, … through the whole book in part order.
:func:`search_handbook` finds questions by the words of their question or answer.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

import attrs

from lvzhi.domain import _fields as f
from lvzhi.errors import ValidationError
from lvzhi.i18n import _

__all__ = [
    "PART_LABELS",
    "ROLE_LABELS",
    "Handbook",
    "HandbookPart",
    "HandbookQuestion",
    "Hit",
    "RoleKind",
    "SessionRole",
    "fold_text",
    "search_handbook",
]


class HandbookPart(enum.StrEnum):
    SHOULD = "should"  # 应该做什么
    MAY = "may"  # 可以做什么
    MUST_NOT = "must_not"  # 不能做什么
    GUARANTEES = "guarantees"  # 履职保障

    @property
    def label(self) -> str:
        return PART_LABELS[self.value]

    @classmethod
    def parse(cls, value: Any, field: str = "HandbookQuestion.part") -> HandbookPart:
        """A part from its value (``should``), its label (应该做什么) or its number (1-4)."""
        if isinstance(value, cls):
            return value
        text = str(value).strip() if value is not None else ""
        for key, label in PART_LABELS.items():
            if text in (key, label, label.removesuffix("做什么")):
                return cls(key)
        if text.isdigit() and 1 <= int(text) <= len(PART_LABELS):
            return list(cls)[int(text) - 1]
        choices = "、".join(PART_LABELS.values())
        raise ValidationError(field, value, _("must be one of {choices}").format(choices=choices))


PART_LABELS: dict[str, str] = {
    "should": "应该做什么",
    "may": "可以做什么",
    "must_not": "不能做什么",
    "guarantees": "履职保障",
}


def _to_part(value: Any) -> Any:
    return HandbookPart.parse(value)


@attrs.frozen(kw_only=True)
class HandbookQuestion:
    """One question of the handbook with its short answer and, optionally, what it rests
    on (``basis``, e.g. 代表法)."""

    number: int = attrs.field(validator=f.positive_int)
    part: HandbookPart = attrs.field(converter=_to_part, validator=f.enum_member(HandbookPart))
    question: str = attrs.field(converter=f.clean_text, validator=f.non_empty)
    answer: str = attrs.field(converter=f.clean_text, validator=f.non_empty)
    basis: str = attrs.field(default="", converter=f.clean_text, validator=f.text)


def _questions(value: Iterable[HandbookQuestion]) -> tuple[HandbookQuestion, ...]:
    return tuple(value)


def fold_text(text: str) -> str:
    """Text compared for duplicates and searches: NFKC, no spaces or punctuation, lower."""
    text = unicodedata.normalize("NFKC", text).lower()
    return "".join(c for c in text if c.isalnum())


@attrs.frozen(kw_only=True)
class Handbook:
    """The handbook: its questions in number order, all four parts present, numbers 1..n
    without gaps, the parts in their order, no question asked twice."""

    id: str = attrs.field(validator=f.identifier)
    title: str = attrs.field(converter=f.clean_text, validator=f.non_empty)
    questions: tuple[HandbookQuestion, ...] = attrs.field(converter=_questions)
    edition: str = attrs.field(default="", converter=f.clean_text, validator=f.text)

    def __attrs_post_init__(self) -> None:
        for index, q in enumerate(self.questions, start=1):
            if not isinstance(q, HandbookQuestion):
                raise ValidationError("Handbook.questions", q, _("must be a handbook question"))
            if q.number != index:
                reason = _("question {index} is numbered {number}; numbers must run 1, 2, 3, …")
                raise ValidationError(
                    f"Handbook.questions[{index}].number",
                    q.number,
                    reason.format(index=index, number=q.number),
                )
        order = list(HandbookPart)
        parts = [q.part for q in self.questions]
        missing = [p.label for p in order if p not in parts]
        if missing:
            reason = _("must have all four parts; missing {parts}").format(parts="、".join(missing))
            raise ValidationError("Handbook.questions", len(self.questions), reason)
        for before, after in zip(self.questions, self.questions[1:], strict=False):
            if order.index(after.part) < order.index(before.part):
                reason = _("part {part} comes after part {before}; keep the parts in order")
                raise ValidationError(
                    f"Handbook.questions[{after.number}].part",
                    after.part.label,
                    reason.format(part=after.part.label, before=before.part.label),
                )
        seen: dict[str, int] = {}
        for q in self.questions:
            key = fold_text(q.question)
            if key in seen:
                reason = _("repeats question {number}").format(number=seen[key])
                raise ValidationError(
                    f"Handbook.questions[{q.number}].question", q.question, reason
                )
            seen[key] = q.number

    @property
    def key(self) -> str:
        return self.id

    def part(self, part: HandbookPart | str) -> list[HandbookQuestion]:
        """The questions of one part, in order."""
        wanted = HandbookPart.parse(part, "part")
        return [q for q in self.questions if q.part is wanted]

    def question(self, number: int) -> HandbookQuestion:
        """Question ``number`` (from 1)."""
        if not 1 <= number <= len(self.questions):
            reason = _("there is no question {number}").format(number=number)
            raise ValidationError("number", number, reason)
        return self.questions[number - 1]


@attrs.frozen
class Hit:
    """A question found by :func:`search_handbook` and how well it matched."""

    question: HandbookQuestion
    score: int


_SPLIT = re.compile(r"[\s,，、;；]+")


def search_handbook(
    handbook: Handbook, text: str, *, part: HandbookPart | str | None = None, limit: int = 0
) -> list[Hit]:
    """The questions whose question or answer contain every word of ``text`` (words split
    at spaces and commas; punctuation and width ignored), best first: a word in the
    question counts five times as much as in the answer, a whole phrase in the question
    more; ties in number order.  ``part`` limits the search to one part, ``limit`` (when
    positive) the number of hits."""
    words = [fold_text(w) for w in _SPLIT.split(text or "")]
    words = [w for w in words if w]
    if not words:
        raise ValidationError("search", text, _("must contain a word to search for"))
    wanted = HandbookPart.parse(part, "part") if part is not None else None
    phrase = fold_text(text)
    hits: list[Hit] = []
    for q in handbook.questions:
        if wanted is not None and q.part is not wanted:
            continue
        asked, answered = fold_text(q.question), fold_text(q.answer)
        if not all(w in asked or w in answered for w in words):
            continue
        score = sum(5 * asked.count(w) + answered.count(w) for w in words)
        if len(words) > 1 and phrase in asked:
            score += 10
        hits.append(Hit(q, score))
    hits.sort(key=lambda h: (-h.score, h.question.number))
    return hits[:limit] if limit > 0 else hits


# -- who speaks at a session ----------------------------------------------------------------


class RoleKind(enum.StrEnum):
    SPEAKER = "speaker"  # 交流发言代表: a deputy on the roster
    LECTURER = "lecturer"  # 授课人: an official
    HOST = "host"  # 主持人: an official

    @property
    def label(self) -> str:
        return ROLE_LABELS[self.value]


ROLE_LABELS: dict[str, str] = {"speaker": "交流发言", "lecturer": "授课", "host": "主持"}


def _to_role(value: Any) -> Any:
    if isinstance(value, str):
        for key, label in ROLE_LABELS.items():
            if value.strip() == label:
                return RoleKind(key)
    return f.to_enum(RoleKind, value)


@attrs.frozen(kw_only=True)
class SessionRole:
    """A person's part in a session: a deputy sharing experience (``person_id`` is the
    certificate number), a lecturer or a host (``person_id`` is an official's id).
    ``topic`` is the talk's title; ``order`` the place among the session's speakers."""

    programme_id: str = attrs.field(validator=f.identifier)
    session_id: str = attrs.field(validator=f.identifier)
    role: RoleKind = attrs.field(converter=_to_role, validator=f.enum_member(RoleKind))
    person_id: str = attrs.field(validator=f.identifier)
    topic: str = attrs.field(default="", converter=f.clean_text, validator=f.text)
    order: int = attrs.field(default=1, validator=f.positive_int)

    @property
    def id(self) -> str:
        return f"{self.session_id}:{self.role.value}:{self.person_id}"

    @property
    def key(self) -> str:
        return self.id
