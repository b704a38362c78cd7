"""Training plans, the needs survey and the work plan as plain values: validation, the
state machines, the ranking of topics and cycles of dependencies."""

from __future__ import annotations

import pendulum
import pytest

from lvzhi.domain.plans import PlanItem, PlanState, TrainingPlan
from lvzhi.domain.surveys import Answer, Question, Survey, SurveyResponse, rank_topics
from lvzhi.domain.tasks import Decision, Meeting, Task, TaskState, find_cycle
from lvzhi.errors import TransitionError, ValidationError

T = pendulum.datetime(2022, 4, 1, 9, tz="Asia/Shanghai")


def plan(**kw: object) -> TrainingPlan:
    fields: dict[str, object] = {
        "id": "year-2022",
        "kind": "year",
        "title": "2022年度培训计划",
        "term": "第十六届",
        "start_year": 2022,
        "end_year": 2022,
        "created_at": T,
    }
    fields.update(kw)
    return TrainingPlan(**fields)  # type: ignore[arg-type]


def item(no: int = 1, **kw: object) -> PlanItem:
    return PlanItem(no=no, title=f"培训班{no}", **kw)  # type: ignore[arg-type]


def test_the_approval_trail_goes_up_and_back() -> None:
    p = plan().drafted(by="联工委").with_item(item(starts_on="2022-09-06", ends_on="2022-09-08"))
    p, events = p.move("submit", at=T, by="联工委", remark="提请审定")
    assert p.state is PlanState.SUBMITTED and events[0].name == "plan.moved"
    p, _ = p.move("return", at=T.add(days=1), by="主任会议", remark="名额调整为346人")
    assert p.state is PlanState.DRAFTED
    p = p.with_item(item(places=346))  # drafted again: may be changed
    for action, by in (("submit", "联工委"), ("review", "市委主要领导"), ("approve", "市委常委会")):
        p, _ = p.move(action, at=T.add(days=2), by=by)
    assert p.state is PlanState.APPROVED
    trail = [(s.action, s.from_state, s.to_state, s.by) for s in p.transitions]
    assert trail[0] == ("draft", None, PlanState.DRAFTED, "联工委")
    assert trail[2] == ("return", PlanState.SUBMITTED, PlanState.DRAFTED, "主任会议")
    assert trail[-1] == ("approve", PlanState.REVIEWED, PlanState.APPROVED, "市委常委会")
    assert p.transitions[2].remark == "名额调整为346人"


def test_illegal_moves_name_both_states() -> None:
    p = plan().with_item(item())
    with pytest.raises(TransitionError, match="'drafted' cannot go to 'approved'") as info:
        p.move("approve", at=T, by="市委常委会")
    assert (info.value.current, info.value.target) == ("drafted", "approved")
    approved = p
    for action in ("submit", "review", "approve"):
        approved, _ = approved.move(action, at=T, by="x")
    with pytest.raises(TransitionError, match="'approved' cannot go to 'drafted'"):
        approved.move("return", at=T, by="x", remark="why")
    with pytest.raises(ValidationError, match="only while drafted"):
        approved.with_item(item(2))
    with pytest.raises(ValidationError, match="say why"):
        p.move("submit", at=T, by="x")[0].move("return", at=T, by="y")
    with pytest.raises(ValidationError, match="lists no course"):
        plan().move("submit", at=T, by="x")


def test_plan_and_item_validation() -> None:
    with pytest.raises(ValidationError, match="a yearly plan covers one year"):
        plan(end_year=2023)
    with pytest.raises(ValidationError, match="PlanItem.level"):
        item(audience="level")
    assert item(audience="分级", level="县级人大代表").audience_label == "县级人大代表"
    with pytest.raises(ValidationError, match="outside the plan's years 2022-2022"):
        plan(items=[item(starts_on="2023-03-01")])
    with pytest.raises(ValidationError, match="item numbers must be unique"):
        plan(items=[item(1), item(1)])
    with pytest.raises(ValidationError, match="has no such item; its items are 1"):
        plan(items=[item(1)]).item(7)
    with pytest.raises(ValidationError, match="approved plan"):
        plan(items=[item(1)]).link(1, "p-1")


SURVEY = Survey(
    id="need",
    title="需求调研",
    questions=[
        Question(id="q1", text="内容", kind="multiple", options=["甲", "乙", "丙", "丁"],
                 topic=True, max_choices=2),
        Question(id="q2", text="方式", options=["集中", "网上"]),
        Question(id="q3", text="意见", kind="text"),
    ],
)  # fmt: skip


def response(cert: str, *choices: str) -> SurveyResponse:
    return SurveyResponse(
        survey_id="need",
        certificate_no=cert,
        answers=[Answer(question_id="q1", choices=choices)],
        submitted_at=T,
    )


