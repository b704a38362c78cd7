"""The pure fold: statuses from the scan log."""

from __future__ import annotations

import random

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lvzhi.testing.factories as fx
from lvzhi.domain import AttendancePolicy, LeaveStage, Scan, ScanSummary
from lvzhi.domain.checks import AttendanceCorrection
from lvzhi.domain.digest import fold_digest
from lvzhi.domain.fold import (
    FoldPolicy,
    ScanChecker,
    fold,
    fold_summary,
    summary_suffices,
    tally,
)
from lvzhi.domain.zones import Zone
from lvzhi.errors import ValidationError
from lvzhi.testing.contracts.storage_scans import expected_digests

START = fx.COURSE_START
SESSION = fx.make_session(id="s1", programme_id="p1", starts_at=START)  # 150 minutes
STRICT = FoldPolicy(grace_minutes=0, early_leave_minutes=0, scan_opens_minutes=30)


def scans(*items: tuple[int, str]) -> list[Scan]:
    return [
        Scan(
            id=f"n{i}",
            session_id="s1",
            certificate_no="c1",
            kind=kind,
            scanned_at=START.add(minutes=m),
            zone="A区",
            taker_id="t1",
        )
        for i, (m, kind) in enumerate(items)
    ]


def status(items: list[Scan], policy: FoldPolicy = STRICT, **kw: object) -> str:
    return fold(session=SESSION, scans=items, policy=policy, **kw)  # type: ignore[arg-type]


def correction(n: int, kind: str, minutes: int, **kw: object) -> AttendanceCorrection:
    return AttendanceCorrection(
        id=f"k{n}",
        session_id="s1",
        certificate_no="c1",
        kind=kind,
        by="o1",
        at=START.add(minutes=minutes),
        reason="核实",
        **kw,  # type: ignore[arg-type]
    )


def approved(start: int, end: int) -> object:
    r = fx.make_leave_request(
        programme_id="p1",
        certificate_no="c1",
        starts_at=START.add(minutes=start),
        ends_at=START.add(minutes=end),
    )
    at = pendulum.datetime(2022, 9, 1, tz="UTC")
    r, _ = r.decide(LeaveStage.DELEGATION, approver="县", approved=True, at=at)
    r, _ = r.decide(LeaveStage.ORGANISER, approver="市", approved=True, at=at)
    return r


def test_plain_cases() -> None:
    assert status(scans((-5, "entry"), (150, "exit"))) == "present"
    assert status(scans((1, "entry"), (150, "exit"))) == "late"
    assert status(scans((-5, "entry"), (149, "exit"))) == "left_early"
    assert status(scans((1, "entry"), (149, "exit"))) == "late_left_early"
    assert status(scans((150, "exit"))) == "absent"
    assert status([]) == "absent"


def test_grace_and_tolerance_come_from_the_policy() -> None:
    lenient = FoldPolicy(grace_minutes=5, early_leave_minutes=10)
    assert status(scans((5, "entry"), (140, "exit")), lenient) == "present"
    assert status(scans((6, "entry"), (139, "exit")), lenient) == "late_left_early"


def test_time_outside_counts_when_reentry_is_allowed() -> None:
    out_and_back = scans((-5, "entry"), (60, "exit"), (70, "entry"), (151, "exit"))
    assert status(out_and_back) == "left_early"  # ten minutes away, no tolerance
    tolerant = FoldPolicy(grace_minutes=0, early_leave_minutes=10)
    assert status(out_and_back, tolerant) == "present"
    assert status(out_and_back, FoldPolicy(grace_minutes=0, early_leave_minutes=9)) == (
        "left_early"
    )


def test_without_reentry_the_first_exit_ends_attendance() -> None:
    no_reentry = FoldPolicy(grace_minutes=0, early_leave_minutes=30, allow_reentry=False)
    items = scans((-5, "entry"), (60, "exit"), (70, "entry"), (151, "exit"))
    assert status(items, no_reentry) == "left_early"
    assert status(items, FoldPolicy(grace_minutes=0, early_leave_minutes=30)) == "present"


def test_scans_far_outside_the_window_are_ignored() -> None:
    assert status(scans((-31, "entry"), (150, "exit"))) == "absent"
    assert status(scans((-30, "entry"), (150, "exit"))) == "present"
    assert status(scans((-5, "entry"), (100, "exit"), (181, "entry"))) == "left_early"


def test_voided_scans_are_ignored_and_the_latest_set_status_wins() -> None:
    items = scans((-5, "entry"), (20, "entry"), (150, "exit"))
    void = correction(1, "void_scan", 200, scan_id="n0")
    assert status(items) == "present"
    assert status(items, corrections=[void]) == "late"
    older = correction(2, "set_status", 300, status="absent")
    newer = correction(3, "set_status", 301, status="exempt")
    assert status(items, corrections=[newer, void, older]) == "exempt"
    assert status(items, corrections=[older, void]) == "absent"


