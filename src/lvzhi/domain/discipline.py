"""Discipline (严): violations, the reports back to each delegation (通报) and each
deputy's record for awards and re-election recommendation (评先评优、推荐连任).

A violation comes either from an attendance status the rule marked ``reportable``
(unexcused lateness, early departure, absence) or from a spot check found in breach.  A
deputy whose approved leave covers the session (or the time of the check) never appears.
Everything here is pure: the service gathers the statuses and the stored data.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Protocol

import attrs
import pendulum

from lvzhi.domain.attendance import ScanSummary
from lvzhi.domain.checks import SpotCheck
from lvzhi.domain.leave import LeaveRequest
from lvzhi.domain.people import Delegate, Delegation
from lvzhi.domain.programme import Programme, Session

__all__ = [
    "ATTENDED",
    "DelegationStats",
    "DeputyRecord",
    "StatusLike",
    "Tongbao",
    "Violation",
    "ViolationKind",
    "check_violations",
    "delegation_stats",
    "deputy_records",
    "leave_days",
    "status_violations",
    "tongbao_for",
]

#: Status codes that count as having attended (whether late or leaving early).
ATTENDED = frozenset({"present", "late", "left_early", "late_left_early"})


class ViolationKind(enum.StrEnum):
    LATE = "late"  # 迟到
    LEFT_EARLY = "left_early"  # 早退
    LATE_LEFT_EARLY = "late_left_early"  # 迟到早退
    ABSENT = "absent"  # 缺席
    OTHER_STATUS = "other_status"  # a reportable status a plugin rule added
    SPOT_CHECK = "spot_check"  # 抽查发现违纪

    @property
    def label(self) -> str:
        return {
            "late": "迟到",
            "left_early": "早退",
            "late_left_early": "迟到早退",
            "absent": "缺席",
            "other_status": "违纪",
            "spot_check": "抽查违纪",
        }[self.value]


class StatusLike(Protocol):
    """One deputy's attendance status for one session (what ``office.attendance.evaluate``
    returns)."""

    @property
    def session_id(self) -> str: ...
    @property
    def certificate_no(self) -> str: ...
    @property
    def code(self) -> str: ...
    @property
    def label(self) -> str: ...


@attrs.frozen(kw_only=True)
class Violation:
    """One breach by one deputy: a reportable status in a session, or a spot check.
    ``at`` is the session's start or the check's time; minutes are whole minutes."""

    certificate_no: str
    kind: ViolationKind
    label: str
    at: pendulum.DateTime
    until: pendulum.DateTime | None = None
    session_id: str | None = None
    session_title: str = ""
    entered_at: pendulum.DateTime | None = None
    left_at: pendulum.DateTime | None = None
    minutes_late: int = 0
    minutes_early: int = 0
    check_id: str | None = None
    place: str = ""
    finding: str = ""

    def excused_by(self, leave: Iterable[LeaveRequest]) -> bool:
        """Whether an approved leave request of the deputy covers it."""
        end = self.until or self.at.add(seconds=1)
        return any(
            r.excuses and r.certificate_no == self.certificate_no and r.covers(self.at, end)
            for r in leave
        )

    def describe(self, timezone: str) -> str:
        """情况说明, with times local to ``timezone``."""

        def hm(t: pendulum.DateTime | None) -> str:
            return f"{t.in_timezone(timezone):%H:%M}" if t is not None else ""

        if self.kind is ViolationKind.SPOT_CHECK:
            where = f"（{self.place}）" if self.place else ""
            return f"{self.finding}{where}"
        parts = []
        if self.minutes_late:
            parts.append(f"{hm(self.entered_at)}入场，迟到{self.minutes_late}分钟")
        if self.minutes_early:
            parts.append(f"{hm(self.left_at)}离场，早退{self.minutes_early}分钟")
        if self.kind is ViolationKind.ABSENT:
            parts.append("未到场且未请假")
        return "；".join(parts) or self.label


def _minutes(later: pendulum.DateTime, earlier: pendulum.DateTime) -> int:
    return max(int((later - earlier).total_seconds() // 60), 0)


def status_violations(
    statuses: Iterable[StatusLike],
    sessions: Mapping[str, Session],
    summaries: Mapping[tuple[str, str], ScanSummary],
    reportable: Iterable[str],
) -> list[Violation]:
    """The violations among ``statuses`` whose code is ``reportable``, with the entry and
    exit times and minutes late or early from the scan ``summaries`` (by session and
    certificate)."""
    codes = set(reportable)
    out: list[Violation] = []
    for status in statuses:
        if status.code not in codes:
            continue
        session = sessions[status.session_id]
        summary = summaries.get((status.session_id, status.certificate_no))
        entered = summary.first_entry if summary else None
        left = summary.last_exit if summary else None
        code = status.code
        try:
            kind = ViolationKind(code)
        except ValueError:
            kind = ViolationKind.OTHER_STATUS
        late = code in ("late", "late_left_early") and entered is not None
        early = code in ("left_early", "late_left_early") and left is not None
        out.append(
            Violation(
                certificate_no=status.certificate_no,
                kind=kind,
                label=status.label,
                at=session.starts_at,
                until=session.ends_at,
                session_id=session.id,
                session_title=session.title,
                entered_at=entered,
                left_at=left,
                minutes_late=_minutes(entered, session.starts_at) if late and entered else 0,
                minutes_early=_minutes(session.ends_at, left) if early and left else 0,
            )
        )
    return out


_CHECK_LABELS = {"meal": "用餐", "lodging": "住宿", "session": "课堂纪律", "other": ""}


def check_violations(checks: Iterable[SpotCheck]) -> list[Violation]:
    """A violation for every spot check found in breach."""
    return [
        Violation(
            certificate_no=c.certificate_no,
            kind=ViolationKind.SPOT_CHECK,
            label="违纪",
            at=c.checked_at,
            session_title=f"{_CHECK_LABELS.get(c.kind.value, '')}抽查",
            check_id=c.id,
            place=c.place,
            finding=c.finding,
        )
        for c in checks
        if c.breach
    ]


@attrs.frozen(kw_only=True)
class Tongbao:
    """A report back (通报) to one delegation's ``report_body``: its deputies' violations,
    deputies in the secretariat's name order, each deputy's by time."""

    programme_id: str
    programme_title: str
    timezone: str
    delegation: str
    delegation_name: str
    report_body: str
    names: Mapping[str, str]
    violations: tuple[Violation, ...]

    @property
    def title(self) -> str:
        return f"关于{self.delegation_name}代表参加{self.programme_title}违纪情况的通报"

    def body(self) -> str:
        """The notice's text: one line per violation, numbered."""
        lines = [f"{self.report_body}：", ""]
        lines.append(
            f"现将贵单位代表在{self.programme_title}期间未经请假迟到、早退、缺席及违反纪律的"
            "情况通报如下："
        )
        for n, v in enumerate(self.violations, 1):
            when = f"{v.at.in_timezone(self.timezone):%m月%d日 %H:%M}"
            what = v.session_title or v.label
            lines.append(
                f"{n}. {self.names.get(v.certificate_no, v.certificate_no)}"
                f"（{v.certificate_no}） {when} {what}：{v.label}，{v.describe(self.timezone)}"
            )
        lines += [
            "",
            "请按照有关规定加强教育管理；代表参训表现将作为评先评优、推荐连任的重要依据。",
        ]
        return "\n".join(lines)


