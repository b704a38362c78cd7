"""The personalised covers: one per deputy in display order with the certificate data, as a
table and as one printable HTML document (a page per deputy, each an SVG drawing)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pendulum
import pytest
import tablib

import lvzhi
from lvzhi.clock import FixedClock
from lvzhi.errors import NotFound
from lvzhi.reports.covers import (
    COVER_HEADERS,
    Cover,
    course_dates,
    cover_svg,
    covers_html,
    covers_of,
    is_cover_sheet,
    wrap,
)
from lvzhi.samples import Course
from lvzhi.samples.load import load_course

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def course_office(clock: FixedClock) -> tuple[lvzhi.Secretariat, Course]:
    office = lvzhi.open("memory://", clock=clock, load_entrypoints=False)
    return office, load_course(office, schedule=False)


def _texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def test_course_dates() -> None:
    d = pendulum.Date
    assert course_dates(d(2022, 9, 6), d(2022, 9, 8)) == "2022年9月6日至8日"
    assert course_dates(d(2022, 9, 30), d(2022, 10, 2)) == "2022年9月30日至10月2日"
    assert course_dates(d(2022, 12, 31), d(2023, 1, 2)) == "2022年12月31日至2023年1月2日"
    assert course_dates(d(2022, 9, 6), d(2022, 9, 6)) == "2022年9月6日"


def test_wrap_keeps_lines_short_and_even() -> None:
    title = "衡阳市第十六届人大代表（新任代表）履职培训班"
    lines = wrap(title, 20)
    assert "".join(lines) == title and all(len(line) <= 20 for line in lines)
    assert lines == ["衡阳市第十六届人大代表", "（新任代表）履职培训班"]
    assert wrap("短标题", 20) == ["短标题"]


def test_one_cover_per_deputy_in_display_order(
    course_office: tuple[lvzhi.Secretariat, Course],
) -> None:
    office, course = course_office
    covers = office.materials.covers()
    ordered = office.people.delegates()  # official order: delegation order, then 姓氏笔画
    assert [c.certificate_no for c in covers] == [d.certificate_no for d in ordered]
    assert [c.number for c in covers] == list(range(1, 347))
    first = covers[0]
    units = {d.code: d.name for d in course.delegations}
    assert first.delegation == units[ordered[0].delegation]
    assert (first.term, first.course) == ("第十六届", course.programme.title)
    assert first.dates == "2022年9月6日至8日" and first.handbook == "人大代表履职常识100问"
    code = course.delegations[1].code
    only = office.materials.covers(delegation=code)
    assert {c.delegation for c in only} == {units[code]} and only[0].number == 1
    office.materials.load_sample_handbook()
    table = office.reports.table("covers", options={"delegation": code})
    assert table.headers == list(COVER_HEADERS) and table.height == len(only)
    assert [row[2] for row in table] == [c.certificate_no for c in only]
    assert is_cover_sheet(table) and covers_of(table) == only
    with pytest.raises(NotFound):
        office.reports.table("covers", options={"delegation": "nowhere"})
    with pytest.raises(NotFound):
        office.materials.covers(delegation="nowhere")


def test_a_cover_is_an_a4_svg_with_the_certificate_data() -> None:
    cover = Cover(
        number=7,
        name="王毅",
        certificate_no="HY16-0007",
        delegation="衡南县",
        term="第十六届",
        course="衡阳市第十六届人大代表（新任代表）履职培训班",
        dates="2022年9月6日至8日",
        organiser="衡阳市人大常委会",
    )
    svg = cover_svg(cover)
    root = ET.fromstring(svg.split("\n", 1)[1])
    assert root.get("width") == "210mm" and root.get("height") == "297mm"
    assert root.get("viewBox") == "0 0 210 297"
    texts = _texts(svg.split("\n", 1)[1])
    assert "王\u3000毅" in texts  # a two-character name is spaced
    for value in (
        "HY16-0007",
        "衡南县",
        "2022年9月6日至8日",
        "衡阳市人大常委会",
        "第十六届人大代表",
    ):
        assert value in texts
    assert "".join(texts).count("履职培训班") == 1
    style = root.find(f"{SVG}style")
    assert style is not None and "Noto Serif CJK SC" in (style.text or "")
    assert "SimSun" in (style.text or "")


def test_markup_in_the_data_is_escaped() -> None:
    cover = Cover(
        number=1, name="<b>&", certificate_no="x", delegation="甲", term="", course="课",
        dates="d",
    )  # fmt: skip
    texts = _texts(cover_svg(cover).split("\n", 1)[1])
    assert "<b>&" in texts


def test_the_html_export_prints_a_page_per_deputy(
    course_office: tuple[lvzhi.Secretariat, Course], tmp_path: Path
) -> None:
    office, course = course_office
    target = tmp_path / "covers.html"
    office.reports.export("covers", "html", target)
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="zh-CN">' in page
    assert "@page { size: A4 portrait; margin: 0; }" in page
    assert "page-break-after: always" in page
    sections = re.findall(r'<section class="cover" id="cover-(\d+)">(.*?)</section>', page)
    assert len(sections) == 346
    names = {d.certificate_no: d.name for d in course.delegates}
    ordered = office.people.delegates()
    for (number, svg), deputy in zip(sections[:20], ordered[:20], strict=True):
        root = ET.fromstring(svg)
        assert root.get("data-cert") == deputy.certificate_no
        texts = _texts(svg)
        assert deputy.certificate_no in texts and number in texts
        shown = names[deputy.certificate_no]
        assert shown in texts or f"{shown[0]}\u3000{shown[1]}" in texts
    # the same document from the pure function
    assert covers_html(office.materials.covers()).count('<section class="cover"') == 346


def test_the_covers_as_a_spreadsheet(
    course_office: tuple[lvzhi.Secretariat, Course], tmp_path: Path
) -> None:
    office, _ = course_office
    data = office.reports.export("covers", "csv")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0].split(",") == list(COVER_HEADERS) and len(lines) == 347
    book = tablib.Dataset().load(data.decode("utf-8-sig"), format="csv")
    assert book.height == 346
