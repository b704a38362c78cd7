"""Each deputy's record during the course (一人一表), for awards and re-election
recommendation (评先评优、推荐连任), and the same added up per delegation."""

from __future__ import annotations

from collections.abc import Iterable

import tablib

from lvzhi.domain.discipline import DeputyRecord, delegation_stats

__all__ = ["RECORD_HEADERS", "STATS_HEADERS", "records_book"]

RECORD_HEADERS = (
    "代表团",
    "姓名",
    "代表证号",
    "应出席",
    "出席",
    "迟到",
    "早退",
    "缺席",
    "请假",
    "出勤率",
    "违纪",
    "建议数",
)
STATS_HEADERS = (
    "代表团",
    "代表数",
    "应出席",
    "出席",
    "迟到",
    "早退",
    "缺席",
    "请假",
    "出勤率",
    "违纪",
    "建议数",
)


def _rate(value: float | None) -> str:
    return f"{value * 100:.1f}%" if value is not None else ""


def records_book(
    records: Iterable[DeputyRecord],
    *,
    title: str = "代表参训情况表",
    stats_title: str = "按代表团统计",
) -> tablib.Databook:
    """Sheet one: a row per deputy in the order given (请假 counts the sessions on approved
    leave; 出勤率 is 出席 over 应出席 less 请假).  Sheet two: the same per delegation."""
    rows = list(records)
    data = tablib.Dataset(headers=list(RECORD_HEADERS), title=title)
    for r in rows:
        data.append(
            [
                r.delegation_name,
                r.name,
                r.certificate_no,
                r.required,
                r.attended,
                r.late,
                r.left_early,
                r.absent,
                r.on_leave,
                _rate(r.rate),
                r.violations,
                r.suggestions,
            ]
        )
    stats = tablib.Dataset(headers=list(STATS_HEADERS), title=stats_title)
    for s in delegation_stats(rows):
        stats.append(
            [
                s.delegation_name,
                s.deputies,
                s.required,
                s.attended,
                s.late,
                s.left_early,
                s.absent,
                s.on_leave,
                _rate(s.rate),
                s.violations,
                s.suggestions,
            ]
        )
    return tablib.Databook([data, stats])
