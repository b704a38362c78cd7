"""The work plan (工作方案) of a course: its task breakdown (任务分解表) and the
coordination meetings (调度会议) that settled it.

Every :class:`Task` has exactly one owner — an official (``official_id``) or a named person
or unit (``owner``) — a due date, a number within the course (序号) and a state::

    todo ─(start)→ doing ─(done)→ done
      │              │
      └──(cancel)────┴──→ cancelled        done/cancelled ─(reopen)→ doing/todo

A task may depend on others of the same course: it cannot be done before they are (a
cancelled dependency no longer holds it back), and a cycle of dependencies is refused,
naming the tasks on it.  Budget lines, the venue, lecturers and materials are tasks of their
own ``kind``; a budget line has an ``amount`` in yuan.

A :class:`Meeting` records its date, topic, chair, attendees and decisions; a decision that
creates or changes a task names it, and the task's trail names the meeting.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

import attrs
import pendulum

from lvzhi.domain import _fields as f
from lvzhi.domain.events import Event
from lvzhi.errors import TransitionError, ValidationError
from lvzhi.i18n import _

__all__ = [
    "TASK_KIND_LABELS",
    "TASK_STATE_LABELS",
    "Decision",
    "Meeting",
    "Task",
    "TaskChange",
    "TaskKind",
    "TaskMoved",
    "TaskState",
    "find_cycle",
]


class TaskState(enum.StrEnum):
    PLANNED = "todo"  # 待办
    DOING = "doing"  # 进行中
    DONE = "done"  # 已完成
    CANCELLED = "cancelled"  # 已取消

    @classmethod
    def aliases(cls) -> dict[str, TaskState]:
        return {
            "待办": cls.PLANNED,
            "进行中": cls.DOING,
            "已完成": cls.DONE,
            "已取消": cls.CANCELLED,
        }

    @property
    def open(self) -> bool:
        return self in (TaskState.PLANNED, TaskState.DOING)


TASK_STATE_LABELS: dict[str, str] = {
    "todo": "待办",
    "doing": "进行中",
    "done": "已完成",
    "cancelled": "已取消",
}


class TaskKind(enum.StrEnum):
    TASK = "task"  # 一般任务
    BUDGET = "budget"  # 培训经费
    VENUE = "venue"  # 培训场地
    COURSE = "course"  # 培训课程
    LECTURER = "lecturer"  # 授课教师
    MATERIAL = "material"  # 培训资料

    @classmethod
    def aliases(cls) -> dict[str, TaskKind]:
        return {v: cls(k) for k, v in TASK_KIND_LABELS.items()}


TASK_KIND_LABELS: dict[str, str] = {
    "task": "任务",
    "budget": "经费",
    "venue": "场地",
    "course": "课程",
    "lecturer": "师资",
    "material": "资料",
}

_T = TaskState
#: action → {from state: to state}; what is not listed is refused.
MOVES: dict[str, dict[TaskState, TaskState]] = {
    "start": {_T.PLANNED: _T.DOING},
    "done": {_T.PLANNED: _T.DONE, _T.DOING: _T.DONE},
    "cancel": {_T.PLANNED: _T.CANCELLED, _T.DOING: _T.CANCELLED},
    "reopen": {_T.DONE: _T.DOING, _T.CANCELLED: _T.PLANNED},
}
_TARGETS = {"start": _T.DOING, "done": _T.DONE, "cancel": _T.CANCELLED, "reopen": _T.PLANNED}


def _optional_state(value: Any) -> Any:
    return None if value is None else f.to_enum(TaskState, value)


def _to_state(value: Any) -> Any:
    return f.to_enum(TaskState, value)


def _to_kind(value: Any) -> Any:
    return f.to_enum(TaskKind, value)


@attrs.frozen(kw_only=True)
class TaskChange:
    """One change of a task: created, moved (``from_state`` → ``to_state``) or updated
    (same state; ``reason`` says what changed), when, by whom and, when a coordination
    meeting decided it, which meeting."""

    at: pendulum.DateTime = attrs.field(converter=f.utc, validator=f.aware)
    by: str = attrs.field(default="", converter=f.clean_text, validator=f.text)
    action: str = attrs.field(validator=f.non_empty)
    from_state: TaskState | None = attrs.field(default=None, converter=_optional_state)
    to_state: TaskState = attrs.field(converter=_to_state, validator=f.enum_member(TaskState))
    reason: str = attrs.field(default="", converter=f.clean_text, validator=f.text)
    meeting_id: str | None = attrs.field(default=None, validator=f.optional_identifier)


def _changes(value: Iterable[TaskChange]) -> tuple[TaskChange, ...]:
    return tuple(value)


def _optional_amount(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None:
        f.non_negative_int(instance, attribute, value)


@attrs.frozen(kw_only=True)
class TaskMoved(Event):
    """A task was created, changed or moved (``state`` is its state now)."""

    name: ClassVar[str] = "task.changed"
    task_id: str
    action: str
    state: str
    meeting_id: str | None = None


@attrs.frozen(kw_only=True)
class Task:
    """One row of the task breakdown (任务分解表)."""

    id: str = attrs.field(validator=f.identifier)
    programme_id: str = attrs.field(validator=f.identifier)
    number: int = attrs.field(validator=f.positive_int)
    title: str = attrs.field(converter=f.clean_text, validator=f.non_empty)
    kind: TaskKind = attrs.field(
        default=TaskKind.TASK,
        converter=_to_kind,
        validator=f.enum_member(TaskKind),
    )
    official_id: str | None = attrs.field(default=None, validator=f.optional_identifier)
    owner: str = attrs.field(default="", converter=f.clean_text, validator=f.text)
    due: pendulum.Date = attrs.field(converter=f.date, validator=f.is_date)
    amount: int | None = attrs.field(default=None, validator=_optional_amount)
    state: TaskState = attrs.field(
        default=TaskState.PLANNED,
        converter=_to_state,
        validator=f.enum_member(TaskState),
    )
    depends_on: tuple[str, ...] = attrs.field(
        default=(), converter=f.str_tuple, validator=f.identifiers
    )
    created_in: str | None = attrs.field(default=None, validator=f.optional_identifier)
    note: str = attrs.field(default="", converter=f.clean_text, validator=f.text)
    changes: tuple[TaskChange, ...] = attrs.field(default=(), converter=_changes)

    def __attrs_post_init__(self) -> None:
        if (self.official_id is None) == (not self.owner):
            raise ValidationError(
                "Task.owner",
                {"official_id": self.official_id, "owner": self.owner},
                _(
                    "task {number} needs exactly one owner: an official or a named person or unit"
                ).format(number=self.number),
            )
        if self.amount is not None and self.kind is not TaskKind.BUDGET:
            raise ValidationError("Task.amount", self.amount, _("only a budget line has an amount"))
        if self.id in self.depends_on:
            raise ValidationError("Task.depends_on", self.id, _("a task cannot depend on itself"))

    @property
    def key(self) -> str:
        return self.id

    @property
    def meetings(self) -> tuple[str, ...]:
        """The meetings that created or changed the task, in order."""
        return tuple(dict.fromkeys(c.meeting_id for c in self.changes if c.meeting_id))

    def owner_label(self, officials: Mapping[str, str] | None = None) -> str:
        """Who answers for the task: the official's name (from ``officials``: id → name),
        else the named person or unit."""
        if self.official_id is None:
            return self.owner
        return (officials or {}).get(self.official_id, self.official_id)

    def overdue(self, today: pendulum.Date) -> bool:
        """Open (not done nor cancelled) with its due date before ``today``."""
        return self.state.open and self.due < today

    def created(self, *, at: pendulum.DateTime, by: str = "", reason: str = "") -> Task:
        step = TaskChange(
            at=at, by=by, action="create", to_state=self.state, reason=reason,
            meeting_id=self.created_in,
        )  # fmt: skip
        return attrs.evolve(self, changes=(step, *self.changes))

    def move(
        self,
        action: str,
        *,
        at: pendulum.DateTime,
        by: str = "",
        reason: str = "",
        meeting_id: str | None = None,
        blocking: Iterable[Task] = (),
    ) -> tuple[Task, list[Event]]:
        """``start``, ``done``, ``cancel`` or ``reopen``.  ``blocking`` are the task's
        dependencies that are still open: ``done`` is refused while there are any."""
        if action not in MOVES:
            raise ValidationError(
                "action", action, _("must be one of {actions}").format(actions=", ".join(MOVES))
            )
        to = MOVES[action].get(self.state)
        if to is None:
            raise TransitionError("Task", self.state.value, action, _TARGETS[action].value)
        waiting = [t for t in blocking if t.state.open]
        if to is TaskState.DONE and waiting:
            listed = "、".join(f"{t.number} {t.title}" for t in waiting)
            raise ValidationError(
                "Task.depends_on",
                [t.id for t in waiting],
                _("task {number} cannot be done before {tasks}").format(
                    number=self.number, tasks=listed
                ),
            )
        step = TaskChange(
            at=at, by=by, action=action, from_state=self.state, to_state=to,
            reason=reason, meeting_id=meeting_id,
        )  # fmt: skip
        new = attrs.evolve(self, state=to, changes=(*self.changes, step))
        return new, [self.event_for(new, action, at, meeting_id)]

    def update(
        self,
        *,
        at: pendulum.DateTime,
        by: str = "",
        reason: str = "",
        meeting_id: str | None = None,
        **changes: Any,
    ) -> tuple[Task, list[Event]]:
        """The task with ``changes`` (title, owner, official_id, due, amount, note,
        depends_on, kind); the change is kept on the trail with what changed."""
        allowed = {"title", "owner", "official_id", "due", "amount", "note", "depends_on", "kind"}
        unknown = sorted(set(changes) - allowed)
        if unknown:
            raise ValidationError(
                "Task", unknown, _("cannot be changed; change {fields}").format(
                    fields=", ".join(sorted(allowed))
                )
            )  # fmt: skip
        new = attrs.evolve(self, **changes)
        what = ", ".join(
            f"{k}: {_plain(getattr(self, k))} → {_plain(getattr(new, k))}"
            for k in sorted(changes)
            if getattr(self, k) != getattr(new, k)
        )
        text = f"{reason}（{what}）" if reason and what else reason or what
        step = TaskChange(
            at=at, by=by, action="update", from_state=self.state, to_state=self.state,
            reason=text, meeting_id=meeting_id,
        )  # fmt: skip
        new = attrs.evolve(new, changes=(*self.changes, step))
        return new, [self.event_for(new, "update", at, meeting_id)]

    @staticmethod
    def event_for(task: Task, action: str, at: pendulum.DateTime, meeting: str | None) -> Event:
        """The ``task.changed`` event of ``task`` after ``action``."""
        return TaskMoved(
            occurred_at=at,
            task_id=task.id,
            action=action,
            state=task.state.value,
            meeting_id=meeting,
        )


def _plain(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, tuple):
        return ",".join(str(v) for v in value) or "—"
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, pendulum.Date):
        return value.isoformat()
    return str(value)


def find_cycle(depends_on: Mapping[str, Iterable[str]]) -> list[str] | None:
    """A cycle in the graph task → the tasks it depends on, as the list of tasks on it with
    the first repeated at the end (``[a, b, a]``), or ``None``."""
    state: dict[str, int] = {}  # 1: on the path, 2: finished
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in depends_on.get(node, ()):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(depends_on):
        if start not in state:
            found = visit(start)
            if found:
                return found
    return None


@attrs.frozen(kw_only=True)
class Decision:
    """One decision of a meeting; ``task_id`` is the task it created (``action`` =
    ``create``) or changed (``update``), none for a plain decision (``note``)."""

    text: str = attrs.field(converter=f.clean_text, validator=f.non_empty)
    action: str = attrs.field(default="note")
    task_id: str | None = attrs.field(default=None, validator=f.optional_identifier)

    @action.validator
    def _action(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value not in ("create", "update", "note"):
            f.fail(self, attribute, value, _("must be one of create, update, note"))
        if (value == "note") != (self.task_id is None):
            f.fail(self, attribute, value, _("names a task exactly when it creates or updates one"))


def _decisions(value: Iterable[Decision]) -> tuple[Decision, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class Meeting:
    """A coordination meeting (调度会议, 协调会) of a course, numbered within it."""

    id: str = attrs.field(validator=f.identifier)
    programme_id: str = attrs.field(validator=f.identifier)
    number: int = attrs.field(validator=f.positive_int)
    held_on: pendulum.Date = attrs.field(converter=f.date, validator=f.is_date)
    topic: str = attrs.field(converter=f.clean_text, validator=f.non_empty)
    chaired_by: str = attrs.field(default="", converter=f.clean_text, validator=f.text)
    attendees: tuple[str, ...] = attrs.field(default=(), converter=f.str_tuple)
    decisions: tuple[Decision, ...] = attrs.field(default=(), converter=_decisions)

    @attendees.validator
    def _attendees(self, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
        for who in value:
            if not isinstance(who, str) or not who.strip():
                f.fail(self, attribute, value, _("must be non-empty text"))

    @property
    def key(self) -> str:
        return self.id

    @property
    def label(self) -> str:
        return f"第{self.number}次调度会议"
