"""The reports back to delegations (通报): one sheet per delegation with violations."""

from __future__ import annotations

from collections.abc import Iterable

import tablib

from lvzhi.domain.discipline import Tongbao, ViolationKind
from lvzhi.reports._common import sheet_title

__all__ = ["TONGBAO_HEADERS", "tongbao_book"]

TONGBAO_HEADERS = ("序号", "姓名", "代表证号", "场次", "情况", "时间", "分钟", "情况说明")


def tongbao_book(reports: Iterable[Tongbao], *, title: str = "代表违纪情况通报") -> tablib.Databook:
    """One sheet per report (per delegation, in the order given), named after the
    delegation and titled with the body it goes to; a row per violation — the deputy, the
    session (or 抽查), what happened, when (local to the programme's zone), the minutes late
    or early, and the details.  With no report, one empty sheet titled ``title``."""
    sheets: list[tablib.Dataset] = []
    taken: list[str] = []
    for report in reports:
        name = sheet_title(report.delegation_name, taken=taken)
        taken.append(name)
        data = tablib.Dataset(headers=list(TONGBAO_HEADERS), title=name)
        for number, v in enumerate(report.violations, 1):
            minutes = v.minutes_late + v.minutes_early
            data.append(
                [
                    number,
                    report.names.get(v.certificate_no, v.certificate_no),
                    v.certificate_no,
                    v.session_title if v.kind is not ViolationKind.SPOT_CHECK else "抽查",
                    v.label,
                    f"{v.at.in_timezone(report.timezone):%Y-%m-%d %H:%M}",
                    minutes or "",
                    v.describe(report.timezone),
                ]
            )
        sheets.append(data)
    if not sheets:
        sheets.append(tablib.Dataset(headers=list(TONGBAO_HEADERS), title=sheet_title(title)))
    return tablib.Databook(sheets)
