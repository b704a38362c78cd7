"""One delivery of a notice as an e-mail message.

The message is built with :data:`email.policy.SMTP`: the Chinese subject, display names
and attachment names are written as RFC 2047 encoded words (RFC 2231 for file names), which
every mail client decodes and every server accepts; the text is UTF-8 in base64.  When an
address itself is not ASCII, :mod:`smtplib` sends the message with ``SMTPUTF8`` and UTF-8
headers (RFC 6532) instead, if the server offers it.

The same delivery always gives the same message: the ``Message-ID`` is derived from the
delivery id and the ``Date`` is the notice's issue time, so a retried delivery is the same
message and mail software that drops duplicates by ``Message-ID`` sees it as one.
"""

from __future__ import annotations

import email.policy
import hashlib
import re
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from lvzhi.builtins.notifiers import render_notice
from lvzhi.domain import Notice
from lvzhi.domain.outbox import Delivery

__all__ = ["build_message", "message_id"]

# dot-atom-text (RFC 5322 3.2.3) restricted to what delivery ids use: no ':' and no '..'.
_DOT_ATOM = re.compile(r"[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*")


def _ascii_domain(domain: str) -> str:
    try:
        return domain.encode("idna").decode("ascii")
    except UnicodeError:
        return "lvzhi.invalid"


def message_id(delivery_id: str, domain: str) -> str:
    """``<delivery id@domain>``: the delivery id itself when it is a valid left part, else
    ``d-`` and a digest of it; the same delivery id always gives the same Message-ID."""
    left = delivery_id
    if len(left) > 64 or not _DOT_ATOM.fullmatch(left):
        left = "d-" + hashlib.sha256(delivery_id.encode("utf-8")).hexdigest()[:40]
    return f"<{left}@{_ascii_domain(domain)}>"


def build_message(
    delivery: Delivery,
    notice: Notice,
    *,
    sender: Address,
    to: Address,
    reply_to: Address | None = None,
    message_id_domain: str = "",
) -> EmailMessage:
    """The e-mail for ``delivery``: subject is the notice's title, the text is the notice
    as the ``file`` notifier writes it, and the notice's attachments for this recipient
    follow as files."""
    message = EmailMessage(policy=email.policy.SMTP)
    message["Subject"] = notice.title
    message["From"] = Address(
        display_name=sender.display_name or notice.issued_by,
        username=sender.username,
        domain=sender.domain,
    )
    message["To"] = Address(display_name=delivery.recipient, username=to.username, domain=to.domain)
    if reply_to is not None:
        message["Reply-To"] = reply_to
    message["Date"] = format_datetime(notice.issued_at)
    message["Message-ID"] = message_id(delivery.id, message_id_domain or sender.domain)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no automatic replies
    message["X-Lvzhi-Notice"] = notice.id
    message["X-Lvzhi-Delivery"] = delivery.id
    message.set_content(render_notice(notice, delivery.recipient), charset="utf-8", cte="base64")
    for attachment in notice.attachments_for(delivery.recipient):
        subtype = attachment.media_type.partition("/")[2]
        message.add_attachment(
            attachment.content,
            subtype=subtype,
            charset="utf-8",
            cte="base64",
            filename=attachment.filename,
        )
    return message
