"""The installed plugin inside a secretariat: entry point, settings, the outbox's retries."""

from __future__ import annotations

import importlib.metadata

import pendulum
import pytest
from lvzhi_webhook import WebhookNotifier, notifiers_from_settings
from webhook_server import Answer, WebhookServer

import lvzhi
from lvzhi.clock import FixedClock
from lvzhi.domain.outbox import DeliveryState, RetryPolicy
from lvzhi.errors import ValidationError
from lvzhi.plugins import Hooks, make_plugin_manager
from lvzhi.testing import make_notice, make_programme

#: Only this plugin among the installed ones (the entry point is still what finds it).
ONLY = {"LVZHI_PLUGINS": "webhook"}
START = pendulum.datetime(2022, 9, 1, 8, 0, tz="Asia/Shanghai")


def test_entry_point_is_advertised() -> None:
    eps = importlib.metadata.entry_points(group="lvzhi")
    assert {ep.name: ep.value for ep in eps}["webhook"] == "lvzhi_webhook.plugin"


def test_unconfigured_plugin_registers_nothing() -> None:
    pm = make_plugin_manager(environ=ONLY)
    assert pm.get_plugin("webhook") is not None
    assert "webhook" not in Hooks(pm).register_notifiers({})


def test_open_discovers_the_plugin_and_its_settings() -> None:
    settings = lvzhi.Settings(plugins={"webhook": {"url": "https://example.org/hook"}})
    with lvzhi.open("memory://", settings=settings, environ=ONLY) as office:
        assert "webhook" in office.registries.notifiers.names()
        assert office.registries.notifiers.plugin_of("webhook") == "webhook"
        assert isinstance(office.registries.notifiers.get("webhook"), WebhookNotifier)


def test_disabled_plugin_is_absent() -> None:
    settings = lvzhi.Settings(plugins={"webhook": {"url": "https://example.org/hook"}})
    environ = {**ONLY, "LVZHI_DISABLE_PLUGINS": "webhook"}
    with lvzhi.open("memory://", settings=settings, environ=environ) as office:
        assert "webhook" not in office.registries.notifiers.names()


def test_settings_make_several_channels() -> None:
    made = notifiers_from_settings(
        {
            "url": "https://example.org/hook",
            "timeout": 3,
            "channels": {
                "wecom": {"format": "wecom", "url_env": "ROBOT"},
                "dingtalk": {
                    "format": "dingtalk",
                    "url": "https://d.example.org/robot/send",
                    "secret_env": "SIGN",
                },
            },
        },
        environ={"ROBOT": "https://w.example.org/send?key=k", "SIGN": "SECabc"},
    )
    assert [(n.name, n.format, n.timeout) for n in made] == [
        ("webhook", "generic", 3.0),
        ("wecom", "wecom", 3.0),
        ("dingtalk", "dingtalk", 3.0),
    ]
    assert made[1].url == "https://w.example.org/send?key=k"
    assert made[2].secret == "SECabc"


@pytest.mark.parametrize(
    ("settings", "field"),
    [
        ({"url": "https://example.org/hook", "colour": "red"}, "webhook.colour"),
        ({"channels": {"wecom": {"format": "wecom"}}}, "webhook.channels.wecom.url"),
        ({"url_env": "NOT_SET_ANYWHERE"}, "webhook.url_env"),
        ({"channels": ["wecom"]}, "webhook.channels"),
    ],
)
def test_bad_settings_name_the_field(settings: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError, match=field.replace(".", r"\.")):
        notifiers_from_settings(settings, environ={})


def test_503_then_200_the_outbox_retries_and_it_arrives_once(webhook_server: WebhookServer) -> None:
    webhook_server.answers.append(Answer(status=503, body=b"maintenance"))
    clock = FixedClock(START)
    settings = lvzhi.Settings(
        notifiers=("webhook",),
        retry=RetryPolicy(base_seconds=60),
        plugins={"webhook": {"url": webhook_server.url, "retries": 0, "proxy": ""}},
    )
    environ = ONLY
    with lvzhi.open("memory://", settings=settings, clock=clock, environ=environ) as office:
        programme = office.programme.save(make_programme(id="hy-2022"))
        notice = make_notice(id="n-1", programme_id=programme.id, recipients=("衡南县人大常委会",))
        office.notices.issue(notice)  # sent right after the commit: 503
        (delivery,) = office.notices.deliveries("n-1")
        assert delivery.state is DeliveryState.PENDING
        assert delivery.attempts == 1
        assert "HTTP 503: maintenance" in delivery.last_error
        assert delivery.next_attempt_at == clock.now().add(seconds=60)

        assert office.deliver_pending().sent == 0  # not due yet
        assert len(webhook_server.requests) == 1

        clock.advance(seconds=61)
        report = office.deliver_pending()
        assert report.sent == 1
        (delivery,) = office.notices.deliveries("n-1")
        assert delivery.state is DeliveryState.SENT
        assert delivery.attempts == 2

        clock.advance(hours=1)
        assert office.deliver_pending().sent == 0  # nothing left to send
    assert webhook_server.statuses == [503, 200]
    keys = {r.headers["Idempotency-Key"] for r in webhook_server.requests}
    assert keys == {delivery.id}
    (arrived,) = webhook_server.accepted
    body = arrived.json()
    assert body["notice_id"] == "n-1"
    assert body["programme_id"] == "hy-2022"
    assert body["attempt"] == 2
