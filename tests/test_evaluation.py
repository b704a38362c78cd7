"""office.materials.evaluation: questionnaires, responses (validated against the roster
and the questions, one per deputy, idempotent), import from a spreadsheet (all rows or
none), the results and their export."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

import lvzhi
from lvzhi.clock import FixedClock
from lvzhi.domain import SessionKind
from lvzhi.domain.evaluation import (
    EvaluationAnswer,
    EvaluationItem,
    Questionnaire,
    Response,
    evaluation_results,
)
from lvzhi.errors import ValidationError
from lvzhi.samples import Course
from lvzhi.samples.load import load_course


@pytest.fixture
def course_office(clock: FixedClock) -> tuple[lvzhi.Secretariat, Course]:
    office = lvzhi.open("memory://", clock=clock, load_entrypoints=False)
    return office, load_course(office)


@pytest.fixture
def small(clock: FixedClock) -> Questionnaire:
    return Questionnaire(
        id="q",
        programme_id="p",
        title="问卷",
        items=[
            EvaluationItem(id="overall", text="总体评价", required=True),
            EvaluationItem(id="s1", text="第一课", session_id="s-1", lecturer_id="o-1"),
            EvaluationItem(id="s2", text="第二课", session_id="s-2", lecturer_id="o-1"),
            EvaluationItem(id="len", text="时长", kind="choice", choices=["合适", "偏长"]),
            EvaluationItem(id="say", text="建议", kind="text"),
        ],
        created_at=clock.now(),
    )


def _response(clock: FixedClock, cert: str, **answers: object) -> Response:
    return Response(
        questionnaire_id="q",
        certificate_no=cert,
        answers=[EvaluationAnswer(item_id=k, value=v) for k, v in answers.items()],
        submitted_at=clock.now(),
    )


def test_questions_and_answers_are_checked(small: Questionnaire, clock: FixedClock) -> None:
    ok = small.check(_response(clock, "c1", say="好", overall=5))
    assert [a.item_id for a in ok.answers] == ["overall", "say"]  # in question order
    with pytest.raises(ValidationError, match="rating from 1 to 5") as info:
        small.check(_response(clock, "c1", overall=6))
    assert info.value.field == "Response[c1].overall" and info.value.value == 6
    with pytest.raises(ValidationError, match="合适、偏长"):
        small.check(_response(clock, "c1", overall=4, len="太短"))
    with pytest.raises(ValidationError, match="must be answered") as info:
        small.check(_response(clock, "c1", s1=4))
    assert info.value.field == "Response[c1].overall"
    with pytest.raises(ValidationError, match="not a question of q"):
        small.check(_response(clock, "c1", overall=4, nope=3))
    with pytest.raises(ValidationError, match="at least two choices"):
        EvaluationItem(id="x", text="x", kind="choice", choices=["只有一个"])
    with pytest.raises(ValidationError, match="only a choice question"):
        EvaluationItem(id="x", text="x", choices=["a", "b"])
    with pytest.raises(ValidationError, match="repeats a question id"):
        Questionnaire(
            id="q", programme_id="p", title="t", created_at=clock.now(),
            items=[EvaluationItem(id="a", text="a"), EvaluationItem(id="a", text="b")],
        )  # fmt: skip


def test_results_add_up(small: Questionnaire, clock: FixedClock) -> None:
    responses = [
        _response(clock, "c1", overall=5, s1=4, s2=2, len="合适", say="多些案例"),
        _response(clock, "c2", overall=3, s1=5, len="偏长"),
        _response(clock, "c3", overall=4, len="合适"),
    ]
    results = evaluation_results(small, responses, expected=4)
    assert results.responses == 3 and results.response_rate == 0.75
    overall, s1, s2, length, say = results.items
    assert (overall.answered, overall.mean) == (3, 4.0)
    assert overall.distribution == {"1": 0, "2": 0, "3": 1, "4": 1, "5": 1}
    assert (s1.mean, s2.mean) == (4.5, 2.0)
    assert length.distribution == {"合适": 2, "偏长": 1} and length.mean is None
    assert say.texts == ("多些案例",)
    assert results.by_session == {"s-1": (4.5, 2), "s-2": (2.0, 1)}
    assert results.by_lecturer == {"o-1": (3.67, 3)}  # 4, 5 and 2
    assert results.overall == 3.83  # every rating: 5 4 2 3 5 4


def test_responses_are_validated_once_per_deputy_and_idempotent(
    course_office: tuple[lvzhi.Secretariat, Course],
) -> None:
    office, course = course_office
    q = office.materials.evaluation.standard()
    assert q.items[0].id == "overall" and q.items[-1].id == "advice"
    rated = [i for i in q.items if i.session_id]
    kinds = {s.id: s.kind for s in course.sessions}
    assert len(rated) == 6 and all(kinds[i.session_id] is not SessionKind.OPENING for i in rated)
    assert rated[1].text == "《读懂〈人大代表履职常识100问〉》的效果"
    evaluation = office.materials.evaluation
    assert evaluation.standard().id == q.id  # the same questionnaire again changes nothing
    cert = course.delegates[0].certificate_no
    first, changed = evaluation.respond(q.id, cert, {"overall": 5, "length": "合适"})
    assert changed and len(first.answers) == 2
    again, changed = evaluation.respond(q.id, cert, {"overall": 5, "length": "合适"})
    assert not changed and again == first
    with pytest.raises(ValidationError, match="already responded"):
        evaluation.respond(q.id, cert, {"overall": 4})
    replaced, changed = evaluation.respond(q.id, cert, {"overall": 4}, replace=True)
    assert changed and replaced.answers == (EvaluationAnswer(item_id="overall", value=4),)
    with pytest.raises(ValidationError, match="not on the roster"):
        evaluation.respond(q.id, "nobody", {"overall": 4})
    assert len(evaluation.responses(q.id)) == 1
    results = evaluation.results(q.id)
    assert (results.responses, results.expected) == (1, 346)


def _sheet(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


def test_import_responses_all_or_none(
    course_office: tuple[lvzhi.Secretariat, Course], tmp_path: Path
) -> None:
    office, course = course_office
    q = office.materials.evaluation.standard()
    certs = [d.certificate_no for d in course.delegates[:3]]
    header = ["代表证号", "对本次培训的总体评价", "length", "对今后培训的意见和建议"]
    good = _sheet(
        tmp_path / "r.xlsx",
        [
            header,
            [certs[0], 5, "合适", "很好"],
            [certs[1], 4, "偏长", None],
            [certs[2], 3, None, None],
        ],
    )
    done = office.materials.evaluation.import_responses(q.id, good)
    assert (done.added, done.replaced, done.unchanged) == (3, 0, 0)
    done = office.materials.evaluation.import_responses(q.id, good)
    assert (done.added, done.replaced, done.unchanged) == (0, 0, 3)

    bad = _sheet(
        tmp_path / "bad.xlsx",
        [header, [course.delegates[5].certificate_no, 5, None, None], [certs[0], 9, None, None]],
    )
    with pytest.raises(ValidationError, match="rating from 1 to 5") as info:
        office.materials.evaluation.import_responses(q.id, bad)
    assert info.value.field.startswith("bad.xlsx: row 3") and info.value.value == 9
    assert len(office.materials.evaluation.responses(q.id)) == 3  # the good row was not kept

    with (tmp_path / "r.csv").open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerow([certs[0], "4", "合适", ""])
        writer.writerow([certs[0], "4", "合适", ""])
    with pytest.raises(ValidationError, match="repeats row 2") as info:
        office.materials.evaluation.import_responses(q.id, tmp_path / "r.csv")
    assert info.value.field == "r.csv: row 3, 代表证号"
    unknown = _sheet(tmp_path / "u.xlsx", [["代表证号", "不存在的问题"], [certs[0], 5]])
    with pytest.raises(ValidationError, match="not a question"):
        office.materials.evaluation.import_responses(q.id, unknown)
    changed = _sheet(tmp_path / "c.xlsx", [header, [certs[0], 2, "偏短", None]])
    with pytest.raises(ValidationError, match="already responded"):
        office.materials.evaluation.import_responses(q.id, changed)
    done = office.materials.evaluation.import_responses(q.id, changed, replace=True)
    assert (done.added, done.replaced, done.unchanged) == (0, 1, 0)


def test_the_results_report(course_office: tuple[lvzhi.Secretariat, Course]) -> None:
    office, course = course_office
    q = office.materials.evaluation.standard()
    certs = [d.certificate_no for d in course.delegates[:4]]
    office.materials.evaluation.respond_many(
        q.id,
        {
            certs[0]: {"overall": 5, "length": "合适", "advice": "多安排交流"},
            certs[1]: {"overall": 4, "length": "偏长"},
            certs[2]: {"overall": 3},
        },
    )
    book = office.reports.table("evaluation-results")
    summary, by_item, by_session, by_lecturer, texts = book.sheets()
    assert dict(summary) == {
        "问卷": q.title,
        "应参评人数": 346,
        "回收份数": 3,
        "回收率": "0.9%",
        "总体平均分": 4.0,
    }
    overall = by_item.dict[0]
    assert (overall["作答人数"], overall["平均分"], overall["5分"], overall["3分"]) == (
        3,
        4.0,
        1,
        1,
    )
    length = next(r for r in by_item.dict if r["题目"] == "培训时间安排")
    assert length["选项分布"] == "合适 1（50.0%）；偏长 1（50.0%）；偏短 0（0.0%）"
    assert by_session.height == 0 and by_lecturer.height == 0  # nobody rated a session
    assert texts.dict == [{"序号": 10, "题目": "对今后培训的意见和建议", "意见建议": "多安排交流"}]
