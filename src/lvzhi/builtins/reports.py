"""The built-in printable reports, registered through ``lvzhi_register_reports``:
``roster`` (代表名册), ``timetable`` (日程安排表), ``delegations`` (one sheet per
delegation), ``groups`` (one sheet per discussion group), ``suggestions`` (建议汇总表),
``suggestion-replies`` (答复函), ``suggestion-stats`` (意见建议统计表),
``seats`` (代表座位表), ``seating-chart`` (座次表, drawn like the hall) and ``signin``
(签到表, per zone or per delegation).

Each report reads everything it shows from the one read-only unit of work of its
:class:`~lvzhi.ports.ReportContext` and hands the context's name order, phone choice and
time zone to the pure table functions of :mod:`lvzhi.reports`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs
import tablib

from lvzhi.domain import Programme
from lvzhi.domain.rostrum import RostrumSeat, seat_rostrum
from lvzhi.domain.suggestions import suggestion_stats
from lvzhi.domain.taxonomy import DEFAULT_TAXONOMY, to_taxonomy
from lvzhi.errors import ValidationError
from lvzhi.i18n import _
from lvzhi.plugins import hookimpl
from lvzhi.ports import Report, ReportContext
from lvzhi.reports import (
    delegation_tables,
    group_tables,
    reply_letters,
    roster_table,
    suggestion_stats_tables,
    suggestion_table,
    timetable_table,
)
from lvzhi.reports.covers import CoversReport
from lvzhi.reports.evaluation import EvaluationResultsReport
from lvzhi.reports.handbook import HandbookReport, SpeakersReport
from lvzhi.reports.plans import TrainingPlanReport
from lvzhi.reports.seating import Seating, chart_book, choose_hall, find_plan, seat_table
from lvzhi.reports.signin import on_leave, signin_book
from lvzhi.reports.tasks import MeetingsReport, TasksReport

__all__ = [
    "AttendanceRecordsReport",
    "AttendanceReport",
    "AttendanceSummaryReport",
    "DelegationsReport",
    "GroupsReport",
    "RecordsReport",
    "RosterReport",
    "SeatingChartReport",
    "SeatsReport",
    "SigninReport",
    "SuggestionRepliesReport",
    "SuggestionStatsReport",
    "SuggestionsReport",
    "TimetableReport",
    "TongbaoReport",
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
            venues=uow.venues.list(),
            order_key=context.order_key,
            reveal_phones=context.reveal_phones,
            programme_title=programme.title,
            report=self.title,
        )


class SuggestionsReport(_BuiltinReport):
    """建议汇总表 of the programme: one row per suggestion not merged away, by number."""

    name = "suggestions"
    title = "建议汇总表"
    needs_programme = True

    def build(self, context: ReportContext) -> tablib.Dataset:
        programme = self.programme(context)
        uow = context.uow
        return suggestion_table(
            uow.suggestions.select(programme_id=programme.id),
            uow.delegates.list(),
            groups=uow.groups.select(programme_id=programme.id),
            title=self.title,
        )


class SuggestionRepliesReport(_BuiltinReport):
    """答复函: one sheet per answered suggestion, dated in the context's time zone."""

    name = "suggestion-replies"
    title = "意见建议答复函"
    needs_programme = True

    def build(self, context: ReportContext) -> tablib.Databook:
        programme = self.programme(context)
        uow = context.uow
        return reply_letters(
            uow.suggestions.select(programme_id=programme.id),
            uow.delegates.list(),
            timezone=context.timezone,
        )


class SuggestionStatsReport(_BuiltinReport):
    """意见建议统计表: counts by category and aspect (in the order of the option
    ``taxonomy``, default the built-in one), by group, by handling unit and by state."""

    name = "suggestion-stats"
    title = "意见建议统计表"
    needs_programme = True

    def build(self, context: ReportContext) -> tablib.Databook:
        programme = self.programme(context)
        uow = context.uow
        groups = sorted(uow.groups.select(programme_id=programme.id), key=lambda g: g.number)
        stats = suggestion_stats(
            uow.suggestions.select(programme_id=programme.id),
            to_taxonomy(context.options.get("taxonomy", DEFAULT_TAXONOMY)),
            group_names={g.id: g.name for g in groups},
        )
        return suggestion_stats_tables(stats)


