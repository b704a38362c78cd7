"""The needs survey (培训需求专题调研) use cases of ``office.plans``: surveys, the deputies'
responses (one by one or from a spreadsheet, all rows or none) and the topics ranked by
demand."""

from __future__ import annotations

import builtins
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import pendulum

from lvzhi.domain.surveys import (
    Answer,
    QuestionKind,
    Survey,
    SurveyResponse,
    TopicDemand,
    rank_topics,
    response_id,
)
from lvzhi.errors import ImportProblem, RowProblem, ValidationError
from lvzhi.i18n import _
from lvzhi.importing.readers import Source, read_grid
from lvzhi.services.context import Service, require_deputies

__all__ = ["ResponsesImported", "SurveyUseCases", "split_choices"]

#: Headers of the column holding the certificate number.
CERTIFICATE_HEADERS = ("代表证号", "证号", "certificate_no", "certificate")
#: Columns read but not answers: the name and delegation (for people), the note.
IGNORED_HEADERS = ("序号", "姓名", "代表团", "选举单位", "name", "delegation")
NOTE_HEADERS = ("备注", "填报方式", "note")

_SEPARATORS = re.compile(r"[、,，;；/\n]+")


def split_choices(cell: str) -> tuple[str, ...]:
    """``依法履职、建议写作`` → the options; separators 、 , ， ; ； / and line breaks."""
    return tuple(part.strip() for part in _SEPARATORS.split(cell) if part.strip())


@attrs.frozen(kw_only=True)
class ResponsesImported:
    """What an import of responses did: ``new`` responses stored, ``replaced`` earlier
    responses of the same deputies replaced."""

    survey_id: str
    source: str
    new: int
    replaced: int

    @property
    def total(self) -> int:
        return self.new + self.replaced


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