def test_answers_are_checked_against_their_question() -> None:
    SURVEY.check(Answer(question_id="q1", choices=["甲", "乙"]))
    with pytest.raises(ValidationError, match="at most 2 options"):
        SURVEY.check(Answer(question_id="q1", choices=["甲", "乙", "丙"]))
    with pytest.raises(ValidationError, match="is not an option; the options are 甲、乙、丙、丁"):
        SURVEY.check(Answer(question_id="q1", choices=["戊"]))
    with pytest.raises(ValidationError, match="single-choice question takes one option"):
        SURVEY.check(Answer(question_id="q2", choices=["集中", "网上"]))
    with pytest.raises(ValidationError, match="text question takes no choice"):
        SURVEY.check(Answer(question_id="q3", choices=["集中"]))
    with pytest.raises(ValidationError, match="no such question; its questions are q1, q2, q3"):
        SURVEY.check(Answer(question_id="q9", text="x"))
    with pytest.raises(ValidationError, match="two options or more"):
        Question(id="q", text="只有一个", options=["甲"])


def test_topics_are_ranked_by_demand_with_shared_ranks() -> None:
    responses = [
        response("c1", "乙", "甲"),
        response("c2", "乙"),
        response("c3", "丙", "甲"),
        response("c4", "乙", "丙"),
        SurveyResponse(survey_id="other", certificate_no="c5", answers=[], submitted_at=T),
    ]
    ranked = [(d.topic, d.count, d.rank) for d in rank_topics(SURVEY, responses)]
    assert ranked == [("乙", 3, 1), ("甲", 2, 2), ("丙", 2, 2), ("丁", 0, 4)]
    assert rank_topics(SURVEY, responses)[0].share == 0.75


def task(number: int, **kw: object) -> Task:
    fields: dict[str, object] = {
        "id": f"t{number}",
        "programme_id": "p",
        "number": number,
        "title": f"任务{number}",
        "due": "2022-08-01",
        "owner": "联工委",
    }
    fields.update(kw)
    return Task(**fields)  # type: ignore[arg-type]


def test_a_task_has_exactly_one_owner() -> None:
    with pytest.raises(ValidationError, match="exactly one owner"):
        task(1, owner="")
    with pytest.raises(ValidationError, match="exactly one owner"):
        task(1, official_id="o-1")
    assert task(1, owner="", official_id="o-1").owner_label({"o-1": "王某"}) == "王某"
    with pytest.raises(ValidationError, match="only a budget line has an amount"):
        task(1, amount=100)
    assert task(1, kind="经费", amount=100).amount == 100


def test_task_moves_and_dependencies() -> None:
    first, second = task(1), task(2, depends_on=["t1"])
    with pytest.raises(ValidationError, match="task 2 cannot be done before 1 任务1"):
        second.move("done", at=T, blocking=[first])
    started, _ = second.move("start", at=T)
    assert started.state is TaskState.DOING
    cancelled, _ = first.move("cancel", at=T)
    done, events = started.move("done", at=T, blocking=[cancelled], meeting_id="m1")
    assert done.state is TaskState.DONE and events[0].name == "task.changed"
    assert done.meetings == ("m1",)
    with pytest.raises(TransitionError, match="'done' cannot go to 'doing' \\(start\\)"):
        done.move("start", at=T)
    reopened, _ = done.move("reopen", at=T)
    assert reopened.state is TaskState.DOING
    assert task(1, due="2022-08-01").overdue(pendulum.Date(2022, 8, 2))
    assert not done.overdue(pendulum.Date(2030, 1, 1))
    changed, _ = task(1).update(at=T, reason="调度会议", meeting_id="m2", due="2022-08-05")
    assert changed.changes[-1].reason == "调度会议（due: 2022-08-01 → 2022-08-05）"


def test_cycles_are_found_with_their_tasks() -> None:
    assert find_cycle({"a": ["b"], "b": ["c"], "c": []}) is None
    assert find_cycle({"a": ["b"], "b": ["c"], "c": ["a"]}) == ["a", "b", "c", "a"]
    assert find_cycle({"x": [], "a": ["b"], "b": ["b"]}) == ["b", "b"]


def test_a_decision_names_its_task_exactly_when_it_acts() -> None:
    with pytest.raises(ValidationError, match="exactly when"):
        Decision(text="新增", action="create")
    with pytest.raises(ValidationError, match="exactly when"):
        Decision(text="说明", task_id="t1")
    meeting = Meeting(
        id="m1", programme_id="p", number=3, held_on="2022-08-01", topic="经费",
        decisions=[Decision(text="新增", action="create", task_id="t1")],
    )  # fmt: skip
    assert meeting.label == "第3次调度会议"
