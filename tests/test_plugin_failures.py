"""Plugins are named when they fail; unknown names are one error type listing what is
registered; each plugin sees only its own settings."""

from __future__ import annotations

import importlib.metadata
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

import lvzhi
import lvzhi.plugins.manager
from lvzhi import hookimpl
from lvzhi.cli import main
from lvzhi.errors import NotRegistered, PluginError, PluginFailure
from lvzhi.plugins.registry import Entry, Registry


class BrokenRegistration:
    @hookimpl
    def lvzhi_register_exporters(self) -> list[Any]:
        raise KeyError("oops")


class BrokenExporter:
    format = "boom"
    extension = "txt"
    media_type = "text/plain"
    spreadsheet = False
    multi_sheet = False

    def export(self, data: Any) -> bytes:
        raise ZeroDivisionError("division by zero in the plugin")


class BrokenExporterPlugin:
    @hookimpl
    def lvzhi_register_exporters(self) -> list[Any]:
        return [BrokenExporter()]


def test_registration_hook_failure_names_plugin_and_hook() -> None:
    plugin = BrokenRegistration()
    with pytest.raises(PluginFailure) as info:
        lvzhi.open("memory://", load_entrypoints=False, plugins=[plugin])
    error = info.value
    assert error.hook == "lvzhi_register_exporters"
    assert error.plugin == str(error.plugin)
    assert f"plugin {error.plugin!r} failed in lvzhi_register_exporters: KeyError" in str(error)
    assert f"LVZHI_DISABLE_PLUGINS={error.plugin}" in str(error)
    assert isinstance(error.__cause__, KeyError)


def test_exporter_failure_names_plugin() -> None:
    with lvzhi.open("memory://", load_entrypoints=False, plugins=[BrokenExporterPlugin()]) as o:
        with pytest.raises(
            PluginFailure, match=r"export format 'boom' \(export\): ZeroDivisionError"
        ):
            o.export("roster", "boom")


def test_registry_lists_what_is_registered() -> None:
    registry: Registry[int] = Registry("widget", [Entry("b", 2, "p1"), Entry("a", 1, "p2")])
    assert registry.get("a") == 1
    assert registry.plugin_of("b") == "p1"
    assert registry.names() == ["a", "b"]
    with pytest.raises(NotRegistered) as info:
        registry.get("c")
    assert str(info.value) == "unknown widget 'c'; registered: a, b"
    assert info.value.registered == ("a", "b")
    assert isinstance(info.value, LookupError) and isinstance(info.value, PluginError)
    with pytest.raises(PluginError, match="two plugins register the widget 'a': 'p2' and 'p3'"):
        registry.add(Entry("a", 3, "p3"))


@pytest.mark.parametrize(
    ("attribute", "kind"),
    [
        ("storage", "storage scheme"),
        ("exporters", "export format"),
        ("reports", "report"),
        ("notifiers", "notifier"),
        ("collations", "collation"),
        ("grouping", "grouping strategy"),
        ("seating", "seating strategy"),
        ("attendance_rules", "attendance rule"),
    ],
)
def test_every_registry_raises_the_same_error(attribute: str, kind: str) -> None:
    with lvzhi.open("memory://", load_entrypoints=False) as office:
        registry = getattr(office.registries, attribute)
        with pytest.raises(NotRegistered, match=f"unknown {kind} 'nope'; registered: "):
            registry.get("nope")
        assert registry.names()


class SettingsSpy:
    def __init__(self) -> None:
        self.seen: list[Mapping[str, Any]] = []

    @hookimpl
    def lvzhi_register_notifiers(self, settings: Mapping[str, Any]) -> list[Any]:
        self.seen.append(settings)
        return []


def test_each_plugin_sees_only_its_own_settings(tmp_path: Path) -> None:
    spy = SettingsSpy()
    settings = lvzhi.Settings(
        plugins={"notifiers": {"notice_dir": str(tmp_path)}, "spy": {"token": "s3cret"}}
    )
    with lvzhi.open("memory://", load_entrypoints=False, plugins=[spy], settings=settings) as o:
        assert o.registries.notifiers.names() == ["file", "log"]
        assert spy.seen == [{}]  # registered under a generated name, not "spy"
    spy = SettingsSpy()
    pm = lvzhi.plugins.make_plugin_manager(load_entrypoints=False, plugins=[], environ={})
    pm.register(spy, name="spy")
    lvzhi.plugins.Hooks(pm).register_notifiers(settings.plugins)
    assert spy.seen == [{"token": "s3cret"}]


def _fake_entry_points(*eps: importlib.metadata.EntryPoint) -> Any:
    return lambda: list(eps)


def test_plugin_that_fails_to_import_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    ep = importlib.metadata.EntryPoint(
        name="broken", value="lvzhi_no_such_module_here", group="lvzhi"
    )
    monkeypatch.setattr(lvzhi.plugins.manager, "_entry_points", _fake_entry_points(ep))
    with pytest.raises(PluginError) as info:
        lvzhi.open("memory://")
    text = str(info.value)
    assert "cannot load the lvzhi plugin entry point 'broken' (lvzhi_no_such_module_here)" in text
    assert "ModuleNotFoundError" in text
    assert "LVZHI_DISABLE_PLUGINS=broken" in text
    with lvzhi.open("memory://", environ={"LVZHI_DISABLE_PLUGINS": "broken"}) as office:
        assert "broken" not in dict(office.registries.storage.items())


def test_lvzhi_plugins_naming_a_missing_plugin_warns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lvzhi.plugins.manager, "_entry_points", _fake_entry_points())
    with pytest.warns(UserWarning, match="LVZHI_PLUGINS names 'ghost', which is not installed"):
        lvzhi.plugins.make_plugin_manager(environ={"LVZHI_PLUGINS": "ghost"})


def test_cli_reports_a_plugin_failure_in_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    module = type(lvzhi)("lvzhi_test_broken_plugin")
    module.lvzhi_register_exporters = BrokenRegistration().lvzhi_register_exporters  # type: ignore[attr-defined]
    ep = importlib.metadata.EntryPoint(
        name="shaky", value="lvzhi_test_broken_plugin", group="lvzhi"
    )
    monkeypatch.setitem(__import__("sys").modules, "lvzhi_test_broken_plugin", module)
    monkeypatch.setattr(lvzhi.plugins.manager, "_entry_points", _fake_entry_points(ep))
    db = f"sqlite:///{tmp_path / 'c.db'}"
    assert main(["init", "--db", db]) == 1
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [
        "lvzhi: error: plugin 'shaky' failed in lvzhi_register_exporters: KeyError: 'oops' "
        "(disable it with LVZHI_DISABLE_PLUGINS=shaky)"
    ]
    assert main(["--traceback", "init", "--db", db]) == 1
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err
    assert 'raise KeyError("oops")' in err
    monkeypatch.setenv("LVZHI_DISABLE_PLUGINS", "shaky")
    assert main(["init", "--db", db]) == 0