class SurveyUseCases(Service):
    """Surveys and responses (mixed into :class:`~lvzhi.services.plans.PlansService`)."""

    def create_survey(self, survey: Survey) -> Survey:
        """Store a new survey (a taken id is a :class:`~lvzhi.errors.Conflict`)."""
        with self._ctx.write() as tx:
            tx.uow.surveys.add(survey)
        return survey

    def survey(self, survey_id: str) -> Survey:
        with self._ctx.read() as uow:
            return uow.surveys.get(survey_id)

    def surveys(self) -> builtins.list[Survey]:
        with self._ctx.read() as uow:
            return uow.surveys.list()

    def answers_of(self, survey: Survey, given: Mapping[str, Any]) -> tuple[Answer, ...]:
        """Answers from ``{question id: text or options}``; a text for a choice question is
        split into options (:func:`~lvzhi.services.surveys.split_choices`).  Each is checked
        against its question."""
        answers = []
        for qid, value in given.items():
            question = survey.question(qid)
            if question.kind is QuestionKind.TEXT:
                answer = Answer(question_id=qid, text=str(value))
            elif isinstance(value, str):
                answer = Answer(question_id=qid, choices=split_choices(value))
            else:
                answer = Answer(question_id=qid, choices=tuple(value))
            if not answer.choices and not answer.text:
                continue
            survey.check(answer)
            answers.append(answer)
        return tuple(answers)

    def respond(
        self,
        survey_id: str,
        certificate_no: str,
        answers: Mapping[str, Any],
        *,
        note: str = "",
        at: pendulum.DateTime | None = None,
    ) -> SurveyResponse:
        """Record (or replace) one deputy's response; the deputy must be on the roster."""
        with self._ctx.write() as tx:
            survey = tx.uow.surveys.get(survey_id)
            require_deputies(tx.uow, [certificate_no], "SurveyResponse.certificate_no")
            response = SurveyResponse(
                survey_id=survey.id,
                certificate_no=certificate_no,
                answers=self.answers_of(survey, answers),
                submitted_at=at or self._ctx.now(),
                note=note,
            )
            tx.uow.survey_responses.put(response)
        return response

    def import_responses(
        self,
        survey_id: str,
        source: Source,
        *,
        format: str | None = None,
        sheet: str | None = None,
        source_name: str | None = None,
        at: pendulum.DateTime | None = None,
    ) -> ResponsesImported:
        """Import responses from a csv, xlsx or ods table: a header row with a 代表证号
        column and one column per question, headed by its id (``q1``), its text, or both
        (``q1 最需要的培训内容``); a choice cell lists options separated by 、 , ; or /.
        Columns 序号, 姓名, 代表团 are ignored, 备注 is kept as the response's note.
        Every bad row and column is reported at once (an
        :class:`~lvzhi.errors.ImportProblem`) and then nothing is stored; a deputy who
        answered before has the earlier response replaced."""
        grid = read_grid(source, format=format, source_name=source_name, sheet=sheet)
        if source_name:
            label = source_name
        elif isinstance(source, str | Path):
            label = Path(source).name
        else:
            label = Path(str(getattr(source, "name", "") or "<responses>")).name
        with self._ctx.read() as uow:
            survey = uow.surveys.get(survey_id)
        rows = list(grid.rows)
        header_at = next(
            (
                i
                for i, row in enumerate(rows)
                if any(_cell(c).lower() in CERTIFICATE_HEADERS for c in row)
            ),
            None,
        )
        if header_at is None:
            reason = _("no header row with a column {column}").format(column="代表证号")
            raise ImportProblem(label, [RowProblem(0, None, None, reason)])
        columns, problems = self._columns(survey, rows[header_at], header_at + 1)
        names = {key: _cell(rows[header_at][i]) for i, key in columns.items()}
        now = at or self._ctx.now()
        found: dict[str, tuple[int, SurveyResponse]] = {}
        for index in range(header_at + 1, len(rows)):
            row = rows[index]
            cells = {h: _cell(row[i]) if i < len(row) else "" for i, h in columns.items()}
            if not any(cells.values()):
                continue
            number = index + 1
            self._read_row(survey, cells, names, number, now, found, problems)
        certificates = [r.certificate_no for _n, r in found.values()]
        with self._ctx.write() as tx:
            known = tx.uow.delegates.existing(certificates)
            for cert, (number, _r) in found.items():
                if cert not in known:
                    reason = _("is not on the roster")
                    problems.append(RowProblem(number, names["certificate"], cert, reason))
            if problems:
                raise ImportProblem(label, sorted(problems, key=lambda p: p.row))
            keys = [response_id(survey.id, c) for c in certificates]
            earlier = tx.uow.survey_responses.existing(keys)
            tx.uow.survey_responses.put_many([r for _n, r in found.values()])
        return ResponsesImported(
            survey_id=survey.id,
            source=label,
            new=len(found) - len(earlier),
            replaced=len(earlier),
        )

    @staticmethod
    def _columns(
        survey: Survey, header: Sequence[Any], row: int
    ) -> tuple[dict[int, str], builtins.list[RowProblem]]:
        """Column index → ``certificate``, ``note`` or a question id."""
        by_text = {q.text: q.id for q in survey.questions}
        ids = {q.id.lower(): q.id for q in survey.questions}
        columns: dict[int, str] = {}
        problems: list[RowProblem] = []
        for i, value in enumerate(header):
            text = _cell(value)
            key = text.lower()
            first = key.split(" ", 1)[0]
            if not text or key in IGNORED_HEADERS:
                continue
            if key in CERTIFICATE_HEADERS:
                columns[i] = "certificate"
            elif key in NOTE_HEADERS:
                columns[i] = "note"
            elif text in by_text:
                columns[i] = by_text[text]
            elif first in ids:
                columns[i] = ids[first]
            else:
                listed = ", ".join(f"{q.id} {q.text}" for q in survey.questions)
                reason = _("is not a question of the survey; its questions are {questions}")
                problems.append(RowProblem(row, text, None, reason.format(questions=listed)))
        return columns, problems

    def _read_row(
        self,
        survey: Survey,
        cells: Mapping[str, str],
        names: Mapping[str, str],
        number: int,
        now: pendulum.DateTime,
        found: dict[str, tuple[int, SurveyResponse]],
        problems: builtins.list[RowProblem],
    ) -> None:
        cert = cells.get("certificate", "")
        column = names["certificate"]
        if not cert:
            problems.append(RowProblem(number, column, None, _("is empty")))
            return
        if cert in found:
            reason = _("answered already on row {row}").format(row=found[cert][0])
            problems.append(RowProblem(number, column, cert, reason))
            return
        answers: list[Answer] = []
        for qid, text in cells.items():
            if qid in ("certificate", "note") or not text:
                continue
            try:
                answers += self.answers_of(survey, {qid: text})
            except ValidationError as exc:
                problems.append(RowProblem(number, names[qid], text, exc.reason))
        try:
            response = SurveyResponse(
                survey_id=survey.id,
                certificate_no=cert,
                answers=answers,
                submitted_at=now,
                note=cells.get("note", ""),
            )
        except ValidationError as exc:
            problems.append(RowProblem(number, column, cert, exc.reason))
            return
        found[cert] = (number, response)

    def responses(self, survey_id: str) -> builtins.list[SurveyResponse]:
        """The responses to a survey, by certificate number."""
        with self._ctx.read() as uow:
            uow.surveys.get(survey_id)
            return uow.survey_responses.select(survey_id=survey_id)

    def ranking(self, survey_id: str) -> builtins.list[TopicDemand]:
        """The survey's topics ranked by demand (see
        :func:`~lvzhi.domain.surveys.rank_topics`), from one snapshot."""
        with self._ctx.read() as uow:
            survey = uow.surveys.get(survey_id)
            responses = uow.survey_responses.select(survey_id=survey_id)
        return rank_topics(survey, responses)
