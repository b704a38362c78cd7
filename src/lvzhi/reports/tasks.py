"""The task breakdown (任务分解表) and the record of coordination meetings (调度会议).

:func:`task_table` has exactly the five columns of the form — 序号, 任务, 责任人, 完成时限,
状态 — one row per task by number.  :class:`TasksReport` (``tasks``) and
:class:`MeetingsReport` (``meetings``) are the registered reports built from them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import tablib

from lvzhi.domain import Official
from lvzhi.domain.tasks import TASK_KIND_LABELS, TASK_STATE_LABELS, Meeting, Task, TaskKind
from lvzhi.errors import ValidationError
from lvzhi.i18n import _

if TYPE_CHECKING:
    from lvzhi.ports import ReportContext

__all__ = [
    "MEETING_HEADERS",
    "TASK_HEADERS",
    "MeetingsReport",
    "TasksReport",
    "meeting_table",
    "task_table",
]

#: The columns of the 任务分解表, exactly.
TASK_HEADERS = ("序号", "任务", "责任人", "完成时限", "状态")

MEETING_HEADERS = ("次序", "日期", "议题", "主持", "参会单位和人员", "议定事项")


def _names(officials: Iterable[Official]) -> dict[str, str]:
    return {o.id: o.name for o in officials}


def task_label(task: Task) -> str:
    """The task as the form shows it: its title, with the kind and amount of a budget,
    venue, lecturer… line (经费：培训经费（300000元）)."""
    if task.kind is TaskKind.TASK:
        return task.title
    amount = f"（{task.amount}元）" if task.amount is not None else ""
    return f"{TASK_KIND_LABELS[task.kind.value]}：{task.title}{amount}"


def task_table(
    tasks: Iterable[Task],
    officials: Iterable[Official] = (),
    *,
    title: str = "任务分解表",
) -> tablib.Dataset:
    """任务分解表: 序号, 任务, 责任人, 完成时限, 状态 — one row per task by number; the
    owner is the official's name (from ``officials``) or the named person or unit."""
    names = _names(officials)
    data = tablib.Dataset(headers=list(TASK_HEADERS), title=title)
    for task in sorted(tasks, key=lambda t: (t.number, t.id)):
        data.append(
            [
                task.number,
                task_label(task),
                task.owner_label(names),
                task.due.isoformat(),
                TASK_STATE_LABELS[task.state.value],
            ]
        )
    return data


def meeting_table(
    meetings: Iterable[Meeting],
    tasks: Iterable[Task] = (),
    *,
    title: str = "调度会议情况表",
) -> tablib.Dataset:
    """One row per coordination meeting by number; each decision on a line of its own,
    naming the task it created or changed by its number (任务3)."""
    numbers: Mapping[str, int] = {t.id: t.number for t in tasks}
    data = tablib.Dataset(headers=list(MEETING_HEADERS), title=title)
    for meeting in sorted(meetings, key=lambda m: (m.number, m.id)):
        lines = []
        for n, decision in enumerate(meeting.decisions, 1):
            ref = ""
            if decision.task_id is not None:
                verb = "新增" if decision.action == "create" else "调整"
                ref = f"（{verb}任务{numbers.get(decision.task_id, decision.task_id)}）"
            lines.append(f"{n}. {decision.text}{ref}")
        data.append(
            [
                meeting.label,
                meeting.held_on.isoformat(),
                meeting.topic,
                meeting.chaired_by,
                "、".join(meeting.attendees),
                "\n".join(lines),
            ]
        )
    return data


def _programme_id(context: ReportContext, name: str, title: str) -> str:
    if context.programme is None:
        reason = _("the {name} report ({title}) needs a programme").format(name=name, title=title)
        raise ValidationError("programme", None, reason)
    return context.programme.id


class TasksReport:
    """任务分解表 of the programme (options ``owner``: an official's id or name or a named
    owner; ``kind``: task, budget, venue, course, lecturer, material)."""

    name = "tasks"
    title = "任务分解表"
    needs_programme = True

    def build(self, context: ReportContext) -> tablib.Dataset:
        pid = _programme_id(context, self.name, self.title)
        officials = context.uow.officials.list()
        tasks = context.uow.tasks.select(programme_id=pid)
        names = _names(officials)
        owner: Any = context.options.get("owner")
        if owner:
            tasks = [t for t in tasks if str(owner) in (t.official_id, t.owner_label(names))]
        kind: Any = context.options.get("kind")
        if kind:
            wanted = TaskKind.aliases().get(str(kind), None) or _kind(str(kind))
            tasks = [t for t in tasks if t.kind is wanted]
        return task_table(tasks, officials, title=self.title)

    def __repr__(self) -> str:
        return f"<report {self.name} {self.title}>"


def _kind(value: str) -> TaskKind:
    try:
        return TaskKind(value)
    except ValueError:
        allowed = ", ".join(k.value for k in TaskKind)
        raise ValidationError(
            "kind", value, _("must be one of {allowed}").format(allowed=allowed)
        ) from None


class MeetingsReport:
    """调度会议情况表 of the programme."""

    name = "meetings"
    title = "调度会议情况表"
    needs_programme = True

    def build(self, context: ReportContext) -> tablib.Dataset:
        pid = _programme_id(context, self.name, self.title)
        return meeting_table(
            context.uow.meetings.select(programme_id=pid),
            context.uow.tasks.select(programme_id=pid),
            title=self.title,
        )

    def __repr__(self) -> str:
        return f"<report {self.name} {self.title}>"
