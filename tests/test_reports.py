"""Report tables built from models."""

from __future__ import annotations

from typing import Any

import pendulum
import pytest

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
from lvzhi.reports import (
    DELEGATION_HEADERS,
    ROSTER_HEADERS,
    delegation_tables,
    group_tables,
    mask_phone,
    roster_table,
    sheet_title,
    suggestion_table,
    timetable_table,
)

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
    assert data.title == "代表履职学习培训班日程安排表"
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
        title="加强培训",
        proposers=("c3", "c1"),
        group_id="g1",
        category="代表工作",
        aspect="履职培训",
        submitted_at="2022-09-07T08:00:00+08:00",
    )
    early = Suggestion(
        id="s1",
        programme_id="p1",
        title="改善交通",
        proposers=("zz",),
        submitted_at="2022-09-07T07:00:00+08:00",
    )
    replied, _ = late.assign("市交通局", pendulum.Date(2022, 12, 1)).answer(
        Reply(body="已办理", replied_by="o1", replied_at="2022-10-01T02:00:00Z")
    )
    groups = [DiscussionGroup(id="g1", programme_id="p1", number=1, name="第一组")]
    data = suggestion_table([replied, early], DEPUTIES, groups=groups)
    assert data["标题"] == ["改善交通", "加强培训"]
    assert data[0][5] == "zz"
    assert data[1][5:] == (
        "王毅、丁一",
        "第一组",
        "市交通局",
        "2022-12-01",
        "已答复",
        "已办理",
        "2022-10-01 10:00",
        "",
    )
    assert data[0][9] == "已提交"
