"""Every form the plugin lays out, printed from the sample course and read back."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest
import tablib
from conftest import A4, A4_LANDSCAPE, ONLY_THIS_PLUGIN, Course, pypdf_text, read_pdf

from lvzhi.errors import ValidationError


def _no_tofu(text: str) -> None:
    """Chinese text extracted as characters: no replacement characters, no CIDs."""
    assert "\ufffd" not in text
    assert "(cid:" not in text
    assert sum(1 for c in text if "\u4e00" <= c <= "\u9fff") > 20


def test_seating_chart_is_the_hall_on_one_landscape_page(course: Course, tmp_path: Path) -> None:
    office = course.office
    target = tmp_path / "chart.pdf"
    office.reports.export("seating-chart", "pdf", target, options=course.chart_options())
    pdf = read_pdf(target.read_bytes())
    book = office.reports.table("seating-chart", options=course.chart_options())
    assert isinstance(book, tablib.Databook)
    listing = book.sheets()[1]
    assert pdf.sizes[0] == A4_LANDSCAPE
    chart = pdf.squeezed(0)
    _no_tofu(pdf.pages[0])
    # every seated deputy, with the delegation, on the one page of the chart
    names = [row[2] for row in listing]
    assert len(names) > 340
    for name in names:
        assert name in chart
    for word in ("座次表", "主席台", "左前区", "右后区", "1排", "20排", "图例", "预留"):
        assert word in chart
    for zone in ("一区", "二区", "三区", "四区"):
        assert f"{zone}：100个座位" in chart
    # then the list of seats, its header on every page
    assert len(pdf.pages) > 2
    for page in range(1, len(pdf.pages)):
        assert "排座位姓名代表团" in pdf.squeezed(page)
    assert f"第1页，共{len(pdf.pages)}页" in chart


def test_signin_sheets_one_zone_after_another(course: Course, tmp_path: Path) -> None:
    office = course.office
    options = {"session": course.opening}
    book = office.reports.table("signin", options=options)
    assert isinstance(book, tablib.Databook)
    pdf = read_pdf(office.reports.export("signin", "pdf", options=options))
    _no_tofu(pdf.text)
    assert set(pdf.sizes) == {A4}
    # each zone's heading starts a page, and its deputies follow before the next zone
    starts = []
    for sheet in book.sheets():
        zone = str(sheet.title).split()[0]
        first = next(i for i in range(len(pdf.pages)) if f"签到表（{zone}）" in pdf.squeezed(i))
        starts.append(first)
    assert starts == sorted(starts)
    assert starts[0] == 0
    bounds = [*starts, len(pdf.pages)]
    for index, sheet in enumerate(book.sheets()):
        text = "".join(pdf.squeezed(i) for i in range(bounds[index], bounds[index + 1]))
        for row in sheet:
            assert f"{row[1]}{row[2]}{row[3]}" in text  # 座号, 姓名, 代表团 on one row
        assert f"共{sheet.height}人" in text
    assert "签到员" in pdf.squeezed(0)
    for page in range(len(pdf.pages)):
        assert "序号座号姓名代表团签到备注" in pdf.squeezed(page)


def test_namecards_one_per_page(course: Course) -> None:
    office = course.office
    cards = office.reports.table("namecards")
    assert isinstance(cards, tablib.Dataset)
    assert cards.height == 346
    pdf = read_pdf(office.reports.export("namecards", "pdf"))
    assert len(pdf.pages) == 346
    assert set(pdf.sizes) == {A4}
    for page, row in enumerate(cards):
        text = pdf.squeezed(page)
        # the name twice (both halves of the tent), and the delegation
        assert text.count(row[1]) == 2, (page, row[1], text)
        assert row[2] in text
    _no_tofu(pdf.text)
    # a second reader agrees: the text is in the PDF, not only in poppler's guess
    assert "".join(pypdf_text(pdf.data, 0).split()).count(cards[0][1]) == 2


def test_namecards_two_per_page(course: Course) -> None:
    """Two cards a page (the cards of two delegations)."""
    office = course.office
    codes = [d.code for d in office.people.delegations()[:2]]
    options = {"per_page": "2", "delegation": ",".join(codes)}
    cards = office.reports.table("namecards", options=options)
    wanted = sum(len(office.people.delegates(delegation=c)) for c in codes)
    assert cards.height == wanted
    pdf = read_pdf(office.reports.export("namecards", "pdf", options=options))
    assert len(pdf.pages) == (cards.height + 1) // 2
    assert set(pdf.sizes) == {A4}
    for page in range(len(pdf.pages)):
        text = pdf.squeezed(page)
        for row in cards[2 * page : 2 * page + 2]:
            assert text.count(row[1]) == 2, (page, row[1], text)


def test_namecards_of_one_delegation(course: Course) -> None:
    office = course.office
    code = office.people.delegations()[0].code
    cards = office.reports.table("namecards", options={"delegation": code})
    deputies = office.people.delegates(delegation=code)
    assert sorted(r[3] for r in cards) == sorted(d.certificate_no for d in deputies)
    with pytest.raises(ValidationError, match="nowhere"):
        office.reports.table("namecards", options={"delegation": "nowhere"})
    with pytest.raises(ValidationError, match="per_page"):
        office.reports.table("namecards", options={"per_page": 3})


def test_tongbao_is_a_letter_per_delegation(course: Course) -> None:
    office = course.office
    book = office.reports.table("tongbao", programme_id=course.programme_id)
    assert isinstance(book, tablib.Databook)
    assert len(book.sheets()) >= 5
    pdf = read_pdf(office.reports.export("tongbao", "pdf", programme_id=course.programme_id))
    _no_tofu(pdf.text)
    for sheet in book.sheets():
        unit = str(sheet.title)
        pages = [i for i in range(len(pdf.pages)) if f"{unit}代表团：" in pdf.squeezed(i)]
        assert len(pages) == 1, unit
        text = "".join(pdf.squeezed(i) for i in range(pages[0], len(pdf.pages)))
        assert text.startswith("代表违纪情况通报")
        for row in sheet:
            assert row[1] in text
            assert row[2] in text
            assert str(row[4]) in text
        deputies = len({row[2] for row in sheet})
        assert f"共{sheet.height}起，涉及代表{deputies}人。" in text


def test_any_table_has_its_header_on_every_page(course: Course) -> None:
    office = course.office
    roster = office.reports.table("roster")
    pdf = read_pdf(office.reports.export("roster", "pdf"))
    assert len(pdf.pages) >= 5
    assert set(pdf.sizes) == {A4}
    headers = "".join(str(h) for h in roster.headers)
    for page in range(len(pdf.pages)):
        text = pdf.squeezed(page)
        assert headers in text
        assert f"第{page + 1}页，共{len(pdf.pages)}页" in text
    assert pdf.squeezed(0).startswith("衡阳市第十六届人大代表（新任代表）履职培训班代表名册")
    everything = pdf.text
    for row in roster:
        assert row[3] in everything  # every certificate number
    _no_tofu(everything)


def test_wide_table_is_landscape(course: Course) -> None:
    pdf = read_pdf(course.office.reports.export("timetable", "pdf"))
    assert pdf.sizes[0] == A4_LANDSCAPE
    assert "日程安排表" in pdf.squeezed(0)


def test_cli_export(course: Course, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``lvzhi export seating-chart -f pdf`` through the command line, on a SQLite file."""
    from lvzhi.cli.main import main

    db = tmp_path / "course.db"
    with course.office.unit_of_work(readonly=True) as source:
        import lvzhi

        with (
            lvzhi.open(f"sqlite:///{db}", environ=ONLY_THIS_PLUGIN) as office,
            office.unit_of_work() as target,
        ):
            for kind in ("programmes", "delegations", "delegates", "halls", "seat_plans"):
                getattr(target, kind).put_many(getattr(source, kind).list())
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LVZHI_PLUGINS", "pdf")
    code = main(["export", "seating-chart", "-f", "pdf", "--db", str(db), "-o", "chart.pdf"])
    assert code == 0
    pdf = read_pdf((tmp_path / "chart.pdf").read_bytes())
    assert pdf.sizes[0] == A4_LANDSCAPE
    assert "座次表" in pdf.squeezed(0)


def test_handbook_covers_one_page_per_deputy(course: Course) -> None:
    """The core's covers (one A4 page per deputy, drawn as SVG) printed page by page."""
    if importlib.util.find_spec("lvzhi.reports.covers") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("lvzhi.reports.covers is missing")
        pytest.skip("this lvzhi has no handbook covers")
    office = course.office
    code = office.people.delegations()[0].code
    options = {"delegation": code}
    sheet = office.reports.table("covers", programme_id=course.programme_id, options=options)
    assert isinstance(sheet, tablib.Dataset)
    deputies = office.people.delegates(delegation=code)
    assert sheet.height == len(deputies)
    data = office.reports.export("covers", "pdf", programme_id=course.programme_id, options=options)
    pdf = read_pdf(data)
    assert len(pdf.pages) == len(deputies)
    assert set(pdf.sizes) == {A4}
    headers = [str(h) for h in sheet.headers]
    name, cert = headers.index("姓名"), headers.index("代表证号")
    for page, row in enumerate(sheet):
        text = pdf.squeezed(page)
        assert row[name] in text
        assert row[cert] in text
    _no_tofu(pdf.text)
