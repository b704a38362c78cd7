"""Report tables built from models, and the built-in reports built from a snapshot."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

import attrs
import openpyxl
import pendulum
import pytest
import tablib

from lvzhi.builtins import reports as builtin_reports
from lvzhi.builtins.exporters import exporters
from lvzhi.domain import (
    Audience,
    Delegate,
    Delegation,
    DiscussionGroup,
    Official,
    Programme,
    Reply,
    Session,
    Suggestion,
    Venue,
)
from lvzhi.domain.collation import StrokeCollation
from lvzhi.domain.suggestions import suggestion_stats
from lvzhi.domain.taxonomy import DEFAULT_TAXONOMY
from lvzhi.errors import ValidationError
from lvzhi.plugins import BUILTIN_PLUGINS, Hooks, make_plugin_manager
from lvzhi.ports import Report, ReportContext
from lvzhi.reports import (
    DELEGATION_HEADERS,
    GROUP_HEADERS,
    ROSTER_HEADERS,
    delegation_tables,
    group_tables,
    mask_phone,
    reply_letters,
    roster_table,
    sheet_title,
    suggestion_stats_tables,
    suggestion_table,
    timetable_table,
)
from lvzhi.reports.render import prepare, render
from lvzhi.reports.suggestions import SUGGESTION_HEADERS

UNITS = (
    Delegation(code="hn", name="衡南县", kind="县", order=2),
    Delegation(code="zj", name="驻衡部队", kind="驻军", order=9, leader_id="o1", staff_id="o2"),
    Delegation(code="yf", name="雁峰区", kind="区", order=1),
)
DEPUTIES = (
    Delegate(certificate_no="c3", name="王毅", gender="男", delegation="hn", phone="13812345678"),
    Delegate(certificate_no="c1", name="丁一", gender="女", delegation="yf", is_new=True),
    Delegate(certificate_no="c2", name="李娟", gender="女", delegation="zj", sector="解放军"),
)
OFFICIALS = (
    Official(id="o1", name="赵军", role="带队领导", phone="13900001111", delegation="zj"),
    Official(id="o2", name="钱兵", role="工作人员", delegation="zj", title="干事"),
    Official(id="o3", name="孙领导", role="领导"),
    Official(id="o4", name="周召集", role="召集人", phone="13700002222"),
    Official(id="o5", name="吴员", role="工作人员", delegation="hn"),
)


def test_mask_phone() -> None:
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("07348888888") == "073****8888"
    assert mask_phone("+8613812345678") == "+86*******5678"
    assert mask_phone("12345") == "***45"
    assert mask_phone("") == ""


def test_roster_masks_phones_by_default() -> None:
    data = roster_table(DEPUTIES, UNITS)
    assert tuple(data.headers) == ROSTER_HEADERS
    assert data.title == "代表名册"
    assert data[0] == (1, "王毅", "男", "c3", "衡南县", "", "否", "138****5678")
    assert data[1] == (2, "丁一", "女", "c1", "雁峰区", "", "是", "")
    assert roster_table(DEPUTIES, UNITS, reveal_phones=True)[0][-1] == "13812345678"


def test_roster_order_key_and_by_delegation() -> None:
    strokes = {"丁": 2, "王": 4, "李": 7}
    data = roster_table(DEPUTIES, UNITS, order_key=lambda name: strokes[name[0]])
    assert data["姓名"] == ["丁一", "王毅", "李娟"]
    assert data["序号"] == [1, 2, 3]
    grouped = roster_table(DEPUTIES, UNITS, by_delegation=True)
    assert grouped["选举单位"] == ["雁峰区", "衡南县", "驻衡部队"]


def test_roster_is_deterministic() -> None:
    assert roster_table(DEPUTIES, UNITS).export("csv") == roster_table(DEPUTIES, UNITS).export(
        "csv"
    )


def _session(
    sid: str,
    start: str,
    end: str,
    *,
    programme_id: str = "p1",
    title: str = "课程",
    kind: str = "讲座",
    **extra: Any,
) -> Session:
    return Session(
        id=sid,
        programme_id=programme_id,
        title=title,
        kind=kind,
        starts_at=pendulum.parse(start),
        ends_at=pendulum.parse(end),
        **extra,
    )


def test_timetable_in_local_time() -> None:
    programme = Programme(
        id="p1", title="代表履职学习培训班", start_date="2022-09-06", end_date="2022-09-08"
    )
    sessions = [
        _session(
            "s2",
            "2022-09-06T06:30:00+00:00",
            "2022-09-06T08:00:00+00:00",
            title="分组讨论",
            kind="分组讨论",
            host="周召集",
            audience=Audience(everyone=False, delegations={"hn"}, groups={"g1"}),
        ),
        _session(
            "s1",
            "2022-09-06T01:00:00Z",
            "2022-09-06T02:30:00Z",
            title="开班式",
            kind="开班式",
            lecturer="孙领导",
            host="主持人",
            venue_id="v1",
        ),
        _session("x", "2022-09-06T01:00:00Z", "2022-09-06T02:00:00Z", programme_id="p2"),
    ]
    groups = [DiscussionGroup(id="g1", programme_id="p1", number=1, name="第一组")]
    data = timetable_table(
        programme, sessions, [Venue(id="v1", name="报告厅")], delegations=UNITS, groups=groups
    )
    assert data.title == "日程安排表"  # an export prints the programme's title before it
    assert data.height == 2
    assert data[0] == (
        "2022年9月6日（星期二）",
        "09:00-10:30",
        "开班式",
        "开班式",
        "孙领导；主持：主持人",
        "报告厅",
        "全体代表",
    )
    assert data[1][1] == "14:30-16:00"
    assert data[1][4] == "主持：周召集"
    assert data[1][6] == "衡南县、第一组"


def test_delegation_tables_leader_and_staff_first() -> None:
    book = delegation_tables(DEPUTIES, UNITS, OFFICIALS)
    sheets = book.sheets()
    assert [s.title for s in sheets] == ["雁峰区", "衡南县", "驻衡部队"]
    army = sheets[2]
    assert tuple(army.headers) == DELEGATION_HEADERS
    assert army[0][:3] == ("", "带队领导", "赵军")
    assert army[0][-1] == "139****1111"
    assert army[1][:3] == ("", "工作人员", "钱兵")
    assert army[2][:3] == (1, "代表", "李娟")
    # a staff member found by role and delegation when the delegation names nobody
    assert sheets[1][0][:3] == ("", "工作人员", "吴员")
    assert sheets[1][1][2] == "王毅"


def test_delegation_tables_unknown_delegation_gets_its_own_sheet() -> None:
    stray = Delegate(certificate_no="c9", name="钱九", gender="男", delegation="zz")
    book = delegation_tables((*DEPUTIES, stray), UNITS)
    assert [s.title for s in book.sheets()][-1] == "zz"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("衡南县", "衡南县"),
        ("a/b:c*d?e[f]g\\h", "a-b-c-d-e-f-g-h"),
        ("长" * 40, "长" * 31),
        ("", "Sheet"),
    ],
)
def test_sheet_title(text: str, expected: str) -> None:
    assert sheet_title(text) == expected


def test_sheet_title_unique() -> None:
    assert sheet_title("组", taken=["组"]) == "组(2)"
    assert sheet_title("组", taken=["组", "组(2)"]) == "组(3)"
    assert len(sheet_title("长" * 40, taken=["长" * 31])) == 31


def test_group_tables() -> None:
    groups = [
        DiscussionGroup(
            id="g2", programme_id="p1", number=2, name="第二组", members=("c1",), leader_ids=("o3",)
        ),
        DiscussionGroup(
            id="g1",
            programme_id="p1",
            number=1,
            name="第一组",
            convener_id="o4",
            members=("c3", "c2", "missing"),
        ),
    ]
    book = group_tables(groups, DEPUTIES, UNITS, officials=OFFICIALS)
    first, second = book.sheets()
    assert first.title == "第一组"
    assert first[0][:3] == ("", "召集人", "周召集")
    assert first[0][-1] == "137****2222"
    assert first["姓名"][1:] == ["王毅", "李娟", ""]
    assert first["选举单位"][1:3] == ["衡南县", "驻衡部队"]
    assert first[3][4] == "missing"
    assert second[0][:3] == ("", "列席领导", "孙领导")
    assert second[1][2] == "丁一"


def test_suggestion_table() -> None:
    late = Suggestion(
        id="s2",
        programme_id="p1",
        number=2,
        title="加强培训",
        body="增加实务课程",
        proposers=("c3", "c1"),
        group_id="g1",
        category="代表履职能力",
        aspect="学习培训",
        submitted_at="2022-09-07T08:00:00+08:00",
    )
    early = Suggestion(
        id="s1",
        programme_id="p1",
        number=1,
        title="改善交通",
        proposers=("zz",),
        submitted_at="2022-09-07T07:00:00+08:00",
    )
    replied, _ = late.assign("市交通局", pendulum.Date(2022, 12, 1)).answer(
        Reply(body="已办理", replied_by="o1", replied_at="2022-10-01T02:00:00Z")
    )
    merged = attrs.evolve(early, id="s3", number=3, state="merged", merged_into="s1")
    groups = [DiscussionGroup(id="g1", programme_id="p1", number=1, name="第一组")]
    data = suggestion_table([replied, merged, early], DEPUTIES, groups=groups)
    assert data.title == "建议汇总表"
    assert tuple(data.headers) == SUGGESTION_HEADERS == (
        "编号", "类别", "方面", "内容", "提出人", "小组",
        "承办单位", "办理期限", "办理状态", "答复", "满意度",
    )  # fmt: skip
    assert data["编号"] == [1, 2]  # by number; the merged one is left out
    assert data[0] == (1, "", "", "改善交通", "zz", "", "", "", "已提交", "", "")
    assert data[1] == (
        2,
        "代表履职能力",
        "学习培训",
        "加强培训：增加实务课程",
        "王毅、丁一",
        "第一组",
        "市交通局",
        "2022-12-01",
        "已答复",
        "已办理",
        "",
    )


def test_reply_letters_and_stats_tables() -> None:
    s = Suggestion(
        id="s1",
        programme_id="p1",
        number=7,
        title="改善交通",
        proposers=("c3", "c1"),
        category="代表履职能力",
        aspect="学习培训",
        submitted_at="2022-09-07T07:00:00+08:00",
    )
    first, _ = s.assign("市交通局").answer(
        Reply(body="先答复", replied_by="o1", replied_at="2022-09-30T02:00:00Z")
    )
    reopened, _ = first.rate("不满意", at=first.submitted_at.add(days=30))
    again, _ = reopened.assign("市交通局").answer(
        Reply(
            body="再答复",
            replied_by="o1",
            replied_at="2022-10-31T17:00:00Z",
            unit="市交通局",
            signer="局长",
        )
    )
    unanswered = attrs.evolve(s, id="s2", number=8, transitions=())
    book = reply_letters([unanswered, again], DEPUTIES)
    assert [sheet.title for sheet in book.sheets()] == ["第7号答复"]
    assert [tuple(r) for r in book.sheets()[0]] == [
        ("致", "王毅、丁一代表"),
        ("建议", "第7号　改善交通"),
        ("答复", "再答复"),
        ("承办单位", "市交通局"),
        ("签发人", "局长"),
        ("日期", "2022年11月1日"),  # Asia/Shanghai
        ("前次答复（第1轮）", "先答复"),
    ]
    stats = suggestion_stats([again, unanswered], DEFAULT_TAXONOMY)
    sheets = suggestion_stats_tables(stats).sheets()
    assert [t.title for t in sheets] == ["按类别和方面", "按小组", "按承办单位", "按办理状态"]
    assert rows_of(sheets[0]) == [
        ("类别", "方面", "件数"),
        ("代表履职能力", "学习培训", 2),
        ("合计", "", 2),
    ]
    assert rows_of(sheets[2]) == [("承办单位", "件数"), ("市交通局", 1), ("未交办", 1), ("合计", 2)]


def test_timetable_timezone_overrides_the_programme_zone() -> None:
    programme = Programme(id="p1", title="培训班", start_date="2022-09-06", end_date="2022-09-08")
    late = _session("s1", "2022-09-06T17:00:00Z", "2022-09-06T18:30:00Z")
    shanghai = timetable_table(programme, [late], [])
    london = timetable_table(programme, [late], [], timezone="Europe/London")
    assert shanghai[0][:2] == ("2022年9月7日（星期三）", "01:00-02:30")
    assert london[0][:2] == ("2022年9月6日（星期二）", "18:00-19:30")


# -- the built-in Report objects -----------------------------------------------------------


class FakeRepository:
    """The read side of a repository over a fixed list of models."""

    def __init__(self, items: Iterable[Any]) -> None:
        self.items = sorted(items, key=lambda item: item.key)

    def list(self) -> list[Any]:
        return list(self.items)

    def select(self, **equals: Any) -> list[Any]:
        return [i for i in self.items if all(getattr(i, k) == v for k, v in equals.items())]

    def get(self, key: str) -> Any:
        return next(i for i in self.items if i.key == key)


class FakeUnitOfWork:
    """A read-only snapshot with the repositories the reports read."""

    def __init__(self, **repositories: Iterable[Any]) -> None:
        for name in (
            "delegates",
            "delegations",
            "officials",
            "programmes",
            "sessions",
            "venues",
            "groups",
            "suggestions",
        ):
            setattr(self, name, FakeRepository(repositories.get(name, ())))


PROGRAMME = Programme(
    id="p1", title="代表履职学习培训班", start_date="2022-09-06", end_date="2022-09-08"
)
OTHER_PROGRAMME = Programme(
    id="p2", title="另一期培训班", start_date="2022-10-06", end_date="2022-10-08"
)
# Official order: 雁峰区 (order 1), 衡南县 (order 2, code "a2"), 石鼓区 (order 2, code "b1").
ORDERED_UNITS = (
    Delegation(code="b1", name="石鼓区", order=2),
    Delegation(code="a2", name="衡南县", order=2, leader_id="o1"),
    Delegation(code="z9", name="雁峰区", order=1),
)
PEOPLE = (
    Delegate(certificate_no="k1", name="李娟", gender="女", delegation="a2"),
    Delegate(certificate_no="k2", name="王毅", gender="男", delegation="a2", phone="13812345678"),
    Delegate(certificate_no="k9", name="丁一", gender="女", delegation="a2"),
    Delegate(certificate_no="k3", name="王毅", gender="男", delegation="a2"),
    Delegate(certificate_no="k4", name="刘洋", gender="男", delegation="b1"),
    Delegate(certificate_no="k5", name="白云", gender="女", delegation="b1", is_new=True),
    Delegate(certificate_no="k6", name="周正", gender="男", delegation="z9"),
    Delegate(certificate_no="k7", name="丁二", gender="男", delegation="zz"),
)
STAFF = (
    Official(id="o1", name="赵军", role="带队领导", phone="13900001111", delegation="a2"),
    Official(id="o2", name="钱兵", role="工作人员", delegation="a2"),
    Official(id="o4", name="周召集", role="召集人"),
    Official(id="o3", name="孙领导", role="领导"),
)


def context(uow: Any = None, **overrides: Any) -> ReportContext:
    values: dict[str, Any] = {
        "uow": uow if uow is not None else FakeUnitOfWork(),
        "programme": PROGRAMME,
        "order_key": StrokeCollation().key,
    }
    values.update(overrides)
    return ReportContext(**values)


def built_in() -> dict[str, Report]:
    return {r.name: r for r in builtin_reports.lvzhi_register_reports()}


def rows_of(data: tablib.Dataset) -> list[tuple[Any, ...]]:
    return [tuple(data.headers), *[tuple(r) for r in data]]


def test_built_in_reports_are_registered_through_the_hook() -> None:
    others = [name for name in BUILTIN_PLUGINS if name != "lvzhi.builtins.reports"]
    environ = {"LVZHI_DISABLE_PLUGINS": ",".join(others)}
    hooks = Hooks(make_plugin_manager(load_entrypoints=False, environ=environ))
    registered = hooks.register_reports()
    names = ["roster", "timetable", "delegations", "groups", "suggestions"]
    seating = ["seats", "seating-chart", "signin"]
    listed = [r.name for r in builtin_reports.lvzhi_register_reports()]
    assert listed[:5] == names
    assert listed[listed.index("seats") :][:3] == seating
    names += seating
    assert set(names) <= set(registered)
    assert hasattr(builtin_reports.lvzhi_register_reports, "lvzhi_impl")


def test_built_in_reports_titles_and_programme_needs() -> None:
    reports = built_in()
    assert all(isinstance(r, Report) for r in reports.values())
    found = {n: (r.title, r.needs_programme) for n, r in reports.items()}
    assert {n: v for n, v in found.items() if not n.startswith("suggestion")} == {
        "roster": ("代表名册", False),
        "timetable": ("日程安排表", True),
        "delegations": ("分代表团名册", False),
        "groups": ("分组名单", True),
        "seats": ("代表座位表", False),
        "seating-chart": ("座次表", False),
        "signin": ("签到表", False),
        "tongbao": ("代表违纪情况通报", False),
        "records": ("代表参训情况表", False),
        "attendance": ("考勤明细表", True),
        "attendance-summary": ("考勤统计表", True),
        "attendance-records": ("代表考勤汇总表", True),
        "tasks": ("任务分解表", True),
        "meetings": ("调度会议情况表", True),
        "training-plan": ("培训计划", False),
        "handbook": ("人大代表履职常识100问", False),
        "covers": ("代表履职手册封面", True),
        "speakers": ("授课及发言安排表", True),
        "evaluation-results": ("培训评估结果", True),
    }


@pytest.mark.parametrize(
    "name", ["timetable", "groups", "suggestions", "suggestion-replies", "suggestion-stats"]
)
def test_reports_needing_a_programme_refuse_to_build_without_one(name: str) -> None:
    with pytest.raises(ValidationError, match="needs a programme"):
        built_in()[name].build(context(programme=None))


def test_roster_report_lists_deputies_in_official_order() -> None:
    uow = FakeUnitOfWork(delegates=PEOPLE, delegations=ORDERED_UNITS)
    data = built_in()["roster"].build(context(uow, programme=None))
    assert isinstance(data, tablib.Dataset)
    assert data.title == "代表名册"
    assert rows_of(data) == [
        ROSTER_HEADERS,
        (1, "周正", "男", "k6", "雁峰区", "", "否", ""),
        (2, "丁一", "女", "k9", "衡南县", "", "否", ""),
        (3, "王毅", "男", "k2", "衡南县", "", "否", "138****5678"),
        (4, "王毅", "男", "k3", "衡南县", "", "否", ""),
        (5, "李娟", "女", "k1", "衡南县", "", "否", ""),
        (6, "白云", "女", "k5", "石鼓区", "", "是", ""),
        (7, "刘洋", "男", "k4", "石鼓区", "", "否", ""),
        (8, "丁二", "男", "k7", "zz", "", "否", ""),
    ]
    revealed = built_in()["roster"].build(context(uow, reveal_phones=True))
    assert revealed["手机"][2] == "13812345678"


def test_roster_report_uses_the_context_order_key() -> None:
    uow = FakeUnitOfWork(delegates=PEOPLE[:4], delegations=ORDERED_UNITS)
    by_code_point = built_in()["roster"].build(context(uow, order_key=lambda name: name))
    assert by_code_point["姓名"] == sorted(d.name for d in PEOPLE[:4])
    assert by_code_point["姓名"] != ["丁一", "王毅", "王毅", "李娟"]


def test_timetable_report_reads_the_programme_sessions_in_the_context_zone() -> None:
    sessions = [
        _session("s1", "2022-09-06T17:00:00Z", "2022-09-06T18:30:00Z", venue_id="v1"),
        _session(
            "s0",
            "2022-09-06T01:00:00Z",
            "2022-09-06T02:00:00Z",
            audience=Audience(everyone=False, delegations={"a2"}, groups={"g1"}),
        ),
        _session("x", "2022-09-06T03:00:00Z", "2022-09-06T04:00:00Z", programme_id="p2"),
    ]
    uow = FakeUnitOfWork(
        sessions=sessions,
        venues=[Venue(id="v1", name="报告厅")],
        delegations=ORDERED_UNITS,
        groups=[DiscussionGroup(id="g1", programme_id="p1", number=1, name="第一组")],
    )
    data = built_in()["timetable"].build(context(uow))
    assert data.title == "日程安排表"
    assert [r[:2] + r[5:] for r in data] == [
        ("2022年9月6日（星期二）", "09:00-10:00", "", "衡南县、第一组"),
        ("2022年9月7日（星期三）", "01:00-02:30", "报告厅", "全体代表"),
    ]
    berlin = built_in()["timetable"].build(context(uow, timezone="Europe/Berlin"))
    assert [r[:2] for r in berlin] == [
        ("2022年9月6日（星期二）", "03:00-04:00"),
        ("2022年9月6日（星期二）", "19:00-20:30"),
    ]


def test_delegations_report_sheets_in_official_order() -> None:
    uow = FakeUnitOfWork(delegates=PEOPLE, delegations=ORDERED_UNITS, officials=STAFF)
    book = built_in()["delegations"].build(context(uow, programme=None))
    assert isinstance(book, tablib.Databook)
    sheets = book.sheets()
    assert [s.title for s in sheets] == ["雁峰区", "衡南县", "石鼓区", "zz"]
    assert rows_of(sheets[1]) == [
        DELEGATION_HEADERS,
        ("", "带队领导", "赵军", "", "", "", "", "", "139****1111"),
        ("", "工作人员", "钱兵", "", "", "", "", "", ""),
        (1, "代表", "丁一", "女", "k9", "", "否", "", ""),
        (2, "代表", "王毅", "男", "k2", "", "否", "", "138****5678"),
        (3, "代表", "王毅", "男", "k3", "", "否", "", ""),
        (4, "代表", "李娟", "女", "k1", "", "否", "", ""),
    ]


def test_groups_report_covers_only_the_programme_groups() -> None:
    groups = [
        DiscussionGroup(
            id="g1",
            programme_id="p1",
            number=1,
            name="第一组",
            convener_id="o4",
            leader_ids=("o3", "gone"),
            members=("k1", "k6", "k9", "nobody"),
        ),
        DiscussionGroup(id="g9", programme_id="p2", number=1, name="别的组", members=("k2",)),
    ]
    uow = FakeUnitOfWork(
        groups=groups, delegates=PEOPLE, delegations=ORDERED_UNITS, officials=STAFF
    )
    book = built_in()["groups"].build(context(uow))
    assert [s.title for s in book.sheets()] == ["第一组"]
    assert rows_of(book.sheets()[0]) == [
        GROUP_HEADERS,
        ("", "召集人", "周召集", "", "", "", "", ""),
        ("", "列席领导", "孙领导", "", "", "", "", ""),
        (1, "代表", "丁一", "女", "k9", "衡南县", "", ""),
        (2, "代表", "李娟", "女", "k1", "衡南县", "", ""),
        (3, "代表", "周正", "男", "k6", "雁峰区", "", ""),
        (4, "代表", "", "", "nobody", "", "", ""),
    ]
    other = built_in()["groups"].build(context(uow, programme=OTHER_PROGRAMME))
    assert [s.title for s in other.sheets()] == ["别的组"]


def test_groups_report_names_recorder_and_room_and_reads_back() -> None:
    staff = (*STAFF, Official(id="o5", name="吴记录", role="工作人员"))
    groups = [
        DiscussionGroup(
            id="g1",
            programme_id="p1",
            number=1,
            name="第一组",
            venue_id="v2",
            convener_id="o4",
            recorder_id="o5",
            leader_ids=("o3",),
            members=("k6", "k1"),
        ),
        DiscussionGroup(id="g2", programme_id="p1", number=2, name="第二组", members=("k2",)),
    ]
    uow = FakeUnitOfWork(
        groups=groups,
        delegates=PEOPLE,
        delegations=ORDERED_UNITS,
        officials=staff,
        venues=[Venue(id="v2", name="三楼301会议室", kind="room")],
    )
    report = built_in()["groups"]
    book = report.build(context(uow))
    ready = prepare(
        book,
        spreadsheet=True,
        timezone="Asia/Shanghai",
        programme_title=PROGRAMME.title,
        report_title=report.title,
    )
    payload = next(e for e in exporters() if e.format == "xlsx").export(ready)
    sheets = openpyxl.load_workbook(io.BytesIO(payload)).worksheets
    first = [tuple(r) for r in sheets[0].iter_rows(values_only=True)]
    assert first[0][0] == "代表履职学习培训班　分组名单（第一组）　地点：三楼301会议室"
    assert first[1] == GROUP_HEADERS
    assert [r[1:3] for r in first[2:]] == [
        ("召集人", "周召集"),
        ("记录人", "吴记录"),
        ("列席领导", "孙领导"),
        ("代表", "李娟"),
        ("代表", "周正"),
    ]
    second = [tuple(r) for r in sheets[1].iter_rows(values_only=True)]
    assert second[0][0] == "代表履职学习培训班　分组名单（第二组）"
    assert second[2][1:3] == ("代表", "王毅")


def test_suggestion_reports_cover_only_the_programme() -> None:
    mine = Suggestion(
        id="y1",
        programme_id="p1",
        number=1,
        title="改善交通",
        proposers=("k6",),
        group_id="g1",
        submitted_at="2022-09-07T07:00:00+08:00",
    )
    replied, _ = mine.assign("市交通局").answer(
        Reply(body="已办理", replied_by="o1", replied_at="2022-10-01T17:00:00Z")
    )
    elsewhere = Suggestion(
        id="y2",
        programme_id="p2",
        title="别处的建议",
        proposers=("k1",),
        submitted_at=mine.submitted_at,
    )
    uow = FakeUnitOfWork(
        suggestions=[replied, elsewhere],
        delegates=PEOPLE,
        groups=[DiscussionGroup(id="g1", programme_id="p1", number=1, name="第一组")],
    )
    reports = built_in()
    assert {n: (r.title, r.needs_programme) for n, r in reports.items() if "suggestion" in n} == {
        "suggestions": ("建议汇总表", True),
        "suggestion-replies": ("意见建议答复函", True),
        "suggestion-stats": ("意见建议统计表", True),
    }
    data = reports["suggestions"].build(context(uow))
    assert data.title == "建议汇总表"
    assert data["内容"] == ["改善交通"]
    assert data[0][4:6] == ("周正", "第一组")
    letters = reports["suggestion-replies"].build(context(uow))
    assert letters.sheets()[0][5] == ("日期", "2022年10月2日")  # Asia/Shanghai
    new_york = reports["suggestion-replies"].build(context(uow, timezone="America/New_York"))
    assert new_york.sheets()[0][5] == ("日期", "2022年10月1日")
    stats = reports["suggestion-stats"].build(context(uow))
    assert rows_of(stats.sheets()[1]) == [("小组", "件数"), ("第一组", 1), ("合计", 1)]


def test_a_report_exported_to_xlsx_reads_back_cell_by_cell() -> None:
    hostile = Delegate(
        certificate_no="k8", name="钱多", gender="男", delegation="b1", sector="=HYPERLINK(1)"
    )
    uow = FakeUnitOfWork(delegates=(*PEOPLE, hostile), delegations=ORDERED_UNITS)
    data = built_in()["roster"].build(context(uow))
    xlsx = {e.format: e for e in exporters()}["xlsx"]
    payload = render(data, xlsx, timezone="Asia/Shanghai", programme_title=PROGRAMME.title)
    sheet = openpyxl.load_workbook(io.BytesIO(payload)).active
    assert sheet.title == "代表名册"
    title, *rows = sheet.iter_rows(values_only=True)
    assert title[0] == "代表履职学习培训班　代表名册"
    read = [tuple("" if v is None else v for v in row) for row in rows]
    expected = rows_of(data)
    hostile_row = next(i for i, row in enumerate(expected) if row[3] == "k8")
    expected[hostile_row] = (
        *expected[hostile_row][:5],
        "'=HYPERLINK(1)",
        *expected[hostile_row][6:],
    )
    assert read == expected
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
