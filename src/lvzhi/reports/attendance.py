"""Attendance tables: one row per deputy and session (考勤明细), statistics per delegation,
session or zone (考勤统计), one row per deputy (考勤汇总).  Pure functions of statuses,
records and statistics already derived by the attendance rule."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pendulum
import tablib

from lvzhi.domain import DEFAULT_STATUSES, Delegate, Session

__all__ = [
    "ATTENDANCE_HEADERS",
    "RECORD_HEADERS",
    "attendance_table",
    "records_table",
    "summary_table",
]

ATTENDANCE_HEADERS = ("场次", "代表证号", "姓名", "代表团", "状态", "签到时间", "签退时间", "备注")
RECORD_HEADERS = (
    "代表证号",
    "姓名",
    "代表团",
    "应参加",
    "出席",
    "迟到",
    "早退",
    "迟到早退",
    "缺席",
    "请假",
    "免签",
    "折算缺席",
    "出勤率",
)
_CODES = tuple(s.code for s in DEFAULT_STATUSES)
_LABELS = tuple(s.label for s in DEFAULT_STATUSES)


def _time(value: Any, timezone: str) -> str:
    if value is None:
        return ""
    return str(pendulum.instance(value).in_timezone(timezone).format("YYYY-MM-DD HH:mm:ss"))


def attendance_table(
    statuses: Mapping[str, Sequence[Any]],
    sessions: Iterable[Session],
    deputies: Iterable[Delegate],
    delegation_names: Mapping[str, str],
    *,
    timezone: str,
    title: str = "考勤明细表",
) -> tablib.Dataset:
    """场次, 代表证号, 姓名, 代表团, 状态, 签到时间, 签退时间, 备注: one row per status, sessions
    in time order, deputies in the order given; times local to ``timezone``."""
    titles = {s.id: s.title for s in sessions}
    people = {d.key: d for d in deputies}
    data = tablib.Dataset(headers=list(ATTENDANCE_HEADERS), title=title)
    for session_id, rows in statuses.items():
        for status in rows:
            deputy = people.get(status.certificate_no)
            data.append(
                [
                    titles.get(session_id, session_id),
                    status.certificate_no,
                    deputy.name if deputy else "",
                    delegation_names.get(deputy.delegation, deputy.delegation) if deputy else "",
                    status.label,
                    _time(status.first_entry, timezone),
                    _time(status.last_exit, timezone),
                    "；".join(status.remarks),
                ]
            )
    return data


def _percent(rate: float) -> str:
    return f"{rate * 100:.1f}%"


def summary_table(stats: Iterable[Any], *, heading: str, title: str) -> tablib.Dataset:
    """One row per delegation, session or zone: ``heading``, 应到, each status, 出勤率."""
    data = tablib.Dataset(headers=[heading, "应到", *_LABELS, "出勤率"], title=title)
    for item in stats:
        data.append(
            [
                item.label,
                item.required,
                *(item.counts.get(c, 0) for c in _CODES),
                _percent(item.rate),
            ]
        )
    return data


def records_table(
    records: Iterable[Any], delegation_names: Mapping[str, str], *, title: str = "代表考勤汇总表"
) -> tablib.Dataset:
    """One row per deputy: sessions required, each status counted, the absences counted
    with ``lates_per_absence`` (折算缺席) and the rate."""
    data = tablib.Dataset(headers=list(RECORD_HEADERS), title=title)
    for r in records:
        t = r.tally
        data.append(
            [
                r.certificate_no,
                r.name,
                delegation_names.get(r.delegation, r.delegation),
                t.required,
                t.present,
                t.late,
                t.left_early,
                t.late_left_early,
                t.absent,
                t.on_leave,
                t.exempt,
                t.absences,
                _percent(t.rate),
            ]
        )
    return data
