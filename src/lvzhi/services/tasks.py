"""The work plan of a course: the task breakdown (任务分解表), with one owner per task, due
dates, dependencies and states, and the coordination meetings whose decisions created and
changed the tasks."""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import pendulum

from lvzhi.domain._fields import to_enum
from lvzhi.domain.events import Event
from lvzhi.domain.tasks import Decision, Meeting, Task, TaskKind, TaskState, find_cycle
from lvzhi.errors import NotFound, ValidationError
from lvzhi.i18n import _
from lvzhi.services.context import Service, current_programme

if TYPE_CHECKING:
    from lvzhi.ports import UnitOfWork

__all__ = ["TasksService"]

TaskRef = str | int
E = TypeVar("E")

_TASK_FIELDS = ("title", "kind", "official_id", "owner", "due", "amount", "depends_on", "note")


def _day(value: Any, field: str) -> Any:
    if isinstance(value, str):
        try:
            return pendulum.Date.fromisoformat(value)
        except ValueError:
            raise ValidationError(field, value, _("must be a date (YYYY-MM-DD)")) from None
    return value


def _member(enum_type: type[E], value: Any, field: str) -> E:
    found = to_enum(enum_type, value)
    if not isinstance(found, enum_type):
        allowed = ", ".join(str(m.value) for m in enum_type)  # type: ignore[attr-defined]
        raise ValidationError(field, value, _("must be one of {allowed}").format(allowed=allowed))
    return found


def find_task(tasks: Sequence[Task], ref: TaskRef, programme_id: str) -> Task:
    """A task of the course by id or by number (序号; ``3`` or ``"3"``)."""
    for task in tasks:
        if task.id == ref or (str(task.number) == str(ref).strip()):
            return task
    raise NotFound("Task", f"{programme_id}/{ref}")