def tongbao_for(
    programme: Programme,
    violations: Iterable[Violation],
    delegates: Iterable[Delegate],
    delegations: Iterable[Delegation],
    *,
    name_key: Callable[[str], Any],
) -> list[Tongbao]:
    """One report per delegation with violations, delegations in official order."""
    people = {d.certificate_no: d for d in delegates}
    units = {u.code: u for u in delegations}
    by_unit: dict[str, list[Violation]] = {}
    for v in violations:
        deputy = people.get(v.certificate_no)
        if deputy is not None:
            by_unit.setdefault(deputy.delegation, []).append(v)
    out: list[Tongbao] = []
    for code in sorted(by_unit, key=lambda c: (units[c].order if c in units else 1 << 30, c)):
        items = sorted(
            by_unit[code],
            key=lambda v: (name_key(people[v.certificate_no].name), v.certificate_no, v.at),
        )
        unit = units.get(code)
        out.append(
            Tongbao(
                programme_id=programme.id,
                programme_title=programme.title,
                timezone=programme.timezone,
                delegation=code,
                delegation_name=unit.name if unit else code,
                report_body=unit.report_body if unit else code,
                names={v.certificate_no: people[v.certificate_no].name for v in items},
                violations=tuple(items),
            )
        )
    return out


def leave_days(requests: Iterable[LeaveRequest], timezone: str) -> int:
    """Calendar days (local to ``timezone``) covered by the approved ``requests``."""
    days: set[pendulum.Date] = set()
    for r in requests:
        if not r.excuses:
            continue
        day = r.starts_at.in_timezone(timezone).date()
        last = r.ends_at.subtract(microseconds=1).in_timezone(timezone).date()
        while day <= last:
            days.add(day)
            day = day.add(days=1)
    return len(days)


