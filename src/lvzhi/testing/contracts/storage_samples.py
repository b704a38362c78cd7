"""The sample models and helpers of :class:`lvzhi.testing.StorageContract`.

:func:`sample_models` gives three models of each aggregate of
:data:`lvzhi.storage.schema.AGGREGATES` that between them fill every optional and nested
attribute; the contract stores them in every backend and compares what comes back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
import pendulum

import lvzhi.testing.factories as fx
from lvzhi.domain import (
    Audience,
    DelegationKind,
    Gender,
    LeaveStage,
    Reply,
    Satisfaction,
    Scan,
    ScanKind,
    SessionKind,
)
from lvzhi.domain.checks import AttendanceCorrection, CorrectionKind, SpotCheck, SpotCheckKind
from lvzhi.domain.evaluation import (
    EvaluationAnswer,
    EvaluationItem,
    ItemKind,
    Questionnaire,
    Response,
)
from lvzhi.domain.hall_layout import SectionSpec, build_hall, uniform_rows
from lvzhi.domain.halls import Hall
from lvzhi.domain.materials import (
    Handbook,
    HandbookPart,
    HandbookQuestion,
    RoleKind,
    SessionRole,
)
from lvzhi.domain.outbox import Delivery, DeliveryState, OutboxEntry, OutboxState
from lvzhi.domain.seating import SeatPlan
from lvzhi.domain.stations import StationPass
from lvzhi.domain.zones import Zone
from lvzhi.storage.schema import AGGREGATES
from lvzhi.testing.contracts.planning_samples import planning_samples

__all__ = ["REPOSITORY_NAMES", "TEXT_FIELD", "at", "changed", "sample_models", "scan"]

#: The repository attributes every unit of work has (the scan log aside): the names of
#: :data:`lvzhi.storage.schema.AGGREGATES`.
REPOSITORY_NAMES: tuple[str, ...] = tuple(a.name for a in AGGREGATES)

#: A text attribute of each model that ``put`` tests change.
TEXT_FIELD: dict[str, str] = {
    "delegations": "name",
    "delegates": "name",
    "officials": "name",
    "programmes": "title",
    "sessions": "title",
    "venues": "name",
    "groups": "name",
    "leave_requests": "reason",
    "suggestions": "title",
    "notices": "title",
    "outbox": "event",
    "deliveries": "recipient",
    "halls": "name",
    "seat_plans": "hall_id",
    "zones": "name",
    "corrections": "reason",
    "spot_checks": "finding",
    "training_plans": "title",
    "surveys": "title",
    "survey_responses": "note",
    "tasks": "title",
    "meetings": "topic",
    "stations": "reason",
    "handbooks": "title",
    "session_roles": "topic",
    "questionnaires": "title",
    "responses": "note",
}

_T0 = fx.COURSE_START


def at(minutes: int) -> pendulum.DateTime:
    """The course's first session start plus ``minutes``."""
    return _T0.add(minutes=minutes)


