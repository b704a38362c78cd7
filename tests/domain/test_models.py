from __future__ import annotations

import datetime as dt

import pendulum
import pytest

from lvzhi.domain import (
    Audience,
    Delegate,
    Delegation,
    DelegationKind,
    DiscussionGroup,
    Gender,
    LeaveRequest,
    LeaveStage,
    LeaveState,
    Notice,
    Official,
    Programme,
    Reply,
    Scan,
    Session,
    SessionKind,
    Suggestion,
    SuggestionState,
    Venue,
)
from lvzhi.errors import TransitionError, ValidationError

T0 = pendulum.datetime(2022, 9, 6, 9, 0, tz="Asia/Shanghai")


def deputy(**kw: object) -> Delegate:
    values: dict[str, object] = {
        "certificate_no": "HY16-0001",
        "name": "王毅",
        "gender": "男",
        "delegation": "hengnan",
    }
    values.update(kw)
    return Delegate(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("field", "value", "needle"),
    [
        ("certificate_no", "HY 16", "Delegate.certificate_no"),
        ("certificate_no", "", "Delegate.certificate_no"),
        ("name", "", "Delegate.name"),
        ("gender", "未知", "Delegate.gender"),
        ("delegation", "衡南县!", "Delegate.delegation"),
        ("phone", "call me", "Delegate.phone"),
        ("email", "not-an-address", "Delegate.email"),
        ("is_new", "yes", "Delegate.is_new"),
    ],
)
def test_invalid_delegate_names_field_and_value(field: str, value: object, needle: str) -> None:
    with pytest.raises(ValidationError) as info:
        deputy(**{field: value})
    assert info.value.field == needle
    assert info.value.value == value
    assert needle in str(info.value)
    assert repr(value) in str(info.value)


def test_delegate_normalises_names_and_accepts_chinese_gender() -> None:
    d = deputy(name=" 王\u3000毅 ", gender="女")
    assert d.name == "王毅"
    assert d.gender is Gender.FEMALE
    assert d.key == "HY16-0001"
    latin = deputy(name="  Anna   Maria ")
    assert latin.name == "Anna Maria"


def test_delegation_report_body_defaults() -> None:
    county = Delegation(code="hengnan", name="衡南县", kind="县")
    assert county.kind is DelegationKind.COUNTY
    assert county.report_body == "衡南县人大常委会"
    army = Delegation(code="garrison", name="驻衡部队", kind="garrison")
    assert army.report_body == "驻衡部队领导"
    explicit = Delegation(code="x", name="某区", report_to="某区人大常委会办公室")
    assert explicit.report_body == "某区人大常委会办公室"


def test_session_times_are_utc_and_validated() -> None:
    s = Session(
        id="s1",
        programme_id="p1",
        title="开班式",
        kind="开班式",
        starts_at=T0,
        ends_at=dt.datetime(2022, 9, 6, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))),
    )
    assert s.kind is SessionKind.OPENING
    assert s.starts_at.tzinfo is not None
    assert s.starts_at.timezone_name == "UTC"
    assert s.starts_at == T0
    assert s.duration_minutes == 60
    with pytest.raises(ValidationError, match="Session.ends_at"):
        Session(id="s1", programme_id="p1", title="t", kind="other", starts_at=T0, ends_at=T0)
    with pytest.raises(ValidationError, match="Session.starts_at"):
        Session(
            id="s1",
            programme_id="p1",
            title="t",
            kind="other",
            starts_at=pendulum.naive(2022, 9, 6, 9),
            ends_at=T0.add(hours=1),
        )


def test_programme_dates_and_timezone() -> None:
    p = Programme(id="p1", title="培训班", start_date="2022-09-06", end_date="2022-09-08")
    assert [d.day for d in p.days()] == [6, 7, 8]
    assert p.local(T0).hour == 9
    with pytest.raises(ValidationError, match="Programme.end_date"):
        Programme(id="p1", title="培训班", start_date="2022-09-08", end_date="2022-09-06")
    with pytest.raises(ValidationError, match="Programme.timezone"):
        Programme(
            id="p1",
            title="t",
            start_date="2022-09-06",
            end_date="2022-09-06",
            timezone="China/Beijing",
        )
    with pytest.raises(ValidationError, match="Programme.start_date"):
        Programme(id="p1", title="t", start_date="6 Sept", end_date="2022-09-06")


