"""The demo's planning: the needs survey, the term plan and the 2022 plan drawn up from it and
approved upward, the course linked to its plan item, and the work plan — tasks with one
owner each, their dependencies and the eleven coordination meetings that settled budget,
venue, courses, lecturers and materials (调度会议10余次, as the source document says).

Everything is deterministic and goes through ``office.plans`` and ``office.tasks``.  The
roster must be stored first (the survey's respondents are checked against it), and the
course's officials (the owners).
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import pendulum

from lvzhi.domain import OfficialRole, Programme
from lvzhi.domain.surveys import Question, Survey
from lvzhi.i18n import N_, _
from lvzhi.samples.course import Course

if TYPE_CHECKING:
    from lvzhi.secretariat import Secretariat

__all__ = ["SURVEY_ID", "TOPICS", "build_plans", "survey_csv"]

TZ = "Asia/Shanghai"
SEED = 20220315
SURVEY_ID = "need-2022"
LIAISON = "市人大常委会选举联络工作委员会"
OFFICE = "市人大常委会办公室"

#: The topics the survey offers, with how strongly new and returning deputies want them.
TOPICS: tuple[tuple[str, float, float], ...] = (
    ("代表履职基本知识", 0.78, 0.22),
    ("全过程人民民主", 0.46, 0.40),
    ("如何提出高质量建议", 0.62, 0.55),
    ("调查研究方法", 0.20, 0.30),
    ("联系群众工作方法", 0.33, 0.28),
    ("审议发言技巧", 0.18, 0.36),
    ("法律法规知识", 0.24, 0.20),
    ("经济社会发展形势", 0.12, 0.26),
)
FORMATS = (("集中授课", 5), ("专题研讨", 3), ("现场教学", 2), ("网络学习", 1))
LENGTHS = (("1天", 2), ("2天", 4), ("3天", 6), ("5天", 1))
REMARKS = ("希望多安排案例教学", "建议增加分组讨论时间", "希望提供电子版学习资料", "")


def _at(day: str, hour: int = 9, minute: int = 0) -> pendulum.DateTime:
    d = pendulum.Date.fromisoformat(day)
    return pendulum.datetime(d.year, d.month, d.day, hour, minute, tz=TZ)


def _survey() -> Survey:
    return Survey(
        id=SURVEY_ID,
        title="衡阳市人大代表培训需求专题调研问卷",
        conducted_by=LIAISON,
        opens_on="2022-03-01",
        closes_on="2022-03-31",
        questions=(
            Question(
                id="q1",
                text="您最希望参加哪些方面的培训（最多选3项）",
                kind="multiple",
                options=tuple(t for t, *_ in TOPICS),
                topic=True,
                max_choices=3,
            ),
            Question(id="q2", text="您认为最有效的培训方式", options=[f for f, _ in FORMATS]),
            Question(id="q3", text="每期集中培训的适宜时长", options=[n for n, _ in LENGTHS]),
            Question(id="q4", text="对代表培训工作的其他意见建议", kind="text"),
        ),
    )


def survey_csv(course: Course, *, rate: float = 0.92) -> bytes:
    """The collected questionnaires as a spreadsheet export (csv): one row per deputy who
    answered (about ``rate`` of them), the topics each chose weighted by whether the deputy
    is new, at most three."""
    rng = random.Random(SEED)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["序号", "代表证号", "姓名", "q1 最希望参加的培训", "q2", "q3", "q4", "备注"])
    n = 0
    for deputy in course.delegates:
        if rng.random() > rate:
            continue
        wants = [
            topic for topic, new, old in TOPICS if rng.random() < (new if deputy.is_new else old)
        ]
        rng.shuffle(wants)
        chosen = wants[:3] or [TOPICS[0][0] if deputy.is_new else TOPICS[2][0]]
        fmt = rng.choices([f for f, _ in FORMATS], weights=[w for _, w in FORMATS])[0]
        length = rng.choices([x for x, _ in LENGTHS], weights=[w for _, w in LENGTHS])[0]
        n += 1
        writer.writerow(
            [
                n,
                deputy.certificate_no,
                deputy.name,
                "、".join(chosen),
                fmt,
                length,
                rng.choice(REMARKS),
                "纸质问卷" if rng.random() < 0.6 else "网上填报",
            ]
        )
    return out.getvalue().encode("utf-8-sig")


def _approve(office: Secretariat, plan_id: str, days: Sequence[str]) -> None:
    office.plans.submit(plan_id, by=LIAISON, remark="提请审定", at=_at(days[0]))
    office.plans.review(plan_id, by="市委主要领导", remark="原则同意，审定", at=_at(days[1]))
    office.plans.approve(plan_id, by="市委常委会", remark="研究同意", at=_at(days[2], 15))


def _plans(office: Secretariat, programme: Programme, top: list[str]) -> tuple[Any, Any]:
    plans = office.plans
    term = plans.create(
        "term",
        "衡阳市第十六届人大代表五年培训规划（2022—2026年）",
        term=programme.term or "第十六届",
        start_year=2022,
        end_year=2026,
        plan_id="term-16",
        drafted_by=LIAISON,
        survey_id=SURVEY_ID,
        summary="一届一规划：届内代表培训全覆盖，新任代表当选后一年内完成初任培训",
        at=_at("2022-04-06"),
    )
    for title, audience, level, first, last, budget, places, cites in (
        ("新任代表初任培训", "new", "", "2022-09-06", "2022-09-08", 380000, 346, top[:2]),
        ("全体代表履职能力提升培训", "all", "", "2023-06-01", "2023-06-30", 600000, 520, top[1:3]),
        ("县级人大代表分级培训", "level", "县级人大代表", None, None, 450000, 1200, top[2:4]),
        ("代表网络专题学习", "all", "", "2024-03-01", "2024-12-31", 80000, 520, top[3:5]),
        ("届末履职总结培训", "all", "", "2026-09-01", "2026-09-30", 300000, 520, []),
    ):
        plans.add_item(
            term.id,
            title,
            audience=audience,
            level=level,
            starts_on=first,
            ends_on=last,
            budget=budget,
            places=places,
            cites=cites,
        )
    _approve(office, term.id, ("2022-04-15", "2022-04-28", "2022-05-10"))
    year = plans.create(
        "year",
        "衡阳市人大代表2022年度培训工作计划",
        term=programme.term or "第十六届",
        start_year=2022,
        plan_id="year-2022",
        drafted_by=LIAISON,
        parent_id=term.id,
        survey_id=SURVEY_ID,
        summary="一年一计划：举办新任代表履职培训班，开展专题培训和网络学习",
        at=_at("2022-04-08"),
    )
    plans.add_item(
        year.id,
        programme.title,
        audience="new",
        topics=top[:3],
        starts_on=programme.start_date,
        ends_on=programme.end_date,
        budget=320000,
        places=300,
        place="衡阳",
        cites=top[:3],
    )
    plans.add_item(
        year.id,
        "全过程人民民主专题培训",
        audience="all",
        starts_on="2022-11-15",
        ends_on="2022-11-16",
        budget=120000,
        places=150,
        place="衡阳",
        cites=[top[1]],
    )
    plans.add_item(
        year.id, "代表履职网络学习", starts_on="2022-10-01", ends_on="2022-12-31", budget=30000
    )
    plans.submit(year.id, by=LIAISON, remark="提请审定", at=_at("2022-04-15"))
    plans.return_for_revision(
        year.id, by="市人大常委会主任会议", remark="新任代表应全员参训，名额调整为346人",
        at=_at("2022-04-20", 16),
    )  # fmt: skip
    revised = plans.get(year.id).item(1)
    plans.add_item(
        year.id,
        revised.title,
        no=1,
        audience="new",
        topics=revised.topics,
        starts_on=revised.starts_on,
        ends_on=revised.ends_on,
        budget=380000,
        places=346,
        place=revised.place,
        cites=[c.topic for c in revised.cites],
    )
    _approve(office, year.id, ("2022-04-22", "2022-04-28", "2022-05-10"))
    plans.link_programme(year.id, 1, programme.id)
    return plans.get(term.id), plans.get(year.id)


#: The work plan: (key, title, kind, owner (``@id`` official or a unit), due, amount,
#: depends on (keys), meeting that created it (1-11, 0: the work plan itself)).
TASKS: tuple[tuple[str, str, str, str, str, int | None, tuple[str, ...], int], ...] = (
    ("plan", "制定培训班工作方案和任务分解表", "task", "@organiser-01", "2022-07-08", None, (), 0),
    ("fund", "落实培训经费", "budget", "@organiser-02", "2022-07-20", 380000, ("plan",), 1),
    ("print", "资料印制费", "budget", "@organiser-02", "2022-08-10", 46000, ("fund",), 3),
    ("venue", "确定培训场地和食宿", "venue", OFFICE, "2022-07-25", None, ("plan",), 1),
    ("hall", "报告厅音响、签到设备调试", "venue", OFFICE, "2022-09-02", None, ("venue",), 9),
    ("course", "确定培训课程和日程安排", "course", "@organiser-03", "2022-07-29", None,
     ("plan",), 2),
    ("lect", "邀请省人大常委会联工委领导授课", "lecturer", "@leader-02", "2022-08-05", None,
     ("course",), 2),
    ("lect2", "确定市级授课教师和交流发言代表", "lecturer", "@organiser-03", "2022-08-12", None,
     ("course",), 4),
    ("book", "编写《履职常识100问》", "material", "研究室", "2022-08-15", None, ("course",), 2),
    ("cover", "印制一人专属履职读本", "material", "@organiser-04", "2022-08-30", None,
     ("book", "print"), 5),
    ("kit", "准备培训资料袋", "material", "@organiser-04", "2022-09-02", None, ("cover",), 8),
    ("notice", "发出培训预告通知", "task", "@organiser-01", "2022-08-26", None, ("course",), 4),
    ("roster", "汇总参训代表名册和请假情况", "task", "@organiser-05", "2022-08-31", None,
     ("notice",), 5),
    ("groups", "划分讨论小组并确定召集人", "task", "@organiser-05", "2022-09-01", None,
     ("roster",), 6),
    ("seats", "编排座次表和分区考勤", "task", "@organiser-06", "2022-09-02", None,
     ("roster", "hall"), 6),
    ("field", "组织现场教学", "course", "@organiser-03", "2022-09-07", None, ("course",), 3),
    ("safety", "制定安全和疫情防控预案", "task", OFFICE, "2022-09-01", None, ("venue",), 7),
    ("press", "培训宣传报道", "task", "研究室", "2022-09-09", None, ("plan",), 7),
    ("check", "开班前全面检查", "task", "@leader-02", "2022-09-05", None,
     ("seats", "kit", "safety"), 10),
    ("sugg", "汇总代表意见建议并交办", "task", "@organiser-01", "2022-09-15", None, (), 11),
    ("sum", "培训工作总结", "task", "@organiser-01", "2022-09-30", None, ("sugg",), 11),
)  # fmt: skip

#: The eleven coordination meetings: (date, topic, task changes (key, update, action)).
MEETINGS: tuple[tuple[str, str, tuple[tuple[str, dict[str, Any], str], ...]], ...] = (
    ("2022-07-12", "培训经费和场地", (("plan", {}, "done"),)),
    ("2022-07-22", "培训课程和授课教师", (("fund", {}, "done"), ("venue", {}, "done"))),
    ("2022-07-29", "履职读本编写和现场教学", (("course", {}, "done"),)),
    ("2022-08-05", "授课教师和预告通知",
     (("lect", {}, "done"), ("book", {"due": "2022-08-20"}, "start"))),
    ("2022-08-12", "读本印制和参训名册", (("lect2", {}, "done"), ("print", {}, "done"))),
    ("2022-08-19", "分组和座次", (("book", {}, "done"),)),
    ("2022-08-24", "安全预案和宣传", (("notice", {}, "done"), ("field", {}, "cancel"))),
    ("2022-08-29", "资料袋和会务保障",
     (("cover", {"owner": OFFICE}, "done"), ("roster", {}, "done"))),
    ("2022-09-01", "设备调试和考勤", (("groups", {}, "done"), ("safety", {}, "done"))),
    ("2022-09-02", "开班前准备",
     (("hall", {}, "done"), ("kit", {}, "done"), ("seats", {}, "done"))),
    ("2022-09-09", "培训总结和意见建议交办", (("check", {}, "done"), ("press", {}, "done"))),
)  # fmt: skip


def _owner(spec: str) -> dict[str, Any]:
    return {"official_id": spec[1:]} if spec.startswith("@") else {"owner": spec}


_SAID = {"done": "已完成", "start": "抓紧推进", "cancel": "因疫情防控要求取消"}


def _work_plan(office: Secretariat, programme: Programme, course: Course) -> dict[str, str]:
    """The tasks and the meetings; returns task key → id."""
    chair = next(o for o in course.officials if o.id == "leader-02")
    staff = [o.name for o in course.officials if o.role is OfficialRole.ORGANISER][:4]
    attendees = (LIAISON, OFFICE, "研究室", *staff)
    titles = {row[0]: row[1] for row in TASKS}
    ids: dict[str, str] = {}
    later: list[tuple[str, str]] = []  # (task, dependency) not created yet

    def spec(row: tuple[Any, ...]) -> dict[str, Any]:
        key, title, kind, owner, due, amount, deps, _meeting = row
        later.extend((key, d) for d in deps if d not in ids)
        return {
            "title": title, "kind": kind, "due": due, "amount": amount,
            "depends_on": [ids[d] for d in deps if d in ids], **_owner(owner),
        }  # fmt: skip

    for row in (r for r in TASKS if r[7] == 0):
        task = office.tasks.add(programme_id=programme.id, by=LIAISON, at=_at("2022-07-05"),
                                **spec(row))  # fmt: skip
        ids[row[0]] = task.id
        office.tasks.start(task.id, programme_id=programme.id, by=LIAISON, at=_at("2022-07-05"))
    for number, (day, topic, changes) in enumerate(MEETINGS, 1):
        decisions: list[Any] = []
        for key, update, action in changes:
            decision: dict[str, Any] = {
                "text": f"{titles[key]}{_SAID[action]}",
                "task": ids[key],
                "action": action,
            }
            if update:
                decision["update"] = {k: v for k, v in update.items() if k != "owner"} | (
                    _owner(update["owner"]) if "owner" in update else {}
                )
            decisions.append(decision)
        created = [r for r in TASKS if r[7] == number]
        for row in created:
            decisions.append({"text": f"明确{row[1]}，落实到人", "create": spec(row)})
        meeting = office.tasks.hold_meeting(
            day, topic, programme_id=programme.id, chaired_by=f"{chair.name}（分管副主任）",
            attendees=attendees, decisions=decisions, at=_at(day, 15),
        )  # fmt: skip
        made = [d.task_id for d in meeting.decisions if d.action == "create" and d.task_id]
        ids.update((row[0], task_id) for row, task_id in zip(created, made, strict=True))
        for key, dep in [(k, d) for k, d in later if k in ids and d in ids]:
            office.tasks.depend(ids[key], [ids[dep]], programme_id=programme.id, by=LIAISON)
            later.remove((key, dep))
    return ids


def build_plans(
    office: Secretariat,
    programme: Programme,
    course: Course,
    *,
    say: Callable[[str], None] = lambda _m: None,
) -> list[str]:
    """Run the planning of the sample course through ``office`` (the roster and officials
    stored first) and return a few summary lines."""
    say(N_("surveying the deputies' training needs"))
    office.plans.create_survey(_survey())
    office.plans.import_responses(
        SURVEY_ID, survey_csv(course), format="csv", source_name="培训需求调研问卷汇总.csv",
        at=_at("2022-03-31", 17),
    )  # fmt: skip
    ranking = office.plans.ranking(SURVEY_ID)
    top = [d.topic for d in ranking]

    say(N_("drawing up and approving the training plans"))
    term, year = _plans(office, programme, top)

    say(N_("running the work plan and the coordination meetings"))
    _work_plan(office, programme, course)

    answered = len(office.plans.responses(SURVEY_ID))
    tasks = office.tasks.list(programme.id)
    meetings = office.tasks.meetings(programme.id)
    done = sum(1 for t in tasks if t.state.value == "done")
    leading = "、".join(f"{d.topic}（{d.count}）" for d in ranking[:3])
    approved = year.transitions[-1]
    return [
        _("needs survey: {answered} of {deputies} deputies answered; most asked for: {topics}")
        .format(answered=answered, deputies=len(course.delegates), topics=leading),
        _("plans: {term} ({terms} courses) and {year} ({years} courses), approved by {by}")
        .format(term=term.title, terms=len(term.items), year=year.title,
                years=len(year.items), by=approved.by),
        _("work plan: {tasks} tasks ({done} done), {meetings} coordination meetings, "
          "budget {budget} yuan").format(
            tasks=len(tasks), done=done, meetings=len(meetings),
            budget=office.tasks.budget(programme.id)),
    ]  # fmt: skip
