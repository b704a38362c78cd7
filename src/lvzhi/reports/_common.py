"""Helpers shared by the printed forms: phone masking, sheet names, name order, rows."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from lvzhi.domain import Delegate, Delegation, Official

__all__ = ["OrderKey", "mask_phone", "sheet_title"]

#: A sort key for one name, normally a collation's ``key`` (姓氏笔画).
OrderKey = Callable[[str], Any]

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\：？＊／＼［］]")


def mask_phone(phone: str) -> str:
    """Hide the middle of a phone number: ``13812345678`` → ``138****5678``.

    Numbers of 8 characters or more keep their first 3 and last 4; shorter ones keep only
    their last 2.  Empty stays empty.
    """
    phone = phone.strip()
    if not phone:
        return ""
    if len(phone) >= 8:
        return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
    return "*" * max(len(phone) - 2, 0) + phone[-2:]


def phone(number: str, reveal: bool) -> str:
    """``number`` as printed: masked unless ``reveal``."""
    return number if reveal else mask_phone(number)


def sheet_title(text: str, *, taken: Iterable[str] = ()) -> str:
    """A valid xlsx sheet name from ``text``: ``[]:*?/\\`` become ``-``, at most 31
    characters, not blank, and different from every name in ``taken`` (a ``(2)``, ``(3)``…
    suffix is added)."""
    base = _SHEET_FORBIDDEN.sub("-", " ".join(text.split())).strip("'") or "Sheet"
    base = base[:31]
    used = {t.lower() for t in taken}
    if base.lower() not in used:
        return base
    number = 2
    while True:
        suffix = f"({number})"
        candidate = base[: 31 - len(suffix)] + suffix
        if candidate.lower() not in used:
            return candidate
        number += 1


def ordered(delegates: Iterable[Delegate], order_key: OrderKey | None) -> list[Delegate]:
    """``delegates`` by ``order_key`` of the name, then certificate number; as given when
    ``order_key`` is ``None``."""
    items = list(delegates)
    if order_key is None:
        return items
    return sorted(items, key=lambda d: (order_key(d.name), d.certificate_no))


def official_order(delegations: Iterable[Delegation]) -> list[Delegation]:
    """Delegations in official order: ``Delegation.order``, then code."""
    return sorted(delegations, key=lambda d: (d.order, d.code))


def delegation_names(delegations: Iterable[Delegation]) -> dict[str, str]:
    """Delegation code → name."""
    return {d.code: d.name for d in delegations}


def yes_no(flag: bool) -> str:
    return "是" if flag else "否"


def row(cells: Mapping[str, Any], headers: Sequence[str]) -> list[Any]:
    """One row in the order of ``headers``; a header missing from ``cells`` is ``""``."""
    return [cells.get(h, "") for h in headers]


def official_row(role: str, official: Official, reveal: bool, headers: Sequence[str]) -> list[Any]:
    """The row of an official (带队领导, 召集人…) on a sheet of deputies: no 序号."""
    cells = {
        "身份": role,
        "姓名": official.name,
        "职务": " ".join(p for p in (official.organisation, official.title) if p),
        "手机": phone(official.phone, reveal),
    }
    return row(cells, headers)


def find(officials: Mapping[str, Official], key: str | None) -> Official | None:
    return officials.get(key) if key else None
