"""``lvzhi demo``: run the synthetic course end to end through every capability lvzhi has.

The demo writes a SQLite database, the input roster it imported, the notices it issued and
the exported tables under one output folder, and returns a summary.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pendulum

from lvzhi.bootstrap import open_secretariat
from lvzhi.clock import FixedClock
from lvzhi.domain import (
    Notice,
    NoticeKind,
    SessionKind,
)
from lvzhi.errors import LvzhiError
from lvzhi.i18n import N_
from lvzhi.samples.attendance import simulate_attendance
from lvzhi.samples.course import Course, make_course
from lvzhi.samples.demo_plugins import export_with_plugins
from lvzhi.samples.demo_seating import export_seating, form_groups, seat_deputies
from lvzhi.samples.discipline import file_leave, run_discipline
from lvzhi.samples.materials import build_materials, export_materials
from lvzhi.samples.plans import build_plans
from lvzhi.samples.suggestions import run_suggestions
from lvzhi.samples.summary import DemoSummary
from lvzhi.secretariat import Secretariat
from lvzhi.settings import Settings

__all__ = ["DemoSummary", "run_demo", "write_roster_xlsx"]

EXPORTS: tuple[tuple[str, str], ...] = (
    ("roster", "xlsx"),
    ("roster", "csv"),
    ("timetable", "xlsx"),
    ("timetable", "csv"),
    ("delegations", "xlsx"),
    ("groups", "xlsx"),
    ("suggestions", "xlsx"),
    ("suggestions", "csv"),
    ("suggestion-replies", "xlsx"),
    ("suggestion-stats", "xlsx"),
    ("attendance", "xlsx"),
    ("attendance", "csv"),
    ("attendance-summary", "xlsx"),
    ("tasks", "xlsx"),
    ("tasks", "csv"),
    ("meetings", "xlsx"),
    ("training-plan", "xlsx"),
)


def write_roster_xlsx(course: Course, path: Path) -> None:
    """Write the roster as a government spreadsheet would hold it: a merged title row above
    the header, Chinese headers, phone numbers stored as numbers, padded two-character names."""
    openpyxl: Any = importlib.import_module("openpyxl")  # untyped; a tablib[xlsx] dependency

    units = {d.code: d.name for d in course.delegations}
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "代表名册"
    ws.append(["衡阳市第十六届人大代表名册"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=8)
    ws.append(["序号", "姓名", "性别", "代表证号", "选举单位", "界别", "手机", "是否新任"])
    for n, d in enumerate(course.delegates, 1):
        name = d.name if len(d.name) != 2 else f"{d.name[0]}\u3000{d.name[1]}"
        ws.append(
            [
                n,
                name,
                d.gender.label,
                d.certificate_no,
                units[d.delegation],
                d.sector,
                float(d.phone),
                "是" if d.is_new else "否",
            ]
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


def run_demo(
    out_dir: str | Path = "lvzhi-demo",
    db_url: str | None = None,
    *,
    progress: Callable[[str], None] | None = None,
) -> DemoSummary:
    """Run the synthetic course.  With no ``db_url`` the database is
    ``OUT_DIR/lvzhi-demo.db``, recreated on every run; a database given by URL must be
    empty."""
    say = progress or (lambda _msg: None)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if db_url is None:
        db_path = out / "lvzhi-demo.db"
        for suffix in ("", "-wal", "-shm"):
            Path(str(db_path) + suffix).unlink(missing_ok=True)
        db_url = f"sqlite:///{db_path}"
    course = make_course()
    clock = FixedClock(pendulum.datetime(2022, 8, 26, 9, 0, tz="Asia/Shanghai"))
    settings = Settings(plugins={"notifiers": {"notice_dir": str(out / "notices")}})
    with open_secretariat(db_url, clock=clock, settings=settings) as office:
        with office.unit_of_work(readonly=True) as uow:
            if uow.delegates.count() or uow.programmes.count():
                raise LvzhiError(f"the demo needs an empty store, {db_url} holds data")
        return _run(office, course, clock, out, say)


def _run(
    office: Secretariat,
    course: Course,
    clock: FixedClock,
    out: Path,
    say: Callable[[str], None],
) -> DemoSummary:
    files: list[Path] = []
    programme = office.programme.save(course.programme)
    for venue in course.venues:
        office.programme.save_venue(venue)
    with office.unit_of_work() as uow:
        for delegation in course.delegations:
            uow.delegations.put(delegation)
        for official in course.officials:
            uow.officials.put(official)

    say(N_("importing the roster"))
    roster_path = out / "input" / "roster.xlsx"
    write_roster_xlsx(course, roster_path)
    files.append(roster_path)
    office.imports.roster(roster_path)

    say(N_("scheduling the timetable"))
    office.programme.schedule(course.sessions)
    planning = build_plans(office, programme, course, say=say)

    say(N_("issuing the advance notice"))
    units = office.people.delegations()
    office.notices.issue(
        Notice(
            id=f"{programme.id}-advance",
            programme_id=programme.id,
            kind=NoticeKind.ADVANCE,
            title=f"关于举办{programme.title}的预告通知",
            body=(
                "定于2022年9月6日至8日举办培训班，请各位代表提前安排好工作，准时参加。"
                "无特殊原因不得请假；确需请假的，须书面申请，经所在县市区人大常委会"
                "（驻衡部队）同意后，报市人大常委会批准。"
            ),
            recipients=tuple(u.report_body for u in units),
            issued_at=clock.now(),
            issued_by=programme.organiser,
        )
    )

    say(N_("forming discussion groups"))
    groups = form_groups(office, programme)

    say(N_("seating the deputies"))
    opening = next(
        s for s in office.programme.timetable(programme.id) if s.kind is SessionKind.OPENING
    )
    seated = seat_deputies(office, opening.id)

    say(N_("handling leave requests"))
    deputies = office.people.delegates()
    leave_plan = file_leave(office, clock, programme.id)
    after = office.leave.get(leave_plan.after_the_fact)
    absent = {
        (leave_plan.absent, s.id)
        for s in office.programme.timetable(programme.id)
        if after.covers(s.starts_at, s.ends_at)
    }

    say(N_("taking attendance"))
    clock.set(pendulum.datetime(2022, 9, 8, 18, 0, tz="Asia/Shanghai"))
    attendance = simulate_attendance(office, absent=absent, official="organiser-01")

    say(N_("checking discipline and reporting back"))
    discipline = run_discipline(office, clock, leave_plan, programme.id)

    say(N_("collecting suggestions and replying"))
    suggestions = run_suggestions(office, programme, groups, clock)
    materials = build_materials(office, programme, course, say=say)

    say(N_("writing exports"))
    export_dir = out / "exports"
    export_dir.mkdir(parents=True, exist_ok=True)
    for table, fmt in EXPORTS:
        target = export_dir / f"{table}.{fmt}"
        office.reports.export(table, fmt, target, programme_id=programme.id)
        files.append(target)
    files += export_seating(office, programme.id, opening.id, export_dir)
    files += export_materials(office, programme.id, export_dir)
    for report in ("tongbao", "records"):  # worked out from the statuses and spot checks
        target = export_dir / f"{report}.xlsx"
        office.discipline.export(report, "xlsx", target, programme_id=programme.id)
        files.append(target)
    plugin_files, plugins_used = export_with_plugins(office, programme.id, opening.id, export_dir)
    files += plugin_files
    files.extend(sorted((out / "notices").glob("*.txt")))

    leave_counts: dict[str, int] = {}
    for r in office.leave.list():
        leave_counts[r.state.value] = leave_counts.get(r.state.value, 0) + 1
    ordered = office.people.by_name()
    return DemoSummary(
        database=office.url,
        out_dir=out,
        files=tuple(files),
        programme=programme.title,
        deputies=len(deputies),
        delegations=len(units),
        sessions=len(office.programme.timetable(programme.id)),
        groups=len(groups),
        group_sizes=tuple(len(g.members) for g in groups),
        scans=attendance.recorded,
        duplicate_scans_ignored=attendance.duplicates_ignored,
        flagged=attendance.flagged,
        corrections=attendance.corrections,
        statuses=tuple(sorted(attendance.statuses.items(), key=lambda kv: -kv[1])),
        leave=leave_counts,
        breaches=discipline.breaches,
        reports=len(discipline.reports),
        suggestions=suggestions.suggestions,
        replied=suggestions.replied,
        merged=suggestions.merged,
        second_round=suggestions.second_round,
        bulletin=suggestions.bulletin,
        planning=tuple(planning),
        materials=tuple(materials),
        plugins=tuple(plugins_used),
        notices=len(office.notices.list(programme.id)),
        first_names=tuple(d.name for d in ordered[:6]),
        hall=seated.hall,
        hall_capacity=seated.capacity,
        seated=seated.seated,
        zones=tuple((z.name, seated.takers[z.id]) for z in seated.zones),
        rostrum_leaders=len(seated.rostrum),
        rostrum_rows=seated.rostrum_rows,
        conveners=sum(1 for g in groups if g.convener_id),
        recorders=sum(1 for g in groups if g.recorder_id),
        group_leaders=len({o for g in groups for o in g.leader_ids}),
    )
