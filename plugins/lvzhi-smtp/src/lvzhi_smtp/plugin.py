"""The hook implementations of the ``smtp`` plugin (the entry point names this module)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lvzhi.plugins import hookimpl
from lvzhi_smtp.config import SmtpConfig
from lvzhi_smtp.notifier import SmtpNotifier


@hookimpl
def lvzhi_register_notifiers(settings: Mapping[str, Any]) -> list[SmtpNotifier]:
    """The ``smtp`` notifier when ``Settings.plugins["smtp"]`` names a host; nothing
    otherwise, so that installing the plugin alone changes nothing."""
    if not settings:
        return []
    return [SmtpNotifier(SmtpConfig.from_settings(settings))]
