"""The plugin manager factory and the typed facade: registration, checks, env lists."""

from __future__ import annotations

import sys
import types
from typing import Any

import pytest

import lvzhi.plugins
import lvzhi.plugins.manager
from lvzhi.__about__ import __version__
from lvzhi.errors import PluginError
from lvzhi.plugins import Hooks, hookimpl, make_plugin_manager

EXPORTERS = "lvzhi.builtins.exporters"


class FakeExporter:
    extension = "txt"
    media_type = "text/plain"
    spreadsheet = False
    multi_sheet = False

    def __init__(self, format: str) -> None:
        self.format = format

    def export(self, data: Any) -> bytes:
        return b""


class ExporterPlugin:
    def __init__(self, format: str) -> None:
        self.exporter = FakeExporter(format)

    @hookimpl
    def lvzhi_register_exporters(self) -> list[FakeExporter]:
        return [self.exporter]


class Misspelt:
    @hookimpl
    def lvzhi_register_exporter(self) -> list[FakeExporter]:  # no "s": not a hook
        return []


@pytest.fixture
def no_builtins(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only what a test registers itself."""
    monkeypatch.setattr(lvzhi.plugins.manager, "BUILTIN_PLUGINS", ())


@pytest.fixture
def fake_builtin(monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    """One built-in plugin module, importable by name, registering format ``fake``."""
    module = types.ModuleType("fake_builtin_exporters")

    @hookimpl
    def lvzhi_register_exporters() -> list[FakeExporter]:
        return [FakeExporter("fake")]

    module.lvzhi_register_exporters = lvzhi_register_exporters  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, module.__name__, module)
    monkeypatch.setattr(lvzhi.plugins.manager, "BUILTIN_PLUGINS", (module.__name__,))
    return module


@pytest.mark.usefixtures("no_builtins")
def test_plugin_passed_in_is_registered() -> None:
    plugin = ExporterPlugin("txt")
    pm = make_plugin_manager(load_entrypoints=False, plugins=[plugin], environ={})
    assert pm.is_registered(plugin)
    hooks = Hooks(pm)
    assert dict(hooks.register_exporters().items()) == {"txt": plugin.exporter}
    assert (pm.get_name(plugin), "registered by caller") in hooks.plugins()


@pytest.mark.usefixtures("no_builtins")
def test_misspelt_hook_is_refused() -> None:
    with pytest.raises(PluginError, match="lvzhi_register_exporter"):
        make_plugin_manager(load_entrypoints=False, plugins=[Misspelt()], environ={})


@pytest.mark.usefixtures("no_builtins")
def test_same_plugin_twice_is_refused() -> None:
    plugin = ExporterPlugin("txt")
    with pytest.raises(PluginError):
        make_plugin_manager(load_entrypoints=False, plugins=[plugin, plugin], environ={})


@pytest.mark.usefixtures("no_builtins")
def test_duplicate_exporter_format_is_refused_by_the_facade() -> None:
    pm = make_plugin_manager(
        load_entrypoints=False,
        plugins=[ExporterPlugin("dup"), ExporterPlugin("dup")],
        environ={},
    )
    with pytest.raises(PluginError, match=r"'dup'.*LVZHI_DISABLE_PLUGINS"):
        Hooks(pm).register_exporters()


def test_builtin_is_registered_under_its_module_name(fake_builtin: types.ModuleType) -> None:
    pm = make_plugin_manager(load_entrypoints=False, environ={})
    assert pm.get_plugin(fake_builtin.__name__) is fake_builtin
    hooks = Hooks(pm)
    assert list(hooks.register_exporters()) == ["fake"]
    assert (fake_builtin.__name__, f"lvzhi {__version__} (built in)") in hooks.plugins()


def test_disable_blocks_a_builtin(fake_builtin: types.ModuleType) -> None:
    pm = make_plugin_manager(
        load_entrypoints=False,
        environ={"LVZHI_DISABLE_PLUGINS": f" other , {fake_builtin.__name__} "},
    )
    assert pm.is_blocked(fake_builtin.__name__)
    assert pm.get_plugin(fake_builtin.__name__) is None
    assert dict(Hooks(pm).register_exporters().items()) == {}


def test_blocking_a_builtin_lets_a_plugin_take_its_name(fake_builtin: types.ModuleType) -> None:
    replacement = ExporterPlugin("fake")
    environ = {"LVZHI_DISABLE_PLUGINS": fake_builtin.__name__}
    pm = make_plugin_manager(load_entrypoints=False, plugins=[replacement], environ=environ)
    assert dict(Hooks(pm).register_exporters().items()) == {"fake": replacement.exporter}
    pm = make_plugin_manager(load_entrypoints=False, plugins=[replacement], environ={})
    with pytest.raises(PluginError, match="'fake'"):
        Hooks(pm).register_exporters()


def test_real_builtins_register_cleanly() -> None:
    pm = make_plugin_manager(load_entrypoints=False, environ={})
    names = [name for name, _ in Hooks(pm).plugins()]
    assert names == sorted(lvzhi.plugins.manager.BUILTIN_PLUGINS)
    assert Hooks(pm).register_exporters()


def test_disable_blocks_the_builtin_exporters() -> None:
    everything = Hooks(make_plugin_manager(load_entrypoints=False, environ={}))
    pm = make_plugin_manager(load_entrypoints=False, environ={"LVZHI_DISABLE_PLUGINS": EXPORTERS})
    assert pm.is_blocked(EXPORTERS)
    assert pm.get_plugin(EXPORTERS) is None
    assert EXPORTERS not in dict(Hooks(pm).plugins())
    assert set(Hooks(pm).register_exporters()) < set(everything.register_exporters())


@pytest.mark.usefixtures("no_builtins")
def test_allow_list_naming_nothing_installed_loads_nothing() -> None:
    with pytest.warns(UserWarning, match="'no-such-plugin', which is not installed"):
        pm = make_plugin_manager(environ={"LVZHI_PLUGINS": "no-such-plugin"})
    assert Hooks(pm).plugins() == []


@pytest.mark.usefixtures("no_builtins")
def test_trace_writes_hook_calls_to_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    plugin = ExporterPlugin("txt")
    environ = {"LVZHI_TRACE_PLUGINS": "1"}
    pm = make_plugin_manager(load_entrypoints=False, plugins=[plugin], environ=environ)
    Hooks(pm).register_exporters()
    assert "lvzhi_register_exporters" in capsys.readouterr().err


@pytest.mark.usefixtures("no_builtins")
@pytest.mark.parametrize("value", ["", "0"])
def test_trace_off(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    plugin = ExporterPlugin("txt")
    environ = {"LVZHI_TRACE_PLUGINS": value}
    pm = make_plugin_manager(load_entrypoints=False, plugins=[plugin], environ=environ)
    Hooks(pm).register_exporters()
    assert capsys.readouterr().err == ""


@pytest.mark.usefixtures("no_builtins")
def test_each_call_builds_a_new_manager() -> None:
    environ: dict[str, str] = {}
    first = make_plugin_manager(load_entrypoints=False, environ=environ)
    second = make_plugin_manager(load_entrypoints=False, environ=environ)
    assert first is not second
