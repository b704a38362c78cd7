"""``lvzhi tasks``: the work plan of a course — tasks with one owner each, their states and
dependencies, the coordination meetings, and the task breakdown (任务分解表) export."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

import pendulum

from lvzhi.cli._common import open_office, subcommand
from lvzhi.domain.tasks import TASK_KIND_LABELS, TASK_STATE_LABELS
from lvzhi.errors import ValidationError
from lvzhi.i18n import _

if TYPE_CHECKING:
    from lvzhi.domain.tasks import Task

__all__ = ["parse_decision", "register"]


def _date(text: str) -> pendulum.Date:
    try:
        return pendulum.Date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("not a date (YYYY-MM-DD): {text!r}").format(text=text)
        ) from None


def _line(t: Task, names: dict[str, str] | None = None) -> str:
    state = TASK_STATE_LABELS[t.state.value]
    kind = TASK_KIND_LABELS[t.kind.value]
    return f"{t.number}\t{t.title}\t{t.owner_label(names)}\t{t.due}\t{state}\t{kind}"


def _owner(value: str) -> dict[str, Any]:
    """``@ID`` is an official, anything else a named person or unit."""
    value = value.strip()
    return {"official_id": value[1:]} if value.startswith("@") else {"owner": value}


def _names(office: Any) -> dict[str, str]:
    return {o.id: o.name for o in office.people.officials()}


def _add(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        t = office.tasks.add(
            args.title,
            due=args.due,
            programme_id=args.programme,
            kind=args.kind,
            amount=args.amount,
            depends_on=args.depends or (),
            note=args.note or "",
            by=args.by or "",
            **_owner(args.owner),
        )
        print(_line(t, _names(office)))
    return 0


def _move(action: str) -> Any:
    def run(args: argparse.Namespace) -> int:
        with open_office(args) as office:
            method = getattr(office.tasks, action)
            t = method(args.task, programme_id=args.programme, by=args.by or "",
                       reason=args.reason or "")  # fmt: skip
            print(_line(t, _names(office)))
        return 0

    return run


def _depend(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        t = office.tasks.depend(args.task, args.on, programme_id=args.programme, by=args.by or "")
        print(_line(t, _names(office)))
    return 0


def _update(args: argparse.Namespace) -> int:
    changes: dict[str, Any] = {}
    if args.title:
        changes["title"] = args.title
    if args.due:
        changes["due"] = args.due
    if args.owner:
        changes.update(_owner(args.owner))
    with open_office(args) as office:
        t = office.tasks.update(
            args.task, programme_id=args.programme, by=args.by or "", reason=args.reason or "",
            **changes,
        )  # fmt: skip
        print(_line(t, _names(office)))
    return 0


def parse_decision(kind: str, spec: str) -> dict[str, Any]:
    """A decision from the command line: ``create`` takes ``TEXT|TITLE|OWNER|DUE`` (OWNER
    ``@ID`` for an official), ``change`` takes ``TEXT|TASK|KEY=VALUE,…`` with keys title,
    due, owner, action (start, done, cancel, reopen)."""
    parts = [p.strip() for p in spec.split("|")]
    if kind == "create":
        if len(parts) != 4:
            raise ValidationError("--create", spec, _("must be TEXT|TITLE|OWNER|DUE"))
        text, title, owner, due = parts
        return {"text": text, "create": {"title": title, "due": due, **_owner(owner)}}
    if len(parts) != 3:
        raise ValidationError("--change", spec, _("must be TEXT|TASK|KEY=VALUE,…"))
    text, task, pairs = parts
    decision: dict[str, Any] = {"text": text, "task": task}
    update: dict[str, Any] = {}
    for pair in filter(None, (p.strip() for p in pairs.split(","))):
        key, sep, value = pair.partition("=")
        if not sep:
            raise ValidationError("--change", pair, _("must be KEY=VALUE"))
        if key == "action":
            decision["action"] = value
        elif key == "owner":
            update.update(_owner(value))
        elif key in ("title", "due"):
            update[key] = value
        else:
            reason = _("unknown key; use title, due, owner or action")
            raise ValidationError("--change", key, reason)
    if update:
        decision["update"] = update
    return decision


def _meeting(args: argparse.Namespace) -> int:
    decisions: list[Any] = list(args.note or ())
    decisions += [parse_decision("create", s) for s in args.create or ()]
    decisions += [parse_decision("change", s) for s in args.change or ()]
    with open_office(args) as office:
        m = office.tasks.hold_meeting(
            args.date,
            args.topic,
            programme_id=args.programme,
            chaired_by=args.chair or "",
            attendees=args.attendee or (),
            decisions=decisions,
        )
    print(f"{m.id}\t{m.label}\t{m.held_on}\t{m.topic}")
    for d in m.decisions:
        print(f"  {d.action}\t{d.task_id or ''}\t{d.text}")
    return 0


def _list(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        if args.overdue:
            tasks = office.tasks.overdue(args.today, programme_id=args.programme)
            if args.owner:
                keep = {t.id for t in office.tasks.list(args.programme, owner=args.owner)}
                tasks = [t for t in tasks if t.id in keep]
        else:
            tasks = office.tasks.list(
                args.programme, owner=args.owner, state=args.state, kind=args.kind
            )
        names = _names(office)
    for t in tasks:
        print(_line(t, names))
    if not tasks:
        print(_("no task is overdue") if args.overdue else _("no task"))
    return 0


def _meetings(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        meetings = office.tasks.meetings(args.programme)
    for m in meetings:
        print(f"{m.number}\t{m.held_on}\t{m.topic}\t{m.chaired_by}\t{len(m.decisions)}")
    return 0


def _export(args: argparse.Namespace) -> int:
    report = "meetings" if args.meetings else "tasks"
    target = args.output or f"{report}.{args.format}"
    with open_office(args) as office:
        if target == "-":
            import sys

            sys.stdout.buffer.write(
                office.reports.export(report, args.format, programme_id=args.programme)
            )
            return 0
        office.reports.export(report, args.format, target, programme_id=args.programme)
    print(_("wrote {file}").format(file=target))
    return 0


def _command(
    sub: argparse._SubParsersAction[Any], name: str, help_text: str, func: Any
) -> argparse.ArgumentParser:
    p = subcommand(sub, name, help_text, func)
    p.add_argument("--programme", metavar=_("ID"), help=_("the course (default: the latest)"))
    return p


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add ``lvzhi tasks …`` to the command line."""
    top = sub.add_parser(
        "tasks",
        help=_("the work plan: tasks with one owner each, meetings, the task breakdown"),
        description=_(
            "The work plan of a course: every task has exactly one owner (an official, "
            "@ID, or a named person or unit), a due date and a state; coordination "
            "meetings create and change tasks; the task breakdown exports as a table."
        ),
    )
    cmds = top.add_subparsers(dest="tasks_command", metavar=_("COMMAND"))
    cmds.required = True

    p = _command(cmds, "add", _("add a task"), _add)
    p.add_argument("title", metavar=_("TITLE"))
    p.add_argument(
        "--owner", required=True, metavar=_("WHO"), help=_("@ID for an official, else a name")
    )
    p.add_argument("--due", required=True, type=_date, metavar="YYYY-MM-DD")
    p.add_argument("--kind", default="task", metavar=_("KIND"), help=", ".join(TASK_KIND_LABELS))
    p.add_argument("--amount", type=int, metavar=_("YUAN"), help=_("a budget line's amount"))
    p.add_argument(
        "--depends", action="append", metavar="N", help=_("a task it waits for (repeat)")
    )
    p.add_argument("--note", metavar=_("TEXT"))
    p.add_argument("--by", metavar=_("WHO"))

    for action, text in (
        ("start", _("start a task")),
        ("done", _("mark a task done (its dependencies first)")),
        ("cancel", _("cancel a task")),
        ("reopen", _("reopen a done or cancelled task")),
    ):
        p = _command(cmds, action, text, _move(action))
        p.add_argument("task", metavar=_("TASK"), help=_("number (序号) or id"))
        p.add_argument("--by", metavar=_("WHO"))
        p.add_argument("--reason", metavar=_("TEXT"))

    p = _command(cmds, "update", _("change a task's title, owner or due date"), _update)
    p.add_argument("task", metavar=_("TASK"))
    p.add_argument("--title", metavar=_("TEXT"))
    p.add_argument("--owner", metavar=_("WHO"), help=_("@ID for an official, else a name"))
    p.add_argument("--due", type=_date, metavar="YYYY-MM-DD")
    p.add_argument("--by", metavar=_("WHO"))
    p.add_argument("--reason", metavar=_("TEXT"))

    p = _command(cmds, "depend", _("make a task wait for others"), _depend)
    p.add_argument("task", metavar=_("TASK"))
    p.add_argument("on", nargs="+", metavar=_("TASK"))
    p.add_argument("--by", metavar=_("WHO"))

    p = _command(cmds, "meeting", _("record a coordination meeting and its decisions"), _meeting)
    p.add_argument("date", type=_date, metavar="YYYY-MM-DD")
    p.add_argument("topic", metavar=_("TOPIC"))
    p.add_argument("--chair", metavar=_("WHO"))
    p.add_argument("--attendee", action="append", metavar=_("WHO"), help=_("repeat"))
    p.add_argument("--note", action="append", metavar=_("TEXT"), help=_("a decision (repeat)"))
    p.add_argument(
        "--create", action="append", metavar="TEXT|TITLE|OWNER|DUE", help=_("a new task")
    )
    p.add_argument(
        "--change", action="append", metavar="TEXT|TASK|KEY=VALUE", help=_("a changed task")
    )

    p = _command(cmds, "list", _("list tasks (overdue ones, one owner's)"), _list)
    p.add_argument("--overdue", action="store_true", help=_("only open tasks past due"))
    p.add_argument("--today", type=_date, metavar="YYYY-MM-DD", help=_("the day to check"))
    p.add_argument("--owner", metavar=_("WHO"), help=_("an official's id or name, or a name"))
    p.add_argument("--state", metavar=_("STATE"), help=", ".join(TASK_STATE_LABELS))
    p.add_argument("--kind", metavar=_("KIND"), help=", ".join(TASK_KIND_LABELS))

    _command(cmds, "meetings", _("list the coordination meetings"), _meetings)

    p = _command(cmds, "export", _("export the task breakdown (任务分解表)"), _export)
    p.add_argument("--format", "-f", default="xlsx", metavar=_("FORMAT"))
    p.add_argument("--output", "-o", metavar=_("PATH"), help=_("'-' for stdout"))
    p.add_argument("--meetings", action="store_true", help=_("export the meetings instead"))
