"""The demo's course materials: the sample handbook, the five deputies who share their
experience, the lecturers and hosts of the sessions, and the evaluation questionnaire
answered by most deputies."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lvzhi.domain import Official, OfficialRole, Programme, SessionKind
from lvzhi.domain.evaluation import ItemKind
from lvzhi.i18n import N_
from lvzhi.samples.course import Course
from lvzhi.secretariat import Secretariat

__all__ = ["SHARING_TOPICS", "build_materials", "export_materials"]

#: The talks of the five experience-sharing deputies, in speaking order.
SHARING_TOPICS = (
    "扎根基层，当好群众的贴心人",
    "把群众的“问题清单”变成“履职清单”",
    "一条代表建议的办理和跟踪",
    "在代表联络站接待群众的几点体会",
    "立足岗位履职尽责",
)

#: Free-text answers some deputies give.
ADVICE = (
    "希望多安排案例教学",
    "建议增加代表建议写作的实务练习",
    "交流发言很受启发，希望多安排",
    "培训时间可以再长一些",
    "建议提前发放学习资料",
)

_SEED = 20220906
_KINDS = (SessionKind.LECTURE, SessionKind.PRACTICAL)


def _lecturers(office: Secretariat, programme: Programme) -> list[tuple[str, Official, str]]:
    """One lecturer (an official) per lecture and practical course, named after the
    session's lecturer text (…负责同志, 资深人大代表)."""
    rng = random.Random(_SEED)
    surnames = "王李张刘陈杨黄赵周吴"
    given = "建国志强海燕立新文华明德春梅晓东"
    out: list[tuple[str, Official, str]] = []
    sessions = [s for s in office.programme.timetable(programme.id) if s.kind in _KINDS]
    for n, session in enumerate(sessions, start=1):
        text = session.lecturer or "授课教师"
        organisation, _sep, _rest = text.rpartition("负责同志")
        official = Official(
            id=f"lecturer-{n:02d}",
            name=rng.choice(surnames) + rng.choice(given[::2]) + rng.choice(given[1::2]),
            role=OfficialRole.LECTURER,
            organisation=organisation or "",
            title="负责同志" if organisation else text,
        )
        out.append((session.id, official, session.title))
    return out


def build_materials(
    office: Secretariat,
    programme: Programme,
    course: Course,
    *,
    say: Callable[[str], None] = lambda _message: None,
) -> list[str]:
    """Load the handbook, link the five experience-sharing deputies, the lecturers and the
    hosts, and record the evaluation questionnaire with responses from most deputies.
    Returns summary lines."""
    say(N_("loading the handbook"))
    handbook = office.materials.load_sample_handbook()

    say(N_("linking speakers, lecturers and hosts"))
    sessions = office.programme.timetable(programme.id)
    sharing = next(s for s in sessions if s.kind is SessionKind.EXPERIENCE_SHARING)
    for order, (cert, topic) in enumerate(
        zip(course.sharing_deputies, SHARING_TOPICS, strict=True), 1
    ):
        office.materials.link_speaker(sharing.id, cert, topic=topic, order=order)
    lecturers = _lecturers(office, programme)
    for session_id, official, title in lecturers:
        office.people.save_official(official)
        office.materials.link_lecturer(session_id, official.id, topic=title)
    leaders = sorted(o.id for o in office.people.officials(role="leader"))
    hosted = [s for s in sessions if s.venue_id is not None]
    for n, session in enumerate(hosted):
        office.materials.link_host(session.id, leaders[n % len(leaders)])

    say(N_("collecting the evaluation questionnaire"))
    questionnaire = office.materials.evaluation.standard(programme.id)
    rng = random.Random(_SEED)
    deputies = [d.certificate_no for d in office.people.delegates()]
    answers: dict[str, dict[str, Any]] = {}
    for cert in deputies:
        if rng.random() < 0.12:  # about one in eight does not hand the questionnaire in
            continue
        given: dict[str, Any] = {}
        for item in questionnaire.items:
            if item.kind is ItemKind.RATING:
                given[item.id] = rng.choices((5, 4, 3, 2), weights=(60, 30, 8, 2))[0]
            elif item.kind is ItemKind.CHOICE:
                given[item.id] = rng.choices(item.choices, weights=(80, 8, 12))[0]
            elif rng.random() < 0.2:
                given[item.id] = rng.choice(ADVICE)
        answers[cert] = given
    office.materials.evaluation.respond_many(questionnaire.id, answers)
    results = office.materials.evaluation.results(questionnaire.id)

    return [
        f"履职常识100问: {len(handbook.questions)} questions in 4 parts",
        f"experience sharing: {len(course.sharing_deputies)} deputies at {sharing.title}",
        f"lecturers: {len(lecturers)}, hosts: {len(hosted)} sessions",
        f"evaluation: {results.responses} of {results.expected} deputies responded "
        f"({results.response_rate:.1%}), overall mean {results.overall}",
    ]


def export_materials(office: Secretariat, programme_id: str, export_dir: Path) -> list[Path]:
    """Write the materials' exports: covers.html (a page per deputy), the handbook, the
    speakers and the evaluation results; returns the files written."""
    files: list[Path] = []
    for report, fmt in (
        ("covers", "html"),
        ("handbook", "xlsx"),
        ("speakers", "xlsx"),
        ("evaluation-results", "xlsx"),
    ):
        target = export_dir / f"{report}.{fmt}"
        office.reports.export(report, fmt, target, programme_id=programme_id)
        files.append(target)
    return files
