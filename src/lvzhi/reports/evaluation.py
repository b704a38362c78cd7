"""The results of an evaluation questionnaire (评估结果): a summary, each question's
answers, the mean rating per session and per lecturer, and the free-text answers."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import tablib

from lvzhi.domain import Official, Session
from lvzhi.domain.evaluation import (
    KIND_LABELS,
    RATINGS,
    EvaluationResults,
    ItemKind,
    evaluation_results,
)
from lvzhi.i18n import _

if TYPE_CHECKING:
    from lvzhi.ports import ReportContext

__all__ = ["EVALUATION_TITLES", "EvaluationResultsReport", "evaluation_tables"]

#: The sheets of the results, in order.
EVALUATION_TITLES = ("概况", "按题目", "按课程", "按授课人", "意见建议")


def _mean(value: float | None) -> float | str:
    return value if value is not None else ""


def _percent(part: int, whole: int) -> str:
    return f"{part / whole:.1%}" if whole else ""


def evaluation_tables(
    results: EvaluationResults,
    sessions: Iterable[Session] = (),
    officials: Iterable[Official] = (),
) -> tablib.Databook:
    """评估结果: the summary (questionnaire, responses, deputies expected, response rate,
    overall mean), one row per question (kind, answers, mean, count of each rating 1-5,
    the choices' counts), the mean per session and per lecturer, and every free-text
    answer."""
    titles = {s.id: s.title for s in sessions}
    names = {o.id: o.name for o in officials}
    q = results.questionnaire
    summary = tablib.Dataset(headers=["项目", "数值"], title=EVALUATION_TITLES[0])
    summary.append(["问卷", q.title])
    summary.append(["应参评人数", results.expected])
    summary.append(["回收份数", results.responses])
    summary.append(["回收率", f"{results.response_rate:.1%}"])
    summary.append(["总体平均分", _mean(results.overall)])

    by_item = tablib.Dataset(
        headers=["序号", "题目", "类型", "课程", "授课人", "作答人数", "平均分"]
        + [f"{r}分" for r in RATINGS]
        + ["选项分布"],
        title=EVALUATION_TITLES[1],
    )
    texts = tablib.Dataset(headers=["序号", "题目", "意见建议"], title=EVALUATION_TITLES[4])
    for n, item in enumerate(results.items, start=1):
        it = item.item
        ratings = (
            [item.distribution.get(str(r), 0) for r in RATINGS]
            if it.kind is ItemKind.RATING
            else [""] * len(RATINGS)
        )
        choices = (
            "；".join(
                f"{c} {k}（{_percent(k, item.answered)}）" for c, k in item.distribution.items()
            )
            if it.kind is ItemKind.CHOICE
            else ""
        )
        by_item.append(
            [
                n,
                it.text,
                KIND_LABELS[it.kind.value],
                titles.get(it.session_id, it.session_id) if it.session_id else "",
                names.get(it.lecturer_id, it.lecturer_id) if it.lecturer_id else "",
                item.answered,
                _mean(item.mean),
                *ratings,
                choices,
            ]
        )
        for text in item.texts:
            texts.append([n, it.text, text])
    sessions_sheet = tablib.Dataset(
        headers=["课程", "平均分", "评分人次"], title=EVALUATION_TITLES[2]
    )
    for sid, (mean, count) in results.by_session.items():
        sessions_sheet.append([titles.get(sid, sid), mean, count])
    lecturers = tablib.Dataset(headers=["授课人", "平均分", "评分人次"], title=EVALUATION_TITLES[3])
    for oid, (mean, count) in results.by_lecturer.items():
        lecturers.append([names.get(oid, oid), mean, count])
    return tablib.Databook([summary, by_item, sessions_sheet, lecturers, texts])


class EvaluationResultsReport:
    """评估结果: the results of an evaluation questionnaire of the programme (option
    ``questionnaire``: its id; default: the programme's latest)."""

    name = "evaluation-results"
    title = "培训评估结果"
    needs_programme = True

    def build(self, context: ReportContext) -> tablib.Databook:
        from lvzhi.errors import NotFound, ValidationError

        programme = context.programme
        if programme is None:
            raise ValidationError(
                "programme", None, _("the {name} report needs a programme").format(name=self.name)
            )
        uow = context.uow
        wanted = context.options.get("questionnaire")
        if wanted:
            questionnaire = uow.questionnaires.get(str(wanted))
        else:
            found = uow.questionnaires.select(programme_id=programme.id)
            if not found:
                raise NotFound("Questionnaire", programme.id)
            questionnaire = max(found, key=lambda q: (q.created_at, q.id))
        results = evaluation_results(
            questionnaire,
            uow.responses.select(questionnaire_id=questionnaire.id),
            expected=uow.delegates.count(),
        )
        return evaluation_tables(
            results, uow.sessions.select(programme_id=programme.id), uow.officials.list()
        )

    def __repr__(self) -> str:
        return f"<report {self.name} {self.title}>"
