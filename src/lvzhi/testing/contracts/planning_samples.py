"""Sample models of the planning aggregates (training plans, needs surveys and their
responses, tasks and coordination meetings) for :mod:`lvzhi.testing.contracts.storage_samples`:
three of each that between them fill every optional and nested attribute."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pendulum

from lvzhi.domain.plans import Citation, PlanItem, PlanTransition, TrainingPlan
from lvzhi.domain.surveys import Answer, Question, Survey, SurveyResponse
from lvzhi.domain.tasks import Decision, Meeting, Task, TaskChange

__all__ = ["planning_samples"]


def planning_samples(
    beijing: pendulum.DateTime, at: Callable[[int], pendulum.DateTime]
) -> dict[str, Callable[[], list[Any]]]:
    """Makers of three models per planning aggregate; ``beijing`` is an instant given in
    Beijing time, ``at(minutes)`` an instant after the course's start."""
    return {
        "training_plans": lambda: [
            TrainingPlan(
                id="tp-2",
                kind="year",
                title="2022年度代表培训计划",
                term="第十六届",
                start_year=2022,
                end_year=2022,
                drafted_by="联工委",
                parent_id="tp-1",
                survey_id="sv-1",
                summary="新任代表全覆盖",
                state="approved",
                created_at=beijing,
                items=[
                    PlanItem(
                        no=1,
                        title="新任代表履职培训班",
                        audience="new",
                        topics=["依法履职"],
                        starts_on="2022-09-06",
                        ends_on="2022-09-08",
                        budget=300000,
                        places=346,
                        place="衡阳",
                        cites=[Citation(topic="依法履职", rank=1, count=236)],
                        programme_id="p-1",
                    ),
                    PlanItem(
                        no=2, title="县级代表专题培训", audience="level", level="县级人大代表"
                    ),
                ],
                transitions=[
                    PlanTransition(
                        at=at(0), by="联工委", from_state=None, to_state="drafted", action="draft"
                    ),
                    PlanTransition(
                        at=at(60),
                        by="市委常委会",
                        from_state="reviewed",
                        to_state="approved",
                        action="approve",
                        remark="研究同意",
                    ),
                ],
            ),
            TrainingPlan(
                id="tp-1",
                kind="term",
                title="第十六届代表培训规划",
                term="第十六届",
                start_year=2022,
                end_year=2026,
                created_at=at(0),
            ),
            TrainingPlan(
                id="tp-3",
                kind="year",
                title="2023年度计划",
                term="第十六届",
                start_year=2023,
                end_year=2023,
                state="submitted",
                created_at=at(5),
            ),
        ],
        "surveys": lambda: [
            Survey(
                id="sv-2",
                title="履职培训需求调查",
                questions=[Question(id="q1", text="意见", kind="text")],
            ),
            Survey(
                id="sv-1",
                title="培训需求专题调研",
                conducted_by="联工委",
                opens_on="2022-03-01",
                closes_on="2022-03-31",
                questions=[
                    Question(
                        id="q1",
                        text="最需要的培训内容",
                        kind="multiple",
                        options=["依法履职", "建议写作", "调查研究"],
                        topic=True,
                        max_choices=2,
                    ),
                    Question(id="q2", text="培训时长", options=["2天", "3天"]),
                ],
            ),
            Survey(
                id="sv-3",
                title="满意度",
                questions=[Question(id="q1", text="形式", options=["集中", "网上"])],
            ),
        ],
        "survey_responses": lambda: [
            SurveyResponse(
                survey_id="sv-1",
                certificate_no="c-2",
                submitted_at=beijing,
                answers=[
                    Answer(question_id="q1", choices=["依法履职", "建议写作"]),
                    Answer(question_id="q2", choices=["3天"]),
                ],
                note="纸质问卷",
            ),
            SurveyResponse(survey_id="sv-1", certificate_no="c-1", submitted_at=at(1), answers=[]),
            SurveyResponse(
                survey_id="sv-2",
                certificate_no="c-1",
                submitted_at=at(2),
                answers=[Answer(question_id="q1", text="多安排案例教学𠀀")],
            ),
        ],
        "tasks": lambda: [
            Task(
                id="t-2",
                programme_id="p-1",
                number=2,
                title="落实培训经费",
                kind="budget",
                official_id="o-1",
                due="2022-08-20",
                amount=300000,
                state="done",
                depends_on=["t-1"],
                created_in="m-1",
                note="列入年度预算",
                changes=[
                    TaskChange(
                        at=beijing, by="o-1", action="create", to_state="todo", meeting_id="m-1"
                    ),
                    TaskChange(
                        at=at(9),
                        by="o-1",
                        action="done",
                        from_state="todo",
                        to_state="done",
                        reason="已批复",
                    ),
                ],
            ),
            Task(
                id="t-1",
                programme_id="p-1",
                number=1,
                title="起草工作方案",
                owner="联工委",
                due="2022-08-01",
            ),
            Task(
                id="t-3",
                programme_id="p-2",
                number=1,
                title="联系授课教师",
                kind="lecturer",
                owner="研究室",
                due="2022-08-25",
                state="cancelled",
            ),
        ],
        "meetings": lambda: [
            Meeting(
                id="m-2",
                programme_id="p-1",
                number=2,
                held_on="2022-08-10",
                topic="场地",
                chaired_by="分管副主任",
                attendees=["联工委", "办公室"],
                decisions=[
                    Decision(text="确定报告厅", action="update", task_id="t-2"),
                    Decision(text="加强保障"),
                ],
            ),
            Meeting(
                id="m-1",
                programme_id="p-1",
                number=1,
                held_on="2022-08-01",
                topic="经费",
                decisions=[Decision(text="落实经费", action="create", task_id="t-2")],
            ),
            Meeting(id="m-3", programme_id="p-2", number=1, held_on="2022-09-01", topic="课程"),
        ],
    }