def _ids(value: Any, name: str) -> list[str]:
    """An option listing ids: a list, or text separated by commas."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, Sequence) and all(isinstance(v, str) for v in value):
        return list(value)
    raise ValidationError(name, value, _("must be a list of ids"))


def seating_of(context: ReportContext) -> Seating:
    """The hall chosen by the option ``hall`` (default: the only stored hall), its plan for
    the context's programme (or its own), its zones and the people to name."""
    uow = context.uow
    hall_id = context.options.get("hall")
    hall = choose_hall(uow.halls.list(), str(hall_id) if hall_id else None)
    programme_id = context.programme.id if context.programme is not None else None
    return Seating.of(
        hall,
        find_plan(uow.seat_plans.select(hall_id=hall.id), hall, programme_id),
        zones=uow.zones.select(hall_id=hall.id),
        delegates=uow.delegates.list(),
        delegations=uow.delegations.list(),
        officials=uow.officials.list(),
    )


class SeatsReport(_BuiltinReport):
    """代表座位表: one row per seated deputy of a hall in walk order — 会场, 区 (the zone, or
    the section without zones), 排, 座号, 代表证号, 姓名, 代表团.  Option ``hall``."""

    name = "seats"
    title = "代表座位表"

    def build(self, context: ReportContext) -> tablib.Dataset:
        return seat_table(seating_of(context), title=self.title)


class SeatingChartReport(_BuiltinReport):
    """座次表: the hall drawn seat by seat (a sheet with drawing hints, see
    ``lvzhi.reports.grid``), then the seats as a list.  Option ``session``: the seats of
    deputies on approved leave that session are shown empty (请假).  Options ``hall`` and
    ``rostrum``
    (official ids in order of precedence, seated by :func:`~lvzhi.domain.rostrum.seat_rostrum`;
    ``honour`` and ``even_rule`` as there)."""

    name = "seating-chart"
    title = "座次表"

    def build(self, context: ReportContext) -> tablib.Databook:
        seating = seating_of(context)
        session_id = context.options.get("session")
        if session_id:  # a seat of a deputy on leave that session is shown empty
            session = context.uow.sessions.get(str(session_id))
            away = on_leave(context.uow.leave_requests.list(), session)
            seating = attrs.evolve(seating, on_leave=frozenset(away))
        return chart_book(seating, leaders=self.leaders(context, seating))

    def leaders(self, context: ReportContext, seating: Seating) -> Sequence[RostrumSeat]:
        precedence = _ids(context.options.get("rostrum"), "rostrum")
        if not precedence:
            return ()
        rostrum = seating.hall.rostrum
        if rostrum is None:
            reason = _("hall {hall!r} has no rostrum").format(hall=seating.hall.id)
            raise ValidationError("rostrum", precedence, reason)
        return seat_rostrum(
            precedence,
            rostrum,
            honour=context.options.get("honour", "left"),
            even_rule=context.options.get("even_rule"),
            officials=seating.officials.values(),
        )


class SigninReport(_BuiltinReport):
    """签到表: one sheet per zone, titled with the zone and its attendance taker (per
    section without zones), or per delegation with option ``by="delegation"``; deputies in
    seat order; 请假 against those whose approved leave covers the session of option
    ``session`` (a session id).  Option ``hall`` as for ``seats``."""

    name = "signin"
    title = "签到表"

    def build(self, context: ReportContext) -> tablib.Databook:
        by = context.options.get("by", "zone")
        if by not in ("zone", "delegation"):
            raise ValidationError("by", by, _("must be 'zone' or 'delegation'"))
        seating = seating_of(context)
        session = None
        leave: set[str] = set()
        session_id = context.options.get("session")
        if session_id:
            session = context.uow.sessions.get(str(session_id))
            leave = on_leave(context.uow.leave_requests.list(), session)
        programme = context.programme
        return signin_book(
            seating,
            by=by,
            leave=leave,
            session=session,
            programme_title=programme.title if programme is not None else None,
            title=self.title,
        )


