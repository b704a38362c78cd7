"""A training plan as a workbook (``training-plan``): its planned courses, its approval
trail and, when it rests on a needs survey, the topics ranked by demand."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import tablib

from lvzhi.domain.plans import PLAN_STATE_LABELS, TrainingPlan
from lvzhi.domain.surveys import TopicDemand, rank_topics
from lvzhi.errors import NotFound, ValidationError
from lvzhi.i18n import _

if TYPE_CHECKING:
    from lvzhi.ports import ReportContext

__all__ = [
    "PLAN_ITEM_HEADERS",
    "RANKING_HEADERS",
    "TRAIL_HEADERS",
    "TrainingPlanReport",
    "choose_plan",
    "plan_book",
]

PLAN_ITEM_HEADERS = (
    "序号",
    "培训项目",
    "培训对象",
    "培训内容",
    "时间",
    "地点",
    "名额",
    "经费（元）",
    "需求依据",
    "培训班",
)
TRAIL_HEADERS = ("步骤", "时间", "经办", "原状态", "新状态", "意见")
RANKING_HEADERS = ("排名", "培训内容", "选择人数", "占比")

_ACTIONS = {
    "draft": "起草",
    "submit": "报审",
    "review": "审定",
    "approve": "批准",
    "return": "退回修改",
}


def plan_book(
    plan: TrainingPlan,
    ranking: Sequence[TopicDemand] = (),
    *,
    timezone: str = "Asia/Shanghai",
) -> tablib.Databook:
    """The plan's items (with a 合计 row for places and budget), its approval trail (times
    local to ``timezone``) and, if given, the survey's ranking."""
    items = tablib.Dataset(headers=list(PLAN_ITEM_HEADERS), title=plan.title)
    for item in plan.items:
        items.append(
            [
                item.no,
                item.title,
                item.audience_label,
                "、".join(item.topics),
                item.dates,
                item.place,
                item.places,
                item.budget,
                "；".join(c.label() for c in item.cites),
                item.programme_id or "",
            ]
        )
    items.append(
        ["合计", "", "", "", "", "", sum(i.places for i in plan.items), plan.budget, "", ""]
    )
    trail = tablib.Dataset(headers=list(TRAIL_HEADERS), title="审批流程")
    for step in plan.transitions:
        trail.append(
            [
                _ACTIONS.get(step.action, step.action),
                step.at.in_timezone(timezone).format("YYYY-MM-DD HH:mm"),
                step.by,
                PLAN_STATE_LABELS[step.from_state.value] if step.from_state else "",
                PLAN_STATE_LABELS[step.to_state.value],
                step.remark,
            ]
        )
    sheets = [items, trail]
    if ranking:
        demand = tablib.Dataset(headers=list(RANKING_HEADERS), title="培训需求排名")
        for row in ranking:
            demand.append([row.rank, row.topic, row.count, f"{row.share:.1%}"])
        sheets.append(demand)
    return tablib.Databook(sheets)


def choose_plan(
    plans: Iterable[TrainingPlan], plan_id: str | None, programme_id: str | None
) -> TrainingPlan:
    """The plan named ``plan_id``; else the plan an item of which became ``programme_id``;
    else the latest yearly plan (then the latest plan)."""
    found = list(plans)
    if plan_id:
        for plan in found:
            if plan.id == plan_id:
                return plan
        raise NotFound("TrainingPlan", plan_id)
    for plan in found:
        if programme_id and any(i.programme_id == programme_id for i in plan.items):
            return plan
    if not found:
        raise ValidationError("plan", None, _("no training plan is stored"))
    return max(found, key=lambda p: (p.kind.value == "year", p.start_year, p.id))


class TrainingPlanReport:
    """培训计划: a plan's courses, approval trail and needs ranking.  Option ``plan`` (an
    id; default: the plan the programme came from, else the latest yearly plan)."""

    name = "training-plan"
    title = "培训计划"
    needs_programme = False

    def build(self, context: ReportContext) -> tablib.Databook:
        uow = context.uow
        programme_id = context.programme.id if context.programme is not None else None
        option = context.options.get("plan")
        plan = choose_plan(uow.training_plans.list(), str(option) if option else None, programme_id)
        ranking: list[TopicDemand] = []
        if plan.survey_id is not None:
            survey = uow.surveys.get(plan.survey_id)
            ranking = rank_topics(survey, uow.survey_responses.select(survey_id=survey.id))
        return plan_book(plan, ranking, timezone=context.timezone)

    def __repr__(self) -> str:
        return f"<report {self.name} {self.title}>"
