"""``office.tasks``: the work plan — one owner per task, dependencies, states, coordination
meetings that create and change tasks, overdue and per-owner views, and the task
breakdown (任务分解表) exported and read back — on memory and SQLite storage."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pendulum
import pytest

import lvzhi
from lvzhi.clock import FixedClock
from lvzhi.domain.tasks import TaskState
from lvzhi.errors import NotFound, TransitionError, ValidationError
from lvzhi.reports.tasks import TASK_HEADERS
from lvzhi.samples.load import load_course
from lvzhi.testing.contracts.exporter import read_workbook


@pytest.fixture(params=["memory", "sqlite"])
def office(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[lvzhi.Secretariat]:
    url = "memory://" if request.param == "memory" else f"sqlite:///{tmp_path / 'tasks.db'}"
    clock = FixedClock(pendulum.datetime(2022, 8, 10, 9, tz="Asia/Shanghai"))
    with lvzhi.open(url, clock=clock, load_entrypoints=False) as sec:
        load_course(sec, schedule=False)
        yield sec


def test_tasks_have_one_owner_and_a_number(office: lvzhi.Secretariat) -> None:
    first = office.tasks.add("制定工作方案", due="2022-07-08", official_id="organiser-01")
    second = office.tasks.add("落实经费", due="2022-07-20", owner="市人大常委会办公室",
                              kind="budget", amount=380000, depends_on=[1])  # fmt: skip
    assert (first.number, second.number) == (1, 2)
    assert first.id == "hy16-2022-t001" and second.depends_on == (first.id,)
    with pytest.raises(ValidationError, match="exactly one owner"):
        office.tasks.add("两个责任人", due="2022-07-20", official_id="organiser-01", owner="办公室")
    with pytest.raises(ValidationError, match="exactly one owner"):
        office.tasks.add("没有责任人", due="2022-07-20")
    with pytest.raises(NotFound, match="nobody"):
        office.tasks.add("查无此人", due="2022-07-20", official_id="nobody")
    with pytest.raises(NotFound, match="hy16-2022/9"):
        office.tasks.add("依赖不存在", due="2022-07-20", owner="办公室", depends_on=[9])
    with pytest.raises(ValidationError, match="must be a date"):
        office.tasks.add("日期不对", due="2022-13-01", owner="办公室")
    assert len(office.tasks.list()) == 2


def test_states_and_dependencies(office: lvzhi.Secretariat) -> None:
    office.tasks.add("编写读本", due="2022-08-15", owner="研究室")
    office.tasks.add("印制读本", due="2022-08-30", owner="办公室", depends_on=[1])
    office.tasks.add("准备资料袋", due="2022-09-02", owner="办公室", depends_on=[2])
    with pytest.raises(ValidationError, match="task 2 cannot be done before 1 编写读本"):
        office.tasks.done(2)
    office.tasks.start(1, by="研究室")
    with pytest.raises(TransitionError, match="'doing' cannot go to 'doing' \\(start\\)"):
        office.tasks.start(1)
    office.tasks.done(1, reason="已定稿")
    assert office.tasks.done("2").state is TaskState.DONE
    with pytest.raises(ValidationError, match="circle: 1 编写读本 → 3 准备资料袋 → 2 印制读本"):
        office.tasks.depend(1, [3])
    assert office.tasks.get(1).depends_on == ()  # refused: nothing stored
    office.tasks.cancel(3, reason="并入读本印制")
    assert office.tasks.reopen(3).state is TaskState.PLANNED
    trail = [(c.action, c.from_state, c.to_state) for c in office.tasks.get(1).changes]
    assert trail == [
        ("create", None, TaskState.PLANNED),
        ("start", TaskState.PLANNED, TaskState.DOING),
        ("done", TaskState.DOING, TaskState.DONE),
    ]


def test_meetings_create_and_change_tasks_traceably(office: lvzhi.Secretariat) -> None:
    office.tasks.add("确定培训场地", due="2022-07-25", owner="办公室")
    meeting = office.tasks.hold_meeting(
        "2022-07-22", "经费和场地", chaired_by="分管副主任", attendees=["联工委", "办公室"],
        decisions=[
            "各责任人按时限完成",
            {"text": "落实经费", "create": {"title": "落实培训经费", "kind": "budget",
             "amount": 380000, "official_id": "organiser-02", "due": "2022-07-30"}},
            {"text": "场地延期", "task": 1, "update": {"due": "2022-08-01"}, "action": "start"},
            {"text": "印制读本", "create": {"title": "印制读本", "owner": "办公室",
             "due": "2022-08-20", "depends_on": [2]}},
        ],
    )  # fmt: skip
    assert meeting.id == "hy16-2022-m01" and meeting.number == 1
    assert [(d.action, d.task_id) for d in meeting.decisions] == [
        ("note", None),
        ("create", "hy16-2022-t002"),
        ("update", "hy16-2022-t001"),
        ("create", "hy16-2022-t003"),
    ]
    venue, fund, book = office.tasks.list()
    assert fund.created_in == meeting.id and fund.amount == 380000
    assert book.depends_on == (fund.id,)
    assert venue.state is TaskState.DOING and str(venue.due) == "2022-08-01"
    assert venue.meetings == (meeting.id,)
    assert venue.changes[1].reason == "场地延期（due: 2022-07-25 → 2022-08-01）"
    with pytest.raises(ValidationError, match="decision 1: give text and either create or task"):
        office.tasks.hold_meeting("2022-07-29", "x", decisions=[{"text": "x", "create": {},
                                                                "task": 1}])  # fmt: skip
    with pytest.raises(TransitionError):  # a decision the machine refuses: nothing is stored
        office.tasks.hold_meeting("2022-07-29", "第二次", decisions=[
            {"text": "新任务", "create": {"title": "新", "owner": "办公室", "due": "2022-08-01"}},
            {"text": "再启动", "task": 1, "action": "start"},
        ])  # fmt: skip
    assert len(office.tasks.meetings()) == 1 and len(office.tasks.list()) == 3
    assert office.tasks.budget() == 380000


def test_overdue_and_per_owner_views(office: lvzhi.Secretariat) -> None:
    office.tasks.add("发预告通知", due="2022-08-01", official_id="organiser-01")
    office.tasks.add("汇总名册", due="2022-08-05", official_id="organiser-01")
    office.tasks.add("检查场地", due="2022-08-20", owner="办公室")
    office.tasks.done(2)
    late = office.tasks.overdue()  # the clock: 2022-08-10
    assert [t.number for t in late] == [1]
    assert [t.number for t in office.tasks.overdue(pendulum.Date(2022, 8, 21))] == [1, 3]
    groups = office.tasks.by_owner()
    owner = next(o for o in office.people.officials() if o.id == "organiser-01").name
    assert list(groups) == [owner, "办公室"] and len(groups[owner]) == 2
    assert [t.number for t in office.tasks.list(owner="organiser-01")] == [1, 2]
    assert [t.number for t in office.tasks.list(owner=owner, state="待办")] == [1]


def test_the_task_breakdown_exports_with_exactly_its_columns(office: lvzhi.Secretariat) -> None:
    office.tasks.add("制定工作方案", due="2022-07-08", official_id="organiser-01")
    office.tasks.add("落实经费", due="2022-07-20", owner="办公室", kind="budget", amount=9000)
    office.tasks.hold_meeting("2022-07-12", "经费", decisions=[{"text": "经费到位", "task": 2,
                              "action": "done"}])  # fmt: skip
    owner = next(o for o in office.people.officials() if o.id == "organiser-01").name
    expected = [
        list(TASK_HEADERS),
        [1, "制定工作方案", owner, "2022-07-08", "待办"],
        [2, "经费：落实经费（9000元）", "办公室", "2022-07-20", "已完成"],
    ]
    text = office.export("tasks", "csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["序号", "任务", "责任人", "完成时限", "状态"]
    assert rows == [[str(c) for c in r] for r in expected]
    for fmt in ("xlsx", "ods"):
        ((title, sheet),) = read_workbook(fmt, office.export("tasks", fmt))
        assert title == "任务分解表" and sheet == expected
    only = office.export("tasks", "csv", options={"kind": "budget"}).decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(only)))) == 2
    ((_t, meetings),) = read_workbook("xlsx", office.export("meetings", "xlsx"))
    assert meetings[1][:3] == ["第1次调度会议", "2022-07-12", "经费"]
    assert meetings[1][5] == "1. 经费到位（调整任务2）"
