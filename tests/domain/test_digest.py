"""The fold on the scan log's digest gives the fold's status whenever it decides, for any
log, policy, leave and corrections; and it decides the everyday logs on its own."""

from __future__ import annotations

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lvzhi.testing.factories as fx
from lvzhi.domain import LeaveStage, Scan
from lvzhi.domain.checks import AttendanceCorrection
from lvzhi.domain.digest import SessionDigests, fold_digest, fold_digests
from lvzhi.domain.fold import FoldPolicy, fold
from lvzhi.serialization import format_instant
from lvzhi.storage.scans import digest_concat, digest_events, digest_times
from lvzhi.testing.contracts.storage_scans import expected_digests

START = fx.COURSE_START

# Instants around the session's edges and the policy's thresholds, down to the microsecond.
OFFSETS = st.tuples(
    st.integers(min_value=-50, max_value=200),  # minutes after the start
    st.sampled_from([0, 0, 0, 1, 59]),  # seconds
    st.sampled_from([0, 0, 0, 1, 999_999]),  # microseconds
)
EVENTS = st.lists(st.tuples(OFFSETS, st.sampled_from(["entry", "exit"])), max_size=9)
POLICIES = st.builds(
    FoldPolicy,
    grace_minutes=st.integers(0, 10),
    early_leave_minutes=st.integers(0, 20),
    scan_opens_minutes=st.integers(0, 40),
    allow_reentry=st.booleans(),
)
LENGTHS = st.sampled_from([1, 60, 150])  # the session's length in minutes


def session_of(minutes: int) -> object:
    return fx.make_session(
        id="s1", programme_id="p1", starts_at=START, ends_at=START.add(minutes=minutes)
    )


def make_scans(events: list[tuple[tuple[int, int, int], str]]) -> list[Scan]:
    return [
        Scan(
            id=f"n{i}",
            session_id="s1",
            certificate_no="c1",
            kind=kind,
            scanned_at=START.add(minutes=m, seconds=s, microseconds=us),
        )
        for i, ((m, s, us), kind) in enumerate(events)
    ]


