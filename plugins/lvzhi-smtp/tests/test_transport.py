"""Sending to real SMTP servers: plain, STARTTLS, implicit TLS, AUTH, and the failures."""

from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest
from conftest import PASSWORD, USER, Server, free_port
from lvzhi_smtp import PermanentFailure, SmtpConfig, SmtpNotifier, TemporaryFailure

from lvzhi.domain import Notice
from lvzhi.domain.outbox import Delivery
from lvzhi.testing.contracts.notifier import sample_delivery, sample_notice

Settings = Callable[..., dict[str, Any]]
TO = "hengnan@renda.example.org"


def notifier_for(settings: dict[str, Any]) -> SmtpNotifier:
    return SmtpNotifier(SmtpConfig.from_settings(settings))


def addressed(number: int, address: str = TO) -> tuple[Delivery, Notice]:
    """A sample 通报 and its first delivery, addressed to ``address``."""
    notice = sample_notice(number)
    return attrs.evolve(sample_delivery(notice, "smtp"), address=address), notice


def send_one(notifier: SmtpNotifier, number: int = 1, address: str = TO) -> str:
    delivery, notice = addressed(number, address)
    notifier.send(delivery, notice)
    return delivery.id


def test_plain(plain_server: Server, settings_for: Settings) -> None:
    send_one(notifier_for(settings_for(plain_server)))
    [got] = plain_server.accepted
    assert got.mail_from == "lianluo@renda.example.org"
    assert got.rcpt_tos == [TO]
    assert "迟到12分钟" in got.text()


def test_starttls_verifies_the_certificate(
    starttls_server: Server, settings_for: Settings, certificate: tuple[Path, Path]
) -> None:
    settings = settings_for(starttls_server, tls="starttls", ca_file=str(certificate[0]))
    send_one(notifier_for(settings))
    assert len(starttls_server.accepted) == 1


def test_starttls_refuses_an_untrusted_certificate(
    starttls_server: Server, settings_for: Settings
) -> None:
    notifier = notifier_for(settings_for(starttls_server, tls="starttls"))
    with pytest.raises(PermanentFailure, match="certificate not trusted"):
        send_one(notifier)
    assert starttls_server.accepted == []


def test_unverified_tls_when_asked(starttls_server: Server, settings_for: Settings) -> None:
    send_one(notifier_for(settings_for(starttls_server, tls="starttls", verify=False)))
    assert len(starttls_server.accepted) == 1


def test_plain_text_to_a_server_that_requires_starttls_is_refused(
    starttls_server: Server, settings_for: Settings
) -> None:
    with pytest.raises(PermanentFailure, match="530") as caught:
        send_one(notifier_for(settings_for(starttls_server)))
    assert caught.value.code == 530


def test_implicit_tls(
    ssl_server: Server, settings_for: Settings, certificate: tuple[Path, Path]
) -> None:
    send_one(notifier_for(settings_for(ssl_server, tls="ssl", ca_file=str(certificate[0]))))
    assert len(ssl_server.accepted) == 1


def test_auth(auth_server: Server, settings_for: Settings, certificate: tuple[Path, Path]) -> None:
    settings = settings_for(
        auth_server,
        tls="starttls",
        ca_file=str(certificate[0]),
        username=USER,
        password_env="TEST_SMTP_PASSWORD",
    )
    config = SmtpConfig.from_settings(settings, environ={"TEST_SMTP_PASSWORD": PASSWORD})
    SmtpNotifier(config).send(*addressed(7))
    assert len(auth_server.accepted) == 1


def test_wrong_password_is_permanent(
    auth_server: Server, settings_for: Settings, certificate: tuple[Path, Path]
) -> None:
    settings = settings_for(
        auth_server,
        tls="starttls",
        ca_file=str(certificate[0]),
        username=USER,
        password="wrong",
    )
    with pytest.raises(PermanentFailure, match="refused the login: 535") as caught:
        send_one(notifier_for(settings))
    assert caught.value.permanent
    assert caught.value.code == 535
    assert auth_server.accepted == []


def test_without_auth_a_server_that_requires_it_refuses(
    auth_server: Server, settings_for: Settings, certificate: tuple[Path, Path]
) -> None:
    settings = settings_for(auth_server, tls="starttls", ca_file=str(certificate[0]))
    with pytest.raises(PermanentFailure, match="530"):
        send_one(notifier_for(settings))


