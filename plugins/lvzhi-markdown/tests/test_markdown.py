"""Tests of the worked example plugin, run against an installed (not editable) copy."""

from __future__ import annotations

import importlib.metadata

import pytest
import tablib
from lvzhi_markdown import MarkdownExporter, escape_cell

from lvzhi.plugins import Hooks, make_plugin_manager
from lvzhi.ports import Exporter
from lvzhi.testing.contracts import ExporterContract


def roster() -> tablib.Dataset:
    data = tablib.Dataset(headers=["代表证号", "姓名", "备注"], title="名册")
    data.append(["001", "王一", None])
    data.append(["002", "李二", "a|b\nc"])
    return data


def test_dataset_is_one_table() -> None:
    assert MarkdownExporter().export(roster()).decode("utf-8") == (
        "| 代表证号 | 姓名 | 备注 |\n"
        "| --- | --- | --- |\n"
        "| 001 | 王一 |  |\n"
        "| 002 | 李二 | a\\|b<br>c |\n"
    )


def test_databook_is_one_section_per_sheet() -> None:
    scores = tablib.Dataset(headers=["session", "present"], title="Attendance\nsummary")
    scores.append(["s1", 42])
    untitled = tablib.Dataset(headers=["x"])
    book = tablib.Databook([roster(), scores, untitled])
    assert MarkdownExporter().export(book).decode("utf-8") == (
        "## 名册\n"
        "\n"
        "| 代表证号 | 姓名 | 备注 |\n"
        "| --- | --- | --- |\n"
        "| 001 | 王一 |  |\n"
        "| 002 | 李二 | a\\|b<br>c |\n"
        "\n"
        "## Attendance summary\n"
        "\n"
        "| session | present |\n"
        "| --- | --- |\n"
        "| s1 | 42 |\n"
        "\n"
        "## Sheet 3\n"
        "\n"
        "| x |\n"
        "| --- |\n"
    )


def test_table_without_headers_gets_an_empty_header_row() -> None:
    data = tablib.Dataset()
    data.append([1, 2])
    assert MarkdownExporter().export(data) == b"|  |  |\n| --- | --- |\n| 1 | 2 |\n"


def test_empty_dataset_is_empty() -> None:
    assert MarkdownExporter().export(tablib.Dataset()) == b""


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (3, "3"),
        ("a|b", "a\\|b"),
        ("a\\|b", "a\\\\\\|b"),
        ("one\r\ntwo\rthree\nfour", "one<br>two<br>three<br>four"),
    ],
)
def test_escape_cell(value: object, text: str) -> None:
    assert escape_cell(value) == text


def test_exporter_satisfies_the_protocol() -> None:
    exporter = MarkdownExporter()
    assert isinstance(exporter, Exporter)
    assert (exporter.format, exporter.extension) == ("md", "md")
    assert exporter.spreadsheet is False
    assert exporter.multi_sheet is True


def test_entry_point_is_advertised() -> None:
    eps = importlib.metadata.entry_points(group="lvzhi")
    assert [ep.value for ep in eps if ep.name == "markdown"] == ["lvzhi_markdown.plugin"]


def test_entry_point_is_discovered() -> None:
    pm = make_plugin_manager(environ={})
    hooks = Hooks(pm)
    assert "markdown" in dict(hooks.plugins())
    assert dict(hooks.plugins())["markdown"].startswith("lvzhi-markdown ")
    assert isinstance(hooks.register_exporters()["md"], MarkdownExporter)


def test_blocked_plugin_is_absent() -> None:
    pm = make_plugin_manager(environ={"LVZHI_DISABLE_PLUGINS": "markdown"})
    assert pm.get_plugin("markdown") is None
    assert pm.is_blocked("markdown")
    assert "md" not in Hooks(pm).register_exporters()


@pytest.mark.parametrize(
    ("allowed", "present"),
    [("something-else", False), ("markdown", True), ("something-else, markdown", True)],
)
def test_allow_list(allowed: str, present: bool) -> None:
    if "something-else" in allowed:  # naming a plugin that is not installed warns
        with pytest.warns(UserWarning, match="'something-else', which is not installed"):
            pm = make_plugin_manager(environ={"LVZHI_PLUGINS": allowed})
    else:
        pm = make_plugin_manager(environ={"LVZHI_PLUGINS": allowed})
    assert (pm.get_plugin("markdown") is not None) is present
    assert ("md" in Hooks(pm).register_exporters()) is present


class TestMarkdownExporterContract(ExporterContract):
    """The exporter contract every lvzhi exporter passes."""

    @pytest.fixture
    def exporter(self) -> MarkdownExporter:
        return MarkdownExporter()
