"""One sheet per delegation (分代表团名册): its leading official, its staff member and its
deputies."""

from __future__ import annotations

from collections.abc import Iterable

import tablib

from lvzhi.domain import Delegate, Delegation, Official, OfficialRole
from lvzhi.reports._common import (
    OrderKey,
    find,
    official_order,
    official_row,
    ordered,
    phone,
    sheet_title,
    yes_no,
)

__all__ = ["DELEGATION_HEADERS", "delegation_tables"]

DELEGATION_HEADERS = (
    "序号",
    "身份",
    "姓名",
    "性别",
    "代表证号",
    "界别",
    "是否新任",
    "职务",
    "手机",
)

_ROLES = (
    ("带队领导", OfficialRole.DELEGATION_LEADER, "leader_id"),
    ("工作人员", OfficialRole.DELEGATION_STAFF, "staff_id"),
)


def _official(
    unit: Delegation | None,
    code: str,
    attribute: str,
    wanted: OfficialRole,
    by_id: dict[str, Official],
    people: list[Official],
) -> Official | None:
    person = find(by_id, getattr(unit, attribute)) if unit is not None else None
    if person is None:
        person = next((o for o in people if o.role is wanted and o.delegation == code), None)
    return person


def delegation_tables(
    delegates: Iterable[Delegate],
    delegations: Iterable[Delegation],
    officials: Iterable[Official] = (),
    *,
    order_key: OrderKey | None = None,
    reveal_phones: bool = False,
) -> tablib.Databook:
    """One sheet per delegation, in official order (``order``, then code), named after it.

    Each sheet lists the leading official (带队领导) and the staff member (工作人员) first,
    without a 序号, then the deputies numbered 1, 2, …  The leader and staff member are
    ``Delegation.leader_id``/``staff_id`` or, if unset, the first official (by id) with the
    role and the delegation.  Deputies of a delegation not in ``delegations`` get a sheet
    named by the code, after the others.
    """
    units = official_order(delegations)
    people = sorted(officials, key=lambda o: o.id)
    by_id = {o.id: o for o in people}
    members: dict[str, list[Delegate]] = {}
    for d in ordered(delegates, order_key):
        members.setdefault(d.delegation, []).append(d)
    known = {d.code for d in units}
    extra = sorted(code for code in members if code not in known)

    book = tablib.Databook()
    titles: list[str] = []
    sheets: list[tuple[str, str, Delegation | None]] = [(u.code, u.name, u) for u in units]
    sheets += [(code, code, None) for code in extra]
    for code, name, unit in sheets:
        title = sheet_title(name, taken=titles)
        titles.append(title)
        data = tablib.Dataset(headers=list(DELEGATION_HEADERS), title=title)
        for role, wanted, attribute in _ROLES:
            person = _official(unit, code, attribute, wanted, by_id, people)
            if person is not None:
                data.append(official_row(role, person, reveal_phones, DELEGATION_HEADERS))
        for number, d in enumerate(members.get(code, []), start=1):
            data.append(
                [
                    number,
                    "代表",
                    d.name,
                    d.gender.label,
                    d.certificate_no,
                    d.sector,
                    yes_no(d.is_new),
                    d.title,
                    phone(d.phone, reveal_phones),
                ]
            )
        book.add_sheet(data)
    return book
