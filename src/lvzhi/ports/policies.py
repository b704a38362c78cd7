"""Policy seams: attendance rules, seating and grouping strategies, name collations.

Each is registered by name through a hook and chosen by name in the settings
(:class:`lvzhi.Settings`), never by the order in which pluggy calls plugins.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol, runtime_checkable

import attrs

from lvzhi.domain import (
    DEFAULT_STATUSES,
    AttendancePolicy,
    AttendanceStatus,
    Delegate,
    Delegation,
    LeaveRequest,
    Programme,
    Scan,
    ScanSummary,
    Session,
)
from lvzhi.domain.checks import AttendanceCorrection
from lvzhi.domain.fold import FoldPolicy
from lvzhi.domain.halls import Hall
from lvzhi.domain.seating import SeatPlan

__all__ = [
    "AttendanceContext",
    "AttendanceRule",
    "Collation",
    "GroupingContext",
    "GroupingStrategy",
    "SeatingContext",
    "SeatingStrategy",
]


@attrs.frozen(kw_only=True)
class AttendanceContext:
    """What an attendance rule sees for one deputy and one session.

    ``summary`` is the storage aggregate (first entry, last exit); ``scans`` the deputy's
    scans of the session when the rule asked for them (``AttendanceRule.needs_scans``);
    ``leave`` the deputy's approved leave requests overlapping the session;
    ``corrections`` the corrections of the deputy's attendance in the session (voided scans,
    statuses set by hand); ``rules`` the numbers that apply to this session (the
    programme's policy with the office's overrides; derived from ``policy`` when ``None``).
    ``has_scans`` tells whether ``scans`` was filled in (it may be empty)."""

    programme: Programme
    session: Session
    delegate: Delegate
    policy: AttendancePolicy
    summary: ScanSummary | None
    scans: tuple[Scan, ...] = ()
    leave: tuple[LeaveRequest, ...] = ()
    statuses: tuple[AttendanceStatus, ...] = DEFAULT_STATUSES
    corrections: tuple[AttendanceCorrection, ...] = ()
    rules: FoldPolicy | None = None
    has_scans: bool = False

    @property
    def fold_policy(self) -> FoldPolicy:
        """``rules``, or the programme policy's numbers with re-entry allowed."""
        return self.rules if self.rules is not None else FoldPolicy.of(self.policy)


@runtime_checkable
class AttendanceRule(Protocol):
    """Derives one deputy's status for one session: returns a status code of
    ``context.statuses`` (``"present"``, ``"late"``…).

    The rule named in ``Settings.attendance_rule`` decides alone.  ``needs_scans`` asks for
    the deputy's individual scans in the context (slower); otherwise only the summary is
    given — unless the rule also has a method ``wants_scans(context) -> bool`` and it
    answers ``True`` for a deputy: then that session's scans are read once and that
    deputy's context is given them.

    A rule may also decide a whole session at once from the storage digests (one
    ``ScanDigest`` per deputy, computed in SQL): a method
    ``evaluate_digests(batch: lvzhi.domain.digest.SessionDigests) -> list[str | None]``
    returns a status code per deputy of the batch, or ``None`` for a deputy it cannot decide
    without the scans; those are then evaluated one by one with ``evaluate``.  The built-in
    ``standard`` rule does this.  :class:`lvzhi.testing.AttendanceRuleContract` checks a
    rule, and that ``evaluate_digests`` agrees with ``evaluate`` where it decides."""

    name: str
    needs_scans: bool

    def evaluate(self, context: AttendanceContext) -> str: ...


@attrs.frozen(kw_only=True)
class SeatingContext:
    """Deputies in the order they should be seated (official order) and the seats in walk
    order (the order in which the hall is filled).

    ``hall``, when given, is the hall the seats belong to (its sections, rows and aisles);
    ``previous`` a plan made before, ``{certificate_no: seat}`` or a
    :class:`~lvzhi.domain.seating.SeatPlan`: a strategy then returns the plan that moves
    as few deputies as possible from it (:func:`lvzhi.domain.seating.replan`)."""

    delegates: tuple[Delegate, ...]
    delegations: tuple[Delegation, ...]
    seats: tuple[str, ...]
    options: Mapping[str, Any] = attrs.field(factory=dict)
    hall: Hall | None = None
    previous: SeatPlan | Mapping[str, str] | None = None


@runtime_checkable
class SeatingStrategy(Protocol):
    """Assigns seats: returns ``{certificate_no: seat_id}`` with every deputy seated once,
    no seat used twice and only seats of ``context.seats``.
    :class:`lvzhi.testing.SeatingContract` checks a strategy."""

    name: str

    def assign(self, context: SeatingContext) -> Mapping[str, str]: ...


@attrs.frozen(kw_only=True)
class GroupingContext:
    """Deputies to split into ``groups`` discussion groups (already in official order)."""

    delegates: tuple[Delegate, ...]
    delegations: tuple[Delegation, ...]
    groups: int
    options: Mapping[str, Any] = attrs.field(factory=dict)


@runtime_checkable
class GroupingStrategy(Protocol):
    """Splits deputies into groups: returns one sequence of certificate numbers per group."""

    name: str

    def partition(self, context: GroupingContext) -> Sequence[Sequence[str]]: ...


@runtime_checkable
class Collation(Protocol):
    """An order for names (姓氏笔画, pinyin…).  ``key`` gives a sort key for one name."""

    name: str

    def key(self, name: str) -> Any: ...

    def sort(self, names: Iterable[str]) -> list[str]: ...
