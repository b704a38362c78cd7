"""Suggestions and their replies (代表意见建议办理情况表)."""

from __future__ import annotations

from collections.abc import Iterable

import tablib

from lvzhi.domain import Delegate, DiscussionGroup, Suggestion

__all__ = ["SUGGESTION_HEADERS", "suggestion_table"]

SUGGESTION_HEADERS = (
    "序号",
    "标题",
    "内容",
    "类别",
    "方面",
    "提出人",
    "所在小组",
    "承办单位",
    "办理期限",
    "状态",
    "答复",
    "答复时间",
    "满意度",
)

_STATE_LABELS = {"submitted": "已提交", "assigned": "已交办", "replied": "已答复"}
_SATISFACTION_LABELS = {
    "satisfied": "满意",
    "basically_satisfied": "基本满意",
    "dissatisfied": "不满意",
}


def suggestion_table(
    suggestions: Iterable[Suggestion],
    delegates: Iterable[Delegate] = (),
    *,
    groups: Iterable[DiscussionGroup] = (),
    timezone: str = "Asia/Shanghai",
    title: str = "代表意见建议办理情况表",
) -> tablib.Dataset:
    """Suggestions and their replies (意见建议办理情况), by submission time then id.

    Proposers are shown by name when they are among ``delegates`` (else by certificate
    number), the group by name when it is among ``groups``; reply times are converted to
    ``timezone`` before they are shown.
    """
    names = {d.certificate_no: d.name for d in delegates}
    group_names = {g.id: g.name for g in groups}
    data = tablib.Dataset(headers=list(SUGGESTION_HEADERS), title=title)
    ordered = sorted(suggestions, key=lambda s: (s.submitted_at, s.id))
    for number, s in enumerate(ordered, start=1):
        reply = s.reply
        data.append(
            [
                number,
                s.title,
                s.body,
                s.category,
                s.aspect,
                "、".join(names.get(p, p) for p in s.proposers),
                group_names.get(s.group_id, s.group_id) if s.group_id else "",
                s.handling_unit,
                s.deadline.isoformat() if s.deadline else "",
                _STATE_LABELS.get(s.state.value, s.state.value),
                reply.body if reply else "",
                f"{reply.replied_at.in_timezone(timezone):%Y-%m-%d %H:%M}" if reply else "",
                _SATISFACTION_LABELS.get(s.satisfaction.value, "") if s.satisfaction else "",
            ]
        )
    return data