def test_approved_leave_touching_the_edges() -> None:
    assert status([], leave=[approved(-60, 0)]) == "absent"
    assert status([], leave=[approved(150, 200)]) == "absent"
    assert status([], leave=[approved(-60, 1)]) == "on_leave"


EVENTS = st.lists(
    st.tuples(st.integers(min_value=-45, max_value=200), st.sampled_from(["entry", "exit"])),
    max_size=7,
)
POLICIES = st.builds(
    FoldPolicy,
    grace_minutes=st.integers(0, 10),
    early_leave_minutes=st.integers(0, 20),
    scan_opens_minutes=st.integers(0, 40),
    allow_reentry=st.booleans(),
)


@settings(max_examples=200, deadline=None)
@given(events=EVENTS, policy=POLICIES, seed=st.integers(0, 10_000), edge=st.booleans())
def test_same_log_same_status_in_any_order(
    events: list[tuple[int, str]], policy: FoldPolicy, seed: int, edge: bool
) -> None:
    items = scans(*events)
    leave = [approved(-60, 0) if edge else approved(150, 240)]  # touching, never covering
    expected = status(items, policy, leave=leave)
    shuffled = list(items)
    random.Random(seed).shuffle(shuffled)
    assert status(shuffled, policy, leave=leave) == expected
    assert status(list(reversed(items)), policy) == status(items, policy)


@settings(max_examples=200, deadline=None)
@given(events=EVENTS, policy=POLICIES)
def test_the_summary_gives_the_fold_whenever_it_suffices(
    events: list[tuple[int, str]], policy: FoldPolicy
) -> None:
    items = scans(*events)
    entries = [s.scanned_at for s in items if s.kind == "entry"]
    exits = [s.scanned_at for s in items if s.kind == "exit"]
    summary = (
        ScanSummary(
            session_id="s1",
            certificate_no="c1",
            first_entry=min(entries, default=None),
            last_exit=max(exits, default=None),
            scans=len(items),
        )
        if items
        else None
    )
    if summary_suffices(summary, SESSION, policy, corrected=False):
        assert fold_summary(session=SESSION, summary=summary, policy=policy) == status(
            items, policy
        )
    # The richer digest decides at least as often, and gives the same status.
    digests = expected_digests(items, "s1")
    decided = fold_digest(session=SESSION, digest=digests[0] if digests else None, policy=policy)
    if summary_suffices(summary, SESSION, policy, corrected=False):
        assert decided is not None
    if decided is not None:
        assert decided == status(items, policy)


def test_policy_overrides() -> None:
    base = AttendancePolicy(grace_minutes=5)
    rules = FoldPolicy.of(base, {"grace_minutes": 0}, {"allow_reentry": False})
    assert (rules.grace_minutes, rules.allow_reentry) == (0, False)
    with pytest.raises(ValidationError):
        FoldPolicy.of(base, {"grace": 1})


def test_tally_counts_lates_as_absences() -> None:
    t = tally(["present", "late", "left_early", "late_left_early", "absent", "on_leave"], 2)
    assert (t.required, t.attended, t.incidents) == (6, 4, 4)
    assert t.absences == 1 + 2
    assert t.rate == pytest.approx(4 / 6)
    assert tally(["late"], 2).absences == 0
    assert tally([], 2).rate == 1.0


def test_checker_flags() -> None:
    zones = [
        Zone(id="z1", hall_id="h", name="A区", seats=("1",), taker_id="t1"),
        Zone(id="z2", hall_id="h", name="B区", seats=("2",), taker_id="t2"),
    ]
    checker = ScanChecker(
        session=SESSION,
        policy=STRICT,
        seats={"c1": "2"},
        zones=zones,
        leave={"c1": [approved(100, 200)]},
        void=["n2"],  # type: ignore[list-item]
    )
    a, b, c = scans((0, "entry"), (120, "exit"), (-40, "entry"))
    assert checker.reasons(a) == ("wrong_zone",)  # names zone A, sits in B
    assert checker.reasons(b) == ("wrong_zone", "on_leave")
    assert checker.reasons(c) == ("wrong_zone", "outside_window", "voided")
    stranger = attrs.evolve(a, zone="B区", taker_id="t9")
    assert checker.reasons(stranger) == ("wrong_taker",)
    assert checker.reasons(attrs.evolve(a, zone="z2", taker_id="t2")) == ()
    unseated = ScanChecker(session=SESSION, policy=STRICT, seats={}, zones=zones)
    assert unseated.reasons(a) == ("unknown_seat",)
    assert ScanChecker(session=SESSION, policy=STRICT, seats=None).reasons(a) == ()
