"""Reply letters (答复函): one sheet per answered suggestion, laid out as a letter."""

from __future__ import annotations

from collections.abc import Iterable

import tablib

from lvzhi.domain import Delegate, Suggestion
from lvzhi.reports._common import sheet_title
from lvzhi.reports.suggestions import content_of, ordered_suggestions

__all__ = ["REPLY_LETTER_HEADERS", "reply_letters"]

REPLY_LETTER_HEADERS = ("项目", "内容")


def reply_letters(
    suggestions: Iterable[Suggestion],
    delegates: Iterable[Delegate] = (),
    *,
    timezone: str = "Asia/Shanghai",
) -> tablib.Databook:
    """One sheet per suggestion with a reply (merged ones left out), by number, titled
    ``第N号答复``: to whom (the proposers, by name when among ``delegates``), the
    suggestion, the reply's text, the answering unit, the signer and the date (in
    ``timezone``); a reply of an earlier round follows as 前次答复."""
    names = {d.certificate_no: d.name for d in delegates}
    sheets: list[tablib.Dataset] = []
    for s in ordered_suggestions(suggestions):
        reply = s.reply
        if reply is None:
            continue
        label = s.label
        title = sheet_title(f"{label}答复", taken=[t.title for t in sheets])
        data = tablib.Dataset(headers=list(REPLY_LETTER_HEADERS), title=title)
        when = reply.replied_at.in_timezone(timezone)
        data.extend(
            [
                ("致", "、".join(names.get(p, p) for p in s.proposers) + "代表"),
                ("建议", f"{label}　{content_of(s)}"),
                ("答复", reply.body),
                ("承办单位", reply.unit or s.handling_unit),
                ("签发人", reply.signer or reply.replied_by),
                ("日期", f"{when.year}年{when.month}月{when.day}日"),
            ]
        )
        for n, earlier in enumerate(s.previous_replies, 1):
            data.append((f"前次答复（第{n}轮）", earlier.body))
        sheets.append(data)
    return tablib.Databook(sheets)
