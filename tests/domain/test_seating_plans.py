"""Seat plans, blocks along a walk, and replanning with as few moves as possible."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lvzhi.domain.hall_layout import SectionSpec, build_hall, uniform_rows
from lvzhi.domain.seating import Move, SeatPlan, crossings, lay_out_runs, plan_moves, replan
from lvzhi.errors import ValidationError

# --- plans and moves --------------------------------------------------------------------


def test_a_plan_gives_each_seat_once() -> None:
    plan = SeatPlan(hall_id="main", assignments={"c1": "A-1-1", "c2": "A-1-2"})
    assert plan.seat_of("c2") == "A-1-2"
    assert plan.occupant("A-1-1") == "c1"
    assert plan.occupant("A-9-9") is None
    with pytest.raises(ValidationError, match="seat given to both c1 and c2"):
        SeatPlan(hall_id="main", assignments={"c1": "A-1-1", "c2": "A-1-1"})
    with pytest.raises(ValidationError, match="SeatPlan.hall_id"):
        SeatPlan(hall_id="", assignments={})


def test_moves_between_plans() -> None:
    before = SeatPlan(hall_id="h", assignments={"a": "s1", "b": "s2", "c": "s3"})
    after = {"a": "s1", "b": "s4", "d": "s2"}
    moves = before.moves_to(after)
    assert moves == (
        Move(certificate_no="b", from_seat="s2", to_seat="s4"),
        Move(certificate_no="d", from_seat=None, to_seat="s2"),
        Move(certificate_no="c", from_seat="s3", to_seat=None),
    )
    assert [m.kind for m in moves] == ["moved", "seated", "withdrawn"]
    assert plan_moves(after, after) == ()


def test_a_plan_checked_against_its_hall() -> None:
    hall = build_hall(
        id="h",
        name="礼堂",
        sections=[SectionSpec(id="A", name="A区", rows=uniform_rows(1, 3))],
        blocked=["1排2号"],
    )
    plan = SeatPlan(hall_id="h", assignments={"a": "A-1-1", "b": "A-1-2", "c": "Z-1-1"})
    assert plan.problems(hall) == ["b: seat 1排2号 is blocked", "c: no seat 'Z-1-1' in hall 'h'"]
    assert "not 'h'" in SeatPlan(hall_id="other", assignments={}).problems(hall)[0]


# --- runs along a walk ------------------------------------------------------------------


def test_crossings() -> None:
    assert crossings(0, 10, [10]) == 0
    assert crossings(5, 10, [10]) == 1
    assert crossings(5, 20, [10, 20]) == 2


def test_a_block_starts_in_the_next_section_rather_than_straddle() -> None:
    # two sections of 10; blocks of 6 and 7; 3 seats to spare
    assert lay_out_runs([6, 7], 20, [10]) == [0, 10]
    # no seat to spare: the second block must straddle
    assert lay_out_runs([6, 7, 7], 20, [10]) == [0, 6, 13]
    # a block bigger than a section straddles anyway, and is not pushed for nothing
    assert lay_out_runs([4, 14], 20, [10]) == [0, 4]


def test_too_many_deputies_is_an_error() -> None:
    with pytest.raises(ValidationError, match="fewer than the 11 deputies"):
        lay_out_runs([5, 6], 10)


def best_crossings(sizes: list[int], seats: int, cuts: list[int]) -> int:
    """The fewest crossings over every placement (starts where the last ended or at a
    later section start), by brute force."""
    best = None
    starts_options = [0, *cuts]

    def place(k: int, at: int, cost: int) -> None:
        nonlocal best
        if k == len(sizes):
            best = cost if best is None else min(best, cost)
            return
        for start in sorted({at, *(b for b in starts_options if b > at)}):
            if start + sum(sizes[k:]) <= seats:
                place(k + 1, start + sizes[k], cost + crossings(start, sizes[k], cuts))

    place(0, 0, 0)
    assert best is not None
    return best


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.integers(1, 8), min_size=1, max_size=4),
    st.lists(st.integers(1, 6), min_size=1, max_size=6),
    st.integers(0, 4),
)
def test_runs_are_contiguous_disjoint_and_cross_as_few_aisles_as_possible(
    sections: list[int], sizes: list[int], spare: int
) -> None:
    seats = sum(sections) + spare
    cuts = list(itertools.accumulate(sections))[:-1] if sections else []
    if sum(sizes) > seats:
        with pytest.raises(ValidationError):
            lay_out_runs(sizes, seats, cuts)
        return
    starts = lay_out_runs(sizes, seats, cuts)
    ends = [s + n for s, n in zip(starts, sizes, strict=True)]
    assert all(a <= b for a, b in zip(ends, starts[1:], strict=False))  # in order, no overlap
    assert starts[0] >= 0
    assert ends[-1] <= seats
    cost = sum(crossings(s, n, cuts) for s, n in zip(starts, sizes, strict=True))
    assert cost == best_crossings(sizes, seats, cuts)


# --- replanning -------------------------------------------------------------------------

HALL = build_hall(
    id="h",
    name="礼堂",
    sections=[
        SectionSpec(id="L", name="左区", rows=uniform_rows(3, 4)),
        SectionSpec(id="R", name="右区", rows=uniform_rows(3, 4)),
    ],
)
SEATS = HALL.walk_ids()  # L row 1, 2, 3, then R


def first_plan() -> tuple[list[str], dict[str, str], SeatPlan]:
    deputies = [f"a{i}" for i in range(6)] + [f"b{i}" for i in range(5)]
    blocks = {c: c[0] for c in deputies}
    plan = SeatPlan(hall_id="h", assignments=dict(zip(deputies, SEATS, strict=False)))
    return deputies, blocks, plan


def test_nothing_changed_nothing_moves() -> None:
    deputies, blocks, plan = first_plan()
    result = replan(plan, deputies=deputies, blocks=blocks, seats=SEATS, hall=HALL)
    assert result.plan == plan
    assert result.moves == ()


def test_a_newcomer_sits_nearest_the_delegation_block() -> None:
    deputies, blocks, plan = first_plan()
    # delegation a holds L row 1 and half of row 2; b the rest of L and one seat of R
    result = replan(
        plan, deputies=[*deputies, "a9"], blocks={**blocks, "a9": "a"}, seats=SEATS, hall=HALL
    )
    assert result.moved == ()
    assert result.moves == (Move(certificate_no="a9", from_seat=None, to_seat="L-3-4"),)
    assert {c: s for c, s in result.plan.assignments.items() if c != "a9"} == plan.assignments


def test_a_withdrawn_deputy_frees_the_seat_and_no_one_moves() -> None:
    deputies, blocks, plan = first_plan()
    result = replan(
        plan, deputies=[d for d in deputies if d != "a2"], blocks=blocks, seats=SEATS, hall=HALL
    )
    assert result.moves == (Move(certificate_no="a2", from_seat="L-1-3", to_seat=None),)


def test_a_blocked_seat_moves_only_its_occupant_and_near() -> None:
    deputies, blocks, plan = first_plan()
    hall = HALL.with_seats(["L-2-1"], blocked=True)
    result = replan(plan, deputies=deputies, blocks=blocks, seats=hall.walk_ids(), hall=hall)
    assert [m.certificate_no for m in result.moves] == ["a4"]
    assert result.moves[0].to_seat == "L-3-4"  # the nearest free seat to delegation a


def test_without_a_hall_distance_is_along_the_walk_and_a_new_block_takes_a_run() -> None:
    deputies, blocks, plan = first_plan()
    seats = [*SEATS]
    result = replan(
        plan,
        deputies=[*deputies, "b9", "c1", "c2"],
        blocks={**blocks, "b9": "b", "c1": "c", "c2": "c"},
        seats=seats,
    )
    new = {m.certificate_no: m.to_seat for m in result.moves}
    assert new["b9"] == seats[11]  # right after b's last seat
    assert [new["c1"], new["c2"]] == seats[12:14]  # the first run of two free seats


def test_pinned_seats_win_and_the_displaced_move_near_their_block() -> None:
    deputies, blocks, plan = first_plan()
    result = replan(
        plan, deputies=deputies, blocks=blocks, seats=SEATS, hall=HALL, pinned={"b0": "L-1-1"}
    )
    assert result.plan.seat_of("b0") == "L-1-1"
    moved = {m.certificate_no for m in result.moved}
    assert moved == {"b0", "a0"}
    with pytest.raises(ValidationError, match="not an offered seat"):
        replan(plan, deputies=deputies, blocks=blocks, seats=SEATS, pinned={"a0": "X"})
    with pytest.raises(ValidationError, match="not a deputy"):
        replan(plan, deputies=deputies, blocks=blocks, seats=SEATS, pinned={"zz": "L-1-1"})


def test_too_few_seats() -> None:
    deputies, blocks, plan = first_plan()
    with pytest.raises(ValidationError, match="fewer than the 11 deputies"):
        replan(plan, deputies=deputies, blocks=blocks, seats=SEATS[:10])


def delegations() -> st.SearchStrategy[list[int]]:
    return st.lists(st.integers(1, 6), min_size=1, max_size=5)


@settings(max_examples=80, deadline=None)
@given(delegations(), st.data())
def test_adding_or_removing_one_deputy_moves_no_one_else(
    sizes: list[int], data: st.DataObject
) -> None:
    hall = build_hall(
        id="h",
        name="礼堂",
        sections=[
            SectionSpec(id="L", name="左区", rows=uniform_rows(4, 5)),
            SectionSpec(id="R", name="右区", rows=uniform_rows(4, 5)),
        ],
    )
    seats = hall.walk_ids()
    deputies = [f"u{u}-{i}" for u, n in enumerate(sizes) for i in range(n)]
    blocks = {c: c.split("-")[0] for c in deputies}
    starts = lay_out_runs(sizes, len(seats), hall.walk_boundaries())
    first = {}
    for u, (start, n) in enumerate(zip(starts, sizes, strict=True)):
        first.update({f"u{u}-{i}": seats[start + i] for i in range(n)})
    plan = SeatPlan(hall_id="h", assignments=first)
    unit = data.draw(st.integers(0, len(sizes) - 1))
    if data.draw(st.booleans()) or sizes[unit] == 1:
        changed = [*deputies, f"u{unit}-new"]
        blocks[f"u{unit}-new"] = f"u{unit}"
    else:
        changed = [d for d in deputies if d != f"u{unit}-0"]
    result = replan(plan, deputies=changed, blocks=blocks, seats=seats, hall=hall)
    again = replan(plan, deputies=changed, blocks=blocks, seats=seats, hall=hall)
    assert result == again  # same input, same plan
    affected = {m.certificate_no for m in result.moves}
    assert affected <= {d for d in changed + deputies if blocks[d] == f"u{unit}"}
    assert len(result.moves) == 1
    assert result.moved == ()
    assert len(set(result.plan.assignments.values())) == len(changed)
