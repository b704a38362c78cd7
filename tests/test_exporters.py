"""Built-in exporters (every format round-trips its content, xlsx is streamed), the core's
preparation (neutralisation, localisation) and the exporter contract itself."""

from __future__ import annotations

import datetime as dt
import importlib
import io
import json
from decimal import Decimal
from typing import Any

import pendulum
import pytest
import tablib
from hypothesis import given
from hypothesis import strategies as st

from lvzhi import reports
from lvzhi.builtins import exporters as builtin
from lvzhi.builtins import xlsx
from lvzhi.builtins.exporters import exporters, lvzhi_register_exporters
from lvzhi.domain import Gender
from lvzhi.errors import ValidationError
from lvzhi.plugins import BUILTIN_PLUGINS, Hooks, make_plugin_manager
from lvzhi.ports import Exporter
from lvzhi.reports import DANGEROUS_PREFIXES, neutralise, prepare
from lvzhi.reports.render import render
from lvzhi.testing.contracts import ExporterContract
from lvzhi.testing.contracts.exporter import read_workbook

openpyxl = importlib.import_module("openpyxl")  # no type stubs
yaml = importlib.import_module("yaml")

HEADERS = ["序号", "姓名", "选举单位", "手机"]
ROWS = [(1, "王毅", "衡南县", "138****5678"), (2, "李娟", "驻衡部队", "")]
FORMATS = ["csv", "xlsx", "ods", "json", "yaml", "html"]


def table(title: str = "代表名册") -> tablib.Dataset:
    return tablib.Dataset(*ROWS, headers=HEADERS, title=title)


def book() -> tablib.Databook:
    return tablib.Databook([table("衡南县"), table("驻衡部队")])


def by_format() -> dict[str, Exporter]:
    return {e.format: e for e in exporters()}


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():  # ods stores every number as float
        return str(int(value))
    return str(value)


def as_text(rows: list[list[Any]]) -> list[list[str]]:
    return [[cell_text(v) for v in row] for row in rows]


def load(fmt: str, payload: bytes) -> list[list[str]]:
    """The first sheet's header and rows as text."""
    if fmt == "csv":
        assert payload.startswith(b"\xef\xbb\xbf")
        data = tablib.Dataset().load(payload.decode("utf-8-sig"), format="csv")
        return as_text([list(data.headers), *[list(r) for r in data]])
    if fmt in ("xlsx", "ods"):
        rows = read_workbook(fmt, payload)[0][1]  # trailing empty cells are left out
        return as_text([row + [""] * (len(rows[0]) - len(row)) for row in rows])
    if fmt in ("json", "yaml", "html"):
        raw: Any = payload.decode("utf-8")
        data = tablib.Dataset().load(raw, format=fmt)
        return as_text([list(data.headers), *[list(r) for r in data]])
    raise AssertionError(fmt)


def expected() -> list[list[str]]:
    return as_text([HEADERS, *[list(r) for r in ROWS]])


def test_hook_registers_every_format() -> None:
    others = [name for name in BUILTIN_PLUGINS if name != "lvzhi.builtins.exporters"]
    environ = {"LVZHI_DISABLE_PLUGINS": ",".join(others)}
    hooks = Hooks(make_plugin_manager(load_entrypoints=False, environ=environ))
    registered = hooks.register_exporters()
    assert set(FORMATS) <= set(registered)
    assert [e.format for e in lvzhi_register_exporters()] == FORMATS


@pytest.mark.parametrize("fmt", FORMATS)
def test_exporter_satisfies_protocol(fmt: str) -> None:
    exporter = by_format()[fmt]
    assert isinstance(exporter, Exporter)
    assert exporter.extension == fmt
    assert exporter.multi_sheet is (fmt in ("xlsx", "ods"))
    assert exporter.spreadsheet is (fmt in ("csv", "xlsx", "ods", "html"))


