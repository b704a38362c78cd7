"""The exporter on tables made here: the general layout, the forms it recognises, the
text it cannot print, and the contract every exporter keeps."""

from __future__ import annotations

import datetime as dt

import pytest
import tablib
from conftest import A4, A4_LANDSCAPE, read_pdf
from lvzhi_pdf import PdfExporter, html_of
from lvzhi_pdf.cards import CARD_HEADERS, name_size
from lvzhi_pdf.tables import cell_text, fit

from lvzhi.reports import prepare
from lvzhi.reports.layout import Column
from lvzhi.testing.contracts import ExporterContract


class TestPdfExporterContract(ExporterContract):
    @pytest.fixture
    def exporter(self) -> PdfExporter:
        return PdfExporter()


def test_exporter_attributes() -> None:
    exporter = PdfExporter()
    assert (exporter.format, exporter.extension, exporter.media_type) == (
        "pdf",
        "pdf",
        "application/pdf",
    )
    assert exporter.spreadsheet is False
    assert exporter.multi_sheet is True


def _table(rows: int, title: str = "名册") -> tablib.Dataset:
    data = tablib.Dataset(headers=["序号", "姓名", "代表团"], title=title)
    for n in range(1, rows + 1):
        data.append([n, f"代表{n:03d}", "珠晖区"])
    return data


def test_long_table_repeats_its_header_and_numbers_its_pages() -> None:
    ready = prepare(
        _table(120), spreadsheet=False, timezone="Asia/Shanghai", programme_title="培训班"
    )
    pdf = read_pdf(PdfExporter().export(ready))
    assert len(pdf.pages) >= 3
    assert set(pdf.sizes) == {A4}
    for page in range(len(pdf.pages)):
        text = pdf.squeezed(page)
        assert "序号姓名代表团" in text
        assert f"第{page + 1}页，共{len(pdf.pages)}页" in text
    assert pdf.squeezed(0).startswith("培训班名册")
    every = "".join(pdf.squeezed(p) for p in range(len(pdf.pages)))
    for n in range(1, 121):
        assert f"{n}代表{n:03d}珠晖区" in every


def test_each_sheet_of_a_book_starts_a_page() -> None:
    book = tablib.Databook([_table(2, "甲"), _table(2, "乙")])
    pdf = read_pdf(PdfExporter().export(book))
    assert len(pdf.pages) == 2
    assert pdf.squeezed(0).startswith("甲")
    assert pdf.squeezed(1).startswith("乙")


def test_orientation_and_font_follow_the_width() -> None:
    def chosen(widths: list[Column]) -> tuple[str, float]:
        orientation, size, _widths = fit(widths)
        return orientation, size

    assert chosen([Column(10.0)] * 5) == ("portrait", 10.5)
    assert chosen([Column(20.0)] * 6) == ("landscape", 10.5)
    assert chosen([Column(30.0)] * 6) == ("landscape", 8.0)
    assert chosen([Column(50.0)] * 8) == ("landscape", 7.5)
    wide = tablib.Dataset(headers=[f"第{n}列" for n in range(12)], title="宽表")
    wide.append(["一二三四五六七八九十"] * 12)
    assert read_pdf(PdfExporter().export(wide)).sizes[0] == A4_LANDSCAPE


def test_wrapping_columns_narrow_before_the_font_does() -> None:
    widths = [Column(10.0)] * 6 + [Column(50.0, wraps=True)] * 2
    orientation, size, fitted = fit(widths)
    assert (orientation, size) == ("landscape", 10.5)
    assert [c.width for c in fitted[:6]] == [10.0] * 6
    assert 24.0 <= fitted[6].width < 50.0
    assert sum(c.width for c in fitted) <= 267.0 / (10.5 * 0.1764)
    # a long text in a narrowed column wraps and stays whole
    data = tablib.Dataset(headers=["序号", "内容", "答复"], title="建议")
    data.append([1, "建议内容" * 40, "答复内容" * 40])
    text = read_pdf(PdfExporter().export(data)).squeezed(0)
    assert text.count("建议内容") == 40
    assert text.count("答复内容") == 40


def test_cells_as_printed() -> None:
    assert cell_text(None) == ""
    assert cell_text(True) == "是"
    assert cell_text(dt.datetime(2022, 9, 6, 9, 5, 33)) == "2022-09-06 09:05"
    assert cell_text(dt.date(2022, 9, 6)) == "2022-09-06"
    assert cell_text("王\x07芳\u200b") == "王\ufffd芳"


def test_markup_in_cells_is_text() -> None:
    data = tablib.Dataset(["<b>王芳</b> & <script>x</script>"], headers=["姓名"], title="名册")
    page = html_of(data)
    assert "&lt;b&gt;王芳&lt;/b&gt; &amp; &lt;script&gt;" in page
    assert "<script>" not in page
    assert "<b>王芳</b>&<script>x</script>" in read_pdf(PdfExporter().export(data)).squeezed(0)


def test_name_card_sizes() -> None:
    assert name_size("毛仁明", 1) == 52.0  # as large as allowed
    assert name_size("毛仁明", 2) == 27.0
    long = name_size("阿不都热依木·买买提", 1)
    assert long < 52.0
    assert long * 9.55 <= 180.0 * 0.92  # fits between the margins


def test_odd_number_of_cards_two_per_page() -> None:
    cards = tablib.Dataset(headers=list(CARD_HEADERS), title="桌签（每页两张）")
    for n, name in enumerate(["王芳", "欧阳雄固", "阿不都热依木·买买提"], start=1):
        cards.append([n, name, "珠晖区", f"HY{n}"])
    pdf = read_pdf(PdfExporter().export(cards))
    assert len(pdf.pages) == 2
    assert pdf.squeezed(0).count("王芳") == 2
    assert pdf.squeezed(0).count("欧阳雄固") == 2
    assert pdf.squeezed(1).count("阿不都热依木·买买提") == 2
    single = tablib.Dataset(headers=list(CARD_HEADERS), title="桌签")
    single.append([1, "王芳", "珠晖区", "HY1"])
    assert len(read_pdf(PdfExporter().export(single)).pages) == 1


def test_a_table_named_like_cards_with_other_headers_is_a_table() -> None:
    data = tablib.Dataset(["王芳"], headers=["姓名"], title="桌签")
    pdf = read_pdf(PdfExporter().export(data))
    assert pdf.squeezed(0).startswith("桌签姓名王芳")


def test_tongbao_without_violations_says_so() -> None:
    from lvzhi.reports.tongbao import tongbao_book

    book = prepare(
        tongbao_book([]), spreadsheet=False, timezone="Asia/Shanghai", programme_title="培训班"
    )
    text = read_pdf(PdfExporter().export(book)).squeezed(0)
    assert text.startswith("代表违纪情况通报培训班")
    assert "培训期间未发现违反培训纪律的情况。" in text
    assert "代表团：" not in text
