"""The roster (代表名册): every deputy, one row each."""

from __future__ import annotations

from collections.abc import Iterable

import tablib

from lvzhi.domain import Delegate, Delegation
from lvzhi.reports._common import OrderKey, delegation_names, ordered, phone, yes_no

__all__ = ["ROSTER_HEADERS", "roster_table"]

ROSTER_HEADERS = ("序号", "姓名", "性别", "代表证号", "选举单位", "界别", "是否新任", "手机")

_UNKNOWN_LAST = 1 << 30


def roster_table(
    delegates: Iterable[Delegate],
    delegations: Iterable[Delegation],
    *,
    order_key: OrderKey | None = None,
    reveal_phones: bool = False,
    by_delegation: bool = False,
    title: str = "代表名册",
) -> tablib.Dataset:
    """The roster: 序号, 姓名, 性别, 代表证号, 选举单位, 界别, 是否新任, 手机.

    ``by_delegation`` lists delegations in official order (``Delegation.order``, then code)
    and the deputies of each by ``order_key`` (or as given).  A deputy whose delegation is
    unknown shows the code and comes after the known ones.
    """
    units = list(delegations)
    names = delegation_names(units)
    rows = ordered(delegates, order_key)
    if by_delegation:
        rank = {d.code: (d.order, d.code) for d in units}
        rows.sort(key=lambda d: rank.get(d.delegation, (_UNKNOWN_LAST, d.delegation)))
    data = tablib.Dataset(headers=list(ROSTER_HEADERS), title=title)
    for number, d in enumerate(rows, start=1):
        data.append(
            [
                number,
                d.name,
                d.gender.label,
                d.certificate_no,
                names.get(d.delegation, d.delegation),
                d.sector,
                yes_no(d.is_new),
                phone(d.phone, reveal_phones),
            ]
        )
    return data
