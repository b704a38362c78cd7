"""The suggestion state machine: every legal move keeps who, when and why; every illegal
one raises TransitionError naming both states; the taxonomy is checked."""

from __future__ import annotations

import itertools

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lvzhi import serialization as ser
from lvzhi.domain import DEFAULT_TAXONOMY, Reply, Suggestion, SuggestionState, Taxonomy
from lvzhi.domain.suggestions import MOVES, suggestion_stats
from lvzhi.domain.taxonomy import render_reply
from lvzhi.errors import TransitionError, ValidationError

S = SuggestionState
T0 = pendulum.datetime(2022, 9, 7, 15, tz="Asia/Shanghai")


def fresh(**changes: object) -> Suggestion:
    values: dict[str, object] = {
        "id": "s1",
        "programme_id": "p1",
        "title": "关于加强培训的建议",
        "proposers": ("c1",),
        "submitted_at": T0,
        "number": 1,
    }
    values.update(changes)
    return Suggestion(**values).submitted(by="c1")  # type: ignore[arg-type]


def reply(at: pendulum.DateTime, by: str = "联工委") -> Reply:
    return Reply(body="已采纳", replied_by=by, replied_at=at, unit="联工委", signer="主任")


def at(hours: int) -> pendulum.DateTime:
    return T0.add(hours=hours)


def do(s: Suggestion, action: str, when: pendulum.DateTime, who: str = "someone") -> Suggestion:
    """Apply one action by its key in MOVES."""
    if action == "classify":
        return s.classify("代表履职能力", "学习培训", taxonomy=DEFAULT_TAXONOMY, at=when, by=who)[0]
    if action == "assign":
        return s.hand_to("市人大常委会办公室", pendulum.Date(2022, 10, 31), at=when, by=who)[0]
    if action == "reply":
        return s.answer(reply(when, who))[0]
    if action == "close":
        return s.rate("满意", at=when, by=who)[0]
    if action == "reopen":
        return s.rate("不满意", at=when, by=who)[0]
    other = fresh(id="s2", number=2, proposers=("c2",))
    if action == "merge":
        return s.merge_into(other, at=when, by=who, reason="相近")
    return s.absorb([other], at=when, by=who, reason="相近")[0]


def reach(state: SuggestionState) -> Suggestion:
    paths = {
        S.SUBMITTED: [],
        S.CLASSIFIED: ["classify"],
        S.ASSIGNED: ["assign"],
        S.REPLIED: ["assign", "reply"],
        S.REOPENED: ["assign", "reply", "reopen"],
        S.CLOSED: ["assign", "reply", "close"],
        S.MERGED: ["merge"],
    }
    s = fresh()
    for n, action in enumerate(paths[state], 1):
        s = do(s, action, at(n))
    assert s.state is state
    return s


CASES = [(action, state) for action in MOVES for state in S]


@pytest.mark.parametrize(("action", "state"), CASES, ids=[f"{a}-{s}" for a, s in CASES])
def test_every_move_from_every_state(action: str, state: SuggestionState) -> None:
    s = reach(state)
    when = at(50)
    if state in MOVES[action]:
        new = do(s, action, when, "会务组")
        step = new.transitions[-1]
        assert (step.from_state, step.to_state) == (state, MOVES[action][state])
        assert (step.at, step.by, step.action) == (when, "会务组", action)
        assert new.state is MOVES[action][state]
        assert new.transitions[:-1] == s.transitions
    else:
        with pytest.raises(TransitionError) as caught:
            do(s, action, when)
        message = str(caught.value)
        assert f"in state '{state.value}' cannot go to '" in message
        assert caught.value.current == state.value and caught.value.target


def test_the_documented_message() -> None:
    with pytest.raises(TransitionError) as caught:
        fresh().answer(reply(at(1)))
    assert str(caught.value) == "Suggestion in state 'submitted' cannot go to 'replied' (reply)"
    old = TransitionError("LeaveRequest", "approved", "be withdrawn")
    assert str(old) == "LeaveRequest in state 'approved' cannot be withdrawn" and old.target is None


def test_second_round_keeps_the_first_reply_and_counts_rounds() -> None:
    s = reach(S.REOPENED)
    assert s.round == 2 and s.satisfaction is not None and s.satisfaction.label == "不满意"
    s = do(do(s, "assign", at(10)), "reply", at(11))
    assert len(s.previous_replies) == 1 and s.reply is not None
    s = s.rate("基本满意", at=at(12), by="c1")[0]
    assert s.state is S.CLOSED and s.round == 2
    assert [t.to_state for t in s.transitions] == [
        S.SUBMITTED,
        S.ASSIGNED,
        S.REPLIED,
        S.REOPENED,
        S.ASSIGNED,
        S.REPLIED,
        S.CLOSED,
    ]