def sample_models(repository: str) -> list[Any]:
    """Three models for ``repository`` with their keys out of order; between them they
    fill every optional and nested attribute of the model."""
    beijing = pendulum.datetime(2022, 9, 6, 14, 30, tz="Asia/Shanghai")
    makers: dict[str, Callable[[], list[Any]]] = {
        "delegations": lambda: [
            fx.make_delegation(code="d-3", name="驻军", kind=DelegationKind.GARRISON),
            fx.make_delegation(code="d-1", leader_id="o-1", staff_id="o-2", report_to="某县"),
            fx.make_delegation(code="d-2", kind="区"),
        ],
        "delegates": lambda: [
            fx.make_delegate(
                certificate_no="c-3", delegation="d-2", phone="0734-1234567", is_new=False
            ),
            fx.make_delegate(
                certificate_no="c-1",
                delegation="d-1",
                gender=Gender.MALE,
                is_new=True,
                email="c1@example.org",
                title="村党支部书记",
                ethnicity="瑶族",
            ),
            fx.make_delegate(
                certificate_no="c-2", delegation="d-1", gender=Gender.FEMALE, is_new=False
            ),
        ],
        "officials": lambda: [
            fx.make_official(id="o-2", delegation="d-1", role="工作人员"),
            fx.make_official(id="o-1", role="lecturer", title="教授", phone="13800000000"),
            fx.make_official(id="o-3"),
        ],
        "programmes": lambda: [
            fx.make_programme(id="p-2", timezone="UTC"),
            fx.make_programme(
                id="p-1",
                organiser="市人大常委会",
                policy=attrs.evolve(
                    fx.make_programme().policy, grace_minutes=10, require_written_leave=False
                ),
            ),
            fx.make_programme(id="p-3"),
        ],
        "sessions": lambda: [
            fx.make_session(id="s-3", programme_id="p-2", kind=SessionKind.GROUP_DISCUSSION),
            fx.make_session(
                id="s-1",
                programme_id="p-1",
                starts_at=beijing,
                venue_id="v-1",
                lecturer="省委党校讲师",
                host="主持人",
                audience=Audience(everyone=False, delegations={"d-2", "d-1"}, groups={"3"}),
                notes="请提前十分钟入场",
            ),
            fx.make_session(id="s-2", programme_id="p-1", audience=Audience(new_only=True)),
        ],
        "venues": lambda: [
            fx.make_venue(id="v-2", capacity=None, kind="hall", address="某路1号"),
            fx.make_venue(id="v-1"),
            fx.make_venue(id="v-3", kind="dining"),
        ],
        "groups": lambda: [
            fx.make_group(id="g-2", programme_id="p-1", number=2, members=("c-3",)),
            fx.make_group(
                id="g-1",
                programme_id="p-1",
                number=1,
                venue_id="v-1",
                convener_id="o-1",
                leader_ids=("o-2", "o-1"),
                members=("c-2", "c-1"),
            ),
            fx.make_group(id="g-3", programme_id="p-2", number=3),
        ],
        "leave_requests": lambda: [
            fx.make_leave_request(id="l-3", programme_id="p-2", certificate_no="c-3"),
            fx.make_leave_request(
                id="l-1", programme_id="p-1", certificate_no="c-1", starts_at=beijing
            )
            .decide(LeaveStage.DELEGATION, approver="某县人大常委会", approved=True, at=at(1))[0]
            .decide(LeaveStage.ORGANISER, approver="会务组", approved=True, at=at(2))[0],
            fx.make_leave_request(
                id="l-2", programme_id="p-1", certificate_no="c-2", written_application="请假条"
            ),
        ],
        "suggestions": lambda: [
            fx.make_suggestion(id="y-3", programme_id="p-2"),
            fx.make_suggestion(
                id="y-1",
                programme_id="p-1",
                proposers=("c-2", "c-1"),
                group_id="g-1",
                handling_unit="市财政局",
                deadline=pendulum.Date(2022, 10, 31),
                state="replied",
                reply=Reply(body="已采纳", replied_by="市财政局", replied_at=beijing),
                satisfaction=Satisfaction.BASICALLY,
            ),
            fx.make_suggestion(id="y-2", programme_id="p-1").assign("市教育局"),
        ],
        "notices": lambda: [
            fx.make_notice(id="n-3", programme_id="p-2", kind="report"),
            fx.make_notice(
                id="n-1", programme_id="p-1", recipients=("甲县人大常委会", "乙区人大常委会")
            ),
            fx.make_notice(id="n-2", programme_id="p-1", kind="bulletin", body=""),
        ],
        "outbox": lambda: [
            OutboxEntry(id="e-3", event="notice_published", occurred_at=at(3)),
            OutboxEntry(
                id="e-1",
                event="delegate_registered",
                payload={"certificate_no": "c-1", "names": ["甲", "乙"], "seen": {"n": 2}},
                occurred_at=beijing,
                handlers=("lvzhi.builtins.notifiers", "audit"),
                state=OutboxState.PENDING,
                attempts=2,
                last_error="audit: 超时",
                next_attempt_at=at(30),
            ),
            OutboxEntry(id="e-2", event="scan_recorded", occurred_at=at(1), state=OutboxState.DONE),
        ],
        "deliveries": lambda: [
            Delivery(
                id="dl-3",
                notice_id="n-2",
                channel="log",
                recipient="某县人大常委会",
                state=DeliveryState.FAILED,
                attempts=8,
                last_error="channel closed",
            ),
            Delivery(
                id="dl-1",
                notice_id="n-1",
                channel="email",
                recipient="c-1",
                address="c1@example.org",
                state=DeliveryState.SENT,
                attempts=1,
                sent_at=beijing,
            ),
            Delivery(
                id="dl-2",
                notice_id="n-1",
                channel="file",
                recipient="c-2",
                attempts=3,
                last_error="disk full",
                next_attempt_at=at(40),
            ),
        ],
        "halls": lambda: [
            _hall("h-2", "大礼堂", odd_even=True),
            _hall("h-1", "报告厅"),
            _hall("h-3", "第三会议室"),
        ],
        "seat_plans": lambda: [
            SeatPlan(hall_id="h-2", assignments={"c-1": "L-1-1", "c-2": "L-1-3"}),
            SeatPlan(hall_id="h-1", programme_id="p-1", assignments={"c-3": "L-2-1"}),
            SeatPlan(hall_id="h-3", assignments={}),
        ],
        "zones": lambda: [
            Zone(id="z-2", hall_id="h-1", name="B区", seats=("R-1-1", "R-1-2")),
            Zone(id="z-1", hall_id="h-1", name="A区", seats=("L-1-1",), taker_id="o-2"),
            Zone(id="z-3", hall_id="h-2", name="主席台", seats=("L-1-5", "L-1-3")),
        ],
        "corrections": lambda: [
            AttendanceCorrection(
                id="k-2",
                session_id="s-1",
                certificate_no="c-1",
                kind=CorrectionKind.SET_STATUS,
                status="exempt",
                by="o-1",
                at=beijing,
                reason="列席主席团会议",
            ),
            AttendanceCorrection(
                id="k-1",
                session_id="s-1",
                certificate_no="c-2",
                kind=CorrectionKind.VOID_SCAN,
                scan_id="scan-9",
                by="o-2",
                at=at(5),
                reason="误刷代表证",
            ),
            AttendanceCorrection(
                id="k-3",
                session_id="s-2",
                certificate_no="c-3",
                kind=CorrectionKind.SET_STATUS,
                status="present",
                by="o-1",
                at=at(90),
                reason="签到设备故障，经核实已出席",
            ),
        ],
        "spot_checks": lambda: [
            SpotCheck(
                id="sc-2",
                programme_id="p-1",
                kind=SpotCheckKind.LODGING,
                certificate_no="c-1",
                checked_by="o-2",
                checked_at=beijing,
                place="培训中心3号楼",
                finding="22:30未归宿",
                breach=True,
            ),
            SpotCheck(
                id="sc-1",
                programme_id="p-1",
                kind=SpotCheckKind.MEAL,
                certificate_no="c-2",
                checked_by="o-1",
                checked_at=at(200),
                finding="按时用餐",
            ),
            SpotCheck(
                id="sc-3",
                programme_id="p-2",
                kind="other",
                certificate_no="c-3",
                checked_by="o-1",
                checked_at=at(300),
                place="",
                finding="正常",
            ),
        ],
        "stations": lambda: [
            StationPass(
                id="sp-2",
                programme_id="p-1",
                taker_id="o-2",
                hall_id="h-1",
                zone="二区",
                issued_at=beijing,
                issued_by="o-1",
                revoked_at=at(120),
                revoked_by="o-1",
                reason="手机遗失",
            ),
            StationPass(
                id="sp-1",
                programme_id="p-1",
                taker_id="o-3",
                hall_id="h-1",
                zone="一区",
                issued_at=at(10),
                issued_by="o-1",
            ),
            StationPass(
                id="sp-3",
                programme_id="p-2",
                taker_id="o-3",
                hall_id="h-2",
                zone="A区",
                issued_at=at(20),
                issued_by="o-2",
                reason="备用",
            ),
        ],
        **planning_samples(beijing, at),
        "handbooks": lambda: [
            _handbook("hb-3", "代表履职常识"),
            _handbook("hb-1", "人大代表履职常识100问", edition="2022年版", basis="代表法"),
            _handbook("hb-2", "履职手册"),
        ],
        "session_roles": lambda: [
            SessionRole(programme_id="p-2", session_id="s-3", role="host", person_id="o-1"),
            SessionRole(
                programme_id="p-1",
                session_id="s-1",
                role=RoleKind.SPEAKER,
                person_id="c-1",
                topic="扎根基层、倾听民声",
                order=2,
            ),
            SessionRole(programme_id="p-1", session_id="s-1", role="lecturer", person_id="o-2"),
        ],
        "questionnaires": lambda: [
            Questionnaire(
                id="q-2",
                programme_id="p-2",
                title="培训评估问卷",
                items=[EvaluationItem(id="i1", text="总体满意度")],
                created_at=at(10),
            ),
            Questionnaire(
                id="q-1",
                programme_id="p-1",
                title="课程评估",
                items=[
                    EvaluationItem(
                        id="i1", text="授课效果", session_id="s-1", lecturer_id="o-1", required=True
                    ),
                    EvaluationItem(id="i2", text="时长", kind="choice", choices=["合适", "偏长"]),
                    EvaluationItem(id="i3", text="意见建议", kind=ItemKind.TEXT),
                ],
                created_at=beijing,
            ),
            Questionnaire(
                id="q-3",
                programme_id="p-1",
                title="第二份",
                items=[EvaluationItem(id="a", text="评分")],
                created_at=at(20),
            ),
        ],
        "responses": lambda: [
            Response(questionnaire_id="q-2", certificate_no="c-3", answers=[], submitted_at=at(30)),
            Response(
                questionnaire_id="q-1",
                certificate_no="c-1",
                answers=[
                    EvaluationAnswer(item_id="i1", value=5),
                    EvaluationAnswer(item_id="i2", value="合适"),
                    EvaluationAnswer(item_id="i3", value="多安排案例教学"),
                ],
                submitted_at=beijing,
                note="纸质问卷录入",
            ),
            Response(
                questionnaire_id="q-1",
                certificate_no="c-2",
                answers=[EvaluationAnswer(item_id="i1", value=3)],
                submitted_at=at(31),
            ),
        ],
    }
    return makers[repository]()