@pytest.mark.parametrize("fmt", FORMATS)
def test_dataset_round_trips(fmt: str) -> None:
    payload = by_format()[fmt].export(table())
    assert isinstance(payload, bytes)
    assert load(fmt, payload) == expected()


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_databook_keeps_sheets(fmt: str) -> None:
    payload = by_format()[fmt].export(book())
    loaded = read_workbook(fmt, payload)
    assert [title for title, _ in loaded] == ["衡南县", "驻衡部队"]
    for _, rows in loaded:
        assert as_text(rows) == [row[: len(r)] for row, r in zip(expected(), rows, strict=True)]
        assert rows[2][3:] == []  # the empty phone number


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_databook_as_list_of_titled_sheets(fmt: str) -> None:
    text = by_format()[fmt].export(book()).decode("utf-8")
    parsed = json.loads(text) if fmt == "json" else yaml.safe_load(text)
    assert [s["title"] for s in parsed] == ["衡南县", "驻衡部队"]
    assert parsed[0]["data"][0] == dict(zip(HEADERS, ROWS[0], strict=True))
    loaded = tablib.Databook().load(text, format=fmt)
    assert len(loaded.sheets()) == 2


def test_databook_csv_sections() -> None:
    text = by_format()["csv"].export(book()).decode("utf-8-sig")
    sections = text.split("\r\n\r\n")
    assert len(sections) == 2
    assert sections[0].splitlines()[0] == "衡南县"
    assert sections[1].splitlines()[0] == "驻衡部队"
    assert sections[1].splitlines()[1] == ",".join(HEADERS)


