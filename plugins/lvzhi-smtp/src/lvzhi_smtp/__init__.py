"""lvzhi-smtp: deliver lvzhi notices (通知、通报) by e-mail over SMTP.

Configure it with ``Settings(plugins={"smtp": {...}})``; see :mod:`lvzhi_smtp.config` for
the keys, :mod:`lvzhi_smtp.notifier` for the sending and the failures, and
:mod:`lvzhi_smtp.attachments` for a deputy's seat and personal timetable as attachments.
"""

from lvzhi_smtp.attachments import deputy_attachments, personal_sessions
from lvzhi_smtp.config import SmtpConfig
from lvzhi_smtp.message import build_message, message_id
from lvzhi_smtp.notifier import (
    DeliveryError,
    PermanentFailure,
    SentLog,
    SmtpNotifier,
    TemporaryFailure,
)

__version__ = "0.1.0"

__all__ = [
    "DeliveryError",
    "PermanentFailure",
    "SentLog",
    "SmtpConfig",
    "SmtpNotifier",
    "TemporaryFailure",
    "build_message",
    "deputy_attachments",
    "message_id",
    "personal_sessions",
]