def _handbook(handbook_id: str, title: str, *, edition: str = "", basis: str = "") -> Handbook:
    """A handbook of one question in each of the four parts."""
    questions = [
        HandbookQuestion(number=n, part=part, question=f"{part.label}？", answer="见代表法。")
        for n, part in enumerate(HandbookPart, start=1)
    ]
    questions[0] = attrs.evolve(questions[0], basis=basis)
    return Handbook(id=handbook_id, title=title, questions=questions, edition=edition)


def _hall(hall_id: str, name: str, *, odd_even: bool = False) -> Hall:
    """A small hall: two sections of two rows across a centre aisle, a one-row rostrum."""
    return build_hall(
        id=hall_id,
        name=name,
        sections=[
            SectionSpec(id="L", name="左区", rows=uniform_rows(2, 3)),
            SectionSpec(id="R", name="右区", rows=uniform_rows(2, 3), blocked=("R-1-2",)),
        ],
        numbering="odd-even" if odd_even else "left-to-right",
        rostrum=[5],
    )


def changed(repository: str, item: Any) -> Any:
    """``item`` with its :data:`TEXT_FIELD` changed (for tests of ``put``)."""
    if repository == "seat_plans":  # its key is its hall: change who sits where instead
        return attrs.evolve(item, assignments={**item.assignments, "c-9": "X-9-9"})
    field = TEXT_FIELD[repository]
    return attrs.evolve(item, **{field: f"{getattr(item, field)}（修改）"})


def scan(
    scan_id: str,
    cert: str,
    kind: ScanKind,
    minutes: int,
    session_id: str = "s-1",
    **extra: Any,
) -> Scan:
    r"""A scan of ``cert`` in ``session_id``, ``minutes`` after :func:`at`\ (0)."""
    return fx.make_scan(
        id=scan_id,
        session_id=session_id,
        certificate_no=cert,
        kind=kind,
        scanned_at=at(minutes),
        **extra,
    )
