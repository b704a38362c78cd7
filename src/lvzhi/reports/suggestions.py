"""The suggestion summary (建议汇总表) and the statistics tables (意见建议统计表)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import tablib

from lvzhi.domain import Delegate, DiscussionGroup, Suggestion, SuggestionState
from lvzhi.domain.suggestions import SATISFACTION_LABELS, STATE_LABELS
from lvzhi.domain.taxonomy import SuggestionStats

__all__ = [
    "STATS_TITLES",
    "SUGGESTION_HEADERS",
    "content_of",
    "state_label",
    "suggestion_stats_tables",
    "suggestion_table",
]

SUGGESTION_HEADERS = (
    "编号",
    "类别",
    "方面",
    "内容",
    "提出人",
    "小组",
    "承办单位",
    "办理期限",
    "办理状态",
    "答复",
    "满意度",
)

#: The sheets of the statistics, in order.
STATS_TITLES = ("按类别和方面", "按小组", "按承办单位", "按办理状态")


def content_of(s: Suggestion) -> str:
    """What a suggestion says: its title, then its text."""
    return f"{s.title}：{s.body}" if s.body else s.title


def state_label(s: Suggestion) -> str:
    """已答复, 已办结 …; a later round is named: 已交办（第2轮）."""
    label = STATE_LABELS.get(s.state.value, s.state.value)
    return f"{label}（第{s.round}轮）" if s.round > 1 and not s.state.final else label


def ordered_suggestions(suggestions: Iterable[Suggestion]) -> list[Suggestion]:
    """By number, then submission time and id; merged suggestions left out (they live on
    in the suggestion they were merged into)."""
    live = [s for s in suggestions if s.state is not SuggestionState.MERGED]
    return sorted(live, key=lambda s: (s.number or 1 << 30, s.submitted_at, s.id))


def suggestion_table(
    suggestions: Iterable[Suggestion],
    delegates: Iterable[Delegate] = (),
    *,
    groups: Iterable[DiscussionGroup] = (),
    title: str = "建议汇总表",
) -> tablib.Dataset:
    """建议汇总表: one row per suggestion not merged away, by number.

    Proposers are shown by name when they are among ``delegates`` (else by certificate
    number), the group by name when it is among ``groups``.
    """
    names = {d.certificate_no: d.name for d in delegates}
    group_names = {g.id: g.name for g in groups}
    data = tablib.Dataset(headers=list(SUGGESTION_HEADERS), title=title)
    for s in ordered_suggestions(suggestions):
        data.append(
            [
                s.number if s.number is not None else "",
                s.category,
                s.aspect,
                content_of(s),
                "、".join(names.get(p, p) for p in s.proposers),
                group_names.get(s.group_id, s.group_id) if s.group_id else "",
                s.handling_unit,
                s.deadline.isoformat() if s.deadline else "",
                state_label(s),
                s.reply.body if s.reply else "",
                SATISFACTION_LABELS.get(s.satisfaction.value, "") if s.satisfaction else "",
            ]
        )
    return data


def _counts(
    title: str, headers: tuple[str, ...], rows: Iterable[Sequence[object]], total: int
) -> tablib.Dataset:
    data = tablib.Dataset(headers=[*headers, "件数"], title=title)
    for row in rows:
        data.append(list(row))
    data.append(["合计", *[""] * (len(headers) - 1), total])
    return data


def _single(counts: Mapping[str, int], empty: str) -> list[tuple[str, int]]:
    return [(name or empty, n) for name, n in counts.items()]


def suggestion_stats_tables(stats: SuggestionStats) -> tablib.Databook:
    """意见建议统计表: counts by category and aspect, by group, by handling unit and by
    state, each with a 合计 row (merged suggestions are not counted)."""
    by_aspect = [
        (category or "未归类", aspect or "未归类", n)
        for (category, aspect), n in stats.by_aspect.items()
    ]
    states = {STATE_LABELS.get(k, k): n for k, n in stats.by_state.items()}
    return tablib.Databook(
        [
            _counts(STATS_TITLES[0], ("类别", "方面"), by_aspect, stats.total),
            _counts(STATS_TITLES[1], ("小组",), _single(stats.by_group, "未分组"), stats.total),
            _counts(STATS_TITLES[2], ("承办单位",), _single(stats.by_unit, "未交办"), stats.total),
            _counts(STATS_TITLES[3], ("办理状态",), _single(states, ""), stats.total),
        ]
    )
