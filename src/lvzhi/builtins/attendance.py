"""Built-in attendance rule ``standard``: the fold of :mod:`lvzhi.domain.fold`.

A whole session at once (``evaluate_digests``): the storage digest of each deputy's scans
(``ScanLog.digest``: counts, first and last entry and exit, the spells outside) decides the
status whenever it can (``lvzhi.domain.digest.fold_digests``), and the deputies it
cannot decide — a voided scan, a scan outside the window, a spell outside that does not lie
inside the session — are evaluated one by one on their scans.  Deputy by deputy
(``evaluate``), the older summary (first entry, last exit) decides the clean cases
(``wants_scans``).  Either way the status is the one :func:`~lvzhi.domain.fold.fold` gives
on the scans.
"""

from __future__ import annotations

from typing import Any

import tablib

from lvzhi.domain import Delegate, Delegation, Programme
from lvzhi.domain.digest import SessionDigests, fold_digests
from lvzhi.domain.fold import fold, fold_summary, override, summary_suffices
from lvzhi.errors import ValidationError
from lvzhi.plugins import hookimpl
from lvzhi.ports import AttendanceContext, AttendanceRule, ReportContext
from lvzhi.reports.attendance import attendance_table, records_table, summary_table

__all__ = ["StandardRule", "build_attendance", "build_records", "build_summary"]


class StandardRule:
    """The rule described in the module documentation."""

    name = "standard"
    needs_scans = False

    def evaluate_digests(self, batch: SessionDigests) -> list[str | None]:
        """Statuses of a session's deputies from their digests, leave and corrections;
        ``None`` for a deputy whose scans are needed (then :meth:`evaluate` is asked with
        them)."""
        return fold_digests(batch)

    def wants_scans(self, context: AttendanceContext) -> bool:
        """Whether the summary alone cannot decide this deputy's status."""
        return not summary_suffices(
            context.summary,
            context.session,
            context.fold_policy,
            corrected=bool(context.corrections),
        )

    def evaluate(self, context: AttendanceContext) -> str:
        policy = context.fold_policy
        if context.has_scans or context.scans:
            return fold(
                session=context.session,
                scans=context.scans,
                policy=policy,
                leave=context.leave,
                corrections=context.corrections,
            )
        # Only the summary: a status set by hand still wins.
        chosen = override(context.corrections)
        if chosen is not None:
            return chosen
        return fold_summary(
            session=context.session,
            summary=context.summary,
            policy=policy,
            leave=context.leave,
        )


def _snapshot(context: ReportContext, programme: Programme) -> Any:
    from lvzhi.services.attendance_records import Snapshot

    key = context.order_key

    def order(items: list[Delegate], units: dict[str, Delegation]) -> list[Delegate]:
        def rank(d: Delegate) -> tuple[Any, ...]:
            unit = units.get(d.delegation)
            return (unit.order if unit else 1 << 30, d.delegation, key(d.name), d.key)

        return sorted(items, key=rank)

    return Snapshot(
        context.uow,
        programme.id,
        order=order,
        overrides=context.options.get("overrides", {}),
    )


def _statuses(context: ReportContext, programme: Programme, *, detail: bool) -> tuple[Any, Any]:
    """The statuses the caller passed (``options["statuses"]``, as
    ``office.attendance.evaluate_all`` gives them), else those of the ``standard`` rule
    with the programme's policy (and ``options["overrides"]``)."""
    from lvzhi.services.attendance_records import Runner

    snapshot = _snapshot(context, programme)
    given = context.options.get("statuses")
    session = context.options.get("session")
    if session is not None and session not in {s.id for s in snapshot.sessions}:
        raise ValidationError("session", session, "is not a session of the programme")
    if given is not None:
        chosen = {k: v for k, v in given.items() if session is None or k == session}
        return snapshot, chosen
    rule = StandardRule()
    runner = Runner(name=rule.name, plugin="attendance", call=lambda fn: fn(rule), batch=True)
    return snapshot, snapshot.evaluate_all(runner, detail=detail, session_id=session)


def _unit_names(snapshot: Any) -> dict[str, str]:
    return {code: unit.name for code, unit in snapshot.units.items()}


def build_attendance(context: ReportContext, programme: Programme, title: str) -> tablib.Dataset:
    """The ``attendance`` report: see :func:`lvzhi.reports.attendance.attendance_table`."""
    snapshot, statuses = _statuses(context, programme, detail=True)
    return attendance_table(
        statuses,
        snapshot.sessions,
        snapshot.deputies,
        _unit_names(snapshot),
        timezone=context.timezone,
        title=title,
    )


def build_summary(context: ReportContext, programme: Programme, title: str) -> tablib.Dataset:
    """The ``attendance-summary`` report (option ``by``: delegation, session or zone)."""
    from lvzhi.services.attendance_records import statistics

    by = str(context.options.get("by", "delegation"))
    headings = {"delegation": "代表团", "session": "场次", "zone": "签到区"}
    if by not in headings:
        raise ValidationError("by", by, "must be delegation, session or zone")
    snapshot, statuses = _statuses(context, programme, detail=False)
    return summary_table(statistics(snapshot, statuses, by), heading=headings[by], title=title)


def build_records(context: ReportContext, programme: Programme, title: str) -> tablib.Dataset:
    """The ``attendance-records`` report: one row per deputy."""
    from lvzhi.services.attendance_records import deputy_records

    snapshot, statuses = _statuses(context, programme, detail=False)
    records = deputy_records(statuses, snapshot.deputies, programme.policy.lates_per_absence)
    return records_table(records, _unit_names(snapshot), title=title)


@hookimpl
def lvzhi_register_attendance_rules() -> list[AttendanceRule]:
    return [StandardRule()]
