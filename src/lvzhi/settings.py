"""How a secretariat behaves: :class:`Settings`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from lvzhi.domain.outbox import RetryPolicy

__all__ = ["Settings"]


def _plugin_settings(value: Mapping[str, Any]) -> dict[str, Any]:
    return dict(value)


@attrs.frozen(kw_only=True)
class Settings:
    """How a secretariat behaves.

    ``collation``
        The order of every list of names (``"strokes"``: 姓氏笔画, the official order;
        ``"pinyin"``; or any registered collation); ``collation_options`` are passed to it
        (for strokes: ``single_name="compare"`` or ``"blank"``).
    ``grouping_strategy``, ``seating_strategy``, ``attendance_rule``
        The registered policies used when a call does not name one.
    ``notifiers``
        Limits which registered notifiers (channels) notices are delivered over (empty:
        all).
    ``deliver_immediately``
        Send a notice's deliveries right after the change that issued it commits (default);
        off, they wait for ``office.deliver_pending()`` / ``lvzhi notices send``.
    ``retry``
        Back-off for failed deliveries and event handlers.
    ``plugins``
        Settings for plugins, one mapping per plugin, keyed by the plugin's name (its
        entry-point name; for a built-in plugin the last part of its module name):
        ``Settings(plugins={"notifiers": {"notice_dir": "out/notices"}})``.  Each plugin
        sees only its own part.
    """

    collation: str = "strokes"
    collation_options: Mapping[str, Any] = attrs.field(factory=dict)
    grouping_strategy: str = "balanced"
    seating_strategy: str = "in_order"
    attendance_rule: str = "standard"
    notifiers: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    deliver_immediately: bool = True
    retry: RetryPolicy = attrs.field(factory=RetryPolicy)
    plugins: Mapping[str, Mapping[str, Any]] = attrs.field(factory=dict, converter=_plugin_settings)
