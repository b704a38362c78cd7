"""Signed tokens: HMAC-SHA256 over a purpose and a value, with the web secret.

The secret is, in this order: ``$LVZHI_WEB_SECRET``; ``Settings.plugins["web"]["secret"]``;
for a SQLite database, the file ``<database>.web-secret`` next to it (created on first use
with permissions 0600, 32 random bytes); otherwise (memory storage) a random secret that
lives as long as the process.  Changing the secret invalidates every link and sign-in.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = ["Signer", "load_secret", "secret_file_for"]

#: Characters of the encoded signature kept in a token.
SIGNATURE_LENGTH = 32


class Signer:
    """Signs and checks ``value.signature`` tokens, each for one purpose
    (``station``, ``official``, ``csrf``) so a token of one kind is never accepted as
    another."""

    def __init__(self, secret: bytes) -> None:
        if len(secret) < 16:
            raise ValueError("the web secret must be at least 16 bytes")
        self._secret = secret

    def signature(self, purpose: str, value: str) -> str:
        digest = hmac.new(self._secret, f"{purpose}\x00{value}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")[:SIGNATURE_LENGTH]

    def sign(self, purpose: str, value: str) -> str:
        """``value.signature``."""
        return f"{value}.{self.signature(purpose, value)}"

    def unsign(self, purpose: str, token: str) -> str | None:
        """The value of a token signed for ``purpose``; ``None`` when it is not one."""
        value, dot, given = token.rpartition(".")
        if not dot or not value:
            return None
        expected = self.signature(purpose, value)
        return value if hmac.compare_digest(expected, given) else None


def secret_file_for(url: str) -> Path | None:
    """The secret file next to a SQLite database (``None`` for other storage)."""
    if url.startswith("sqlite:///"):
        path = url[len("sqlite:///") :].split("?", 1)[0]
    elif "://" not in url and url:
        path = url
    else:
        return None
    if not path or path == ":memory:":
        return None
    return Path(path + ".web-secret")


def _read_or_create(path: Path) -> bytes:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes().strip()
    with os.fdopen(fd, "wb") as handle:
        value = secrets.token_urlsafe(32).encode("ascii")
        handle.write(value)
    return value


def load_secret(
    url: str,
    plugin_settings: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
) -> bytes:
    """The web secret for the store at ``url`` (see the module documentation)."""
    env = os.environ if environ is None else environ
    if env.get("LVZHI_WEB_SECRET"):
        return env["LVZHI_WEB_SECRET"].encode()
    configured = (plugin_settings or {}).get("secret")
    if configured:
        return str(configured).encode()
    path = secret_file_for(url)
    if path is None:
        return secrets.token_bytes(32)
    return _read_or_create(path)
