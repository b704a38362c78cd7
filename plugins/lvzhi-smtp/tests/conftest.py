"""Real SMTP servers for the tests: aiosmtpd on 127.0.0.1, on a free port, in plain text,
with STARTTLS, with implicit TLS and with AUTH; a self-signed certificate made with the
``openssl`` command."""

from __future__ import annotations

import email
import email.policy
import os
import shutil
import socket
import ssl
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

ON_CI = os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")
USER, PASSWORD = "lianluo", "s3cret-口令"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Received:
    """One message the server accepted."""

    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    smtp_utf8: bool

    @property
    def message(self) -> EmailMessage:
        # Headers are ASCII (RFC 2047) or, under SMTPUTF8, UTF-8 (RFC 6532): read as UTF-8.
        parsed = email.message_from_string(self.data.decode("utf-8"), policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed

    def text(self) -> str:
        body = self.message.get_body(preferencelist=("plain",))
        assert body is not None
        content: str = body.get_content()
        return content


@dataclass
class Recorder:
    """The aiosmtpd handler: keeps what it accepts; ``refuse`` holds replies to give to
    the next DATA commands instead of accepting (``"451 4.3.0 try again later"``)."""

    accepted: list[Received] = field(default_factory=list)
    refuse: list[str] = field(default_factory=list)
    refuse_rcpt: dict[str, str] = field(default_factory=dict)
    attempts: int = 0

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        if address in self.refuse_rcpt:
            return self.refuse_rcpt[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.attempts += 1
        if self.refuse:
            return self.refuse.pop(0)
        self.accepted.append(
            Received(
                mail_from=envelope.mail_from,
                rcpt_tos=list(envelope.rcpt_tos),
                data=envelope.original_content or envelope.content,
                smtp_utf8=envelope.smtp_utf8,
            )
        )
        return "250 2.0.0 accepted"


@dataclass
class Server:
    host: str
    port: int
    recorder: Recorder

    @property
    def accepted(self) -> list[Received]:
        return self.recorder.accepted


def _authenticate(
    server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (
        auth_data.login.decode() == USER and auth_data.password.decode("utf-8") == PASSWORD
    )
    return AuthResult(success=ok, handled=False)


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and localhost: (certificate, key)."""
    openssl = shutil.which("openssl")
    if openssl is None:
        if ON_CI:
            pytest.fail("the openssl command is needed to make a test certificate")
        pytest.skip("the openssl command is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


@pytest.fixture(scope="session")
def server_tls(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(certificate[0]), str(certificate[1]))
    return context


ServerFactory = Callable[..., Server]


@pytest.fixture
def smtp_server() -> Iterator[ServerFactory]:
    """Start aiosmtpd servers: ``smtp_server(**smtp_options)``, stopped after the test."""
    controllers: list[Controller] = []

    def start(*, ssl_context: ssl.SSLContext | None = None, **options: Any) -> Server:
        recorder = Recorder()
        port = free_port()
        options.setdefault("enable_SMTPUTF8", True)
        controller = Controller(
            recorder,
            hostname="127.0.0.1",
            port=port,
            ssl_context=ssl_context,
            server_hostname="localhost",
            **options,
        )
        controller.start()
        controllers.append(controller)
        return Server("127.0.0.1", port, recorder)

    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture
def plain_server(smtp_server: ServerFactory) -> Server:
    return smtp_server()


@pytest.fixture
def starttls_server(smtp_server: ServerFactory, server_tls: ssl.SSLContext) -> Server:
    return smtp_server(tls_context=server_tls, require_starttls=True)


@pytest.fixture
def ssl_server(smtp_server: ServerFactory, server_tls: ssl.SSLContext) -> Server:
    return smtp_server(ssl_context=server_tls)


@pytest.fixture
def auth_server(smtp_server: ServerFactory, server_tls: ssl.SSLContext) -> Server:
    return smtp_server(
        tls_context=server_tls,
        require_starttls=True,
        authenticator=_authenticate,
        auth_required=True,
        auth_require_tls=True,
    )


SENDER = "市人大常委会选举联络工作委员会 <lianluo@renda.example.org>"


@pytest.fixture
def settings_for() -> Callable[..., dict[str, Any]]:
    """``settings_for(server, **extra)``: plugin settings reaching ``server`` in plain
    text."""

    def make(server: Server, **extra: Any) -> dict[str, Any]:
        return {
            "host": server.host,
            "port": server.port,
            "tls": "none",
            "from": SENDER,
            "timeout": 10,
            **extra,
        }

    return make