@attrs.frozen(kw_only=True)
class DeputyRecord:
    """One deputy's conduct during the course (一人一表).  ``required`` counts the sessions
    the deputy had to attend (exempt ones aside); ``rate`` is attended over required less
    the sessions on approved leave (``None`` when nothing remains)."""

    certificate_no: str
    name: str
    delegation: str
    delegation_name: str
    required: int
    attended: int
    late: int
    left_early: int
    absent: int
    on_leave: int
    leave_requests: int
    leave_days: int
    violations: int
    suggestions: int

    @property
    def rate(self) -> float | None:
        base = self.required - self.on_leave
        return self.attended / base if base > 0 else None


def deputy_records(
    deputies: Sequence[Delegate],
    delegations: Mapping[str, Delegation],
    statuses: Iterable[StatusLike],
    *,
    violations: Iterable[Violation],
    leave: Iterable[LeaveRequest],
    suggestions: Mapping[str, int],
    timezone: str,
) -> list[DeputyRecord]:
    """One record per deputy, in the order of ``deputies``."""
    codes: dict[str, list[str]] = {}
    for s in statuses:
        codes.setdefault(s.certificate_no, []).append(s.code)
    broken: dict[str, int] = {}
    for v in violations:
        broken[v.certificate_no] = broken.get(v.certificate_no, 0) + 1
    approved: dict[str, list[LeaveRequest]] = {}
    for r in leave:
        if r.excuses:
            approved.setdefault(r.certificate_no, []).append(r)
    out = []
    for d in deputies:
        mine = codes.get(d.certificate_no, [])
        unit = delegations.get(d.delegation)
        out.append(
            DeputyRecord(
                certificate_no=d.certificate_no,
                name=d.name,
                delegation=d.delegation,
                delegation_name=unit.name if unit else d.delegation,
                required=sum(1 for c in mine if c != "exempt"),
                attended=sum(1 for c in mine if c in ATTENDED),
                late=sum(1 for c in mine if c in ("late", "late_left_early")),
                left_early=sum(1 for c in mine if c in ("left_early", "late_left_early")),
                absent=mine.count("absent"),
                on_leave=mine.count("on_leave"),
                leave_requests=len(approved.get(d.certificate_no, [])),
                leave_days=leave_days(approved.get(d.certificate_no, []), timezone),
                violations=broken.get(d.certificate_no, 0),
                suggestions=suggestions.get(d.certificate_no, 0),
            )
        )
    return out


@attrs.frozen(kw_only=True)
class DelegationStats:
    """The records of one delegation added up."""

    delegation: str
    delegation_name: str
    deputies: int
    required: int
    attended: int
    late: int
    left_early: int
    absent: int
    on_leave: int
    leave_days: int
    violations: int
    suggestions: int

    @property
    def rate(self) -> float | None:
        base = self.required - self.on_leave
        return self.attended / base if base > 0 else None


def delegation_stats(records: Iterable[DeputyRecord]) -> list[DelegationStats]:
    """The records added up per delegation, in the order delegations first appear."""
    groups: dict[str, list[DeputyRecord]] = {}
    for r in records:
        groups.setdefault(r.delegation, []).append(r)
    return [
        DelegationStats(
            delegation=code,
            delegation_name=rows[0].delegation_name,
            deputies=len(rows),
            required=sum(r.required for r in rows),
            attended=sum(r.attended for r in rows),
            late=sum(r.late for r in rows),
            left_early=sum(r.left_early for r in rows),
            absent=sum(r.absent for r in rows),
            on_leave=sum(r.on_leave for r in rows),
            leave_days=sum(r.leave_days for r in rows),
            violations=sum(r.violations for r in rows),
            suggestions=sum(r.suggestions for r in rows),
        )
        for code, rows in groups.items()
    ]
