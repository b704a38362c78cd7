"""The plugin's settings (``Settings(plugins={"webhook": {...}})``) turned into notifiers.

One notifier from the top-level keys when ``url`` is given, named ``name`` (default
``webhook``); one more per entry of ``channels`` (``{"wecom": {...}, "dingtalk": {...}}``),
named after its key, whose keys override the top-level ones.  ``url_env`` and
``secret_env`` name environment variables to read the URL and the secret from, so that
neither has to be written into code.  No ``url`` anywhere: nothing is registered.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from lvzhi.errors import ValidationError
from lvzhi_webhook.notifier import WebhookNotifier

__all__ = ["KEYS", "notifiers_from_settings"]

#: The keys a channel's settings may have.
KEYS = frozenset(
    {
        "url",
        "url_env",
        "name",
        "format",
        "msgtype",
        "secret",
        "secret_env",
        "timeout",
        "retries",
        "backoff",
        "backoff_cap",
        "headers",
        "mentions",
        "timezone",
        "proxy",
    }
)


def _from_env(options: dict[str, Any], key: str, field: str, environ: Mapping[str, str]) -> None:
    variable = options.pop(f"{key}_env", None)
    if variable is None or options.get(key):
        return
    value = environ.get(str(variable), "")
    if not value:
        raise ValidationError(field, variable, "names an environment variable that is not set")
    options[key] = value


def _notifier(
    options: Mapping[str, Any], where: str, environ: Mapping[str, str]
) -> WebhookNotifier:
    unknown = sorted(set(options) - KEYS)
    if unknown:
        raise ValidationError(
            f"{where}.{unknown[0]}",
            options[unknown[0]],
            f"is not a setting; known: {', '.join(sorted(KEYS))}",
        )
    chosen = dict(options)
    _from_env(chosen, "url", f"{where}.url_env", environ)
    _from_env(chosen, "secret", f"{where}.secret_env", environ)
    if "url" not in chosen:
        raise ValidationError(f"{where}.url", None, "is missing")
    mentions = chosen.pop("mentions", ())
    if isinstance(mentions, str):
        mentions = (mentions,)
    headers = chosen.pop("headers", None) or {}
    if not isinstance(headers, Mapping):
        raise ValidationError(
            f"{where}.headers", headers, "must be a mapping of header names to values"
        )
    url = chosen.pop("url")
    return WebhookNotifier(
        url,
        mentions=tuple(str(m) for m in mentions),
        headers={str(k): str(v) for k, v in headers.items()},
        **chosen,
    )


def notifiers_from_settings(
    settings: Mapping[str, Any], environ: Mapping[str, str] | None = None
) -> list[WebhookNotifier]:
    """The notifiers the plugin's settings describe (see the module documentation)."""
    env = os.environ if environ is None else environ
    common = {k: v for k, v in settings.items() if k != "channels"}
    channels = settings.get("channels") or {}
    if not isinstance(channels, Mapping):
        raise ValidationError("webhook.channels", channels, "must map channel names to settings")
    notifiers: list[WebhookNotifier] = []
    if "url" in common or "url_env" in common:
        notifiers.append(_notifier(common, "webhook", env))
    defaults = {k: v for k, v in common.items() if k not in ("url", "url_env", "name")}
    for name, options in channels.items():
        if not isinstance(options, Mapping):
            raise ValidationError(f"webhook.channels.{name}", options, "must be a mapping")
        notifiers.append(
            _notifier({**defaults, **options, "name": name}, f"webhook.channels.{name}", env)
        )
    return notifiers
