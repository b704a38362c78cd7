"""How a secretariat behaves: :class:`Settings`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from lvzhi.domain.outbox import RetryPolicy
from lvzhi.domain.taxonomy import (
    DEFAULT_REPLY_TEMPLATES,
    DEFAULT_TAXONOMY,
    Taxonomy,
    to_taxonomy,
)

__all__ = ["Settings"]


def _plugin_settings(value: Mapping[str, Any]) -> dict[str, Any]:
    return dict(value)


def _overrides(value: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    return {str(k): dict(v) for k, v in value.items()}


def _templates(value: Mapping[str, str]) -> dict[str, str]:
    return {str(k): str(v) for k, v in value.items()}


@attrs.frozen(kw_only=True)
class Settings:
    """How a secretariat behaves.

    ``collation``
        The order of every list of names (``"strokes"``: 姓氏笔画, the official order;
        ``"pinyin"``; or any registered collation); ``collation_options`` are passed to it
        (for strokes: ``single_name="compare"`` or ``"blank"``).
    ``grouping_strategy``, ``seating_strategy``, ``attendance_rule``
        The registered policies used when a call does not name one.
    ``attendance_overrides``
        Changes to the programme's attendance policy for the fold of
        :mod:`lvzhi.domain.fold`: ``{"*": {...}}`` for every session, ``{session_id: {...}}``
        for one (applied after ``"*"``).  Keys: ``grace_minutes``, ``early_leave_minutes``,
        ``scan_opens_minutes``, ``allow_reentry`` (default ``True``).  For example
        ``{"*": {"grace_minutes": 0}, "s-opening": {"allow_reentry": False}}``.
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
    ``suggestion_taxonomy``
        The categories (类别) and their aspects (方面) a suggestion is filed under, checked
        whenever one is entered: a :class:`~lvzhi.domain.taxonomy.Taxonomy` or a mapping
        ``{"代表履职能力": ["学习培训", "调查研究"], …}``.  The default has four categories
        and eight aspects fitting a course for deputies.
    ``suggestion_reply_templates``
        Named reply texts (答复口径) with ``{placeholders}`` for the suggestion's fields
        (已采纳, 正在办理, 留作参考, 解释说明 by default).
    """

    collation: str = "strokes"
    collation_options: Mapping[str, Any] = attrs.field(factory=dict)
    grouping_strategy: str = "balanced"
    seating_strategy: str = "in_order"
    attendance_rule: str = "standard"
    attendance_overrides: Mapping[str, Mapping[str, Any]] = attrs.field(
        factory=dict, converter=_overrides
    )
    notifiers: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    deliver_immediately: bool = True
    retry: RetryPolicy = attrs.field(factory=RetryPolicy)
    plugins: Mapping[str, Mapping[str, Any]] = attrs.field(factory=dict, converter=_plugin_settings)
    suggestion_taxonomy: Taxonomy = attrs.field(default=DEFAULT_TAXONOMY, converter=to_taxonomy)
    suggestion_reply_templates: Mapping[str, str] = attrs.field(
        factory=lambda: dict(DEFAULT_REPLY_TEMPLATES), converter=_templates
    )
