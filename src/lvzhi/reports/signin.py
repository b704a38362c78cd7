"""Sign-in sheets (签到表): the deputies of each zone (or each delegation) in seat order, with
an empty column to sign in and 请假 against those on approved leave for the session."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Literal

import tablib

from lvzhi.domain import Delegate, LeaveRequest, Session
from lvzhi.domain.halls import Seat
from lvzhi.reports._common import sheet_title
from lvzhi.reports.layout import HEADING_SEPARATOR, heading_text
from lvzhi.reports.seating import Seating

__all__ = ["SIGNIN_HEADERS", "SignInBy", "on_leave", "signin_book"]

SIGNIN_HEADERS = ("序号", "座号", "姓名", "代表团", "签到", "备注")
SignInBy = Literal["zone", "delegation"]
#: The title of the sheet of deputies the plan gives no seat.
UNSEATED = "未安排座位"
ON_LEAVE = "请假"


def on_leave(leave: Iterable[LeaveRequest], session: Session) -> set[str]:
    """Certificate numbers of the deputies whose approved leave covers ``session``."""
    return {
        r.certificate_no
        for r in leave
        if r.programme_id == session.programme_id
        and r.excuses
        and r.covers(session.starts_at, session.ends_at)
    }


Entry = tuple[Seat | None, Delegate | None, str]


def _sheet(
    title: str,
    heading: str,
    people: Iterable[Entry],
    seating: Seating,
    leave: Collection[str],
    taken: list[str],
) -> tablib.Dataset:
    name = sheet_title(title, taken=taken)
    taken.append(name)
    data = tablib.Dataset(headers=list(SIGNIN_HEADERS), title=name)
    data.heading = heading
    for number, (seat, deputy, cert) in enumerate(people, start=1):
        data.append(
            [
                number,
                seat.label if seat is not None else "",
                deputy.name if deputy is not None else cert,
                seating.delegation_name(deputy.delegation) if deputy is not None else "",
                "",
                ON_LEAVE if cert in leave else "",
            ]
        )
    return data


def signin_book(
    seating: Seating,
    *,
    by: SignInBy = "zone",
    leave: Collection[str] = (),
    session: Session | None = None,
    programme_title: str | None = None,
    title: str = "签到表",
) -> tablib.Databook:
    """One sheet per zone (by ``by="zone"``; per section when the hall has no zones), titled
    with the zone and its attendance taker, or one per delegation in official order
    (``by="delegation"``); the deputies in seat order.  ``leave`` holds the certificate
    numbers marked 请假.  Deputies the plan gives no seat are listed on a last sheet
    (by zone) or after the seated ones (by delegation), so that nobody is left out."""
    seated = seating.seated()
    seat_of = {cert: seat for seat, cert in seated}
    place = {cert: i for i, (_seat, cert) in enumerate(seated)}
    everyone = seating.delegates
    session_text = session.title if session is not None else ""

    def heading(name: str, *extra: str) -> str:
        parts = [f"{title}（{name}）", *[e for e in extra if e], session_text]
        return heading_text(HEADING_SEPARATOR.join(p for p in parts if p), programme_title)

    book = tablib.Databook()
    taken: list[str] = []
    if by == "delegation":
        known = {u.code: u.name for u in seating.delegations}
        codes = [
            *known,
            *dict.fromkeys(d.delegation for d in everyone.values() if d.delegation not in known),
        ]
        for code in codes:
            members = [d for d in everyone.values() if d.delegation == code]
            if not members:
                continue
            members.sort(key=lambda d: place.get(d.certificate_no, len(place)))
            people: list[Entry] = [
                (seat_of.get(d.certificate_no), d, d.certificate_no) for d in members
            ]
            name = known.get(code, code)
            book.add_sheet(_sheet(name, heading(name), people, seating, leave, taken))
        return book
    if seating.zones:
        areas = [(z.name, seating.taker(z), set(z.seats)) for z in seating.zones]
    else:
        areas = [(s.name, "", {seat.id for seat in s.seats}) for s in seating.hall.sections]
    for name, taker, seats in areas:
        people = [(seat, everyone.get(cert), cert) for seat, cert in seated if seat.id in seats]
        label = f"{name} {taker}" if taker else name
        extra = f"签到员：{taker}" if taker else ""
        book.add_sheet(_sheet(label, heading(name, extra), people, seating, leave, taken))
    unseated = [d for d in everyone.values() if d.certificate_no not in seat_of]
    if unseated:
        people = [(None, d, d.certificate_no) for d in unseated]
        book.add_sheet(_sheet(UNSEATED, heading(UNSEATED), people, seating, leave, taken))
    return book
