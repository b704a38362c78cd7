"""The installed distribution: lvzhi finds the plugin by its entry point, registers the
notifier only when configured, and LVZHI_DISABLE_PLUGINS / LVZHI_PLUGINS turn it off."""

from __future__ import annotations

import importlib.metadata

import pytest
from lvzhi_smtp import SmtpNotifier

import lvzhi
from lvzhi.errors import PluginError, ValidationError
from lvzhi.plugins import Hooks, make_plugin_manager
from lvzhi.ports import Notifier

SMTP = {"host": "smtp.example.org", "from": "lianluo@example.org"}


def settings() -> lvzhi.Settings:
    return lvzhi.Settings(plugins={"smtp": SMTP})


def test_entry_point_is_advertised() -> None:
    eps = importlib.metadata.entry_points(group="lvzhi")
    assert [ep.value for ep in eps if ep.name == "smtp"] == ["lvzhi_smtp.plugin"]


def test_entry_point_is_discovered() -> None:
    hooks = Hooks(make_plugin_manager(environ={}))
    assert dict(hooks.plugins())["smtp"].startswith("lvzhi-smtp ")


def test_open_finds_the_notifier_when_configured() -> None:
    with lvzhi.open("memory://", settings=settings(), environ={}) as office:
        notifiers = office.registries.notifiers
        assert "smtp" in notifiers
        assert notifiers.plugin_of("smtp") == "smtp"
        notifier = notifiers.get("smtp")
        assert isinstance(notifier, SmtpNotifier)
        assert isinstance(notifier, Notifier)
        assert notifier.config.host == "smtp.example.org"


def test_installed_but_unconfigured_registers_nothing() -> None:
    with lvzhi.open("memory://", environ={}) as office:
        assert "smtp" not in office.registries.notifiers
        assert "log" in office.registries.notifiers


def test_bad_settings_fail_when_the_secretariat_opens() -> None:
    bad = lvzhi.Settings(plugins={"smtp": {**SMTP, "tls": "tls"}})
    with pytest.raises(ValidationError, match=r"smtp\.tls"):
        lvzhi.open("memory://", settings=bad, environ={})


def test_disabled() -> None:
    environ = {"LVZHI_DISABLE_PLUGINS": "smtp"}
    pm = make_plugin_manager(environ=environ)
    assert pm.get_plugin("smtp") is None
    assert pm.is_blocked("smtp")
    with lvzhi.open("memory://", settings=settings(), environ=environ) as office:
        assert "smtp" not in office.registries.notifiers
    chosen = lvzhi.Settings(plugins={"smtp": SMTP}, notifiers=("smtp",))
    with pytest.raises(PluginError, match="smtp"):
        lvzhi.open("memory://", settings=chosen, environ=environ)


@pytest.mark.parametrize(("allowed", "present"), [("markdown", False), ("smtp", True)])
def test_allow_list(allowed: str, present: bool) -> None:
    environ = {"LVZHI_PLUGINS": allowed}
    installed = {ep.name for ep in importlib.metadata.entry_points(group="lvzhi")}
    if allowed not in installed:
        with pytest.warns(UserWarning, match="not installed"):
            office = lvzhi.open("memory://", settings=settings(), environ=environ)
    else:
        office = lvzhi.open("memory://", settings=settings(), environ=environ)
    with office:
        assert ("smtp" in office.registries.notifiers) is present
