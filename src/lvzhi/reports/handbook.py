"""The handbook (履职常识100问) as a table, and who speaks, lectures and hosts which session
(授课及发言安排表)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import pendulum
import tablib

from lvzhi.domain import Delegate, Delegation, Official, Session
from lvzhi.domain.materials import (
    ROLE_LABELS,
    Handbook,
    HandbookPart,
    RoleKind,
    SessionRole,
)
from lvzhi.i18n import _

if TYPE_CHECKING:
    from lvzhi.ports import ReportContext

__all__ = [
    "HANDBOOK_HEADERS",
    "ROLE_HEADERS",
    "HandbookReport",
    "SpeakersReport",
    "handbook_table",
    "roles_table",
]

HANDBOOK_HEADERS = ("编号", "部分", "问题", "解答", "依据")
ROLE_HEADERS = ("日期", "时间", "专题", "角色", "姓名", "单位或代表团", "职务", "发言题目", "序号")


def handbook_table(handbook: Handbook, *, part: HandbookPart | None = None) -> tablib.Dataset:
    """The handbook's questions in number order (of one part, when given)."""
    data = tablib.Dataset(headers=list(HANDBOOK_HEADERS), title=handbook.title)
    for q in handbook.questions:
        if part is None or q.part is part:
            data.append([q.number, q.part.label, q.question, q.answer, q.basis])
    return data


def _when(session: Session | None, timezone: str) -> tuple[str, str]:
    if session is None:
        return "", ""
    start = session.starts_at.in_timezone(timezone)
    end = session.ends_at.in_timezone(timezone)
    return start.date().isoformat(), f"{start:HH:mm}-{end:HH:mm}"


def roles_table(
    roles: Iterable[SessionRole],
    sessions: Iterable[Session],
    delegates: Iterable[Delegate],
    delegations: Iterable[Delegation],
    officials: Iterable[Official],
    *,
    timezone: str = "Asia/Shanghai",
    title: str = "授课及发言安排表",
) -> tablib.Dataset:
    """One row per person and session, in session order: hosts, then lecturers, then the
    experience-sharing deputies in speaking order.  A deputy is shown with the delegation,
    an official with the organisation and title."""
    by_session: Mapping[str, Session] = {s.id: s for s in sessions}
    deputies = {d.certificate_no: d for d in delegates}
    units = {d.code: d.name for d in delegations}
    staff = {o.id: o for o in officials}
    rank = {RoleKind.HOST: 0, RoleKind.LECTURER: 1, RoleKind.SPEAKER: 2}
    far = pendulum.datetime(9999, 1, 1)

    def order(r: SessionRole) -> tuple[object, ...]:
        s = by_session.get(r.session_id)
        return (s.starts_at if s else far, r.session_id, rank[r.role], r.order, r.person_id)

    data = tablib.Dataset(headers=list(ROLE_HEADERS), title=title)
    for r in sorted(roles, key=order):
        session = by_session.get(r.session_id)
        day, time = _when(session, timezone)
        if r.role is RoleKind.SPEAKER:
            d = deputies.get(r.person_id)
            name = d.name if d else r.person_id
            where = units.get(d.delegation, d.delegation) if d else ""
            post = d.title if d else ""
        else:
            o = staff.get(r.person_id)
            name = o.name if o else r.person_id
            where = o.organisation if o else ""
            post = o.title if o else ""
        data.append(
            [
                day,
                time,
                session.title if session else r.session_id,
                ROLE_LABELS[r.role.value],
                name,
                where,
                post,
                r.topic,
                r.order,
            ]
        )
    return data


class HandbookReport:
    """人大代表履职常识100问: the stored handbook's questions and answers.  Options
    ``handbook`` (an id; default: the first stored) and ``part`` (应该做什么, 可以做什么,
    不能做什么, 履职保障, or should/may/must_not/guarantees)."""

    name = "handbook"
    title = "人大代表履职常识100问"
    needs_programme = False

    def build(self, context: ReportContext) -> tablib.Dataset:
        from lvzhi.errors import NotFound

        uow = context.uow
        handbook_id = context.options.get("handbook")
        if handbook_id:
            handbook = uow.handbooks.get(str(handbook_id))
        else:
            stored = uow.handbooks.list()
            if not stored:
                raise NotFound("Handbook", "(any)")
            handbook = stored[0]
        part = context.options.get("part")
        wanted = HandbookPart.parse(part, "part") if part else None
        return handbook_table(handbook, part=wanted)

    def __repr__(self) -> str:
        return f"<report {self.name} {self.title}>"


class SpeakersReport:
    """授课及发言安排表: who hosts, lectures and shares experience at which session of the
    programme, in session order."""

    name = "speakers"
    title = "授课及发言安排表"
    needs_programme = True

    def build(self, context: ReportContext) -> tablib.Dataset:
        from lvzhi.errors import ValidationError

        programme = context.programme
        if programme is None:
            raise ValidationError(
                "programme", None, _("the {name} report needs a programme").format(name=self.name)
            )
        uow = context.uow
        return roles_table(
            uow.session_roles.select(programme_id=programme.id),
            uow.sessions.select(programme_id=programme.id),
            uow.delegates.list(),
            uow.delegations.list(),
            uow.officials.list(),
            timezone=context.timezone,
            title=self.title,
        )

    def __repr__(self) -> str:
        return f"<report {self.name} {self.title}>"
