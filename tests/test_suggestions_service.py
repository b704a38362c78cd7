"""office.suggestions: numbering, taxonomy on entry, merge, assign, reply templates, rating,
overdue, statistics and the bulletin; the demo's suggestions."""

from __future__ import annotations

import pendulum
import pytest

import lvzhi
from lvzhi.clock import FixedClock
from lvzhi.domain import DiscussionGroup, SuggestionState
from lvzhi.errors import NotFound, TransitionError, ValidationError
from lvzhi.samples import make_course
from lvzhi.samples.load import load_course
from lvzhi.samples.suggestions import plan_suggestions, run_suggestions

S = SuggestionState


def course_office(clock: FixedClock, **settings: object) -> lvzhi.Secretariat:
    office = lvzhi.open(
        "memory://", clock=clock, load_entrypoints=False, settings=lvzhi.Settings(**settings)
    )
    load_course(office, schedule=False)
    return office


@pytest.fixture
def office(clock: FixedClock) -> lvzhi.Secretariat:
    return course_office(clock)


@pytest.fixture
def groups(office: lvzhi.Secretariat) -> list[DiscussionGroup]:
    return office.groups.form(12)


def test_submit_numbers_per_course_and_checks_on_entry(
    office: lvzhi.Secretariat, groups: list[DiscussionGroup]
) -> None:
    members = groups[0].members
    first = office.suggestions.submit(title="关于培训的建议", proposers=[members[0]])
    second = office.suggestions.submit(
        title="关于联络站的建议",
        proposers=members[:2],
        group_id=groups[0].id,
        category="代表联系群众",
        aspect="联系渠道",
    )
    assert (first.number, second.number) == (1, 2)
    assert first.state is S.SUBMITTED and second.state is S.CLASSIFIED
    assert [t.action for t in second.transitions] == ["submit", "classify"]
    with pytest.raises(ValidationError, match="代表履职能力、代表联系群众、代表工作机制"):
        office.suggestions.submit(title="t", proposers=[members[0]], category="经济", aspect="x")
    with pytest.raises(ValidationError, match="not on the roster"):
        office.suggestions.submit(title="t", proposers=["nobody"])
    with pytest.raises(NotFound):
        office.suggestions.submit(title="t", proposers=[members[0]], group_id="nogroup")
    assert [s.number for s in office.suggestions.list()] == [1, 2]  # failures stored nothing


def test_a_configured_taxonomy_is_used(clock: FixedClock) -> None:
    office = course_office(clock, suggestion_taxonomy={"经济发展": ["产业升级"]})
    cert = office.delegates()[0].key
    s = office.suggestions.submit(
        title="t", proposers=[cert], category="经济发展", aspect="产业升级"
    )
    assert s.aspect == "产业升级"
    with pytest.raises(ValidationError, match="经济发展"):
        office.suggestions.classify(s.id, "代表履职能力", "学习培训")


def test_the_whole_life_of_a_suggestion(
    office: lvzhi.Secretariat, groups: list[DiscussionGroup], clock: FixedClock
) -> None:
    members = groups[1].members
    a = office.suggestions.submit(title="关于培训的建议", proposers=[members[0]])
    b = office.suggestions.submit(title="关于培训的建议", proposers=[members[1]])
    kept = office.suggestions.merge([b.id], into=a.id, reason="内容相近", by="联工委")
    assert kept.proposers == (members[0], members[1])
    assert office.suggestions.get(b.id).state is S.MERGED
    with pytest.raises(TransitionError, match="'merged' cannot go to 'classified'"):
        office.suggestions.classify(b.id, "代表履职能力", "学习培训")
    office.suggestions.classify(a.id, "代表履职能力", "学习培训", by="联工委")
    with pytest.raises(TransitionError, match="'classified' cannot go to 'replied' \\(reply\\)"):
        office.suggestions.reply(a.id, "x", by="联工委")
    office.suggestions.assign(a.id, "市人大常委会办公室", pendulum.Date(2022, 9, 30), by="联工委")
    assert [s.id for s in office.suggestions.overdue(pendulum.Date(2022, 10, 1))] == [a.id]
    assert office.suggestions.overdue(pendulum.Date(2022, 9, 30)) == []
    clock.advance(days=10)
    s = office.suggestions.reply(a.id, "下期增加实务课程。", template="已采纳", signer="主任")
    assert s.reply is not None
    names = {d.key: d.name for d in office.delegates()}
    assert s.reply.body.startswith(f"{names[members[0]]}、{names[members[1]]}代表：")
    assert "第1号建议《关于培训的建议》" in s.reply.body and s.reply.body.endswith(
        "下期增加实务课程。"
    )
    assert (s.reply.unit, s.reply.signer, s.reply.replied_by) == (
        "市人大常委会办公室",
        "主任",
        "主任",
    )
    assert office.suggestions.overdue(pendulum.Date(2022, 12, 1)) == []
    s = office.suggestions.rate(a.id, "不满意", by=members[0], reason="未说明时间")
    assert s.state is S.REOPENED and s.round == 2
    office.suggestions.assign(a.id, "市人大常委会办公室", "2022-11-30")
    s = office.suggestions.reply(
        a.id,
        "已明确于明年三月举办。",
        template="正在办理",
        templates={"正在办理": "{unit}正在办理，{deadline}前办结。{detail}"},
    )
    assert s.reply is not None and s.reply.body.startswith(
        "市人大常委会办公室正在办理，2022年11月30日前办结。"
    )
    s = office.suggestions.rate(a.id, "basically_satisfied", by=members[0])
    assert s.state is S.CLOSED and len(s.previous_replies) == 1
    with pytest.raises(TransitionError, match="'closed' cannot go to 'assigned'"):
        office.suggestions.assign(a.id, "x")
    with pytest.raises(ValidationError, match="已采纳"):
        office.suggestions.reply(a.id, template="没有")
    assert office.suggestions.bulletin() == "共收集意见建议1条，归纳为1大类1个方面"


def test_the_demo_suggestions(office: lvzhi.Secretariat, clock: FixedClock) -> None:
    course = make_course()
    groups = office.groups.form(12)
    plan = plan_suggestions(groups)
    assert plan == plan_suggestions(groups)  # deterministic
    assert len(plan) == 100 and sum(p.duplicate_of is not None for p in plan) == 4
    per_group = {
        g.id: sum(p.group_id == g.id for p in plan if p.duplicate_of is None) for g in groups
    }
    assert len(set(per_group.values())) > 1  # not the same for every group
    summary = run_suggestions(office, course.programme, groups, clock)
    assert (summary.submitted, summary.merged, summary.suggestions) == (100, 4, 96)
    assert summary.replied == 96 and summary.second_round == 5 and summary.closed == 96
    stats = office.suggestions.stats()
    assert summary.bulletin == stats.bulletin() == "共收集意见建议96条，归纳为4大类8个方面"
    assert stats.total == sum(stats.by_category.values()) == sum(stats.by_group.values()) == 96
    assert len(set(stats.by_aspect.values())) > 2  # unevenly spread
    assert len(stats.by_unit) >= 3 and sum(stats.by_unit.values()) == 96
    live = office.suggestions.list(include_merged=False)
    assert len({s.reply.body for s in live if s.reply}) == 96  # replies differ
    assert sum(s.round == 2 for s in live) == 5
    for s in live:
        trail = s.transitions
        assert trail[-1].to_state is s.state is S.CLOSED and trail[0].from_state is None