def test_databook_html_has_a_heading_per_sheet() -> None:
    text = by_format()["html"].export(book()).decode("utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in text
    assert "<h2>衡南县</h2>" in text
    assert "<h2>驻衡部队</h2>" in text
    assert text.count("<table>") == 2


def test_invalid_and_duplicate_sheet_titles_are_repaired() -> None:
    sheets = [table("a/b"), table("a/b"), table("长" * 40)]
    payload = by_format()["xlsx"].export(tablib.Databook(sheets))
    names = openpyxl.load_workbook(io.BytesIO(payload)).sheetnames
    assert names == ["a-b", "a-b(2)", "长" * 31]


def test_unprepared_aware_datetimes_are_written_in_utc() -> None:
    # An exporter never strips a zone without converting: called directly, xlsx and ods
    # get the UTC time, not the wall time of whatever zone the value happened to carry.
    moment = dt.datetime(2022, 9, 6, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    later = pendulum.datetime(2022, 9, 6, 10, 30, tz="Asia/Shanghai")
    data = tablib.Dataset((moment, later), headers=["开始", "结束"], title="t")
    utc = [dt.datetime(2022, 9, 6, 1, 0), dt.datetime(2022, 9, 6, 2, 30)]
    for fmt in ("xlsx", "ods"):
        ((_, rows),) = read_workbook(fmt, by_format()[fmt].export(data))
        assert rows == [["开始", "结束"], utc], fmt


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_prepared_datetimes_are_local_wall_time(fmt: str) -> None:
    moment = pendulum.datetime(2022, 9, 6, 1, 0, tz="UTC")
    data = tablib.Dataset((moment,), headers=["时间"], title="t")
    payload = render(data, by_format()[fmt], timezone="Asia/Shanghai")
    ((_, rows),) = read_workbook(fmt, payload)
    assert rows == [["时间"], [dt.datetime(2022, 9, 6, 9, 0)]]


@pytest.mark.parametrize("fmt", ["json", "yaml", "csv", "html"])
def test_text_formats_show_prepared_times_in_the_zone(fmt: str) -> None:
    moment = pendulum.datetime(2022, 9, 6, 1, 0, tz="UTC")
    data = tablib.Dataset((moment,), headers=["时间"], title="t")
    text = render(data, by_format()[fmt], timezone="Asia/Shanghai").decode("utf-8-sig")
    assert "09:00" in text
    assert "01:00" not in text
    # Only spreadsheet formats lose the zone; json and yaml keep the offset.
    assert ("+08:00" in text) is (fmt in ("json", "yaml"))


def test_yaml_accepts_enum_and_pendulum_cells_directly() -> None:
    data = tablib.Dataset(
        (Gender.FEMALE, pendulum.datetime(2022, 9, 6, 1, tz="UTC"), pendulum.Date(2022, 9, 6)),
        headers=["性别", "时间", "日期"],
        title="t",
    )
    (row,) = yaml.safe_load(by_format()["yaml"].export(data))
    assert row == {
        "性别": "female",
        "时间": dt.datetime(2022, 9, 6, 1, 0, tzinfo=dt.UTC),
        "日期": dt.date(2022, 9, 6),
    }


# -- xlsx is streamed ---------------------------------------------------------------------


def test_xlsx_is_written_by_openpyxl_in_write_only_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict[str, Any]] = []
    real = xlsx.Workbook

    def spy(**kwargs: Any) -> Any:
        calls.append(kwargs)
        return real(**kwargs)

    def no_tablib_export(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("xlsx must not go through tablib's export")

    monkeypatch.setattr(xlsx, "Workbook", spy)
    monkeypatch.setattr(tablib.Dataset, "export", no_tablib_export)
    monkeypatch.setattr(tablib.Databook, "export", no_tablib_export)
    payload = by_format()["xlsx"].export(book())
    assert calls == [{"write_only": True}]
    assert openpyxl.load_workbook(io.BytesIO(payload)).sheetnames == ["衡南县", "驻衡部队"]


def test_xlsx_streams_every_row_in_order() -> None:
    size = 1007
    rows = [(n, f"代表{n}", n * 1.5, dt.date(2022, 9, 1 + n % 28)) for n in range(size)]
    data = tablib.Dataset(*rows, headers=["序号", "姓名", "分数", "日期"], title="名册")
    sheet = openpyxl.load_workbook(io.BytesIO(by_format()["xlsx"].export(data))).active
    read = list(sheet.iter_rows(values_only=True))
    assert read[0][0] == "名册"  # the title row
    assert read[1] == ("序号", "姓名", "分数", "日期")
    assert len(read) == size + 2
    for got, want in zip(read[2:], rows, strict=True):
        assert got[:3] == want[:3]
        assert got[3].date() == want[3]  # xlsx stores dates as datetimes
    assert sheet["D3"].number_format == "yyyy-mm-dd"
    assert sheet["C3"].number_format == "General"


def test_xlsx_a_number_after_a_date_in_one_column_keeps_its_format() -> None:
    data = tablib.Dataset(
        (dt.date(2022, 9, 6),), (7,), (dt.datetime(2022, 9, 6, 9, 30),), headers=["值"], title="t"
    )
    sheet = openpyxl.load_workbook(io.BytesIO(by_format()["xlsx"].export(data))).active
    assert [sheet[f"A{n}"].value for n in (2, 3, 4, 5)] == [
        "值",
        dt.datetime(2022, 9, 6),
        7,
        dt.datetime(2022, 9, 6, 9, 30),
    ]
    assert [sheet[f"A{n}"].number_format for n in (3, 4, 5)] == [
        "yyyy-mm-dd",
        "General",
        "yyyy-mm-dd h:mm:ss",
    ]
    assert all(sheet[f"A{n}"].border.left.style == "thin" for n in (3, 4, 5))


def test_xlsx_repairs_values_openpyxl_cannot_store() -> None:
    class Odd:
        def __str__(self) -> str:
            return "奇怪的值"

    data = tablib.Dataset(
        ("a\x01b\x0bc", Gender.MALE, Decimal("1.25"), Odd(), True, None, "王\u200b毅"),
        headers=list("abcdefg"),
        title="t\x07",
    )
    sheet = openpyxl.load_workbook(io.BytesIO(by_format()["xlsx"].export(data))).active
    assert sheet.title == "t\ufffd"
    assert [c.value for c in sheet[3]] == [
        "a\ufffdb\ufffdc",
        "male",
        1.25,
        "奇怪的值",
        True,
        None,
        "王毅",
    ]


def test_xlsx_without_headers_and_empty_workbooks() -> None:
    bare = tablib.Dataset((1, "王毅"), (2, "李娟"))
    sheet = openpyxl.load_workbook(io.BytesIO(by_format()["xlsx"].export(bare))).active
    assert list(sheet.iter_rows(values_only=True)) == [(1, "王毅"), (2, "李娟")]
    assert sheet.merged_cells.ranges == set()
    assert sheet.print_title_rows is None
    assert sheet.title == "Sheet1"
    assert sheet.freeze_panes is None
    empty = openpyxl.load_workbook(io.BytesIO(by_format()["xlsx"].export(tablib.Databook())))
    assert empty.sheetnames == ["Sheet1"]
    untitled = tablib.Databook([tablib.Dataset((1,)), tablib.Dataset((2,))])
    names = openpyxl.load_workbook(io.BytesIO(by_format()["xlsx"].export(untitled))).sheetnames
    assert names == ["Sheet1", "Sheet2"]


DANGEROUS = ['=HYPERLINK("http://x","y")', "+1", "-2", "@SUM(A1:A2)", "\tx", "\rx"]


def test_neutralise_prefixes_dangerous_text_only() -> None:
    data = tablib.Dataset((*DANGEROUS, -5, 3.5, "safe", None), headers=[*"abcdef", "=h", *"ijk"])
    safe = neutralise(data)
    assert list(safe[0][:6]) == ["'" + v for v in DANGEROUS]
    assert safe[0][6:] == (-5, 3.5, "safe", None)
    assert safe.headers[6] == "'=h"
    assert data[0][0] == DANGEROUS[0], "the input is not changed"
    assert neutralise(safe)[0] == safe[0], "idempotent"


def test_neutralise_databook() -> None:
    data = tablib.Databook([tablib.Dataset(("=1+1", 2), headers=["a", "b"], title="s")])
    (sheet,) = neutralise(data).sheets()
    assert sheet[0] == ("'=1+1", 2)
    assert sheet.title == "s"


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "ods", "html"])
def test_neutralised_cells_stay_text_in_spreadsheets(fmt: str) -> None:
    data = tablib.Dataset(('=HYPERLINK("http://x")', -5), headers=["a", "b"], title="t")
    payload = by_format()[fmt].export(neutralise(data))
    if fmt == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(payload)).active
        assert sheet["A3"].data_type == "s"
        assert sheet["A3"].value == '\'=HYPERLINK("http://x")'
        assert sheet["B3"].value == -5
    else:
        rows = load(fmt, payload)
        assert rows[1] == ['\'=HYPERLINK("http://x")', "-5"]


