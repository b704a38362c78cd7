"""The plugin's settings: ``Settings(plugins={"smtp": {...}})`` read into :class:`SmtpConfig`.

Every problem is a :class:`lvzhi.errors.ValidationError` naming the key (``smtp.port``) and
the value, raised when the secretariat opens.
"""

from __future__ import annotations

import email.policy
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.errors import HeaderParseError, NonASCIILocalPartDefect
from email.headerregistry import Address
from pathlib import Path
from typing import Any

from lvzhi.errors import ValidationError

__all__ = ["DEFAULT_PORTS", "TLS_MODES", "SmtpConfig", "parse_address"]

#: ``tls`` setting → the port used when ``port`` is not given.
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
TLS_MODES = tuple(DEFAULT_PORTS)

_KEYS = frozenset(
    {
        "host",
        "port",
        "tls",
        "from",
        "reply_to",
        "username",
        "password",
        "password_env",
        "auth_without_tls",
        "timeout",
        "verify",
        "ca_file",
        "local_hostname",
        "addresses",
        "message_id_domain",
        "sent_log",
    }
)


def parse_address(text: str, *, key: str) -> Address:
    """``"Name <user@example.org>"`` or ``"user@example.org"`` as an
    :class:`email.headerregistry.Address`; a ``ValidationError`` naming ``key`` otherwise."""
    if not isinstance(text, str) or not text.strip():
        raise ValidationError(key, text, "must be an e-mail address")
    try:
        header = email.policy.default.header_factory("To", text.strip())
        found = list(getattr(header, "addresses", ()))
    except (HeaderParseError, ValueError, IndexError) as exc:
        raise ValidationError(key, text, f"must be an e-mail address ({exc})") from exc
    # A non-ASCII local part is allowed (RFC 6532); it needs a server offering SMTPUTF8.
    defects = [
        d for d in getattr(header, "defects", ()) if not isinstance(d, NonASCIILocalPartDefect)
    ]
    if len(found) != 1 or defects or not found[0].username or not found[0].domain:
        reason = "must be one e-mail address"
        if defects:
            reason += " (" + "; ".join(str(d) for d in defects) + ")"
        raise ValidationError(key, text, reason)
    address: Address = found[0]
    return address


def _text(settings: Mapping[str, Any], key: str, default: str | None = None) -> str | None:
    value = settings.get(key, default)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValidationError(f"smtp.{key}", value, "must be text")
    return value.strip() or None


def _flag(settings: Mapping[str, Any], key: str, default: bool) -> bool:
    value = settings.get(key, default)
    if not isinstance(value, bool):
        raise ValidationError(f"smtp.{key}", value, "must be true or false")
    return value


@dataclass(frozen=True)
class SmtpConfig:
    """How to reach the mail server and whom the mail comes from.

    ``addresses`` is an address book: recipient as written in a notice (a body such as
    ``衡南县人大常委会``, or a person) → e-mail address, used when the notice was issued
    without an address for that recipient.  ``sent_log`` names a file in which the delivery
    ids the server has accepted are recorded, so that a delivery is not sent again by a
    later process either."""

    host: str
    sender: Address
    port: int = 587
    tls: str = "starttls"
    reply_to: Address | None = None
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    auth_without_tls: bool = False
    timeout: float = 30.0
    verify: bool = True
    ca_file: str | None = None
    local_hostname: str | None = None
    addresses: Mapping[str, str] = field(default_factory=dict)
    message_id_domain: str = ""
    sent_log: Path | None = None

    def __post_init__(self) -> None:
        if not self.message_id_domain:
            object.__setattr__(self, "message_id_domain", self.sender.domain)

    @classmethod
    def from_settings(
        cls, settings: Mapping[str, Any], environ: Mapping[str, str] | None = None
    ) -> SmtpConfig:
        """Read the plugin's settings mapping (see the module documentation)."""
        unknown = sorted(set(settings) - _KEYS)
        if unknown:
            raise ValidationError(
                "smtp", unknown, "unknown settings; known: " + ", ".join(sorted(_KEYS))
            )
        environ = os.environ if environ is None else environ
        host = _text(settings, "host")
        if host is None:
            raise ValidationError("smtp.host", settings.get("host"), "must name the mail server")
        tls = _text(settings, "tls", "starttls")
        if tls not in TLS_MODES:
            raise ValidationError("smtp.tls", tls, "must be one of " + ", ".join(TLS_MODES))
        port = settings.get("port", DEFAULT_PORTS[tls])
        if isinstance(port, str) and port.strip().isdigit():
            port = int(port)
        if isinstance(port, bool) or not isinstance(port, int) or not 0 < port < 65536:
            raise ValidationError("smtp.port", port, "must be a port number (1-65535)")
        sender_text = _text(settings, "from")
        if sender_text is None:
            raise ValidationError("smtp.from", settings.get("from"), "must be an e-mail address")
        sender = parse_address(sender_text, key="smtp.from")
        reply_text = _text(settings, "reply_to")
        reply_to = None if reply_text is None else parse_address(reply_text, key="smtp.reply_to")
        username = _text(settings, "username")
        password = settings.get("password")
        password_env = _text(settings, "password_env")
        if password is not None and password_env is not None:
            raise ValidationError(
                "smtp.password", "***", "give either password or password_env, not both"
            )
        if password_env is not None:
            password = environ.get(password_env)
            if password is None:
                raise ValidationError(
                    "smtp.password_env",
                    password_env,
                    "names an environment variable that is not set",
                )
        if password is not None and not isinstance(password, str):
            raise ValidationError("smtp.password", "***", "must be text")
        if password is not None and username is None:
            raise ValidationError("smtp.username", None, "is needed with a password")
        auth_without_tls = _flag(settings, "auth_without_tls", False)
        if username is not None and tls == "none" and not auth_without_tls:
            raise ValidationError(
                "smtp.tls",
                tls,
                "would send the password unencrypted; use starttls or ssl "
                "(or set auth_without_tls for a server on this machine)",
            )
        timeout = settings.get("timeout", 30.0)
        if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0:
            raise ValidationError("smtp.timeout", timeout, "must be a positive number of seconds")
        ca_file = _text(settings, "ca_file")
        if ca_file is not None and not Path(ca_file).is_file():
            raise ValidationError("smtp.ca_file", ca_file, "is not a file")
        addresses = settings.get("addresses", {})
        if not isinstance(addresses, Mapping):
            raise ValidationError("smtp.addresses", addresses, "must map recipients to addresses")
        for recipient, address in addresses.items():
            parse_address(address, key=f"smtp.addresses[{recipient!r}]")
        sent_log = _text(settings, "sent_log")
        return cls(
            host=host,
            port=port,
            tls=tls,
            sender=sender,
            reply_to=reply_to,
            username=username,
            password=password,
            auth_without_tls=auth_without_tls,
            timeout=float(timeout),
            verify=_flag(settings, "verify", True),
            ca_file=ca_file,
            local_hostname=_text(settings, "local_hostname"),
            addresses={str(k): str(v) for k, v in addresses.items()},
            message_id_domain=_text(settings, "message_id_domain") or "",
            sent_log=None if sent_log is None else Path(sent_log),
        )
