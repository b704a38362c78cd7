"""Settings problems name the key and the value when the secretariat opens."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lvzhi_smtp import SmtpConfig

from lvzhi.errors import ValidationError

BASE = {"host": "smtp.example.org", "from": "lianluo@example.org"}


def config(**settings: Any) -> SmtpConfig:
    return SmtpConfig.from_settings({**BASE, **settings}, environ={"SMTP_PW": "pw"})


def test_defaults() -> None:
    c = config()
    assert (c.host, c.port, c.tls, c.verify, c.timeout) == (
        "smtp.example.org",
        587,
        "starttls",
        True,
        30.0,
    )
    assert c.sender.addr_spec == "lianluo@example.org"
    assert c.message_id_domain == "example.org"
    assert config(tls="ssl").port == 465
    assert config(tls="none").port == 25
    assert config(port="2525").port == 2525


def test_password_from_the_environment_and_hidden_in_repr() -> None:
    c = config(username="u", password_env="SMTP_PW")
    assert c.password == "pw"
    assert "pw" not in repr(c)


@pytest.mark.parametrize(
    ("settings", "field", "message"),
    [
        ({"host": ""}, "smtp.host", "must name the mail server"),
        ({"tls": "tls"}, "smtp.tls", "starttls, ssl, none"),
        ({"port": 70000}, "smtp.port", "70000"),
        ({"port": True}, "smtp.port", "port number"),
        ({"from": "lianluo"}, "smtp.from", "'lianluo'"),
        ({"reply_to": "a@b.org, c@d.org"}, "smtp.reply_to", "one e-mail address"),
        ({"timeout": 0}, "smtp.timeout", "positive"),
        ({"username": "u", "password": "p", "tls": "none"}, "smtp.tls", "unencrypted"),
        ({"password": "p"}, "smtp.username", "needed with a password"),
        ({"username": "u", "password_env": "NOT_SET"}, "smtp.password_env", "NOT_SET"),
        (
            {"addresses": {"衡南县人大常委会": "hengnan"}},
            "smtp.addresses['衡南县人大常委会']",
            "hengnan",
        ),
        ({"hots": "x"}, "smtp", "hots"),
        ({"verify": "no"}, "smtp.verify", "true or false"),
        ({"ca_file": "/nonexistent/ca.pem"}, "smtp.ca_file", "not a file"),
    ],
)
def test_problems_name_key_and_value(settings: dict[str, Any], field: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        config(**settings)
    assert caught.value.field == field
    assert message in str(caught.value)


def test_login_without_tls_when_allowed(tmp_path: Path) -> None:
    c = config(username="u", password="p", tls="none", auth_without_tls=True)
    assert c.username == "u"