def test_unneutralised_formula_would_be_a_formula() -> None:
    # why neutralise exists: openpyxl writes a leading "=" as a formula
    data = tablib.Dataset(("=1+1",), headers=["a"], title="t")
    sheet = openpyxl.load_workbook(io.BytesIO(by_format()["xlsx"].export(data))).active
    assert sheet["A3"].data_type == "f"


def test_module_is_a_plugin() -> None:
    assert hasattr(builtin.lvzhi_register_exporters, "lvzhi_impl")


@given(st.lists(st.one_of(st.text(), st.integers(), st.floats(allow_nan=False)), max_size=8))
def test_neutralised_text_never_starts_a_formula(cells: list[Any]) -> None:
    data = tablib.Dataset(tuple(cells)) if cells else tablib.Dataset()
    safe = neutralise(data)
    for before, after in zip(data[0] if cells else (), safe[0] if cells else (), strict=True):
        if isinstance(before, str):
            assert not after.startswith(DANGEROUS_PREFIXES)
            assert after in (before, "'" + before)
        else:
            assert after == before


@pytest.mark.parametrize("fmt", ["csv", "ods", "html"])
def test_exporters_do_not_neutralise_on_their_own(fmt: str) -> None:
    # The core neutralises once, before any exporter; an exporter doing it again would
    # double the quote of prepared cells.
    data = tablib.Dataset(("+1", "'=x"), headers=["a", "b"], title="t")
    assert load(fmt, by_format()[fmt].export(data))[1] == ["+1", "'=x"]


