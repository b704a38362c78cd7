"""What is posted: the JSON body of each format, and DingTalk's signed URL.

``generic``
    One JSON object describing the delivery and its notice (:func:`generic_payload`); the
    schema is documented in the package's README and in :data:`GENERIC_SCHEMA`.
``wecom``
    A WeCom (企业微信) group robot message: ``{"msgtype": "markdown", "markdown":
    {"content": …}}`` or ``{"msgtype": "text", "text": {"content": …}}``.
``dingtalk``
    A DingTalk (钉钉) custom robot message: ``{"msgtype": "markdown", "markdown": {"title":
    …, "text": …}}`` or ``{"msgtype": "text", "text": {"content": …}}``, posted to a URL
    signed with :func:`dingtalk_signed_url` when a secret is configured.

Pure functions: no I/O.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import urllib.parse
from typing import Any

from lvzhi.domain import Notice
from lvzhi.domain.outbox import Delivery

__all__ = [
    "FORMATS",
    "GENERIC_SCHEMA",
    "LIMITS",
    "MESSAGE_TYPES",
    "dingtalk_payload",
    "dingtalk_sign",
    "dingtalk_signed_url",
    "generic_payload",
    "markdown_text",
    "payload",
    "plain_text",
    "truncate_utf8",
    "wecom_payload",
]

#: The formats a webhook posts in.
FORMATS = ("generic", "wecom", "dingtalk")
#: The robot message types (``msgtype``) this plugin writes.
MESSAGE_TYPES = ("markdown", "text")
#: The value of ``"schema"`` in every generic body; a new major number means an
#: incompatible change.
GENERIC_SCHEMA = "lvzhi.webhook/1"
#: The largest content a robot accepts, in UTF-8 bytes (WeCom: 4096 for markdown, 2048 for
#: text; DingTalk documents 20000 characters, counted here as bytes to stay on the safe
#: side).
LIMITS: dict[tuple[str, str], int] = {
    ("wecom", "markdown"): 4096,
    ("wecom", "text"): 2048,
    ("dingtalk", "markdown"): 20000,
    ("dingtalk", "text"): 20000,
}
#: What ends a text cut to a robot's limit.
ELLIPSIS = "…"


def _local_date(notice: Notice, timezone: str) -> str:
    return notice.issued_at.in_timezone(timezone).format("YYYY年M月D日")


def plain_text(notice: Notice, recipient: str, *, timezone: str = "Asia/Shanghai") -> str:
    """The notice as plain text: title, the recipient, the body, the issuer and the date."""
    lines = [notice.title, "", f"{recipient}：", "", notice.body.rstrip()]
    signature = f"{notice.issued_by}　{_local_date(notice, timezone)}".strip()
    lines += ["", signature]
    return "\n".join(lines).strip() + "\n"


def markdown_text(notice: Notice, recipient: str, *, timezone: str = "Asia/Shanghai") -> str:
    """The notice as robot Markdown: a heading, the recipient in bold, the body and the
    issuer and date as a quote."""
    signature = f"{notice.issued_by}　{_local_date(notice, timezone)}".strip()
    parts = [f"### {notice.title}", f"**{recipient}：**", notice.body.rstrip(), f"> {signature}"]
    return "\n\n".join(p for p in parts if p.strip()) + "\n"


def truncate_utf8(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` UTF-8 bytes, on a character boundary, ending with
    an ellipsis when it was cut."""
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    room = limit - len(ELLIPSIS.encode("utf-8"))
    return data[:room].decode("utf-8", errors="ignore") + ELLIPSIS


