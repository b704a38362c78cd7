"""Course evaluation questionnaires (评估问卷), ``office.materials.evaluation``: create one
(or the standard one from the timetable), record the deputies' responses one by one or
from a spreadsheet, work out the results."""

from __future__ import annotations

import builtins
import csv
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from lvzhi.domain import SessionKind
from lvzhi.domain.evaluation import (
    EvaluationAnswer,
    EvaluationItem,
    EvaluationResults,
    ItemKind,
    Questionnaire,
    Response,
    evaluation_results,
)
from lvzhi.domain.materials import RoleKind
from lvzhi.errors import ValidationError
from lvzhi.i18n import _
from lvzhi.services.context import Service, current_programme, require_deputies

__all__ = ["CERTIFICATE_HEADERS", "EvaluationService", "ImportedResponses"]

#: The header of the certificate column of a responses spreadsheet.
CERTIFICATE_HEADERS = ("代表证号", "证号", "certificate_no")
#: The sessions the standard questionnaire asks about.
RATED_KINDS = (SessionKind.LECTURE, SessionKind.PRACTICAL, SessionKind.EXPERIENCE_SHARING)

Answers = Mapping[str, Any] | Iterable[EvaluationAnswer]


@attrs.frozen
class ImportedResponses:
    """What an import of responses did: new responses, replaced ones, unchanged ones."""

    added: int
    replaced: int
    unchanged: int


def _answers(answers: Answers) -> tuple[EvaluationAnswer, ...]:
    if isinstance(answers, Mapping):
        return tuple(
            EvaluationAnswer(item_id=k, value=v)
            for k, v in answers.items()
            if v is not None and v != ""
        )
    return tuple(answers)