def test_neutralise_lives_in_the_core() -> None:
    assert reports.neutralise is reports.render.neutralise
    assert reports.DANGEROUS_PREFIXES == ("=", "+", "-", "@", "\t", "\r")
    assert builtin.neutralise is reports.neutralise  # kept importable for older callers


# -- prepare and render -------------------------------------------------------------------

UTC_MOMENT = pendulum.datetime(2022, 9, 6, 1, 0, tz="UTC")


def timed() -> tablib.Dataset:
    return tablib.Dataset(
        ("=1+1", UTC_MOMENT, dt.datetime(2022, 9, 6, 8, 0), dt.date(2022, 9, 6), -5, 2.5),
        headers=["@内容", "时间", "本地", "日期", "差", "分"],
        title="-签到",
    )


def test_prepare_for_spreadsheets_neutralises_and_localises_to_wall_time() -> None:
    data = timed()
    ready = prepare(data, spreadsheet=True, timezone="Asia/Shanghai")
    assert ready[0] == (
        "'=1+1",
        dt.datetime(2022, 9, 6, 9, 0),
        dt.datetime(2022, 9, 6, 8, 0),  # naive: already wall-clock time, left alone
        dt.date(2022, 9, 6),
        -5,
        2.5,
    )
    assert type(ready[0][1]) is dt.datetime
    assert ready.headers[0] == "'@内容"
    assert ready.title == "'-签到"
    assert data[0][0] == "=1+1", "the input is not changed"
    assert data[0][1] is UTC_MOMENT
    assert prepare(ready, spreadsheet=True, timezone="Asia/Shanghai")[0] == ready[0]


def test_prepare_for_other_formats_keeps_text_and_zone() -> None:
    ready = prepare(timed(), spreadsheet=False, timezone="Asia/Shanghai")
    text, moment = ready[0][:2]
    assert text == "=1+1"
    assert ready.headers[0] == "@内容"
    assert ready.title == "-签到"
    assert moment == UTC_MOMENT
    assert (moment.hour, moment.utcoffset()) == (9, dt.timedelta(hours=8))
    assert type(moment) is dt.datetime
    assert prepare(ready, spreadsheet=False, timezone="Asia/Shanghai")[0] == ready[0]


def test_prepare_follows_daylight_saving_time() -> None:
    summer = tablib.Dataset((UTC_MOMENT, UTC_MOMENT.add(months=3)), headers=["a", "b"])
    ready = prepare(summer, spreadsheet=True, timezone="Europe/Berlin")
    assert ready[0] == (dt.datetime(2022, 9, 6, 3, 0), dt.datetime(2022, 12, 6, 2, 0))


def test_prepare_databook_and_unknown_zone() -> None:
    book = tablib.Databook([timed(), tablib.Dataset(("+2",), title="b")])
    first, second = prepare(book, spreadsheet=True, timezone="Asia/Shanghai").sheets()
    assert (first[0][0], second[0][0], second.title) == ("'=1+1", "'+2", "b")
    with pytest.raises(ValidationError, match="time zone"):
        prepare(book, spreadsheet=True, timezone="Mars/Olympus")


class Recorder:
    """A plugin exporter that keeps what it was given."""

    format = "rec"
    extension = "rec"
    media_type = "application/octet-stream"
    multi_sheet = True

    def __init__(self, spreadsheet: bool) -> None:
        self.spreadsheet = spreadsheet
        self.given: list[Any] = []

    def export(self, data: tablib.Dataset | tablib.Databook) -> bytes:
        self.given.append(data)
        return b"ok"


@pytest.mark.parametrize("spreadsheet", [True, False])
def test_render_prepares_for_any_exporter(spreadsheet: bool) -> None:
    recorder = Recorder(spreadsheet)
    assert render(timed(), recorder, timezone="Asia/Shanghai") == b"ok"
    (given,) = recorder.given
    assert given[0][0] == ("'=1+1" if spreadsheet else "=1+1")
    assert given[0][1].hour == 9
    assert (given[0][1].tzinfo is None) is spreadsheet