def generic_payload(
    delivery: Delivery, notice: Notice, *, timezone: str = "Asia/Shanghai"
) -> dict[str, Any]:
    """The body of a ``generic`` webhook (schema :data:`GENERIC_SCHEMA`)."""
    # Notices carry attachments in the lvzhi versions that have them.
    attachments_for = getattr(notice, "attachments_for", None)
    attachments = attachments_for(delivery.recipient) if callable(attachments_for) else ()
    return {
        "schema": GENERIC_SCHEMA,
        "delivery_id": delivery.id,
        "notice_id": notice.id,
        "channel": delivery.channel,
        "programme_id": notice.programme_id,
        "kind": notice.kind.value,
        "title": notice.title,
        "body": notice.body,
        "recipient": delivery.recipient,
        "address": delivery.address,
        "recipients": list(notice.recipients),
        "issued_at": notice.issued_at.in_timezone("UTC").isoformat().replace("+00:00", "Z"),
        "issued_by": notice.issued_by,
        "attempt": delivery.attempts,
        "text": plain_text(notice, delivery.recipient, timezone=timezone),
        "attachments": [
            {"filename": a.filename, "media_type": a.media_type, "content": a.content}
            for a in attachments
        ],
    }


def wecom_payload(
    delivery: Delivery,
    notice: Notice,
    *,
    msgtype: str = "markdown",
    mentions: tuple[str, ...] = (),
    timezone: str = "Asia/Shanghai",
) -> dict[str, Any]:
    """A WeCom group robot message.  ``mentions`` are user ids (``"@all"`` for everyone),
    which WeCom honours in text messages only."""
    if msgtype == "text":
        text = truncate_utf8(
            plain_text(notice, delivery.recipient, timezone=timezone), LIMITS["wecom", "text"]
        )
        body: dict[str, Any] = {"content": text}
        if mentions:
            body["mentioned_list"] = list(mentions)
        return {"msgtype": "text", "text": body}
    content = markdown_text(notice, delivery.recipient, timezone=timezone)
    return {
        "msgtype": "markdown",
        "markdown": {"content": truncate_utf8(content, LIMITS["wecom", "markdown"])},
    }


def dingtalk_payload(
    delivery: Delivery,
    notice: Notice,
    *,
    msgtype: str = "markdown",
    mentions: tuple[str, ...] = (),
    timezone: str = "Asia/Shanghai",
) -> dict[str, Any]:
    """A DingTalk custom robot message.  ``mentions`` are mobile numbers (``"@all"`` for
    everyone)."""
    at: dict[str, Any] = {
        "atMobiles": [m for m in mentions if m != "@all"],
        "isAtAll": "@all" in mentions,
    }
    if msgtype == "text":
        text = truncate_utf8(
            plain_text(notice, delivery.recipient, timezone=timezone), LIMITS["dingtalk", "text"]
        )
        return {"msgtype": "text", "text": {"content": text}, "at": at}
    content = markdown_text(notice, delivery.recipient, timezone=timezone)
    return {
        "msgtype": "markdown",
        "markdown": {
            "title": notice.title,
            "text": truncate_utf8(content, LIMITS["dingtalk", "markdown"]),
        },
        "at": at,
    }


def payload(
    format: str,
    delivery: Delivery,
    notice: Notice,
    *,
    msgtype: str = "markdown",
    mentions: tuple[str, ...] = (),
    timezone: str = "Asia/Shanghai",
) -> dict[str, Any]:
    """The body for ``format`` (one of :data:`FORMATS`)."""
    if format == "wecom":
        return wecom_payload(
            delivery, notice, msgtype=msgtype, mentions=mentions, timezone=timezone
        )
    if format == "dingtalk":
        return dingtalk_payload(
            delivery, notice, msgtype=msgtype, mentions=mentions, timezone=timezone
        )
    return generic_payload(delivery, notice, timezone=timezone)


def dingtalk_sign(timestamp_ms: int, secret: str) -> str:
    """DingTalk's signature: the base64 HMAC-SHA256 of ``"<timestamp>\\n<secret>"`` keyed
    with the secret (not yet URL-encoded)."""
    message = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode("utf-8"), message, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def dingtalk_signed_url(url: str, secret: str, timestamp_ms: int) -> str:
    """``url`` (the robot's ``…/robot/send?access_token=…``) with ``timestamp`` and the
    URL-encoded ``sign`` appended; any ``timestamp``/``sign`` already there is replaced."""
    parts = urllib.parse.urlsplit(url)
    query = [
        (k, v)
        for k, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
        if k not in ("timestamp", "sign")
    ]
    query += [("timestamp", str(timestamp_ms)), ("sign", dingtalk_sign(timestamp_ms, secret))]
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))