def _read_table(path: Path) -> list[tuple[int, list[Any]]]:
    """The rows of a csv or xlsx file with their row numbers (from 1)."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return [(n, list(row)) for n, row in enumerate(csv.reader(handle), start=1)]
    if suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True, data_only=True)
        try:
            rows = book.worksheets[0].iter_rows(values_only=True)
            return [(n, list(row)) for n, row in enumerate(rows, start=1)]
        finally:
            book.close()
    raise ValidationError("path", str(path), _("must be a .csv or .xlsx file"))


class EvaluationService(Service):
    """``office.materials.evaluation``: questionnaires, responses and results."""

    # -- questionnaires --------------------------------------------------------------------

    def create(self, questionnaire: Questionnaire) -> Questionnaire:
        """Store a questionnaire.  Its sessions must belong to its course and its lecturers
        be officials.  Storing the same questionnaire again changes nothing; another one
        with a taken id is refused."""
        with self._ctx.write() as tx:
            uow = tx.uow
            programme = uow.programmes.get(questionnaire.programme_id)
            for item in questionnaire.items:
                field = f"Questionnaire.items[{item.id}]"
                if item.session_id is not None:
                    session = uow.sessions.get(item.session_id)
                    if session.programme_id != programme.id:
                        reason = _("is not a session of {programme}").format(programme=programme.id)
                        raise ValidationError(f"{field}.session_id", session.id, reason)
                if item.lecturer_id is not None and uow.officials.find(item.lecturer_id) is None:
                    raise ValidationError(
                        f"{field}.lecturer_id", item.lecturer_id, _("is not an official")
                    )
            stored = uow.questionnaires.find(questionnaire.id)
            if stored is not None:
                if stored.items == questionnaire.items and stored.title == questionnaire.title:
                    return stored
                raise ValidationError(
                    "Questionnaire.id", questionnaire.id, _("is taken by another questionnaire")
                )
            uow.questionnaires.add(questionnaire)
        return questionnaire

    def standard(
        self, programme_id: str | None = None, *, questionnaire_id: str | None = None
    ) -> Questionnaire:
        """Create the standard questionnaire of a course: the overall rating, a rating of
        each lecture, practical course and experience-sharing session (about its first
        linked lecturer, if any), the length of the course, the organisation, and free
        text for suggestions."""
        with self._ctx.read() as uow:
            programme = current_programme(uow, programme_id)
            sessions = sorted(
                uow.sessions.select(programme_id=programme.id), key=lambda s: (s.starts_at, s.id)
            )
            roles = uow.session_roles.select(programme_id=programme.id)
        lecturers: dict[str, str] = {}
        for r in sorted(roles, key=lambda r: r.order):
            if r.role is RoleKind.LECTURER:
                lecturers.setdefault(r.session_id, r.person_id)
        items = [EvaluationItem(id="overall", text="对本次培训的总体评价", required=True)]
        rated = [s for s in sessions if s.kind in RATED_KINDS]
        for n, s in enumerate(rated, start=1):
            items.append(
                EvaluationItem(
                    id=f"session-{n:02d}",
                    text=f"《{_inner(s.title)}》的效果",
                    session_id=s.id,
                    lecturer_id=lecturers.get(s.id),
                )
            )
        items += [
            EvaluationItem(
                id="length",
                text="培训时间安排",
                kind=ItemKind.CHOICE,
                choices=("合适", "偏长", "偏短"),
            ),
            EvaluationItem(id="service", text="会务组织和后勤服务"),
            EvaluationItem(id="advice", text="对今后培训的意见和建议", kind=ItemKind.TEXT),
        ]
        return self.create(
            Questionnaire(
                id=questionnaire_id or f"{programme.id}-evaluation",
                programme_id=programme.id,
                title=f"{programme.title}评估问卷",
                items=items,
                created_at=self._ctx.now(),
            )
        )

    def get(self, questionnaire_id: str) -> Questionnaire:
        with self._ctx.read() as uow:
            return uow.questionnaires.get(questionnaire_id)

    def list(self, programme_id: str | None = None) -> builtins.list[Questionnaire]:
        """The questionnaires of a course, oldest first."""
        with self._ctx.read() as uow:
            programme = current_programme(uow, programme_id)
            items = uow.questionnaires.select(programme_id=programme.id)
        return sorted(items, key=lambda q: (q.created_at, q.id))

    # -- responses -------------------------------------------------------------------------

    def respond(
        self,
        questionnaire_id: str,
        certificate_no: str,
        answers: Answers,
        *,
        note: str = "",
        replace: bool = False,
    ) -> tuple[Response, bool]:
        """Record a deputy's response; returns it and whether anything changed.  The deputy
        must be on the roster and the answers fit the questions; one response per deputy:
        giving the same answers again changes nothing, different ones are refused unless
        ``replace``."""
        response, outcome = self._store(
            questionnaire_id, [(certificate_no, _answers(answers), note)], replace=replace
        )[0]
        return response, outcome != "unchanged"

    def respond_many(
        self,
        questionnaire_id: str,
        responses: Mapping[str, Answers],
        *,
        replace: bool = False,
    ) -> ImportedResponses:
        """Record several deputies' responses (certificate number → answers) in one
        transaction, each as :meth:`respond`: all or none."""
        entries = [(cert, _answers(answers), "") for cert, answers in responses.items()]
        return _counted(self._store(questionnaire_id, entries, replace=replace))

    def import_responses(
        self, questionnaire_id: str, path: str | os.PathLike[str], *, replace: bool = False
    ) -> ImportedResponses:
        """Record the responses in a spreadsheet (csv or xlsx): a header row with 代表证号
        and one column per question (its id or its text), one row per deputy, an empty cell
        for a question not answered.  All rows or none: an error names the row, the column
        and the value."""
        file = Path(path)
        questionnaire = self.get(questionnaire_id)
        rows = _read_table(file)
        header_at = next(
            (
                i
                for i, (_n, row) in enumerate(rows)
                if any(_cell(v) in CERTIFICATE_HEADERS for v in row)
            ),
            None,
        )
        if header_at is None:
            reason = _("has no header row with {columns}").format(columns=CERTIFICATE_HEADERS[0])
            raise ValidationError(file.name, None, reason)
        header = [_cell(v) for v in rows[header_at][1]]
        by_text = {i.text: i.id for i in questionnaire.items} | {
            i.id: i.id for i in questionnaire.items
        }
        columns: dict[int, str] = {}
        cert_column = -1
        for index, name in enumerate(header):
            if name in CERTIFICATE_HEADERS:
                cert_column = index
            elif name in by_text:
                columns[index] = by_text[name]
            elif name:
                reason = _("is not a question of {questionnaire}").format(
                    questionnaire=questionnaire.id
                )
                raise ValidationError(f"{file.name}: row {rows[header_at][0]}", name, reason)
        entries: list[tuple[str, tuple[EvaluationAnswer, ...], str]] = []
        where: dict[str, int] = {}
        for number, row in rows[header_at + 1 :]:
            if all(_cell(v) == "" for v in row):
                continue
            cert = _cell(row[cert_column]) if cert_column < len(row) else ""
            place = f"{file.name}: row {number}"
            if not cert:
                raise ValidationError(f"{place}, {CERTIFICATE_HEADERS[0]}", cert, _("is missing"))
            if cert in where:
                reason = _("repeats row {row}").format(row=where[cert])
                raise ValidationError(f"{place}, {CERTIFICATE_HEADERS[0]}", cert, reason)
            where[cert] = number
            given = []
            for index, item_id in columns.items():
                value = row[index] if index < len(row) else None
                if _cell(value) == "":
                    continue
                try:
                    given.append(EvaluationAnswer(item_id=item_id, value=value))
                except ValidationError as exc:
                    raise ValidationError(f"{place}, {header[index]}", value, exc.reason) from None
            entries.append((cert, tuple(given), ""))
        try:
            results = self._store(questionnaire_id, entries, replace=replace)
        except ValidationError as exc:
            cert = exc.field.partition("[")[2].partition("]")[0]
            if cert in where:
                raise ValidationError(
                    f"{file.name}: row {where[cert]}, {exc.field}", exc.value, exc.reason
                ) from None
            raise
        return _counted(results)

    def _store(
        self,
        questionnaire_id: str,
        entries: Sequence[tuple[str, tuple[EvaluationAnswer, ...], str]],
        *,
        replace: bool,
    ) -> builtins.list[tuple[Response, str]]:
        """Check and store responses in one transaction; each with what happened to it:
        ``added``, ``replaced`` or ``unchanged``."""
        out: list[tuple[Response, str]] = []
        with self._ctx.write() as tx:
            uow = tx.uow
            questionnaire = uow.questionnaires.get(questionnaire_id)
            require_deputies(uow, [c for c, _a, _n in entries], "Response.certificate_no")
            now = self._ctx.now()
            keys = [f"{questionnaire_id}:{c}" for c, _a, _n in entries]
            stored = {r.key: r for r in uow.responses.select(questionnaire_id=questionnaire_id)}
            fresh: list[Response] = []
            for (cert, answers, note), key in zip(entries, keys, strict=True):
                response = questionnaire.check(
                    Response(
                        questionnaire_id=questionnaire_id,
                        certificate_no=cert,
                        answers=answers,
                        submitted_at=now,
                        note=note,
                    )
                )
                old = stored.get(key)
                if old is not None and old.same_answers(response):
                    out.append((old, "unchanged"))
                    continue
                if old is not None and not replace:
                    raise ValidationError(
                        f"Response[{cert}]", questionnaire_id, _("has already responded")
                    )
                fresh.append(response)
                out.append((response, "added" if old is None else "replaced"))
            uow.responses.put_many(fresh)
        return out

    def responses(self, questionnaire_id: str) -> builtins.list[Response]:
        with self._ctx.read() as uow:
            return uow.responses.select(questionnaire_id=questionnaire_id)

    # -- results ---------------------------------------------------------------------------

    def results(self, questionnaire_id: str) -> EvaluationResults:
        """Mean ratings per question, session and lecturer, distributions and the response
        rate (responses per deputy on the roster)."""
        with self._ctx.read() as uow:
            questionnaire = uow.questionnaires.get(questionnaire_id)
            responses = uow.responses.select(questionnaire_id=questionnaire_id)
            expected = uow.delegates.count()
        return evaluation_results(questionnaire, responses, expected=expected)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _counted(results: Sequence[tuple[Response, str]]) -> ImportedResponses:
    outcomes = [outcome for _r, outcome in results]
    return ImportedResponses(
        added=outcomes.count("added"),
        replaced=outcomes.count("replaced"),
        unchanged=outcomes.count("unchanged"),
    )


def _inner(title: str) -> str:
    """A title inside 《》: its own 《》 become 〈〉."""
    return title.replace("《", "〈").replace("》", "〉")
