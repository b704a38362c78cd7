"""Built-in exporters: every format round-trips its content; neutralisation."""

from __future__ import annotations

import datetime as dt
import importlib
import io
import json
from typing import Any

import pytest
import tablib
from hypothesis import given
from hypothesis import strategies as st

from lvzhi.builtins import exporters as builtin
from lvzhi.builtins.exporters import exporters, lvzhi_register_exporters, neutralise
from lvzhi.plugins import BUILTIN_PLUGINS, Hooks, make_plugin_manager
from lvzhi.ports import Exporter
from lvzhi.testing.contracts import ExporterContract

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
    if fmt == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(payload)).worksheets[0]
        return as_text([list(r) for r in sheet.iter_rows(values_only=True)])
    if fmt in ("ods", "json", "yaml", "html"):
        raw: Any = payload if fmt == "ods" else payload.decode("utf-8")
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
    loaded = tablib.Databook().load(payload, format=fmt)
    assert [s.title for s in loaded.sheets()] == ["衡南县", "驻衡部队"]
    for sheet in loaded.sheets():
        assert as_text([list(sheet.headers), *[list(r) for r in sheet]]) == expected()


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


def test_aware_datetimes_become_local_wall_time() -> None:
    moment = dt.datetime(2022, 9, 6, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    data = tablib.Dataset((moment,), headers=["时间"], title="t")
    sheet = openpyxl.load_workbook(io.BytesIO(by_format()["xlsx"].export(data))).active
    assert sheet["A2"].value == dt.datetime(2022, 9, 6, 9, 0)


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
        assert sheet["A2"].data_type == "s"
        assert sheet["A2"].value == '\'=HYPERLINK("http://x")'
        assert sheet["B2"].value == -5
    else:
        rows = load(fmt, payload)
        assert rows[1] == ['\'=HYPERLINK("http://x")', "-5"]


def test_unneutralised_formula_would_be_a_formula() -> None:
    # why neutralise exists: openpyxl writes a leading "=" as a formula
    data = tablib.Dataset(("=1+1",), headers=["a"], title="t")
    sheet = openpyxl.load_workbook(io.BytesIO(by_format()["xlsx"].export(data))).active
    assert sheet["A2"].data_type == "f"


def test_module_is_a_plugin() -> None:
    assert hasattr(builtin.lvzhi_register_exporters, "lvzhi_impl")


@given(st.lists(st.one_of(st.text(), st.integers(), st.floats(allow_nan=False)), max_size=8))
def test_neutralised_text_never_starts_a_formula(cells: list[Any]) -> None:
    data = tablib.Dataset(tuple(cells)) if cells else tablib.Dataset()
    safe = neutralise(data)
    for before, after in zip(data[0] if cells else (), safe[0] if cells else (), strict=True):
        if isinstance(before, str):
            assert not after.startswith(builtin.DANGEROUS_PREFIXES)
            assert after in (before, "'" + before)
        else:
            assert after == before


@pytest.fixture(params=["csv", "xlsx", "ods", "json", "yaml", "html"])
def builtin_exporter(request: pytest.FixtureRequest) -> Any:
    return {e.format: e for e in lvzhi_register_exporters()}[request.param]


class TestBuiltinExportersContract(ExporterContract):
    @pytest.fixture
    def exporter(self, builtin_exporter: Any) -> Any:
        return builtin_exporter
