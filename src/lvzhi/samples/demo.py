"""``lvzhi demo``: run the synthetic course end to end through every capability lvzhi has.

The demo writes a SQLite database, the input roster it imported, the notices it issued and
the exported tables under one output folder, and returns a summary.
"""

from __future__ import annotations

import importlib
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pendulum

from lvzhi.bootstrap import open_secretariat
from lvzhi.clock import FixedClock
from lvzhi.domain import (
    LeaveRequest,
    LeaveStage,
    Notice,
    NoticeKind,
    Scan,
    ScanKind,
    SessionKind,
    Suggestion,
)
from lvzhi.errors import LvzhiError
from lvzhi.i18n import N_
from lvzhi.samples.course import SUGGESTION_TAXONOMY, Course, make_course
from lvzhi.samples.demo_seating import HALL_ID, export_seating, form_groups, seat_deputies
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
)


@attrs.frozen(kw_only=True)
class DemoSummary:
    database: str
    out_dir: Path
    programme: str
    deputies: int
    delegations: int
    sessions: int
    groups: int
    group_sizes: tuple[int, ...]
    scans: int
    duplicate_scans_ignored: int
    leave: dict[str, int]
    suggestions: int
    replied: int
    notices: int
    files: tuple[Path, ...]
    first_names: tuple[str, ...]
    hall: str = ""
    hall_capacity: int = 0
    seated: int = 0
    zones: tuple[tuple[str, str], ...] = ()  # (zone name, the taker's name)
    rostrum_leaders: int = 0
    rostrum_rows: int = 0
    conveners: int = 0
    recorders: int = 0
    group_leaders: int = 0

    def lines(self) -> list[str]:
        """The summary ``lvzhi demo`` prints, in the user's language, labels lined up."""
        from lvzhi.i18n import N_, _, display_width

        states = {
            "submitted": N_("submitted"),
            "delegation_approved": N_("delegation_approved"),
            "approved": N_("approved"),
            "rejected": N_("rejected"),
            "withdrawn": N_("withdrawn"),
        }
        leave = _(", ").join(
            _("{state} {count}").format(state=_(states.get(k, k)), count=v)
            for k, v in sorted(self.leave.items())
        )
        rows = [
            (
                _("roster"),
                _("{deputies} deputies in {delegations} delegations (imported from {file})"),
            ),
            (_("order"), _("姓氏笔画: {names} …")),
            (_("timetable"), _("{sessions} sessions, {first} to {last} ({zone})")),
            (_("groups"), _("{groups} discussion groups of {smallest}-{largest} deputies")),
        ]
        if self.conveners or self.recorders or self.group_leaders:
            rows.append(
                (
                    _("group roles"),
                    _("{conveners} conveners, {recorders} recorders, {leaders} attending leaders"),
                )
            )
        if self.seated:
            rows += [
                (_("seating"), _("{seated} deputies seated in {hall} ({capacity} seats)")),
                (_("zones"), "{zones}"),
                (_("rostrum"), _("{rostrum} leaders of the opening session in {rows} rows")),
            ]
        rows += [
            (
                _("attendance"),
                _("{scans} scans logged ({duplicates} re-uploaded duplicates ignored)"),
            ),
            (_("leave"), "{leave}"),
            (_("suggestions"), _("{suggestions} collected, {replied} formally answered")),
            (_("notices"), _("{notices} issued")),
            (_("database"), "{database}"),
            (_("files"), _("{files} written under {folder}")),
        ]
        values = {
            "deputies": self.deputies,
            "delegations": self.delegations,
            "file": self.out_dir / "input" / "roster.xlsx",
            "names": "、".join(self.first_names),
            "sessions": self.sessions,
            "first": "2022-09-06",
            "last": "2022-09-08",
            "zone": "Asia/Shanghai",
            "groups": self.groups,
            "smallest": min(self.group_sizes),
            "largest": max(self.group_sizes),
            "conveners": self.conveners,
            "recorders": self.recorders,
            "leaders": self.group_leaders,
            "seated": self.seated,
            "hall": self.hall,
            "capacity": self.hall_capacity,
            "zones": _(", ").join(
                _("{zone} ({taker})").format(zone=zone, taker=taker) for zone, taker in self.zones
            ),
            "rostrum": self.rostrum_leaders,
            "rows": self.rostrum_rows,
            "scans": self.scans,
            "duplicates": self.duplicate_scans_ignored,
            "leave": leave,
            "suggestions": self.suggestions,
            "replied": self.replied,
            "notices": self.notices,
            "database": self.database,
            "files": len(self.files),
            "folder": self.out_dir,
        }
        width = max(display_width(label) for label, _text in rows) + 1
        lines = [_("lvzhi demo: {programme}").format(programme=self.programme)]
        for label, text in rows:
            padding = " " * (width - display_width(label))
            lines.append(f"  {label}{padding}{text.format(**values)}")
        return lines


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
    rng = random.Random(course.programme.id)
    files: list[Path] = []
    programme = office.programme.save(course.programme)
    for venue in course.venues:
        office.programme.save_venue(venue)
    with office.unit_of_work() as uow:
        for delegation in course.delegations:
            uow.delegations.put(delegation)
        for official in course.officials:
            uow.officials.put(official)

    say("importing the roster")
    roster_path = out / "input" / "roster.xlsx"
    write_roster_xlsx(course, roster_path)
    files.append(roster_path)
    office.imports.roster(roster_path)

    say("scheduling the timetable")
    office.programme.schedule(course.sessions)

    say("issuing the advance notice")
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

    say("forming discussion groups")
    groups = form_groups(office, programme)

    say(N_("seating the deputies"))
    opening = next(
        s for s in office.programme.timetable(programme.id) if s.kind is SessionKind.OPENING
    )
    seated = seat_deputies(office, opening.id)

    say("handling leave requests")
    deputies = office.people.delegates()
    by_unit: dict[str, list[str]] = {}
    for d in deputies:
        by_unit.setdefault(d.delegation, []).append(d.key)
    clock.set(pendulum.datetime(2022, 9, 2, 10, 0, tz="Asia/Shanghai"))
    leave_specs = [
        ("hengnan", 3, 7, "因公", "因公出国（境）", (True, True)),
        ("leiyang", 5, 6, "因病", "住院治疗", (True, True)),
        ("qidong", 2, 8, "因公", "单位临时事务", (False, None)),
        ("shigu", 1, 7, "家庭事务", "家中有事", (True, None)),
    ]
    for n, (unit, index, day, category, reason, (first, second)) in enumerate(leave_specs, 1):
        cert = by_unit[unit][index]
        request = office.leave.request(
            LeaveRequest(
                id=f"{programme.id}-leave-{n:02d}",
                programme_id=programme.id,
                certificate_no=cert,
                starts_at=pendulum.datetime(2022, 9, day, 8, 0, tz="Asia/Shanghai"),
                ends_at=pendulum.datetime(2022, 9, day, 18, 0, tz="Asia/Shanghai"),
                category=category,
                reason=reason,
                submitted_at=clock.now(),
                written_application=f"请假申请书-{cert}.pdf",
            )
        )
        clock.advance(hours=2)
        request = office.leave.decide(
            request.id, LeaveStage.DELEGATION, approver=f"{unit}-leader", approved=first
        )
        if second is not None:
            clock.advance(hours=3)
            office.leave.decide(
                request.id, LeaveStage.ORGANISER, approver="organiser-01", approved=second
            )

    say("taking attendance")
    leave = office.leave.list()
    excused = {
        (r.certificate_no, r.starts_at.in_timezone("Asia/Shanghai").day) for r in leave if r.excuses
    }
    plan = office.seating.plan_for(HALL_ID)
    zone_at = {seat: zone for zone in seated.zones for seat in zone.seats}
    hall_zone = {cert: zone_at[seat] for cert, seat in plan.assignments.items()}
    group_of = {c: g for g in groups for c in g.members}
    scans: list[Scan] = []
    for session in office.programme.timetable(programme.id):
        day = session.starts_at.in_timezone("Asia/Shanghai").day
        for d in deputies:
            if (d.key, day) in excused or rng.random() < 0.01:
                continue
            in_group = session.kind is SessionKind.GROUP_DISCUSSION
            zone = group_of[d.key].name if in_group else hall_zone[d.key].name
            late = rng.random() < 0.03
            entry_at = session.starts_at.subtract(minutes=rng.randint(1, 20))
            if late:
                entry_at = session.starts_at.add(minutes=rng.randint(6, 25))
            taker = (group_of[d.key].recorder_id if in_group else hall_zone[d.key].taker_id) or ""
            scans.append(
                Scan(
                    id=f"{session.id}-{d.key}-in",
                    session_id=session.id,
                    certificate_no=d.key,
                    kind=ScanKind.ENTRY,
                    scanned_at=entry_at,
                    zone=zone,
                    taker_id=taker,
                    device=f"pad-{taker}",
                )
            )
            leaves_early = rng.random() < 0.02
            exit_at = session.ends_at.add(minutes=rng.randint(0, 5))
            if leaves_early:
                exit_at = session.ends_at.subtract(minutes=rng.randint(10, 40))
            scans.append(
                Scan(
                    id=f"{session.id}-{d.key}-out",
                    session_id=session.id,
                    certificate_no=d.key,
                    kind=ScanKind.EXIT,
                    scanned_at=exit_at,
                    zone=zone,
                    taker_id=taker,
                    device=f"pad-{taker}",
                )
            )
    clock.set(pendulum.datetime(2022, 9, 8, 18, 0, tz="Asia/Shanghai"))
    stored = office.attendance.record(scans).recorded
    # An offline device uploads its last batch again: idempotent, nothing new is stored.
    retry = scans[-200:]
    duplicates = office.attendance.record(retry).ignored

    say("collecting suggestions and replying")
    count = 0
    for g in groups:
        for k in range(8):
            category, aspects = SUGGESTION_TAXONOMY[k % 4]
            aspect = aspects[(k // 4) % 2]
            count += 1
            proposer = g.members[(k * 5) % len(g.members)]
            office.suggestions.submit(
                Suggestion(
                    id=f"{programme.id}-sugg-{count:03d}",
                    programme_id=programme.id,
                    group_id=g.id,
                    title=f"关于{aspect}的建议（{g.name}）",
                    body=f"{g.name}代表在分组讨论中就{category}中的{aspect}问题提出建议。",
                    proposers=(proposer,),
                    category=category,
                    aspect=aspect,
                    submitted_at=clock.now(),
                )
            )
    clock.set(pendulum.datetime(2022, 9, 30, 10, 0, tz="Asia/Shanghai"))
    replied = 0
    for s in office.suggestions.list(programme.id):
        office.suggestions.assign(s.id, "市人大常委会选举联络工作委员会")
        office.suggestions.reply(
            s.id,
            f"经专题研究，已就“{s.aspect}”相关问题作出专门答复并交有关部门办理。",
            replied_by="市人大常委会选举联络工作委员会",
        )
        replied += 1

    say("writing exports")
    export_dir = out / "exports"
    export_dir.mkdir(parents=True, exist_ok=True)
    for table, fmt in EXPORTS:
        target = export_dir / f"{table}.{fmt}"
        office.reports.export(table, fmt, target, programme_id=programme.id)
        files.append(target)
    files += export_seating(office, programme.id, opening.id, export_dir)
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
        scans=stored,
        duplicate_scans_ignored=duplicates,
        leave=leave_counts,
        suggestions=count,
        replied=replied,
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