class TongbaoReport(_BuiltinReport):
    """通报: one sheet per delegation with violations (unexcused lateness, early departure,
    absence, spot checks in breach).  The findings come from ``office.discipline``
    (statuses need the attendance rule), gathered before the snapshot is read."""

    name = "tongbao"
    title = "代表违纪情况通报"

    def gather(self, office: Any, programme_id: str | None) -> dict[str, Any]:
        return {"tongbao": office.discipline.findings(programme_id).tongbao}

    def build(self, context: ReportContext) -> tablib.Databook:
        from lvzhi.reports.tongbao import tongbao_book

        return tongbao_book(_found(context, self, "tongbao"), title=self.title)


class RecordsReport(_BuiltinReport):
    """代表参训情况表 (一人一表): each deputy's attendance, leave, violations and suggestions,
    then the same per delegation, from the findings of ``office.discipline``."""

    name = "records"
    title = "代表参训情况表"

    def gather(self, office: Any, programme_id: str | None) -> dict[str, Any]:
        return {"records": office.discipline.findings(programme_id).records}

    def build(self, context: ReportContext) -> tablib.Databook:
        from lvzhi.reports.records import records_book

        return records_book(_found(context, self, "records"), title=self.title)


def _found(context: ReportContext, report: _BuiltinReport, key: str) -> Any:
    if key not in context.options:
        reason = _(
            "the {name} report is built from the discipline findings: export it with "
            "office.discipline.export or 'lvzhi checks report --export'"
        ).format(name=report.name)
        raise ValidationError("options", sorted(context.options), reason)
    return context.options[key]


class _AttendanceReport(_BuiltinReport):
    needs_programme = True

    def gather(self, office: Any, programme_id: str | None) -> dict[str, Any]:
        """The statuses from the rule named in the settings (with its overrides)."""
        return {"statuses": office.attendance.evaluate_all(programme_id, detail=True)}


class AttendanceReport(_AttendanceReport):
    """考勤明细表: one row per deputy and session (option ``session`` limits it to one)."""

    name = "attendance"
    title = "考勤明细表"

    def build(self, context: ReportContext) -> tablib.Dataset:
        from lvzhi.builtins.attendance import build_attendance

        return build_attendance(context, self.programme(context), self.title)


class AttendanceSummaryReport(_AttendanceReport):
    """考勤统计表: per delegation (option ``by``: ``delegation``, ``session`` or ``zone``)."""

    name = "attendance-summary"
    title = "考勤统计表"

    def build(self, context: ReportContext) -> tablib.Dataset:
        from lvzhi.builtins.attendance import build_summary

        return build_summary(context, self.programme(context), self.title)


class AttendanceRecordsReport(_AttendanceReport):
    """代表考勤汇总表: one row per deputy."""

    name = "attendance-records"
    title = "代表考勤汇总表"

    def build(self, context: ReportContext) -> tablib.Dataset:
        from lvzhi.builtins.attendance import build_records

        return build_records(context, self.programme(context), self.title)


def reports() -> list[Report]:
    """The built-in reports, in a fixed order."""
    return [
        RosterReport(),
        TimetableReport(),
        DelegationsReport(),
        GroupsReport(),
        SuggestionsReport(),
        SuggestionRepliesReport(),
        SuggestionStatsReport(),
        TongbaoReport(),
        RecordsReport(),
        AttendanceReport(),
        AttendanceSummaryReport(),
        AttendanceRecordsReport(),
        TasksReport(),
        MeetingsReport(),
        TrainingPlanReport(),
        SeatsReport(),
        SeatingChartReport(),
        SigninReport(),
        HandbookReport(),
        CoversReport(),
        SpeakersReport(),
        EvaluationResultsReport(),
    ]


@hookimpl
def lvzhi_register_reports() -> list[Report]:
    """Register roster, timetable, delegations, groups, suggestions, seats, seating-chart
    and signin."""
    return reports()
