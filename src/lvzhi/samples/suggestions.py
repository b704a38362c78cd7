"""The demo's suggestions: what 12 discussion groups raised on the course's topic, 代表工作
如何守正创新 (how deputy work should uphold fundamentals and break new ground), and how the
office handled them.

:func:`plan_suggestions` is deterministic: 100 submissions, spread unevenly over the 4
categories and 8 aspects of the default taxonomy (and over the groups) as real discussions
are, 4 of them near-duplicates of another group's suggestion; each with a handling unit, a
deadline, a reply (a template plus text of its own) and the proposers' rating — a few
不满意, answered again in a second round.  :func:`run_suggestions` does all of it through
``office.suggestions``: after merging, 96 suggestions remain, and the bulletin reads
"共收集意见建议96条，归纳为4大类8个方面".
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TYPE_CHECKING

import attrs
import pendulum

from lvzhi.clock import FixedClock
from lvzhi.domain import DiscussionGroup, Programme, SessionKind, SuggestionState
from lvzhi.domain.taxonomy import DEFAULT_TAXONOMY

if TYPE_CHECKING:
    from lvzhi.secretariat import Secretariat

__all__ = [
    "GROUP_COUNTS",
    "PlannedSuggestion",
    "SuggestionsSummary",
    "plan_suggestions",
    "run_suggestions",
]

TZ = "Asia/Shanghai"
SEED = 20220907
TOPIC = "代表工作如何守正创新"

LIAISON = "市人大常委会选举联络工作委员会"
GENERAL_OFFICE = "市人大常委会办公室"
RESEARCH = "市人大常委会研究室"
LEGAL = "市人大常委会法制工作委员会"

#: How many (distinct) suggestions each of the 12 groups raised: 96 in all.
GROUP_COUNTS = (9, 7, 8, 10, 6, 8, 9, 7, 8, 9, 7, 8)

#: aspect → (how many of the 96, handling unit, subjects as (subject, the specific reply)).
ASPECTS: dict[str, tuple[int, str, tuple[tuple[str, str], ...]]] = {
    "学习培训": (
        18,
        LIAISON,
        (
            ("新任代表初任培训", "明年起新任代表当选后三个月内全部参加初任培训。"),
            ("代表履职专题培训", "每年围绕中心工作举办两期专题培训班。"),
            ("网络学习平台建设", "已在代表履职平台开设网上学习专栏，课程随时点播。"),
            ("履职常识学习", "《履职常识100问》已发至每位代表，并纳入学习考核。"),
            ("基层代表培训覆盖", "培训名额向基层一线代表倾斜，实现届内全覆盖。"),
            ("培训效果评估", "每期培训结束后开展问卷测评，结果用于改进课程。"),
        ),
    ),
    "调查研究": (
        9,
        RESEARCH,
        (
            ("代表专题调研", "每年确定若干调研课题，由代表自愿报名参加。"),
            ("调研成果转化", "优秀调研报告将提交常委会会议参阅。"),
            ("视察活动安排", "视察活动提前一个月通知，并提供背景材料。"),
            ("调研经费保障", "调研所需经费已列入年度预算。"),
        ),
    ),
    "联系渠道": (
        15,
        LIAISON,
        (
            ("代表联络站建设", "年内实现乡镇（街道）代表联络站全覆盖。"),
            ("代表进站接待群众", "建立代表定期进站接待制度，接待情况在站内公示。"),
            ("网上联系群众平台", "代表履职平台已开通群众留言功能。"),
            ("“双联系”制度落实", "常委会组成人员联系代表、代表联系群众的名单已更新。"),
            ("代表向选民述职", "每年选择部分代表向原选区选民述职。"),
        ),
    ),
    "民意收集": (
        10,
        GENERAL_OFFICE,
        (
            ("群众意见分类交办", "群众意见实行统一登记、分类交办、限时反馈。"),
            ("民意收集点设置", "在社区和园区增设民意收集点。"),
            ("基层立法联系点作用", "将发挥基层立法联系点收集立法意见的作用。"),
            ("民意反馈机制", "意见办理结果通过联络站向群众反馈。"),
        ),
    ),
    "建议办理": (
        16,
        LIAISON,
        (
            ("代表建议质量提升", "将编印优秀建议案例，开设建议写作辅导课。"),
            ("建议办理跟踪督办", "重点建议由常委会领导领衔督办。"),
            ("建议办理结果公开", "建议办理结果将在门户网站公开。"),
            ("建议办理满意度测评", "办理结果实行代表满意度测评，不满意的重新办理。"),
            ("闭会期间建议提交", "代表可通过履职平台随时提交建议。"),
            ("建议答复时限", "严格执行三个月内答复的规定。"),
        ),
    ),
    "履职保障": (
        12,
        GENERAL_OFFICE,
        (
            ("代表履职经费保障", "代表履职经费已纳入财政预算并逐年增加。"),
            ("代表知情知政", "定期向代表寄送常委会工作资料和政情通报。"),
            ("代表履职档案管理", "建立代表履职档案，作为评先评优的依据。"),
            ("代表执行职务时间保障", "已商请代表所在单位支持代表执行职务。"),
            ("代表履职激励机制", "将依法依规开展优秀代表和优秀建议评选。"),
        ),
    ),
    "课程安排": (
        10,
        LIAISON,
        (
            ("增加实务课程比重", "下期培训实务课程比重提高到一半以上。"),
            ("优秀代表经验交流", "每期安排优秀代表现身说法、交流经验。"),
            ("分组讨论时间", "分组讨论时间由半天增加为一天。"),
            ("案例教学", "课程将增加履职案例分析和现场教学。"),
        ),
    ),
    "会务保障": (
        6,
        GENERAL_OFFICE,
        (
            ("培训资料提前发放", "培训资料将提前一周发给代表。"),
            ("食宿和交通安排", "已就食宿和接送安排听取各代表团意见。"),
            ("培训纪律管理", "继续实行封闭管理和分片考勤。"),
        ),
    ),
}

#: What a group said, around the subject: (opening, what it proposes).
OPENINGS = (
    "代表们在讨论中认为，{subject}是代表工作守正创新的重要基础，但目前还存在薄弱环节",
    "讨论中，代表们结合自身履职实践，对{subject}提出了意见",
    "代表们反映，{subject}方面的做法有待进一步规范和创新",
    "代表们认为，做好{subject}，既要坚持好的传统，又要适应新形势新要求",
)
MEASURES = (
    "建立健全{subject}的长效机制，明确责任单位和完成时限",
    "总结推广各县市区在{subject}方面的好做法",
    "运用信息化手段，提升{subject}的实效",
    "加大对{subject}的统筹力度，重点向基层代表倾斜",
    "将{subject}纳入常委会年度工作要点",
)

#: Reply templates and how often the office used them.
TEMPLATES = ("已采纳", "正在办理", "留作参考", "解释说明")
TEMPLATE_WEIGHTS = (50, 25, 10, 15)

#: Near-duplicates: (the group that repeats, the index of the suggestion it repeats).
DUPLICATES = ((4, 0), (7, 20), (10, 41), (1, 70))

#: How many suggestions the proposers rated 不满意 in the first round.
DISSATISFIED = 5


@attrs.frozen(kw_only=True)
class PlannedSuggestion:
    """One submission of the plan and what happens to it."""

    group_id: str
    proposers: tuple[str, ...]
    title: str
    body: str
    category: str
    aspect: str
    duplicate_of: int | None = None  # the index of the suggestion it repeats
    unit: str = ""
    deadline: pendulum.Date | None = None
    template: str = ""
    detail: str = ""
    replied_on: pendulum.Date = attrs.field(factory=lambda: pendulum.Date(2022, 9, 30))
    rating: str = ""  # 满意, 基本满意 or 不满意
    second_reply: str = ""  # after 不满意
    second_rating: str = ""


@attrs.frozen(kw_only=True)
class SuggestionsSummary:
    """What :func:`run_suggestions` did."""

    submitted: int
    merged: int
    suggestions: int
    replied: int
    second_round: int
    closed: int
    bulletin: str


def _aspect_slots(rng: random.Random) -> list[str]:
    slots = [aspect for aspect, (count, _, _) in ASPECTS.items() for _ in range(count)]
    rng.shuffle(slots)
    return slots


def plan_suggestions(groups: Sequence[DiscussionGroup]) -> list[PlannedSuggestion]:
    """The 100 submissions of the demo, deterministically, from the first 12 ``groups``
    (by number): 96 distinct suggestions plus 4 near-duplicates, in submission order."""
    ordered = sorted(groups, key=lambda g: g.number)[: len(GROUP_COUNTS)]
    if len(ordered) < len(GROUP_COUNTS) or any(not g.members for g in ordered):
        raise ValueError(f"the demo needs {len(GROUP_COUNTS)} groups with members")
    rng = random.Random(SEED)
    category_of = {a: c for c, aspects in DEFAULT_TAXONOMY.categories for a in aspects}
    slots = _aspect_slots(rng)
    used: set[tuple[str, str, int]] = set()
    plan: list[PlannedSuggestion] = []
    dissatisfied = 0
    for group, count in zip(ordered, GROUP_COUNTS, strict=True):
        for _ in range(count):
            aspect = slots[len(plan)]
            _count, unit, subjects = ASPECTS[aspect]
            while True:
                subject, detail = rng.choice(subjects)
                measure = rng.randrange(len(MEASURES))
                if (aspect, subject, measure) not in used:
                    used.add((aspect, subject, measure))
                    break
            template = rng.choices(TEMPLATES, weights=TEMPLATE_WEIGHTS)[0]
            rating = rng.choices(("满意", "基本满意"), weights=(3, 1))[0]
            unhappy = template in ("留作参考", "解释说明") and dissatisfied < DISSATISFIED
            if unhappy:
                dissatisfied += 1
            plan.append(
                PlannedSuggestion(
                    group_id=group.id,
                    proposers=tuple(
                        rng.sample(group.members, min(rng.randint(1, 3), len(group.members)))
                    ),
                    title=f"关于{subject}的建议",
                    body=(
                        rng.choice(OPENINGS).format(subject=subject)
                        + "。建议"
                        + MEASURES[measure].format(subject=subject)
                        + "。"
                    ),
                    category=category_of[aspect],
                    aspect=aspect,
                    unit=RESEARCH if aspect == "建议办理" and measure == 4 else unit,
                    deadline=pendulum.Date(
                        2022, 10, 15 if aspect in ("课程安排", "会务保障") else 31
                    ),
                    template=template,
                    detail=detail,
                    replied_on=pendulum.Date(2022, 9, 20).add(days=rng.randrange(24)),
                    rating="不满意" if unhappy else rating,
                    second_reply=(f"经再次专题研究并当面听取代表意见，{detail}" if unhappy else ""),
                    second_rating=rng.choice(("满意", "基本满意")) if unhappy else "",
                )
            )
    for group_index, original in DUPLICATES:
        first = plan[original]
        group = ordered[group_index]
        plan.append(
            attrs.evolve(
                first,
                group_id=group.id,
                proposers=(group.members[len(plan) % len(group.members)],),
                body=first.body.replace("代表们", f"{group.name}代表们", 1),
                duplicate_of=original,
            )
        )
    return plan


def _at(day: pendulum.Date, hour: int, minute: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(day.year, day.month, day.day, hour, minute, tz=TZ)


def run_suggestions(
    office: Secretariat,
    programme: Programme,
    groups: Sequence[DiscussionGroup],
    clock: FixedClock,
) -> SuggestionsSummary:
    """Submit, merge, classify, assign, answer and rate the planned suggestions through
    ``office.suggestions``, moving ``clock`` along the days after the course; returns what
    was done."""
    service = office.suggestions
    plan = plan_suggestions(groups)
    discussion = [
        s
        for s in office.programme.timetable(programme.id)
        if s.kind is SessionKind.GROUP_DISCUSSION
    ]
    session_id = discussion[0].id if discussion else None

    ids: list[str] = []
    for n, item in enumerate(plan):  # during the discussion (afternoon of day 2)
        clock.set(_at(pendulum.Date(2022, 9, 7), 15).add(minutes=n))
        s = service.submit(
            programme_id=programme.id,
            title=item.title,
            body=item.body,
            proposers=item.proposers,
            group_id=item.group_id,
            session_id=session_id,
            by=item.proposers[0],
        )
        ids.append(s.id)

    clock.set(_at(pendulum.Date(2022, 9, 8), 10))
    for n, item in enumerate(plan):
        if item.duplicate_of is not None:
            service.merge(
                [ids[n]], into=ids[item.duplicate_of], reason="内容相近，合并办理", by=LIAISON
            )
    live = [(ids[n], item) for n, item in enumerate(plan) if item.duplicate_of is None]

    clock.set(_at(pendulum.Date(2022, 9, 8), 14))
    for sid, item in live:
        service.classify(sid, item.category, item.aspect, by=LIAISON)
    clock.set(_at(pendulum.Date(2022, 9, 9), 9))
    for sid, item in live:
        service.assign(sid, item.unit, item.deadline, by=LIAISON, reason="交办")

    by_day = sorted(live, key=lambda pair: (pair[1].replied_on, pair[0]))
    for sid, item in by_day:
        clock.set(_at(item.replied_on, 16))
        service.reply(sid, item.detail, template=item.template, by=item.unit)
    for sid, item in by_day:
        clock.set(_at(item.replied_on.add(days=7), 10))
        service.rate(sid, item.rating, by=item.proposers[0])

    again = [(sid, item) for sid, item in by_day if item.second_reply]
    clock.set(_at(pendulum.Date(2022, 10, 28), 9))
    for sid, item in again:
        service.assign(
            sid, item.unit, pendulum.Date(2022, 11, 30), by=LIAISON, reason="不满意，重新办理"
        )
    clock.set(_at(pendulum.Date(2022, 11, 20), 16))
    for sid, item in again:
        service.reply(sid, item.second_reply, template="已采纳", by=item.unit)
    clock.set(_at(pendulum.Date(2022, 11, 27), 10))
    for sid, item in again:
        service.rate(sid, item.second_rating, by=item.proposers[0])

    final = service.list(programme.id)
    stats = service.stats(programme.id)
    return SuggestionsSummary(
        submitted=len(plan),
        merged=stats.merged,
        suggestions=stats.total,
        replied=sum(1 for s in final if s.reply is not None and s.merged_into is None),
        second_round=len(again),
        closed=sum(1 for s in final if s.state is SuggestionState.CLOSED),
        bulletin=stats.bulletin(),
    )
