"""The ``webhook_server`` fixture: a real local HTTP server (see ``webhook_server.py``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from webhook_server import WebhookServer


@pytest.fixture
def webhook_server() -> Iterator[WebhookServer]:
    server = WebhookServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()
