"""The built-in printable reports, registered through ``lvzhi_register_reports``:
``roster`` (代表名册), ``timetable`` (日程安排表), ``delegations`` (one sheet per
delegation), ``groups`` (one sheet per discussion group) and ``suggestions`` (意见建议办理情况).

Each report reads everything it shows from the one read-only unit of work of its
:class:`~lvzhi.ports.ReportContext` and hands the context's name order, phone choice and
time zone to the pure table functions of :mod:`lvzhi.reports`.
"""

from __future__ import annotations

import tablib

from lvzhi.domain import Programme
from lvzhi.errors import ValidationError
from lvzhi.plugins import hookimpl
from lvzhi.ports import Report, ReportContext
from lvzhi.reports import (
    delegation_tables,
    group_tables,
    roster_table,
    suggestion_table,
    timetable_table,
)

__all__ = [
    "DelegationsReport",
    "GroupsReport",
    "RosterReport",
    "SuggestionsReport",
    "TimetableReport",
    "lvzhi_register_reports",
    "reports",
]


class _BuiltinReport:
    name = ""
    title = ""
    needs_programme = False

    def programme(self, context: ReportContext) -> Programme:
        """The context's programme; a :class:`~lvzhi.errors.ValidationError` without one."""
        if context.programme is None:
            raise ValidationError(
                "programme", None, f"the {self.name} report ({self.title}) needs a programme"
            )
        return context.programme

    def __repr__(self) -> str:
        return f"<report {self.name} {self.title}>"


class RosterReport(_BuiltinReport):
    """代表名册: every deputy in official order — delegations by ``Delegation.order`` then
    code, the deputies of each by the context's name order, then certificate number."""

    name = "roster"
    title = "代表名册"

    def build(self, context: ReportContext) -> tablib.Dataset:
        uow = context.uow
        return roster_table(
            uow.delegates.list(),
            uow.delegations.list(),
            order_key=context.order_key,
            reveal_phones=context.reveal_phones,
            by_delegation=True,
            title=self.title,
        )


class TimetableReport(_BuiltinReport):
    """日程安排表 of the context's programme, times in the context's time zone."""

    name = "timetable"
    title = "日程安排表"
    needs_programme = True

    def build(self, context: ReportContext) -> tablib.Dataset:
        programme = self.programme(context)
        uow = context.uow
        return timetable_table(
            programme,
            uow.sessions.select(programme_id=programme.id),
            uow.venues.list(),
            delegations=uow.delegations.list(),
            groups=uow.groups.select(programme_id=programme.id),
            timezone=context.timezone,
        )


class DelegationsReport(_BuiltinReport):
    """分代表团名册: one sheet per delegation in official order, its leading official and
    staff member first."""

    name = "delegations"
    title = "分代表团名册"

    def build(self, context: ReportContext) -> tablib.Databook:
        uow = context.uow
        return delegation_tables(
            uow.delegates.list(),
            uow.delegations.list(),
            uow.officials.list(),
            order_key=context.order_key,
            reveal_phones=context.reveal_phones,
        )


class GroupsReport(_BuiltinReport):
    """分组名单: one sheet per discussion group of the programme, convener and attending
    leaders first when they are among the officials."""

    name = "groups"
    title = "分组名单"
    needs_programme = True

    def build(self, context: ReportContext) -> tablib.Databook:
        programme = self.programme(context)
        uow = context.uow
        return group_tables(
            uow.groups.select(programme_id=programme.id),
            uow.delegates.list(),
            uow.delegations.list(),
            officials=uow.officials.list(),
            order_key=context.order_key,
            reveal_phones=context.reveal_phones,
        )


class SuggestionsReport(_BuiltinReport):
    """代表意见建议办理情况表 of the programme, reply times in the context's time zone."""

    name = "suggestions"
    title = "代表意见建议办理情况表"
    needs_programme = True

    def build(self, context: ReportContext) -> tablib.Dataset:
        programme = self.programme(context)
        uow = context.uow
        return suggestion_table(
            uow.suggestions.select(programme_id=programme.id),
            uow.delegates.list(),
            groups=uow.groups.select(programme_id=programme.id),
            timezone=context.timezone,
            title=self.title,
        )


def reports() -> list[Report]:
    """The built-in reports, in a fixed order."""
    return [
        RosterReport(),
        TimetableReport(),
        DelegationsReport(),
        GroupsReport(),
        SuggestionsReport(),
    ]


@hookimpl
def lvzhi_register_reports() -> list[Report]:
    """Register roster, timetable, delegations, groups and suggestions."""
    return reports()