def test_audience_and_venue_and_group_validation() -> None:
    assert Audience().describe() == "全体代表"
    assert Audience(everyone=False, delegations={"hengnan"}).delegations == frozenset({"hengnan"})
    with pytest.raises(ValidationError, match="Audience.everyone"):
        Audience(delegations={"hengnan"})
    with pytest.raises(ValidationError, match="Venue.capacity"):
        Venue(id="hall", name="报告厅", capacity=0)
    with pytest.raises(ValidationError, match="DiscussionGroup.members"):
        DiscussionGroup(id="g1", programme_id="p", number=1, name="第1组", members=("a", "a"))
    with pytest.raises(ValidationError, match="Official.role"):
        Official(id="o1", name="张三", role="janitor")


def test_scan_defaults() -> None:
    scan = Scan(id="n1", session_id="s1", certificate_no="c1", scanned_at=T0)
    assert scan.kind.value == "entry"
    assert scan.scanned_at.timezone_name == "UTC"
    with pytest.raises(ValidationError, match="Scan.kind"):
        Scan(id="n1", session_id="s1", certificate_no="c1", scanned_at=T0, kind="sideways")


def leave() -> LeaveRequest:
    return LeaveRequest(
        id="l1",
        programme_id="p1",
        certificate_no="c1",
        starts_at=T0,
        ends_at=T0.add(hours=8),
        reason="住院治疗",
        submitted_at=T0.subtract(days=3),
    )


def test_leave_needs_both_stages_in_order() -> None:
    req = leave()
    assert not req.excuses
    with pytest.raises(TransitionError, match="submitted"):
        req.decide(LeaveStage.ORGANISER, approver="市", approved=True, at=T0)
    first, events = req.decide(LeaveStage.DELEGATION, approver="县", approved=True, at=T0)
    assert first.state is LeaveState.DELEGATION_APPROVED
    assert not first.excuses
    assert events[0].name == "leave.decided"
    second, _ = first.decide(LeaveStage.ORGANISER, approver="市", approved=True, at=T0)
    assert second.state is LeaveState.APPROVED
    assert second.excuses
    assert [d.stage for d in second.decisions] == [LeaveStage.DELEGATION, LeaveStage.ORGANISER]
    with pytest.raises(TransitionError):
        second.withdraw(at=T0)
    assert req == leave()  # transitions never mutate


def test_leave_rejection_and_withdrawal() -> None:
    rejected, _ = leave().decide(LeaveStage.DELEGATION, approver="县", approved=False, at=T0)
    assert rejected.state is LeaveState.REJECTED
    withdrawn, _ = leave().withdraw(at=T0)
    assert withdrawn.state is LeaveState.WITHDRAWN
    assert leave().covers(T0.add(hours=1), T0.add(hours=2))
    assert not leave().covers(T0.add(hours=9), T0.add(hours=10))


def test_suggestion_reply_once() -> None:
    s = Suggestion(
        id="s1", programme_id="p1", title="关于交通的建议", proposers=["c1"], submitted_at=T0
    )
    assert s.proposers == ("c1",)
    with pytest.raises(ValidationError, match="Suggestion.proposers"):
        Suggestion(id="s2", programme_id="p1", title="t", proposers=[], submitted_at=T0)
    assigned = s.assign("市交通运输局", pendulum.Date(2022, 10, 30))
    assert assigned.state is SuggestionState.ASSIGNED
    answered, events = assigned.answer(Reply(body="已办理", replied_by="联工委", replied_at=T0))
    assert answered.state is SuggestionState.REPLIED
    assert events[0].name == "suggestion.replied"
    with pytest.raises(TransitionError):
        answered.answer(Reply(body="再次", replied_by="联工委", replied_at=T0))


def test_notice_needs_recipients() -> None:
    with pytest.raises(ValidationError, match="Notice.recipients"):
        Notice(id="n1", programme_id="p1", kind="report", title="通报", recipients=(), issued_at=T0)
    n = Notice(
        id="n1",
        programme_id="p1",
        kind="report",
        title="通报",
        recipients="衡南县人大常委会",
        issued_at=T0,
    )
    assert n.recipients == ("衡南县人大常委会",)
