"""The webhook notifier against a real local HTTP server."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable

import pytest
from lvzhi_webhook import GENERIC_SCHEMA, WebhookError, WebhookNotifier, dingtalk_sign
from webhook_server import Answer, WebhookServer

from lvzhi.errors import ValidationError
from lvzhi.ports import Notifier
from lvzhi.testing.contracts import NotifierContract
from lvzhi.testing.contracts.notifier import sample_delivery, sample_notice

NOW = 1_662_600_000.0  # a fixed "time.time()" for signed URLs


def notifier(server: WebhookServer, **options: object) -> WebhookNotifier:
    options.setdefault("proxy", "")
    return WebhookNotifier(server.url, **options)  # type: ignore[arg-type]


# -- the contract ----------------------------------------------------------------------------


class TestGenericWebhookContract(NotifierContract):
    @pytest.fixture
    def notifier(self, webhook_server: WebhookServer) -> WebhookNotifier:
        return notifier(webhook_server)

    @pytest.fixture
    def received(self, webhook_server: WebhookServer) -> Callable[[], list[str]]:
        return lambda: [r.body.decode("utf-8") for r in webhook_server.accepted]


class TestWeComWebhookContract(NotifierContract):
    @pytest.fixture
    def notifier(self, webhook_server: WebhookServer) -> WebhookNotifier:
        return notifier(webhook_server, name="wecom", format="wecom")

    @pytest.fixture
    def received(self, webhook_server: WebhookServer) -> Callable[[], list[str]]:
        # A robot has no idempotency key: every request that reached it is a message.
        return lambda: [r.json()["markdown"]["content"] for r in webhook_server.requests]  # type: ignore[index]


def test_satisfies_the_protocol(webhook_server: WebhookServer) -> None:
    assert isinstance(notifier(webhook_server), Notifier)


# -- generic -------------------------------------------------------------------------------


def test_generic_body_and_headers(webhook_server: WebhookServer) -> None:
    notice = sample_notice()
    delivery = sample_delivery(notice, "webhook")
    notifier(webhook_server, secret="s3cret").send(delivery, notice)
    (request,) = webhook_server.requests
    assert request.path == "/hook"
    assert request.headers["Content-Type"] == "application/json; charset=utf-8"
    assert request.headers["Idempotency-Key"] == delivery.id
    assert request.headers["X-Lvzhi-Delivery"] == delivery.id
    expected = hmac.new(b"s3cret", request.body, hashlib.sha256).hexdigest()
    assert request.headers["X-Lvzhi-Signature"] == f"sha256={expected}"
    body = request.json()
    assert body == {
        "schema": GENERIC_SCHEMA,
        "delivery_id": delivery.id,
        "notice_id": notice.id,
        "channel": "webhook",
        "programme_id": "contract-programme",
        "kind": "report",
        "title": notice.title,
        "body": notice.body,
        "recipient": "衡南县人大常委会",
        "address": "",
        "recipients": ["衡南县人大常委会", "驻衡部队"],
        "issued_at": "2022-09-08T10:00:00Z",
        "issued_by": "市人大常委会选举联络工作委员会",
        "attempt": 0,
        "text": body["text"],
        "attachments": [],
    }
    text = body["text"]
    assert isinstance(text, str)
    assert text.startswith(notice.title + "\n")
    assert "衡南县人大常委会：" in text
    assert "迟到12分钟" in text
    assert text.rstrip().endswith("2022年9月8日")  # issued 18:00 in Beijing = 10:00 UTC
    # UTF-8 JSON, not \u escapes
    assert "关于代表出席培训情况的通报".encode() in request.body


def test_no_signature_without_a_secret(webhook_server: WebhookServer) -> None:
    notice = sample_notice()
    notifier(webhook_server).send(sample_delivery(notice, "webhook"), notice)
    assert "X-Lvzhi-Signature" not in webhook_server.requests[0].headers


def test_an_address_that_is_a_url_is_posted_to(webhook_server: WebhookServer) -> None:
    notice = sample_notice()
    delivery = sample_delivery(notice, "webhook")
    import attrs

    routed = attrs.evolve(delivery, address=f"{webhook_server.base}/hengnan?key=abc")
    notifier(webhook_server).send(routed, notice)
    (request,) = webhook_server.requests
    assert request.path == "/hengnan"
    assert request.query == {"key": "abc"}
    assert request.json()["address"] == routed.address


def test_extra_headers_are_sent(webhook_server: WebhookServer) -> None:
    notice = sample_notice()
    hook = notifier(webhook_server, headers={"Authorization": "Bearer t0ken"})
    hook.send(sample_delivery(notice, "webhook"), notice)
    assert webhook_server.requests[0].headers["Authorization"] == "Bearer t0ken"


# -- WeCom ---------------------------------------------------------------------------------


def test_wecom_markdown(webhook_server: WebhookServer) -> None:
    notice = sample_notice()
    notifier(webhook_server, format="wecom").send(sample_delivery(notice, "webhook"), notice)
    body = webhook_server.requests[0].json()
    assert body["msgtype"] == "markdown"
    content = body["markdown"]["content"]  # type: ignore[index]
    assert content.startswith(f"### {notice.title}\n\n**衡南县人大常委会：**\n\n")
    assert "欧阳明代表于9月6日上午迟到12分钟。" in content
    assert content.rstrip().endswith("> 市人大常委会选举联络工作委员会　2022年9月8日")
    assert set(body) == {"msgtype", "markdown"}


def test_wecom_text_with_mentions(webhook_server: WebhookServer) -> None:
    notice = sample_notice()
    hook = notifier(webhook_server, format="wecom", msgtype="text", mentions=("@all",))
    hook.send(sample_delivery(notice, "webhook"), notice)
    body = webhook_server.requests[0].json()
    assert body["msgtype"] == "text"
    assert body["text"]["mentioned_list"] == ["@all"]  # type: ignore[index]
    assert body["text"]["content"].startswith(notice.title)  # type: ignore[index]


def test_wecom_markdown_is_cut_to_4096_bytes(webhook_server: WebhookServer) -> None:
    import attrs

    notice = attrs.evolve(sample_notice(), body="代" * 3000)
    notifier(webhook_server, format="wecom").send(sample_delivery(notice, "webhook"), notice)
    content = webhook_server.requests[0].json()["markdown"]["content"]  # type: ignore[index]
    assert len(content.encode("utf-8")) <= 4096
    assert content.endswith("…")


# -- DingTalk ------------------------------------------------------------------------------


def test_dingtalk_signature_is_valid(webhook_server: WebhookServer) -> None:
    secret = "SEC0123456789abcdef"
    url = f"{webhook_server.base}/robot/send?access_token=tok"
    hook = WebhookNotifier(
        url,
        format="dingtalk",
        secret=secret,
        proxy="",
        clock=lambda: NOW,
        mentions=("13800000000",),
    )
    notice = sample_notice()
    hook.send(sample_delivery(notice, "webhook"), notice)
    (request,) = webhook_server.requests
    assert request.path == "/robot/send"
    assert request.query["access_token"] == "tok"
    timestamp = request.query["timestamp"]
    assert timestamp == str(int(NOW * 1000))
    # What DingTalk does: HMAC-SHA256 of "timestamp\nsecret" keyed with the secret, base64;
    # parse_qsl has already undone the URL-encoding of the sign.
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    assert request.query["sign"] == base64.b64encode(digest).decode()
    body = request.json()
    assert body["msgtype"] == "markdown"
    assert body["markdown"]["title"] == notice.title  # type: ignore[index]
    assert body["at"] == {"atMobiles": ["13800000000"], "isAtAll": False}


def test_dingtalk_sign_is_url_encoded_in_the_url() -> None:
    from lvzhi_webhook import dingtalk_signed_url

    # A signature with '+', '/' or '=' must be percent-encoded in the query.
    sign = dingtalk_sign(1662600000000, "secret")
    signed = dingtalk_signed_url(
        "https://example.org/robot/send?access_token=t", "secret", 1662600000000
    )
    assert signed.startswith(
        "https://example.org/robot/send?access_token=t&timestamp=1662600000000&sign="
    )
    import urllib.parse

    assert signed.endswith(urllib.parse.quote_plus(sign))


def test_dingtalk_signs_each_attempt_afresh(webhook_server: WebhookServer) -> None:
    times = iter([NOW, NOW + 2])
    webhook_server.answers.append(Answer(status=503, body=b"busy"))
    hook = WebhookNotifier(
        webhook_server.url,
        format="dingtalk",
        secret="k",
        proxy="",
        clock=lambda: next(times),
        sleep=lambda s: None,
    )
    notice = sample_notice()
    hook.send(sample_delivery(notice, "webhook"), notice)
    stamps = [r.query["timestamp"] for r in webhook_server.requests]
    assert stamps == [str(int(NOW * 1000)), str(int((NOW + 2) * 1000))]


# -- failures ------------------------------------------------------------------------------


def test_robot_errcode_in_a_200_is_a_permanent_failure(webhook_server: WebhookServer) -> None:
    webhook_server.default = Answer(
        body=json.dumps({"errcode": 93000, "errmsg": "invalid webhook url"}).encode()
    )
    hook = WebhookNotifier(
        f"{webhook_server.url}?key=SECRET-KEY",
        format="wecom",
        proxy="",
        retries=3,
        sleep=lambda s: None,
    )
    notice = sample_notice()
    with pytest.raises(WebhookError) as caught:
        hook.send(sample_delivery(notice, "webhook"), notice)
    assert caught.value.permanent
    assert caught.value.errcode == 93000
    assert "errcode 93000: invalid webhook url" in str(caught.value)
    assert "SECRET-KEY" not in str(caught.value)  # the robot's key stays out of logs
    assert len(webhook_server.requests) == 1  # not retried in the call


def test_robot_rate_limit_is_retried_in_the_call(webhook_server: WebhookServer) -> None:
    webhook_server.answers.append(
        Answer(body=b'{"errcode": 45009, "errmsg": "api freq out of limit"}')
    )
    waits: list[float] = []
    hook = notifier(webhook_server, format="wecom", retries=2, backoff=0.25, sleep=waits.append)
    notice = sample_notice()
    hook.send(sample_delivery(notice, "webhook"), notice)
    assert len(webhook_server.requests) == 2
    assert waits == [0.25]


def test_a_4xx_is_permanent_and_not_retried(webhook_server: WebhookServer) -> None:
    webhook_server.default = Answer(status=404, body=b"no such hook")
    hook = notifier(webhook_server, retries=3, sleep=lambda s: None)
    notice = sample_notice()
    with pytest.raises(WebhookError) as caught:
        hook.send(sample_delivery(notice, "webhook"), notice)
    assert caught.value.permanent
    assert caught.value.status == 404
    assert "answered HTTP 404: no such hook" in str(caught.value)
    assert len(webhook_server.requests) == 1


def test_429_waits_as_told_and_is_retried(webhook_server: WebhookServer) -> None:
    webhook_server.answers.append(Answer(status=429, headers={"Retry-After": "3"}))
    waits: list[float] = []
    hook = notifier(webhook_server, retries=1, sleep=waits.append)
    notice = sample_notice()
    hook.send(sample_delivery(notice, "webhook"), notice)
    assert waits == [3.0]
    assert webhook_server.statuses == [429, 200]


def test_5xx_after_the_last_retry_is_a_temporary_failure(webhook_server: WebhookServer) -> None:
    webhook_server.default = Answer(status=502, body=b"")
    waits: list[float] = []
    hook = notifier(webhook_server, retries=2, backoff=1, backoff_cap=1.5, sleep=waits.append)
    notice = sample_notice()
    with pytest.raises(WebhookError) as caught:
        hook.send(sample_delivery(notice, "webhook"), notice)
    assert not caught.value.permanent
    assert caught.value.status == 502
    assert waits == [1.0, 1.5]  # 1 * 2**0, then 1 * 2**1 capped at 1.5
    assert len(webhook_server.requests) == 3


def test_a_timeout_is_a_temporary_failure(webhook_server: WebhookServer) -> None:
    webhook_server.default = Answer(delay=1.5)
    hook = notifier(webhook_server, timeout=0.2, retries=0)
    notice = sample_notice()
    with pytest.raises(WebhookError) as caught:
        hook.send(sample_delivery(notice, "webhook"), notice)
    assert not caught.value.permanent
    assert "did not answer within 0.2 s" in str(caught.value)


def test_no_server_is_a_temporary_failure() -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    hook = WebhookNotifier(f"http://127.0.0.1:{port}/hook", proxy="", retries=0)
    notice = sample_notice()
    with pytest.raises(WebhookError) as caught:
        hook.send(sample_delivery(notice, "webhook"), notice)
    assert not caught.value.permanent
    assert "cannot reach http://127.0.0.1" in str(caught.value)


def test_a_redirect_is_not_followed(webhook_server: WebhookServer) -> None:
    webhook_server.default = Answer(status=302, headers={"Location": "/elsewhere"})
    hook = notifier(webhook_server)
    notice = sample_notice()
    with pytest.raises(WebhookError) as caught:
        hook.send(sample_delivery(notice, "webhook"), notice)
    assert caught.value.permanent
    assert caught.value.status == 302
    assert [r.path for r in webhook_server.requests] == ["/hook"]


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("format", "slack"),
        ("msgtype", "card"),
        ("timeout", 0),
        ("retries", -1),
        ("backoff", "soon"),
        ("name", " padded "),
        ("timezone", "Mars/Olympus"),
    ],
)
def test_bad_options_name_the_field(option: str, value: object) -> None:
    with pytest.raises(ValidationError) as caught:
        WebhookNotifier("https://example.org/hook", **{option: value})  # type: ignore[arg-type]
    assert option in str(caught.value)
    assert repr(value) in str(caught.value) or str(value) in str(caught.value)


def test_a_url_must_be_http() -> None:
    with pytest.raises(ValidationError, match=r"ftp://example\.org"):
        WebhookNotifier("ftp://example.org/hook")
