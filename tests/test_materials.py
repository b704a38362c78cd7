"""office.materials: the handbook (the sample's content, search, import from TOML and xlsx
with errors naming row, column and value), speakers, lecturers and hosts, the speakers
report; the demo's materials."""

from __future__ import annotations

import tomllib
from pathlib import Path

import openpyxl
import pytest

import lvzhi
from lvzhi.clock import FixedClock
from lvzhi.domain import Official, SessionKind
from lvzhi.domain.materials import (
    Handbook,
    HandbookPart,
    HandbookQuestion,
    RoleKind,
    search_handbook,
)
from lvzhi.errors import NotFound, ValidationError
from lvzhi.samples import Course
from lvzhi.samples.load import load_course
from lvzhi.samples.materials import SHARING_TOPICS, build_materials
from lvzhi.services.materials import read_handbook, sample_handbook_path


@pytest.fixture
def course_office(clock: FixedClock) -> tuple[lvzhi.Secretariat, Course]:
    office = lvzhi.open("memory://", clock=clock, load_entrypoints=False)
    return office, load_course(office)


@pytest.fixture
def sample() -> Handbook:
    return read_handbook(sample_handbook_path())


# -- the sample handbook ------------------------------------------------------------------


def test_the_sample_handbook_has_four_parts_of_25(sample: Handbook) -> None:
    assert len(sample.questions) == 100
    assert [q.number for q in sample.questions] == list(range(1, 101))
    for part in HandbookPart:
        assert len(sample.part(part)) == 25
    assert [sample.question(n).part for n in (1, 26, 51, 76)] == list(HandbookPart)
    assert sample.title == "人大代表履职常识100问"
    # the answers are grounded in the law: the reply deadline, 误工补贴, immunity
    texts = " ".join(q.answer for q in sample.questions)
    assert "三个月内答复" in texts and "适当补贴" in texts and "不受法律追究" in texts
    assert all(q.question.endswith("？") for q in sample.questions)


def test_the_sample_ships_inside_the_package() -> None:
    path = sample_handbook_path()
    assert path.is_file() and path.parent.name == "samples"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert len(data["questions"]) == 100


