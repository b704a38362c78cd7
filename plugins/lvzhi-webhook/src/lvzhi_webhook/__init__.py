"""lvzhi-webhook: deliver lvzhi notices by HTTP POST.

Configured through ``Settings(plugins={"webhook": {"url": …, "format": …}})``: a generic
JSON body (schema ``lvzhi.webhook/1``) or a WeCom (企业微信) / DingTalk (钉钉) group robot
message.  See :mod:`lvzhi_webhook.notifier` for retries and errors.
"""

from __future__ import annotations

from lvzhi_webhook.config import notifiers_from_settings
from lvzhi_webhook.formats import (
    GENERIC_SCHEMA,
    dingtalk_sign,
    dingtalk_signed_url,
    generic_payload,
    payload,
)
from lvzhi_webhook.notifier import WebhookError, WebhookNotifier

__all__ = [
    "GENERIC_SCHEMA",
    "WebhookError",
    "WebhookNotifier",
    "dingtalk_sign",
    "dingtalk_signed_url",
    "generic_payload",
    "notifiers_from_settings",
    "payload",
]
__version__ = "0.1.0"
