"""The hook implementation: the notifiers the ``webhook`` settings describe."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lvzhi import hookimpl
from lvzhi_webhook.config import notifiers_from_settings
from lvzhi_webhook.notifier import WebhookNotifier


@hookimpl
def lvzhi_register_notifiers(settings: Mapping[str, Any]) -> list[WebhookNotifier]:
    return notifiers_from_settings(settings)