class TasksService(Service):
    """``office.tasks``: the task breakdown, its owners, dependencies and states; the
    coordination meetings; overdue and per-owner views."""

    # -- changes -----------------------------------------------------------------------

    def add(
        self,
        title: str,
        *,
        due: pendulum.Date | str,
        official_id: str | None = None,
        owner: str = "",
        programme_id: str | None = None,
        kind: TaskKind | str = TaskKind.TASK,
        amount: int | None = None,
        depends_on: Iterable[TaskRef] = (),
        note: str = "",
        by: str = "",
        at: pendulum.DateTime | None = None,
    ) -> Task:
        """Add a task, numbered next in the course (序号), with exactly one owner: an
        official (``official_id``, who must be among the officials) or a named person or
        unit (``owner``).  Dependencies are tasks of the same course (ids or numbers)."""
        spec = {
            "title": title, "due": due, "official_id": official_id, "owner": owner,
            "kind": kind, "amount": amount, "depends_on": tuple(depends_on), "note": note,
        }  # fmt: skip
        with self._ctx.write() as tx:
            pid = current_programme(tx.uow, programme_id).id
            task, events = self._create(tx.uow, pid, spec, by=by, at=at, meeting_id=None)
            tx.emit(*events)
        return task

    def _create(
        self,
        uow: UnitOfWork,
        pid: str,
        spec: Mapping[str, Any],
        *,
        by: str,
        at: pendulum.DateTime | None,
        meeting_id: str | None,
    ) -> tuple[Task, builtins.list[Event]]:
        unknown = sorted(set(spec) - set(_TASK_FIELDS))
        if unknown:
            reason = _("unknown field(s); a task has {fields}").format(
                fields=", ".join(_TASK_FIELDS)
            )
            raise ValidationError("Task", unknown, reason)
        tasks = uow.tasks.select(programme_id=pid)
        number = max((t.number for t in tasks), default=0) + 1
        fields = dict(spec)
        fields["due"] = _day(fields.get("due"), "Task.due")
        fields["depends_on"] = self._refs(tasks, fields.get("depends_on", ()), pid)
        if fields.get("official_id"):
            uow.officials.get(fields["official_id"])
        else:
            fields["official_id"] = None
        task = Task(
            id=f"{pid}-t{number:03d}",
            programme_id=pid,
            number=number,
            created_in=meeting_id,
            **fields,
        ).created(at=at or self._ctx.now(), by=by)
        uow.tasks.add(task)
        return task, [Task.event_for(task, "create", task.changes[0].at, meeting_id)]

    @staticmethod
    def _refs(tasks: Sequence[Task], refs: Iterable[TaskRef], pid: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(find_task(tasks, r, pid).id for r in refs))

    @staticmethod
    def _check_cycles(tasks: Sequence[Task]) -> None:
        graph = {t.id: t.depends_on for t in tasks}
        cycle = find_cycle(graph)
        if cycle:
            numbers = {t.id: t for t in tasks}
            shown = " → ".join(
                f"{numbers[i].number} {numbers[i].title}" if i in numbers else i for i in cycle
            )
            raise ValidationError(
                "Task.depends_on",
                cycle,
                _("the dependencies would go round in a circle: {cycle}").format(cycle=shown),
            )

    def _change(
        self,
        ref: TaskRef,
        programme_id: str | None,
        apply: Callable[[UnitOfWork, Sequence[Task], Task], tuple[Task, builtins.list[Event]]],
    ) -> Task:
        with self._ctx.write() as tx:
            pid = current_programme(tx.uow, programme_id).id
            tasks = tx.uow.tasks.select(programme_id=pid)
            task = find_task(tasks, ref, pid)
            new, events = apply(tx.uow, tasks, task)
            tx.uow.tasks.put(new)
            tx.emit(*events)
        return new

    def _move(
        self,
        ref: TaskRef,
        action: str,
        *,
        programme_id: str | None,
        by: str,
        reason: str,
        meeting_id: str | None = None,
        at: pendulum.DateTime | None = None,
    ) -> Task:
        def apply(
            uow: UnitOfWork, tasks: Sequence[Task], task: Task
        ) -> tuple[Task, builtins.list[Event]]:
            deps = [t for t in tasks if t.id in task.depends_on]
            return task.move(
                action,
                at=at or self._ctx.now(),
                by=by,
                reason=reason,
                meeting_id=meeting_id,
                blocking=deps,
            )

        return self._change(ref, programme_id, apply)

    def start(self, ref: TaskRef, *, programme_id: str | None = None, by: str = "",
              reason: str = "", at: pendulum.DateTime | None = None) -> Task:  # fmt: skip
        """待办 → 进行中."""
        return self._move(ref, "start", programme_id=programme_id, by=by, reason=reason, at=at)

    def done(self, ref: TaskRef, *, programme_id: str | None = None, by: str = "",
             reason: str = "", at: pendulum.DateTime | None = None) -> Task:  # fmt: skip
        """→ 已完成; refused while a dependency is still open."""
        return self._move(ref, "done", programme_id=programme_id, by=by, reason=reason, at=at)

    def cancel(self, ref: TaskRef, *, programme_id: str | None = None, by: str = "",
               reason: str = "", at: pendulum.DateTime | None = None) -> Task:  # fmt: skip
        """→ 已取消 (a cancelled dependency no longer holds other tasks back)."""
        return self._move(ref, "cancel", programme_id=programme_id, by=by, reason=reason, at=at)

    def reopen(self, ref: TaskRef, *, programme_id: str | None = None, by: str = "",
               reason: str = "", at: pendulum.DateTime | None = None) -> Task:  # fmt: skip
        """已完成 → 进行中, 已取消 → 待办."""
        return self._move(ref, "reopen", programme_id=programme_id, by=by, reason=reason, at=at)

    def update(
        self,
        ref: TaskRef,
        *,
        programme_id: str | None = None,
        by: str = "",
        reason: str = "",
        at: pendulum.DateTime | None = None,
        **changes: Any,
    ) -> Task:
        """Change a task's title, owner (``official_id`` or ``owner``: giving one clears the
        other), due date, amount, note, kind or dependencies; kept on its trail."""
        return self._change(
            ref,
            programme_id,
            lambda uow, tasks, task: self._update(uow, tasks, task, changes, by, reason, at, None),
        )

    def _update(
        self,
        uow: UnitOfWork,
        tasks: Sequence[Task],
        task: Task,
        changes: Mapping[str, Any],
        by: str,
        reason: str,
        at: pendulum.DateTime | None,
        meeting_id: str | None,
    ) -> tuple[Task, builtins.list[Event]]:
        fields = dict(changes)
        if "due" in fields:
            fields["due"] = _day(fields["due"], "Task.due")
        if fields.get("official_id"):
            uow.officials.get(fields["official_id"])
            fields.setdefault("owner", "")
        elif fields.get("owner"):
            fields.setdefault("official_id", None)
        if "depends_on" in fields:
            fields["depends_on"] = self._refs(tasks, fields["depends_on"], task.programme_id)
        new, events = task.update(
            at=at or self._ctx.now(), by=by, reason=reason, meeting_id=meeting_id, **fields
        )
        if "depends_on" in fields:
            self._check_cycles([new if t.id == new.id else t for t in tasks])
        return new, events

    def depend(
        self,
        ref: TaskRef,
        on: Iterable[TaskRef],
        *,
        programme_id: str | None = None,
        by: str = "",
        reason: str = "",
    ) -> Task:
        """Make a task depend on others as well; a cycle is refused, naming its tasks."""

        def apply(
            uow: UnitOfWork, tasks: Sequence[Task], task: Task
        ) -> tuple[Task, builtins.list[Event]]:
            more = self._refs(tasks, on, task.programme_id)
            wanted = tuple(dict.fromkeys((*task.depends_on, *more)))
            return self._update(uow, tasks, task, {"depends_on": wanted}, by, reason, None, None)

        return self._change(ref, programme_id, apply)

    def hold_meeting(
        self,
        held_on: pendulum.Date | str,
        topic: str,
        *,
        programme_id: str | None = None,
        chaired_by: str = "",
        attendees: Sequence[str] = (),
        decisions: Sequence[str | Mapping[str, Any]] = (),
        at: pendulum.DateTime | None = None,
    ) -> Meeting:
        """Record a coordination meeting (numbered next in the course) and carry out its
        decisions in the same transaction.  A decision is a text, or a mapping with
        ``text`` and one of:

        * ``create``: the fields of a new task (as :meth:`add` takes them);
        * ``task`` (an id or number) with ``update`` (fields to change) and/or ``action``
          (``start``, ``done``, ``cancel``, ``reopen``).

        Each task created or changed names the meeting on its trail, and each decision the
        task it created or changed."""
        day = _day(held_on, "Meeting.held_on")
        with self._ctx.write() as tx:
            uow = tx.uow
            pid = current_programme(uow, programme_id).id
            existing = uow.meetings.select(programme_id=pid)
            number = max((m.number for m in existing), default=0) + 1
            meeting_id = f"{pid}-m{number:02d}"
            when = at or self._ctx.now()
            done: list[Decision] = []
            events: list[Event] = []
            for n, given in enumerate(decisions, 1):
                decision, more = self._decide(uow, pid, meeting_id, n, given, when, chaired_by)
                done.append(decision)
                events += more
            self._check_cycles(uow.tasks.select(programme_id=pid))
            meeting = Meeting(
                id=meeting_id,
                programme_id=pid,
                number=number,
                held_on=day,
                topic=topic,
                chaired_by=chaired_by,
                attendees=tuple(attendees),
                decisions=tuple(done),
            )
            uow.meetings.add(meeting)
            tx.emit(*events)
        return meeting

    def _decide(
        self,
        uow: UnitOfWork,
        pid: str,
        meeting_id: str,
        n: int,
        given: str | Mapping[str, Any],
        at: pendulum.DateTime,
        by: str,
    ) -> tuple[Decision, builtins.list[Event]]:
        if isinstance(given, str):
            return Decision(text=given), []
        extra = sorted(set(given) - {"text", "create", "task", "update", "action"})
        if extra or ("create" in given and "task" in given):
            reason = _("decision {n}: give text and either create or task (update, action)")
            raise ValidationError("decisions", extra or dict(given), reason.format(n=n))
        text = str(given.get("text", ""))
        if "create" in given:
            task, events = self._create(
                uow, pid, dict(given["create"]), by=by, at=at, meeting_id=meeting_id
            )
            return Decision(text=text, action="create", task_id=task.id), events
        if "task" not in given:
            return Decision(text=text), []
        tasks = uow.tasks.select(programme_id=pid)
        task = find_task(tasks, given["task"], pid)
        events = []
        if given.get("update"):
            task, more = self._update(
                uow, tasks, task, dict(given["update"]), by, text, at, meeting_id
            )
            events += more
        if given.get("action"):
            deps = [t for t in tasks if t.id in task.depends_on]
            task, more = task.move(
                str(given["action"]), at=at, by=by, reason=text, meeting_id=meeting_id,
                blocking=deps,
            )  # fmt: skip
            events += more
        uow.tasks.put(task)
        return Decision(text=text, action="update", task_id=task.id), events

    # -- reads -------------------------------------------------------------------------

    def get(self, ref: TaskRef, programme_id: str | None = None) -> Task:
        with self._ctx.read() as uow:
            pid = current_programme(uow, programme_id).id
            return find_task(uow.tasks.select(programme_id=pid), ref, pid)

    def list(
        self,
        programme_id: str | None = None,
        *,
        owner: str | None = None,
        state: TaskState | str | None = None,
        kind: TaskKind | str | None = None,
    ) -> builtins.list[Task]:
        """The course's tasks by number; ``owner`` matches an official's id or name or a
        named owner."""
        with self._ctx.read() as uow:
            pid = current_programme(uow, programme_id).id
            items = uow.tasks.select(programme_id=pid)
            names = {o.id: o.name for o in uow.officials.list()}
        if owner is not None:
            who = owner.strip()
            items = [t for t in items if who in (t.official_id, t.owner_label(names))]
        if state is not None:
            wanted = _member(TaskState, state, "state")
            items = [t for t in items if t.state is wanted]
        if kind is not None:
            wanted_kind = _member(TaskKind, kind, "kind")
            items = [t for t in items if t.kind is wanted_kind]
        return sorted(items, key=lambda t: t.number)

    def overdue(
        self, today: pendulum.Date | None = None, *, programme_id: str | None = None
    ) -> builtins.list[Task]:
        """Open tasks due before ``today`` (default: the clock's date in the course's time
        zone), earliest first."""
        with self._ctx.read() as uow:
            programme = current_programme(uow, programme_id)
            items = uow.tasks.select(programme_id=programme.id)
        day = today or self._ctx.now().in_timezone(programme.timezone).date()
        return sorted((t for t in items if t.overdue(day)), key=lambda t: (t.due, t.number))

    def by_owner(self, programme_id: str | None = None) -> dict[str, builtins.list[Task]]:
        """Tasks grouped by who answers for them (the official's name or the named owner),
        owners in the order of their first task."""
        with self._ctx.read() as uow:
            pid = current_programme(uow, programme_id).id
            items = sorted(uow.tasks.select(programme_id=pid), key=lambda t: t.number)
            names = {o.id: o.name for o in uow.officials.list()}
        grouped: dict[str, list[Task]] = {}
        for task in items:
            grouped.setdefault(task.owner_label(names), []).append(task)
        return grouped

    def budget(self, programme_id: str | None = None) -> int:
        """The budget lines' amounts together (元), cancelled ones left out."""
        lines = self.list(programme_id, kind=TaskKind.BUDGET)
        return sum(t.amount or 0 for t in lines if t.state is not TaskState.CANCELLED)

    def meetings(self, programme_id: str | None = None) -> builtins.list[Meeting]:
        """The course's coordination meetings by number."""
        with self._ctx.read() as uow:
            pid = current_programme(uow, programme_id).id
            return sorted(uow.meetings.select(programme_id=pid), key=lambda m: m.number)

    def meeting(self, meeting_id: str) -> Meeting:
        with self._ctx.read() as uow:
            return uow.meetings.get(meeting_id)
