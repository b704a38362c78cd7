"""The notifier contract every lvzhi notifier passes, against a real SMTP server."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from conftest import Server
from lvzhi_smtp import SmtpConfig, SmtpNotifier

from lvzhi.testing.contracts import NotifierContract

BOOK = {"衡南县人大常委会": "hengnan@renda.example.org", "驻衡部队": "garrison@example.org"}


class TestSmtpNotifierContract(NotifierContract):
    @pytest.fixture
    def notifier(
        self, plain_server: Server, settings_for: Callable[..., dict[str, Any]]
    ) -> SmtpNotifier:
        return SmtpNotifier(SmtpConfig.from_settings(settings_for(plain_server, addresses=BOOK)))

    @pytest.fixture
    def received(self, plain_server: Server) -> Callable[[], list[str]]:
        # every message the server accepted, decoded as a mail client shows it
        return lambda: [f"{m.message['Subject']}\n{m.text()}" for m in plain_server.accepted]