def test_search_ranks_question_matches_first(sample: Handbook) -> None:
    hits = search_handbook(sample, "闭会期间")
    assert hits[0].question.question == "闭会期间代表应当做哪些工作？"
    assert all("闭会期间" in h.question.question + h.question.answer for h in hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    # every word must match; punctuation and full-width forms do not matter
    both = search_handbook(sample, "建议 答复")
    assert both and all(
        "建议" in h.question.question + h.question.answer
        and "答复" in h.question.question + h.question.answer
        for h in both
    )
    assert search_handbook(sample, "建议，答复") == both
    only = search_handbook(sample, "代表", part="履职保障", limit=3)
    assert len(only) == 3 and {h.question.part for h in only} == {HandbookPart.GUARANTEES}
    assert search_handbook(sample, "量子计算") == []
    with pytest.raises(ValidationError, match="word to search"):
        search_handbook(sample, " ，")


def test_the_service_stores_and_searches(course_office: tuple[lvzhi.Secretariat, Course]) -> None:
    office, _ = course_office
    with pytest.raises(NotFound):
        office.materials.search("代表")
    office.materials.load_sample_handbook()
    hits = office.materials.search("误工补贴")
    assert [h.question.number for h in hits] == [82]
    assert office.materials.handbook().id == "changshi-100"
    assert len(office.materials.handbooks()) == 1
    table = office.reports.table("handbook", options={"part": "不能做什么"})
    assert table.headers == ["编号", "部分", "问题", "解答", "依据"]
    assert table.height == 25 and table[0][0] == 51


# -- validation of a handbook ---------------------------------------------------------------


def _q(number: int, part: str, text: str = "") -> HandbookQuestion:
    return HandbookQuestion(
        number=number, part=part, question=text or f"问题{number}？", answer="答案。"
    )


def test_a_handbook_needs_four_parts_in_order_numbered_without_repeats() -> None:
    parts = ["should", "may", "must_not", "guarantees"]
    ok = Handbook(id="h", title="手册", questions=[_q(n, p) for n, p in enumerate(parts, 1)])
    assert len(ok.questions) == 4
    with pytest.raises(ValidationError, match="missing 履职保障") as info:
        Handbook(id="h", title="手册", questions=[_q(n, p) for n, p in enumerate(parts[:3], 1)])
    assert info.value.field == "Handbook.questions"
    with pytest.raises(ValidationError, match="numbered 3") as info:
        Handbook(id="h", title="手册", questions=[_q(1, "should"), _q(3, "may")])
    assert info.value.field == "Handbook.questions[2].number"
    with pytest.raises(ValidationError, match="repeats question 1") as info:
        Handbook(
            id="h",
            title="手册",
            questions=[
                _q(1, "should", "代表是什么？"),
                _q(2, "may", "代表是什么?"),
                _q(3, "must_not"),
                _q(4, "guarantees"),
            ],
        )
    assert info.value.field == "Handbook.questions[2].question"
    with pytest.raises(ValidationError, match="keep the parts in order"):
        Handbook(id="h", title="手册", questions=[_q(n, p) for n, p in enumerate(parts[::-1], 1)])
    with pytest.raises(ValidationError, match="应该做什么、可以做什么") as info:
        _q(1, "其他")
    assert info.value.value == "其他"


def _toml(path: Path, rows: list[tuple[int, str, str]]) -> Path:
    lines = ['title = "测试手册"', 'id = "t"']
    for number, part, question in rows:
        lines += [
            "[[questions]]",
            f"number = {number}",
            f'part = "{part}"',
            f'question = "{question}"',
            'answer = "答。"',
        ]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


FOUR = [
    (1, "应该做什么", "甲？"),
    (2, "可以做什么", "乙？"),
    (3, "不能做什么", "丙？"),
    (4, "履职保障", "丁？"),
]


def test_import_from_toml_names_the_question_and_the_value(tmp_path: Path) -> None:
    good = read_handbook(_toml(tmp_path / "ok.toml", FOUR))
    assert (good.id, good.title, len(good.questions)) == ("t", "测试手册", 4)
    bad = [*FOUR[:3], (5, "履职保障", "丁？")]
    with pytest.raises(ValidationError) as info:
        read_handbook(_toml(tmp_path / "gap.toml", bad))
    assert info.value.field == "gap.toml: questions[4], 编号" and info.value.value == 5
    twice = [*FOUR, (5, "履职保障", "甲？")]
    with pytest.raises(ValidationError, match="repeats the question of questions\\[1\\]"):
        read_handbook(_toml(tmp_path / "twice.toml", twice))
    three = [(1, "应该做什么", "甲？"), (2, "可以做什么", "乙？"), (3, "履职保障", "丁？")]
    with pytest.raises(ValidationError, match="exactly four parts") as info:
        read_handbook(_toml(tmp_path / "three.toml", three))
    assert "不能做什么" in str(info.value)
    (tmp_path / "broken.toml").write_text("questions = [", encoding="utf-8")
    with pytest.raises(ValidationError, match="not valid TOML"):
        read_handbook(tmp_path / "broken.toml")


def test_import_from_xlsx_names_the_row_and_column(
    tmp_path: Path, course_office: tuple[lvzhi.Secretariat, Course]
) -> None:
    office, _ = course_office
    path = tmp_path / "handbook.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["代表履职手册"])
    sheet.append(["编号", "部分", "问题", "解答", "依据"])
    for number, part, question in FOUR:
        sheet.append([number, part, question, "答。", "代表法"])
    book.save(path)
    stored = office.materials.import_handbook(path, handbook_id="xlsx-book")
    assert (stored.id, stored.title) == ("xlsx-book", "代表履职手册")
    assert office.materials.handbook("xlsx-book").questions[3].basis == "代表法"

    sheet.cell(row=5, column=2, value="其他部分")
    book.save(path)
    with pytest.raises(ValidationError) as info:
        office.materials.import_handbook(path)
    assert info.value.field == "handbook.xlsx: row 5, 部分" and info.value.value == "其他部分"
    sheet.cell(row=5, column=2, value="不能做什么")
    sheet.cell(row=4, column=4).value = None
    book.save(path)
    with pytest.raises(ValidationError, match="is missing") as info:
        office.materials.import_handbook(path)
    assert info.value.field == "handbook.xlsx: row 4, 解答"
    # nothing of a refused file was stored
    assert [h.id for h in office.materials.handbooks()] == ["xlsx-book"]


# -- speakers, lecturers, hosts -------------------------------------------------------------


def test_speakers_are_deputies_lecturers_and_hosts_officials(
    course_office: tuple[lvzhi.Secretariat, Course],
) -> None:
    office, course = course_office
    sessions = office.programme.timetable()
    sharing = next(s for s in sessions if s.kind is SessionKind.EXPERIENCE_SHARING)
    lecture = next(s for s in sessions if s.kind is SessionKind.LECTURE)
    for cert in course.sharing_deputies:
        office.materials.link_speaker(sharing.id, cert, topic=f"{cert}的体会")
    assert [r.order for r in office.materials.speakers()] == [1, 2, 3, 4, 5]
    with pytest.raises(ValidationError, match="not on the roster"):
        office.materials.link_speaker(sharing.id, "leader-01")
    office.people.save_official(
        Official(id="prof-1", name="周教授", role="lecturer", organisation="省委党校")
    )
    office.materials.link_lecturer(lecture.id, "prof-1", topic="全过程人民民主")
    office.materials.link_host(lecture.id, "leader-01")
    with pytest.raises(ValidationError, match="is not an official") as info:
        office.materials.link_lecturer(lecture.id, course.sharing_deputies[0])
    assert info.value.field == "SessionRole.lecturer"
    with pytest.raises(NotFound):
        office.materials.link_host("no-such-session", "leader-01")
    # linking again keeps the place and updates the topic
    again = office.materials.link_speaker(sharing.id, course.sharing_deputies[0], topic="新题目")
    assert (again.order, again.topic) == (1, "新题目")
    roles = office.materials.roles()
    assert [(r.session_id, r.role) for r in roles[:2]] == [
        (lecture.id, RoleKind.HOST),
        (lecture.id, RoleKind.LECTURER),
    ]
    assert len(roles) == 7
    office.materials.unlink(lecture.id, "host", "leader-01")
    assert len(office.materials.roles()) == 6
    with pytest.raises(NotFound):
        office.materials.unlink(lecture.id, "host", "leader-01")

    table = office.reports.table("speakers")
    assert table.headers[:5] == ["日期", "时间", "专题", "角色", "姓名"]
    first = table.dict[0]
    assert (first["角色"], first["姓名"], first["单位或代表团"]) == ("授课", "周教授", "省委党校")
    names = {d.certificate_no: d.name for d in course.delegates}
    speakers = [row for row in table.dict if row["角色"] == "交流发言"]
    assert [row["姓名"] for row in speakers] == [names[c] for c in course.sharing_deputies]
    assert speakers[0]["发言题目"] == "新题目"


def test_the_demo_materials(course_office: tuple[lvzhi.Secretariat, Course]) -> None:
    office, course = course_office
    said: list[str] = []
    lines = build_materials(office, course.programme, course, say=said.append)
    assert said == [
        "loading the handbook",
        "linking speakers, lecturers and hosts",
        "collecting the evaluation questionnaire",
    ]
    assert lines[0].startswith("履职常识100问: 100 questions")
    speakers = office.materials.speakers()
    assert [r.person_id for r in speakers] == list(course.sharing_deputies)
    assert [r.topic for r in speakers] == list(SHARING_TOPICS)
    lecturers = office.materials.roles(role="lecturer")
    assert len(lecturers) == 5 and all(r.person_id.startswith("lecturer-") for r in lecturers)
    questionnaire = office.materials.evaluation.list()[0]
    results = office.materials.evaluation.results(questionnaire.id)
    assert results.expected == 346 and 280 < results.responses < 346
    assert f"{results.responses} of 346 deputies responded" in lines[3]
