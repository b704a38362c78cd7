"""The built-in seating strategies: the contract, blocks along a hall's walk, aisles, rotation,
leaders in front, groups, explicit seats, and minimal-move replanning."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lvzhi
from lvzhi.builtins.seating import (
    ByGroup,
    DelegationBlocks,
    Explicit,
    InOrder,
    lvzhi_register_seating_strategies,
)
from lvzhi.domain import Delegate, Delegation
from lvzhi.domain.hall_layout import SectionSpec, build_hall, uniform_rows
from lvzhi.domain.halls import Hall
from lvzhi.domain.seating import SeatPlan
from lvzhi.errors import ValidationError
from lvzhi.hallfiles import load_hall
from lvzhi.ports import SeatingContext
from lvzhi.services.seating import check_assignment
from lvzhi.testing import make_delegate, make_delegation
from lvzhi.testing.contracts import SeatingContract

SAMPLE = Path(lvzhi.__file__).parent / "samples" / "hall.toml"


class TestInOrder(SeatingContract):
    @pytest.fixture
    def strategy(self) -> InOrder:
        return InOrder()


class TestDelegationBlocks(SeatingContract):
    @pytest.fixture
    def strategy(self) -> DelegationBlocks:
        return DelegationBlocks()


class TestByGroup(SeatingContract):
    @pytest.fixture
    def strategy(self) -> ByGroup:
        return ByGroup()


class ExplicitFromWalk:
    """``explicit`` fed with assignments as a caller would read them from a sheet: every
    deputy on the seat of the same place in the reversed walk."""

    name = "explicit"

    def assign(self, context: SeatingContext) -> Mapping[str, str]:
        seats = list(reversed(context.seats))
        given = {d.key: s for d, s in zip(context.delegates, seats, strict=False)}
        return Explicit().assign(attrs.evolve(context, options={"assignments": given}))


class TestExplicit(SeatingContract):
    @pytest.fixture
    def strategy(self) -> ExplicitFromWalk:
        return ExplicitFromWalk()


def test_all_four_are_registered() -> None:
    names = [s.name for s in lvzhi_register_seating_strategies()]
    assert names == ["in_order", "delegation_blocks", "by_group", "explicit"]


# --- a hall and a course ----------------------------------------------------------------


def hall(rows: int = 4, seats: int = 5, blocks: int = 2) -> Hall:
    return build_hall(
        id="h",
        name="礼堂",
        numbering="odd-even",
        sections=[
            SectionSpec(id=f"s{i}", name=f"{i}区", rows=uniform_rows(rows, seats))
            for i in range(blocks)
        ],
    )


def course(*sizes: int) -> tuple[tuple[Delegate, ...], tuple[Delegation, ...]]:
    units = tuple(
        make_delegation(code=f"u{i}", name=f"第{i}代表团", order=i) for i in range(len(sizes))
    )
    people = tuple(
        make_delegate(certificate_no=f"u{u}-{i:02d}", delegation=f"u{u}", name=f"代表{u}{i}")
        for u, n in enumerate(sizes)
        for i in range(n)
    )
    return people, units


def context(sizes: tuple[int, ...], the_hall: Hall | None = None, **options: Any) -> SeatingContext:
    people, units = course(*sizes)
    the_hall = the_hall or hall()
    return SeatingContext(
        delegates=people,
        delegations=units,
        seats=the_hall.walk_ids(),
        options=options,
        hall=the_hall,
    )


def section_of(h: Hall, plan: Mapping[str, str], prefix: str) -> set[str]:
    return {h.seat(s).section for c, s in plan.items() if c.startswith(prefix + "-")}


def walk_positions(ctx: SeatingContext, plan: Mapping[str, str], prefix: str) -> list[int]:
    index = {s: i for i, s in enumerate(ctx.seats)}
    return sorted(index[s] for c, s in plan.items() if c.startswith(prefix + "-"))


# --- delegation blocks ------------------------------------------------------------------


def test_each_delegation_is_one_run_in_official_order() -> None:
    ctx = context((6, 5, 7))
    plan = DelegationBlocks().assign(ctx)
    assert check_assignment(plan, [d.key for d in ctx.delegates], ctx.seats) == []
    runs = [walk_positions(ctx, plan, f"u{u}") for u in range(3)]
    for run in runs:
        assert run == list(range(run[0], run[0] + len(run)))  # contiguous
    assert runs[0][0] < runs[1][0] < runs[2][0]
    # members in the order given (name order)
    assert [plan[f"u0-{i:02d}"] for i in range(6)] == list(ctx.seats[runs[0][0] : runs[0][0] + 6])


def test_no_delegation_straddles_an_aisle_when_it_fits() -> None:
    h = hall(rows=4, seats=5)  # two sections of 20
    ctx = context((12, 15, 4), h)
    plan = DelegationBlocks().assign(ctx)
    assert section_of(h, plan, "u0") == {"s0"}
    assert section_of(h, plan, "u1") == {"s1"}  # would have straddled from seat 12
    assert section_of(h, plan, "u2") == {"s1"}
    # in_order on the same walk runs u1 over the aisle
    plain = InOrder().assign(ctx)
    assert section_of(h, plain, "u1") == {"s0", "s1"}


def test_straddling_only_when_no_fit_exists() -> None:
    h = hall(rows=4, seats=5)
    plan = DelegationBlocks().assign(context((12, 15, 13), h))  # 40 deputies, 40 seats
    assert section_of(h, plan, "u1") == {"s0", "s1"}
    # 33 deputies: skipping the 8 seats left in s0 would leave too few for u2
    plan = DelegationBlocks().assign(context((12, 15, 6), h))
    assert section_of(h, plan, "u1") == {"s0", "s1"}


def test_rotation_by_units() -> None:
    ctx = context((4, 4, 4), rotate=1)
    plan = DelegationBlocks().assign(ctx)
    firsts = {u: walk_positions(ctx, plan, f"u{u}")[0] for u in range(3)}
    assert sorted(firsts, key=firsts.__getitem__) == [1, 2, 0]
    assert DelegationBlocks().assign(context((4, 4, 4), rotate=4)) == plan
    with pytest.raises(ValidationError, match="rotate"):
        DelegationBlocks().assign(context((4,), rotate="one"))


def test_columns_and_serpentine_walks() -> None:
    h = hall(rows=4, seats=5)
    ctx = context((4, 4), h, walk="columns")
    plan = DelegationBlocks().assign(ctx)
    first = [h.seat(plan[f"u0-{i:02d}"]) for i in range(4)]
    assert {s.x for s in first} == {0.0}  # one column, front to back
    assert [s.row for s in first] == [1, 2, 3, 4]
    snake = DelegationBlocks().assign(context((7,), h, serpentine=True))
    assert [h.seat(snake[f"u0-{i:02d}"]).row for i in range(7)] == [1] * 5 + [2, 2]
    assert h.seat(snake["u0-05"]).x > h.seat(snake["u0-06"]).x  # row 2 runs back
    with pytest.raises(ValidationError, match="walk"):
        DelegationBlocks().assign(context((4,), h, walk="spiral"))


def test_the_leading_deputy_sits_in_front() -> None:
    h = hall(rows=4, seats=5)
    ctx = context((3, 8), h, leaders={"u1": "u1-05"})
    plan = DelegationBlocks().assign(ctx)
    block = [h.seat(s) for c, s in plan.items() if c.startswith("u1-")]
    front = min((s.row, ctx.seats.index(s.id)) for s in block)
    assert h.seat(plan["u1-05"]).row == front[0] == 1
    assert ctx.seats.index(plan["u1-05"]) == front[1]
    with pytest.raises(ValidationError, match="not a deputy of delegation 'u0'"):
        DelegationBlocks().assign(context((3, 8), h, leaders={"u0": "u1-05"}))
    with pytest.raises(ValidationError, match="no deputy of this delegation"):
        DelegationBlocks().assign(context((3,), h, leaders={"u7": "u0-00"}))


def test_only_offered_seats_and_seats_of_the_hall() -> None:
    h = hall(rows=2, seats=5)
    ctx = context((3, 3), h)
    offered = tuple(s for s in ctx.seats if not s.startswith("s0-1-"))  # row 1 of s0 closed
    plan = DelegationBlocks().assign(attrs.evolve(ctx, seats=offered))
    assert set(plan.values()) <= set(offered)
    by_label = tuple(h.seat(s).label for s in offered)
    labelled = DelegationBlocks().assign(attrs.evolve(ctx, seats=by_label))
    assert set(labelled.values()) <= set(by_label)
    with pytest.raises(ValidationError, match="not seats of hall 'h'"):
        DelegationBlocks().assign(attrs.evolve(ctx, seats=("x-1-1", *offered)))


def test_the_sample_hall_keeps_delegations_within_its_four_blocks() -> None:
    h = load_hall(SAMPLE)
    sizes = (22, 18, 20, 20, 8, 40, 40, 20, 28, 36, 48, 38, 8)  # 346 deputies
    plan = DelegationBlocks().assign(context(sizes, h))
    assert len(plan) == 346
    # In this order 28 + 36 + 48 + 38 + 8 deputies are left for the two back blocks of 90:
    # one delegation has to cross the aisle, and only one does.
    spread = [u for u in range(len(sizes)) if len(section_of(h, plan, f"u{u}")) > 1]
    assert spread == [10]
    rotated = DelegationBlocks().assign(context(sizes, h, rotate=2))
    assert all(len(section_of(h, rotated, f"u{u}")) == 1 for u in range(len(sizes)))


# --- groups -----------------------------------------------------------------------------


def test_by_group_in_group_number_order() -> None:
    ctx = context((4, 4))
    groups = {"第10组": ["u0-00", "u1-00"], "第2组": ["u1-03", "u0-02"], 1: ["u0-01"]}
    plan = ByGroup().assign(attrs.evolve(ctx, options={"groups": groups}))
    order = sorted(plan, key=lambda c: ctx.seats.index(plan[c]))
    assert order[:5] == ["u0-01", "u0-02", "u1-03", "u0-00", "u1-00"]
    assert len(plan) == 8  # those in no group follow
    with pytest.raises(ValidationError, match="is in groups"):
        ByGroup().assign(attrs.evolve(ctx, options={"groups": {1: ["u0-00"], 2: ["u0-00"]}}))
    with pytest.raises(ValidationError, match="not a deputy"):
        ByGroup().assign(attrs.evolve(ctx, options={"groups": {1: ["nobody"]}}))


# --- explicit ---------------------------------------------------------------------------


def test_explicit_seats_by_label() -> None:
    h = hall(rows=1, seats=3)
    ctx = context((2,), h)
    plan = Explicit().assign(
        attrs.evolve(ctx, options={"assignments": {"u0-00": "1排1号", "u0-01": "s1-1-4"}})
    )
    assert plan == {"u0-00": "s0-1-1", "u0-01": "s1-1-4"}


@pytest.mark.parametrize(
    ("assignments", "message"),
    [
        ({"u0-00": "1排1号"}, r"1 deputies have no seat.*u0-01"),
        ({"u0-00": "1排1号", "u0-01": "9排9号"}, "not a seat of the hall.*9排9号"),
        ({"u0-00": "1排1号", "u0-01": "1排1号"}, "given to both u0-00 and u0-01"),
        ({"u0-00": "1排1号", "u0-01": "1排2号", "zz": "1排3号"}, "not deputies.*zz"),
    ],
)
def test_explicit_errors_name_what_is_wrong(assignments: dict[str, str], message: str) -> None:
    ctx = context((2,), hall(rows=1, seats=3))
    with pytest.raises(ValidationError, match=message):
        Explicit().assign(attrs.evolve(ctx, options={"assignments": assignments}))


# --- replanning through the strategies --------------------------------------------------


def test_previous_plan_gives_the_minimal_move_replan() -> None:
    h = hall(rows=4, seats=5)
    ctx = context((6, 5, 7), h)
    first = DelegationBlocks().assign(ctx)
    people, _ = course(6, 5, 7)
    newcomer = make_delegate(certificate_no="u1-99", delegation="u1", name="新代表")
    later = attrs.evolve(
        ctx,
        delegates=(*people, newcomer),
        previous=SeatPlan(hall_id="h", assignments=first),
    )
    for strategy in (DelegationBlocks(), InOrder(), ByGroup()):
        plan = strategy.assign(later)
        assert {c: s for c, s in plan.items() if c != "u1-99"} == first
        neighbours = [h.seat(first[f"u1-{i:02d}"]) for i in range(5)]
        mine = h.seat(plan["u1-99"])
        assert min(abs(mine.x - n.x) + abs(mine.y - n.y) for n in neighbours) <= 2
    pinned = Explicit().assign(
        attrs.evolve(later, options={"assignments": {"u1-99": first["u0-00"]}})
    )
    assert pinned["u1-99"] == first["u0-00"]
    assert sum(1 for c in first if pinned[c] != first[c]) == 1
    with pytest.raises(ValidationError, match="another hall"):
        DelegationBlocks().assign(
            attrs.evolve(later, previous=SeatPlan(hall_id="other", assignments=first))
        )


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(1, 9), min_size=1, max_size=5), st.data())
def test_one_more_or_one_fewer_moves_only_that_delegation(
    sizes: list[int], data: st.DataObject
) -> None:
    h = hall(rows=5, seats=6, blocks=2)
    ctx = context(tuple(sizes), h)
    options = data.draw(
        st.fixed_dictionaries(
            {"walk": st.sampled_from(["rows", "columns"]), "serpentine": st.booleans()}
        )
    )
    ctx = attrs.evolve(ctx, options=options)
    first = dict(DelegationBlocks().assign(ctx))
    unit = data.draw(st.integers(0, len(sizes) - 1))
    people = list(ctx.delegates)
    if data.draw(st.booleans()):
        people.append(
            make_delegate(certificate_no=f"u{unit}-new", delegation=f"u{unit}", name="新")
        )
    else:
        people = [p for p in people if p.key != f"u{unit}-00"]
    later = attrs.evolve(ctx, delegates=tuple(people), previous=first)
    plan = DelegationBlocks().assign(later)
    assert check_assignment(plan, [p.key for p in people], ctx.seats) == []
    moved = {c for c in plan if c in first and plan[c] != first[c]}
    assert all(c.startswith(f"u{unit}-") for c in moved)
    assert moved == set()
    assert DelegationBlocks().assign(later) == plan