def test_merging_keeps_every_proposer_and_why() -> None:
    target = fresh(proposers=("c1", "c2"))
    other = fresh(id="s2", number=2, proposers=("c2", "c3"))
    merged = other.merge_into(target, at=at(1), by="联工委", reason="内容相近")
    kept, events = target.absorb([other], at=at(1), by="联工委", reason="内容相近")
    assert kept.proposers == ("c1", "c2", "c3")
    assert merged.state is S.MERGED and merged.merged_into == "s1"
    assert "内容相近" in merged.transitions[-1].reason and "第2号" in kept.transitions[-1].reason
    assert events[0].name == "suggestions.merged"
    with pytest.raises(ValidationError):
        target.merge_into(target, at=at(1))
    with pytest.raises(ValidationError, match="merged_into"):
        Suggestion(
            id="x", programme_id="p", title="t", proposers=["c"], submitted_at=T0, state="merged"
        )


def test_taxonomy_is_checked_naming_the_allowed_values() -> None:
    s = fresh()
    with pytest.raises(ValidationError, match="代表履职能力、代表联系群众"):
        s.classify("经济发展", "产业", taxonomy=DEFAULT_TAXONOMY, at=at(1))
    with pytest.raises(ValidationError, match="学习培训、调查研究"):
        s.classify("代表履职能力", "联系渠道", taxonomy=DEFAULT_TAXONOMY, at=at(1))
    assert DEFAULT_TAXONOMY.aspect_count == 8 and len(DEFAULT_TAXONOMY.names) == 4
    custom = Taxonomy.of({"甲": ["一", "二"]})
    assert s.classify("甲", "二", taxonomy=custom, at=at(1))[0].aspect == "二"
    with pytest.raises(ValidationError):
        Taxonomy.of({"甲": []})


def test_reply_templates_fill_placeholders_and_refuse_unknown_ones() -> None:
    values = {"title": "题", "detail": "具体"}
    assert render_reply("关于《{title}》。", values) == "关于《题》。具体"
    assert render_reply("{detail}！", values) == "具体！"
    with pytest.raises(ValidationError, match="unknown placeholders"):
        render_reply("{nope}", values)


def test_old_stored_suggestions_still_load() -> None:
    old = {
        "id": "y1",
        "programme_id": "p1",
        "title": "旧建议",
        "body": "",
        "proposers": ["c1"],
        "group_id": None,
        "category": "城乡建设",
        "aspect": "交通",
        "handling_unit": "市交通局",
        "deadline": "2022-10-31",
        "submitted_at": "2022-09-07T07:00:00.000000Z",
        "state": "replied",
        "reply": {
            "body": "已办理",
            "replied_by": "市交通局",
            "replied_at": "2022-10-01T02:00:00.000000Z",
        },
        "satisfaction": "satisfied",
    }
    loaded = ser.load(Suggestion, old)
    assert loaded.transitions == () and loaded.number is None and loaded.state is S.REPLIED
    full = reach(S.REOPENED)
    assert ser.load(Suggestion, ser.dump(full)) == full


ACTIONS = st.lists(st.sampled_from(sorted(MOVES)), max_size=12)


@settings(max_examples=150, deadline=None)
@given(ACTIONS)
def test_any_sequence_of_actions_keeps_the_trail_consistent(actions: list[str]) -> None:
    s = fresh()
    for n, action in enumerate(actions, 1):
        before = s
        if before.state not in MOVES[action]:
            with pytest.raises(TransitionError, match=f"state '{before.state.value}'"):
                do(s, action, at(n))
            continue
        s = do(s, action, at(n), f"who{n}")
        assert len(s.transitions) == len(before.transitions) + 1
    trail = s.transitions
    assert trail[0].from_state is None and trail[0].to_state is S.SUBMITTED
    for earlier, later in itertools.pairwise(trail):
        assert later.from_state is earlier.to_state
        assert later.at >= earlier.at
        assert later.to_state is MOVES[later.action][later.from_state]
    assert trail[-1].to_state is s.state
    assert s.round == 1 + sum(t.to_state is S.REOPENED for t in trail)


def test_stats_leave_merged_out_and_count_what_is_used() -> None:
    a = do(fresh(), "classify", at(1))
    b = fresh(id="s2", number=2).classify(
        "代表联系群众", "联系渠道", taxonomy=DEFAULT_TAXONOMY, at=at(1)
    )[0]
    c = fresh(id="s3", number=3).merge_into(a, at=at(2))
    stats = suggestion_stats([a, b, c], DEFAULT_TAXONOMY)
    assert (stats.total, stats.merged, stats.categories, stats.aspects) == (2, 1, 2, 2)
    assert stats.bulletin() == "共收集意见建议2条，归纳为2大类2个方面"
    assert list(stats.by_category) == ["代表履职能力", "代表联系群众"]