def test_render_of_a_built_in_exporter_is_prepare_then_export() -> None:
    csv = by_format()["csv"]
    expected = csv.export(prepare(timed(), spreadsheet=True, timezone="Asia/Shanghai"))
    assert render(timed(), csv, timezone="Asia/Shanghai") == expected
    assert load("csv", expected)[1][:2] == ["'=1+1", "2022-09-06 09:00:00"]


@given(st.lists(st.one_of(st.text(), st.integers()), min_size=1, max_size=8))
def test_prepare_is_idempotent_and_never_leaves_a_formula(cells: list[Any]) -> None:
    ready = prepare(tablib.Dataset(tuple(cells)), spreadsheet=True, timezone="UTC")
    assert prepare(ready, spreadsheet=True, timezone="UTC")[0] == ready[0]
    for before, after in zip(cells, ready[0], strict=True):
        assert not (isinstance(after, str) and after.startswith(DANGEROUS_PREFIXES))
        clean = reports.clean_text(before)[0] if isinstance(before, str) else before
        assert after == clean or after == "'" + clean


# -- the contract can fail ------------------------------------------------------------------


class DropsLastRow:
    """A csv exporter losing the last row of each sheet."""

    format = "bad"
    extension = "bad"
    media_type = "text/csv"
    spreadsheet = True
    multi_sheet = False

    def export(self, data: tablib.Dataset | tablib.Databook) -> bytes:
        sheets = data.sheets() if isinstance(data, tablib.Databook) else [data]
        cut = [tablib.Dataset(*list(s)[:-1], headers=s.headers, title=s.title) for s in sheets]
        return by_format()["csv"].export(tablib.Databook(cut))


class WritesUtc(DropsLastRow):
    """A json exporter that writes every time in UTC."""

    media_type = "application/json"
    spreadsheet = False

    def export(self, data: tablib.Dataset | tablib.Databook) -> bytes:
        def utc(v: Any) -> Any:
            return v.astimezone(dt.UTC) if isinstance(v, dt.datetime) else v

        sheet = data if isinstance(data, tablib.Dataset) else data.sheets()[0]
        rows = [tuple(utc(v) for v in row) for row in sheet]
        return by_format()["json"].export(tablib.Dataset(*rows, headers=sheet.headers))


class LosesTitles(DropsLastRow):
    """An xlsx exporter that names every sheet by its number."""

    format = "xlsx"
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    multi_sheet = True

    def export(self, data: tablib.Dataset | tablib.Databook) -> bytes:
        sheets = data.sheets() if isinstance(data, tablib.Databook) else [data]
        renamed = [
            tablib.Dataset(*s, headers=s.headers, title=f"S{i}") for i, s in enumerate(sheets)
        ]
        return by_format()["xlsx"].export(tablib.Databook(renamed))


@pytest.mark.parametrize(
    ("broken", "case"),
    [
        (DropsLastRow(), "test_exports_a_databook_with_every_sheet"),
        (WritesUtc(), "test_exports_prepared_times_and_formulas"),
        (LosesTitles(), "test_exports_a_databook_with_every_sheet"),
        (LosesTitles(), "test_exports_a_dataset"),
    ],
)
def test_contract_catches_broken_exporters(broken: Any, case: str) -> None:
    with pytest.raises(AssertionError):
        getattr(ExporterContract(), case)(broken)


@pytest.fixture(params=["csv", "xlsx", "ods", "json", "yaml", "html"])
def builtin_exporter(request: pytest.FixtureRequest) -> Any:
    return {e.format: e for e in lvzhi_register_exporters()}[request.param]


class TestBuiltinExportersContract(ExporterContract):
    @pytest.fixture
    def exporter(self, builtin_exporter: Any) -> Any:
        return builtin_exporter
