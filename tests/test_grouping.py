from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lvzhi.builtins.grouping import BalancedGrouping, ByDelegationGrouping
from lvzhi.domain import Delegate, Delegation
from lvzhi.errors import ValidationError
from lvzhi.ports import GroupingContext
from lvzhi.samples import make_course


def context(groups: int) -> GroupingContext:
    course = make_course()
    return GroupingContext(
        delegates=course.delegates, delegations=course.delegations, groups=groups
    )


def test_balanced_twelve_groups_spread_every_delegation() -> None:
    ctx = context(12)
    parts = BalancedGrouping().partition(ctx)
    assert len(parts) == 12
    sizes = [len(p) for p in parts]
    assert max(sizes) - min(sizes) <= 1
    assert sorted(c for p in parts for c in p) == sorted(d.key for d in ctx.delegates)
    unit_of = {d.key: d.delegation for d in ctx.delegates}
    for unit in {d.delegation for d in ctx.delegates}:
        per_group = [sum(1 for c in p if unit_of[c] == unit) for p in parts]
        assert max(per_group) - min(per_group) <= 1, unit
    new_per_group = [
        sum(1 for c in p if c in {d.key for d in ctx.delegates if d.is_new}) for p in parts
    ]
    assert max(new_per_group) - min(new_per_group) <= 1


def test_balanced_is_deterministic() -> None:
    assert BalancedGrouping().partition(context(12)) == BalancedGrouping().partition(context(12))


def test_by_delegation_keeps_units_whole() -> None:
    ctx = context(6)
    parts = ByDelegationGrouping().partition(ctx)
    unit_of = {d.key: d.delegation for d in ctx.delegates}
    homes = Counter()
    for p in parts:
        for unit in {unit_of[c] for c in p}:
            homes[unit] += 1
    assert set(homes.values()) == {1}
    sizes = sorted(len(p) for p in parts)
    assert sizes[-1] - sizes[0] <= max(n for *_, n in [(0, 48)])  # no group above the biggest unit
    with pytest.raises(ValidationError, match="delegations"):
        ByDelegationGrouping().partition(context(20))


@settings(max_examples=40, deadline=None)
@given(n=st.integers(min_value=1, max_value=60), groups=st.integers(min_value=1, max_value=12))
def test_balanced_places_everyone_once(n: int, groups: int) -> None:
    units = (Delegation(code="a", name="甲"), Delegation(code="b", name="乙"))
    people = tuple(
        Delegate(
            certificate_no=f"c{i}",
            name=f"王{i}",
            gender="男" if i % 3 else "女",
            delegation="a" if i % 2 else "b",
        )
        for i in range(n)
    )
    parts = BalancedGrouping().partition(
        GroupingContext(delegates=people, delegations=units, groups=groups)
    )
    assert len(parts) == groups
    assert sorted(c for p in parts for c in p) == sorted(d.key for d in people)
    sizes = [len(p) for p in parts]
    assert max(sizes) - min(sizes) <= 1