def test_connection_refused_is_temporary(settings_for: Settings) -> None:
    closed = Server("127.0.0.1", free_port(), None)  # type: ignore[arg-type]
    with pytest.raises(TemporaryFailure, match="ConnectionRefusedError") as caught:
        send_one(notifier_for(settings_for(closed)))
    assert caught.value.permanent is False


def test_451_is_temporary_550_permanent(plain_server: Server, settings_for: Settings) -> None:
    notifier = notifier_for(settings_for(plain_server))
    plain_server.recorder.refuse = ["451 4.3.0 try again later"]
    with pytest.raises(TemporaryFailure, match=r"451 4\.3\.0 try again later") as temporary:
        send_one(notifier, 1)
    assert temporary.value.code == 451
    plain_server.recorder.refuse = ["554 5.6.0 message rejected"]
    with pytest.raises(PermanentFailure, match="554") as permanent:
        send_one(notifier, 2)
    assert permanent.value.code == 554
    assert plain_server.accepted == []


def test_refused_recipient_is_named(plain_server: Server, settings_for: Settings) -> None:
    plain_server.recorder.refuse_rcpt = {"nobody@renda.example.org": "550 5.1.1 no such user"}
    notifier = notifier_for(settings_for(plain_server))
    with pytest.raises(
        PermanentFailure, match=r"refused recipient nobody@renda\.example\.org: 550 5\.1\.1"
    ):
        send_one(notifier, address="nobody@renda.example.org")
    plain_server.recorder.refuse_rcpt = {"busy@renda.example.org": "450 4.2.1 mailbox busy"}
    with pytest.raises(TemporaryFailure, match="450"):
        send_one(notifier, 2, address="busy@renda.example.org")


def test_a_missing_or_bad_address_is_permanent(
    plain_server: Server, settings_for: Settings
) -> None:
    notifier = notifier_for(settings_for(plain_server))
    with pytest.raises(
        PermanentFailure, match="no e-mail address for recipient '衡南县人大常委会'"
    ):
        send_one(notifier, address="")
    with pytest.raises(PermanentFailure, match="not-an-address"):
        send_one(notifier, 2, address="not-an-address")
    assert plain_server.recorder.attempts == 0


def test_address_book_supplies_missing_addresses(
    plain_server: Server, settings_for: Settings
) -> None:
    book = {"衡南县人大常委会": "hengnan@renda.example.org"}
    send_one(notifier_for(settings_for(plain_server, addresses=book)), address="")
    assert plain_server.accepted[0].rcpt_tos == ["hengnan@renda.example.org"]


def test_international_address_uses_smtputf8(plain_server: Server, settings_for: Settings) -> None:
    send_one(notifier_for(settings_for(plain_server)), address="衡南@人大.example.org")
    [got] = plain_server.accepted
    assert got.smtp_utf8
    assert got.rcpt_tos == ["衡南@人大.example.org"]
    assert got.message["To"].addresses[0].username == "衡南"


def test_international_address_without_smtputf8_is_permanent(
    smtp_server: Callable[..., Server], settings_for: Settings
) -> None:
    server = smtp_server(enable_SMTPUTF8=False)
    with pytest.raises(PermanentFailure, match="SMTPUTF8"):
        send_one(notifier_for(settings_for(server)), address="衡南@人大.example.org")


def test_sent_log_keeps_a_later_process_from_sending_again(
    plain_server: Server, settings_for: Settings, tmp_path: Path
) -> None:
    settings = settings_for(plain_server, sent_log=str(tmp_path / "sent" / "smtp.log"))
    first = send_one(notifier_for(settings))
    send_one(notifier_for(settings))  # a new notifier: as after a restart
    assert len(plain_server.accepted) == 1
    assert (tmp_path / "sent" / "smtp.log").read_text(encoding="utf-8") == first + "\n"


def test_a_server_that_never_answers_times_out(settings_for: Settings) -> None:
    with socket.socket() as silent:  # accepts connections (backlog) and never greets
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        server = Server("127.0.0.1", silent.getsockname()[1], None)  # type: ignore[arg-type]
        with pytest.raises(TemporaryFailure, match="timed out"):
            send_one(notifier_for(settings_for(server, timeout=0.5)))