def correction(n: int, kind: str, **kw: object) -> AttendanceCorrection:
    return AttendanceCorrection(
        id=f"k{n}",
        session_id="s1",
        certificate_no="c1",
        kind=kind,
        by="o1",
        at=START.add(minutes=300 + n),
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


def digest_of(scans: list[Scan]) -> object:
    """The reference digest (as a backend computes it) of c1's scans."""
    found = expected_digests(scans, "s1")
    return found[0] if found else None


@settings(max_examples=600, deadline=None)
@given(events=EVENTS, policy=POLICIES, length=LENGTHS)
def test_the_digest_gives_the_fold_whenever_it_decides(
    events: list[tuple[tuple[int, int, int], str]], policy: FoldPolicy, length: int
) -> None:
    scans = make_scans(events)
    session = session_of(length)
    decided = fold_digest(session=session, digest=digest_of(scans), policy=policy)  # type: ignore[arg-type]
    if decided is not None:
        assert decided == fold(session=session, scans=scans, policy=policy)  # type: ignore[arg-type]


@settings(max_examples=300, deadline=None)
@given(
    events=EVENTS,
    policy=POLICIES,
    voided=st.sets(st.integers(0, 8), max_size=2),
    chosen=st.sampled_from([None, "present", "absent", "exempt"]),
    leave=st.sampled_from([None, (-60, 0), (-60, 1), (150, 200), (100, 120)]),
)
def test_corrections_and_leave_are_decided_as_the_fold_decides(
    events: list[tuple[tuple[int, int, int], str]],
    policy: FoldPolicy,
    voided: set[int],
    chosen: str | None,
    leave: tuple[int, int] | None,
) -> None:
    scans = make_scans(events)
    session = session_of(150)
    corrections = [correction(n, "void_scan", scan_id=f"n{n}") for n in sorted(voided)]
    if chosen is not None:
        corrections.append(correction(9, "set_status", status=chosen))
    requests = [] if leave is None else [approved(*leave)]
    covering = [r for r in requests if r.covers(session.starts_at, session.ends_at)]  # type: ignore[attr-defined]
    decided = fold_digest(
        session=session,  # type: ignore[arg-type]
        digest=digest_of(scans),  # type: ignore[arg-type]
        policy=policy,
        leave=covering,  # type: ignore[arg-type]
        corrections=corrections,
    )
    expected = fold(
        session=session,  # type: ignore[arg-type]
        scans=scans,
        policy=policy,
        leave=requests,  # type: ignore[arg-type]
        corrections=corrections,
    )
    if decided is not None:
        assert decided == expected
    if chosen is not None:
        assert decided == chosen  # a status set by hand needs no scans
    elif covering:
        assert decided == "on_leave"
    elif voided:
        assert decided is None  # which scans remain is a question of ids


@settings(max_examples=300, deadline=None)
@given(events=EVENTS)
def test_the_reference_folds_agree_with_the_documented_walk(
    events: list[tuple[tuple[int, int, int], str]],
) -> None:
    scans = make_scans(events)
    expected = expected_digests(scans, "s1")
    texts = [(format_instant(s.scanned_at), s.kind.value) for s in scans]
    entries = [t for t, kind in texts if kind == "entry"]
    exits = [t for t, kind in texts if kind == "exit"]
    if not scans:
        assert expected == []
        return
    assert [digest_times("s1", "c1", list(entries), list(exits))] == expected
    assert [digest_events("s1", "c1", [t + kind for t, kind in texts])] == expected
    joined = ("c1", ",".join(entries) or None, ",".join(exits) or None)
    assert digest_concat("s1", [joined]) == expected


@pytest.mark.parametrize(
    ("events", "code"),
    [
        ([(-5, "entry"), (150, "exit")], "present"),
        ([(-5, "entry"), (-4, "entry"), (151, "exit")], "present"),  # read twice at the door
        ([(6, "entry"), (150, "exit")], "late"),
        ([(-5, "entry"), (60, "exit"), (64, "entry"), (152, "exit")], "left_early"),
        ([(-5, "entry"), (150, "exit"), (150, "entry")], "present"),  # one instant: in, out
        ([(-5, "entry"), (100, "exit")], "left_early"),
        ([(-5, "entry"), (150, "exit"), (185, "exit")], "present"),  # after the window
        ([(-40, "exit"), (-5, "entry"), (150, "exit")], "present"),  # before the window
        ([(150, "exit")], "absent"),
        ([], "absent"),
    ],
)
def test_everyday_logs_need_no_scans(events: list[tuple[int, str]], code: str) -> None:
    scans = make_scans([((m, 0, 0), kind) for m, kind in events])
    policy = FoldPolicy(grace_minutes=5, early_leave_minutes=0)
    session = session_of(150)
    assert fold(session=session, scans=scans, policy=policy) == code  # type: ignore[arg-type]
    assert fold_digest(session=session, digest=digest_of(scans), policy=policy) == code  # type: ignore[arg-type]


def test_what_the_digest_cannot_decide_is_left_to_the_scans() -> None:
    policy = FoldPolicy(grace_minutes=5, early_leave_minutes=0)
    session = session_of(150)
    outside = make_scans([((-35, 0, 0), "entry"), ((-4, 0, 0), "entry"), ((150, 0, 0), "exit")])
    before = make_scans([((-20, 0, 0), "entry"), ((-10, 0, 0), "exit"), ((0, 0, 0), "entry")])
    for scans in (outside, before):
        assert fold_digest(session=session, digest=digest_of(scans), policy=policy) is None  # type: ignore[arg-type]


def test_a_batch_is_decided_deputy_by_deputy_in_the_order_given() -> None:
    session = session_of(150)
    policy = FoldPolicy(grace_minutes=5)
    c1 = digest_of(make_scans([((-5, 0, 0), "entry"), ((150, 0, 0), "exit")]))
    batch = SessionDigests(
        session=session,  # type: ignore[arg-type]
        policy=policy,
        certificates=["c2", "c1", "c3"],
        digests={"c1": c1},  # type: ignore[dict-item]
        leave={"c3": [approved(-60, 10)]},  # type: ignore[list-item]
    )
    assert fold_digests(batch) == ["absent", "present", "on_leave"]
