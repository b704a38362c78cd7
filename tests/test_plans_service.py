"""``office.plans``: the needs survey (responses from spreadsheets, all rows or none), the
topics ranked by demand, term and yearly plans with their approval trail, and courses set
up from plan items — on memory and SQLite storage."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pendulum
import pytest

import lvzhi
from lvzhi.clock import FixedClock
from lvzhi.domain.plans import PlanState
from lvzhi.domain.surveys import Question, Survey
from lvzhi.errors import Conflict, ImportProblem, NotFound, TransitionError, ValidationError
from lvzhi.plugins import hookimpl
from lvzhi.samples.load import load_course
from lvzhi.samples.plans import SURVEY_ID, build_plans, survey_csv
from lvzhi.testing.contracts.exporter import read_workbook

SURVEY = Survey(
    id="need",
    title="培训需求调研",
    questions=[
        Question(id="q1", text="最需要的培训内容", kind="multiple",
                 options=["依法履职", "建议写作", "调查研究"], topic=True, max_choices=2),
        Question(id="q2", text="培训方式", options=["集中授课", "网络学习"]),
        Question(id="q3", text="其他意见", kind="text"),
    ],
)  # fmt: skip


class Recorder:
    def __init__(self) -> None:
        self.events: list[tuple[str, str]] = []

    @hookimpl
    def lvzhi_handle_event(self, event: object, secretariat: lvzhi.Secretariat) -> None:
        self.events.append((event.name, getattr(event, "state", "")))  # type: ignore[attr-defined]


@pytest.fixture(params=["memory", "sqlite"])
def office(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[lvzhi.Secretariat]:
    url = "memory://" if request.param == "memory" else f"sqlite:///{tmp_path / 'plans.db'}"
    clock = FixedClock(pendulum.datetime(2022, 3, 1, 9, tz="Asia/Shanghai"))
    recorder = Recorder()
    with lvzhi.open(url, clock=clock, load_entrypoints=False, plugins=[recorder]) as sec:
        sec.recorder = recorder  # type: ignore[attr-defined]
        load_course(sec)
        sec.plans.create_survey(SURVEY)
        yield sec


def certificates(office: lvzhi.Secretariat, n: int) -> list[str]:
    return [d.certificate_no for d in office.people.delegates()[:n]]


def test_responses_import_from_csv_and_rank_topics(office: lvzhi.Secretariat) -> None:
    certs = certificates(office, 4)
    text = "\n".join(
        [
            "衡阳市人大代表培训需求调研汇总",
            "序号,代表证号,姓名,q1 最需要的培训内容,培训方式,其他意见,备注",
            f"1,{certs[0]},甲,依法履职、建议写作,集中授课,多安排案例,纸质问卷",
            f"2,{certs[1]},乙,建议写作,网络学习,,",
            f'3,{certs[2]},丙,"建议写作，调查研究",,,网上填报',
            ",,,,,,",
        ]
    )
    done = office.plans.import_responses("need", text.encode(), format="csv", source_name="a.csv")
    assert (done.new, done.replaced, done.source) == (3, 0, "a.csv")
    ranking = office.plans.ranking("need")
    assert [(d.topic, d.count, d.rank) for d in ranking] == [
        ("建议写作", 3, 1),
        ("依法履职", 1, 2),
        ("调查研究", 1, 2),
    ]
    first = office.plans.responses("need")[0]
    assert first.note in ("纸质问卷", "", "网上填报")
    again = f"代表证号,q1\n{certs[1]},依法履职\n{certs[3]},调查研究\n"
    done = office.plans.import_responses("need", again.encode(), format="csv")
    assert (done.new, done.replaced) == (1, 1)
    assert len(office.plans.responses("need")) == 4
    by_cert = {r.certificate_no: r for r in office.plans.responses("need")}
    assert by_cert[certs[1]].answers[0].choices == ("依法履职",)


def test_a_bad_file_names_every_row_and_column_and_stores_nothing(
    office: lvzhi.Secretariat,
) -> None:
    certs = certificates(office, 2)
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.append(["证号", "最需要的培训内容", "培训方式", "满意度"])
    ws.append([certs[0], "依法履职、建议写作、调查研究", "集中授课", ""])
    ws.append(["HY16-9999", "依法履职", "网上", ""])
    ws.append([certs[0], "建议写作", "", ""])
    ws.append([certs[1], "建议写作", "网络学习", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(ImportProblem) as info:
        office.plans.import_responses("need", buffer.getvalue(), source_name="b.xlsx")
    found = {(p.row, p.column, p.value) for p in info.value.problems}
    assert found == {
        (1, "满意度", None),
        (2, "最需要的培训内容", "依法履职、建议写作、调查研究"),
        (3, "培训方式", "网上"),
        (4, "证号", certs[0]),
        (3, "证号", "HY16-9999"),
    }
    message = str(info.value)
    assert "row 2, column “最需要的培训内容”: takes at most 2 options" in message
    assert "row 4, column “证号”: answered already on row 2" in message
    assert "is not on the roster" in message
    assert office.plans.responses("need") == []
    with pytest.raises(ImportProblem, match="no header row with a column 代表证号"):
        office.plans.import_responses("need", b"a,b\n1,2\n", format="csv")


def test_one_response_at_a_time_is_checked_against_the_roster(
    office: lvzhi.Secretariat,
) -> None:
    cert = certificates(office, 1)[0]
    r = office.plans.respond("need", cert, {"q1": ["依法履职"], "q3": "希望多交流"})
    assert [a.question_id for a in r.answers] == ["q1", "q3"]
    with pytest.raises(ValidationError, match="are not on the roster"):
        office.plans.respond("need", "HY16-9999", {"q1": "依法履职"})
    with pytest.raises(ValidationError, match="is not an option"):
        office.plans.respond("need", cert, {"q2": "现场教学"})


def approve(office: lvzhi.Secretariat, plan_id: str) -> None:
    office.plans.submit(plan_id, by="联工委", remark="提请审定")
    office.plans.review(plan_id, by="市委主要领导", remark="审定")
    office.plans.approve(plan_id, by="市委常委会", remark="研究同意")


def test_plans_cite_the_survey_and_go_up_for_approval(office: lvzhi.Secretariat) -> None:
    for cert in certificates(office, 3):
        office.plans.respond("need", cert, {"q1": "建议写作"})
    term = office.plans.create(
        "term", "五年培训规划", term="第十六届", start_year=2022, end_year=2026,
        drafted_by="联工委", survey_id="need",
    )  # fmt: skip
    assert term.id == "term-2022" and term.transitions[0].by == "联工委"
    with pytest.raises(Conflict):
        office.plans.create("term", "again", term="第十六届", start_year=2022, end_year=2026)
    with pytest.raises(ValidationError, match="covers 2022-2026, not 2027"):
        office.plans.create("year", "2027", term="第十六届", start_year=2027, parent_id=term.id)
    year = office.plans.create(
        "年度", "2022年度计划", term="第十六届", start_year=2022, parent_id=term.id,
        survey_id="need", drafted_by="联工委",
    )  # fmt: skip
    year = office.plans.add_item(
        year.id, "新任代表履职培训班", audience="new", starts_on="2022-09-06",
        ends_on="2022-09-08", budget=380000, places=346, cites=["建议写作"],
    )  # fmt: skip
    cited = year.item(1).cites[0]
    assert (cited.topic, cited.rank, cited.count) == ("建议写作", 1, 3)
    assert year.item(1).topics == ("建议写作",)
    with pytest.raises(ValidationError, match="offers the topics 建议写作、依法履职、调查研究"):
        office.plans.add_item(year.id, "x", cites=["写诗"])
    with pytest.raises(ValidationError, match="name the body or official"):
        office.plans.submit(year.id, by=" ")
    with pytest.raises(TransitionError, match="'drafted' cannot go to 'reviewed'"):
        office.plans.review(year.id, by="市委主要领导")
    office.plans.submit(year.id, by="联工委")
    office.plans.return_for_revision(year.id, by="主任会议", remark="增加名额")
    assert office.plans.get(year.id).state is PlanState.DRAFTED
    approve(office, year.id)
    stored = office.plans.get(year.id)
    assert [s.action for s in stored.transitions] == [
        "draft", "submit", "return", "submit", "review", "approve",
    ]  # fmt: skip
    assert stored.transitions[-1].remark == "研究同意"
    assert ("plan.moved", "approved") in office.recorder.events  # type: ignore[attr-defined]
    assert [p.id for p in office.plans.list()] == ["term-2022", "year-2022"]
    assert [p.id for p in office.plans.list("year")] == ["year-2022"]


def test_a_course_is_set_up_from_an_approved_item(office: lvzhi.Secretariat) -> None:
    year = office.plans.create("year", "2023年度计划", term="第十六届", start_year=2023)
    office.plans.add_item(year.id, "代表专题培训", starts_on="2023-06-01", ends_on="2023-06-02")
    with pytest.raises(ValidationError, match="only from an approved plan"):
        office.plans.create_programme(year.id, 1, programme_id="p2023")
    approve(office, year.id)
    with pytest.raises(ValidationError, match="has no such item"):
        office.plans.create_programme(year.id, 5, programme_id="p2023")
    with pytest.raises(NotFound):  # nothing half done: no programme, no link
        office.programme.get("p2023")
    programme = office.plans.create_programme(year.id, 1, programme_id="p2023")
    assert (programme.title, programme.term) == ("代表专题培训", "第十六届")
    assert (str(programme.start_date), str(programme.end_date)) == ("2023-06-01", "2023-06-02")
    assert office.programme.get("p2023") == programme
    linked = office.plans.item_of("p2023")
    assert linked is not None and linked[1].programme_id == "p2023"
    with pytest.raises(Conflict):  # the id is taken: the item is not linked to it twice
        office.plans.create_programme(year.id, 1, programme_id="p2023")
    with pytest.raises(ValidationError, match="already became another course"):
        office.plans.link_programme(year.id, 1, "hy16-2022")


def test_the_plan_exports_with_its_trail_and_ranking(office: lvzhi.Secretariat) -> None:
    for cert in certificates(office, 2):
        office.plans.respond("need", cert, {"q1": "依法履职"})
    year = office.plans.create(
        "year", "2022年度计划", term="第十六届", start_year=2022, survey_id="need"
    )
    office.plans.add_item(year.id, "新任代表履职培训班", audience="new", budget=1000, places=3,
                          cites=["依法履职"])  # fmt: skip
    office.plans.add_item(year.id, "县级代表培训", audience="level", level="县级人大代表",
                          budget=500, places=2)  # fmt: skip
    approve(office, year.id)
    for fmt in ("xlsx", "ods"):
        payload = office.export("training-plan", fmt, options={"plan": year.id})
        sheets = dict(read_workbook(fmt, payload))
        items = sheets["2022年度计划"]
        assert items[0][:3] == ["序号", "培训项目", "培训对象"]
        assert items[1][:3] == [1, "新任代表履职培训班", "新任代表"]
        assert items[1][8] == "依法履职（需求第1位，2人）"
        assert items[2][2] == "县级人大代表"
        assert items[-1][0] == "合计" and items[-1][6:8] == [5, 1500]
        trail = sheets["审批流程"]
        assert [r[0] for r in trail[1:]] == ["起草", "报审", "审定", "批准"]
        assert trail[-1][2] == "市委常委会" and trail[-1][4] == "已批准"
        assert sheets["培训需求排名"][1][:3] == [1, "依法履职", 2]


def test_the_sample_planning_builds_from_the_course(office: lvzhi.Secretariat) -> None:
    from lvzhi.samples.course import make_course

    course = make_course()
    lines = build_plans(office, office.programme.get("hy16-2022"), course)
    assert len(lines) == 3
    answered = len(office.plans.responses(SURVEY_ID))
    assert 0.85 * 346 < answered < 346
    ranking = office.plans.ranking(SURVEY_ID)
    counts = [d.count for d in ranking]
    assert counts == sorted(counts, reverse=True) and counts[0] > 2 * counts[-1]  # uneven
    year = office.plans.get("year-2022")
    assert year.state is PlanState.APPROVED and year.item(1).programme_id == "hy16-2022"
    assert year.item(1).places == 346 and "return" in [s.action for s in year.transitions]
    assert [c.rank for c in year.item(1).cites] == [1, 2, 3]
    tasks = office.tasks.list("hy16-2022")
    meetings = office.tasks.meetings("hy16-2022")
    assert len(meetings) == 11 and 18 <= len(tasks) <= 25
    assert all(bool(t.official_id) != bool(t.owner) for t in tasks)
    created = [t for t in tasks if t.created_in]
    assert len(created) >= len(tasks) - 1
    assert {t.kind.value for t in tasks} >= {"budget", "venue", "lecturer", "material"}
    assert any(t.depends_on for t in tasks)
    assert survey_csv(course) == survey_csv(course)  # deterministic
