"""``balanced`` skips the swaps that cannot lower any spread; its groups are exactly those of
trying every pair of deputies, as the first version did (kept here as the reference),
followed by the same evening-out of new deputies."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from lvzhi.builtins.grouping import BalancedGrouping, _even_out_new, _traits
from lvzhi.domain import Delegate, Delegation, Gender
from lvzhi.ports import GroupingContext
from lvzhi.samples import make_course


def reference_improve(groups: list[list[str]], by_key: dict[str, Delegate]) -> None:
    """The local search as first written: every pair of groups, every pair of deputies."""
    n = len(groups)
    counts: dict[str, list[int]] = {}
    for i, members in enumerate(groups):
        for key in members:
            for trait in _traits(by_key[key]):
                counts.setdefault(trait, [0] * n)[i] += 1

    def spread(traits: set[str]) -> int:
        return sum(max(counts[t]) - min(counts[t]) for t in traits)

    def move(traits: set[str], src: int, dst: int) -> None:
        for t in traits:
            counts[t][src] -= 1
            counts[t][dst] += 1

    for _ in range(50):
        improved = False
        for a in range(n):
            for b in range(a + 1, n):
                for i in range(len(groups[a])):
                    for j in range(len(groups[b])):
                        dx, dy = by_key[groups[a][i]], by_key[groups[b][j]]
                        if dx.delegation != dy.delegation:
                            continue
                        tx, ty = set(_traits(dx)), set(_traits(dy))
                        only_x, only_y = tx - ty, ty - tx
                        if not only_x:
                            continue
                        touched = only_x | only_y
                        before = spread(touched)
                        move(only_x, a, b)
                        move(only_y, b, a)
                        if spread(touched) < before:
                            groups[a][i], groups[b][j] = groups[b][j], groups[a][i]
                            improved = True
                        else:
                            move(only_x, b, a)
                            move(only_y, a, b)
        if not improved:
            return


def reference_partition(context: GroupingContext) -> list[list[str]]:
    units = {d.code: d.order for d in context.delegations}
    rank = {d.key: i for i, d in enumerate(context.delegates)}
    ordered = sorted(
        context.delegates,
        key=lambda d: (
            units.get(d.delegation, 1 << 30),
            d.delegation,
            d.sector,
            d.gender.value,
            d.is_new,
            rank[d.key],
        ),
    )
    groups: list[list[str]] = [[] for _ in range(context.groups)]
    for position, deputy in enumerate(ordered):
        groups[position % context.groups].append(deputy.key)
    by_key = {d.key: d for d in context.delegates}
    reference_improve(groups, by_key)
    _even_out_new(groups, by_key)
    return groups


def test_the_sample_course_is_grouped_as_before() -> None:
    course = make_course()
    for groups in (2, 5, 12, 20):
        context = GroupingContext(
            delegates=course.delegates, delegations=course.delegations, groups=groups
        )
        assert BalancedGrouping().partition(context) == reference_partition(context)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 5),
            st.sampled_from(list(Gender)),
            st.booleans(),
            st.sampled_from(["工人", "农民", "企业负责人", "专业技术人员"]),
        ),
        max_size=90,
    ),
    st.integers(1, 9),
)
def test_random_courses_are_grouped_as_before(
    people: list[tuple[int, Gender, bool, str]], groups: int
) -> None:
    units = tuple(Delegation(code=f"u{i}", name=f"第{i}团", order=i % 3) for i in range(6))
    delegates = tuple(
        Delegate(
            certificate_no=f"c{i:03d}",
            name=f"代表{i}",
            gender=gender,
            delegation=f"u{unit}",
            is_new=new,
            sector=sector,
        )
        for i, (unit, gender, new, sector) in enumerate(people)
    )
    context = GroupingContext(delegates=delegates, delegations=units, groups=groups)
    assert BalancedGrouping().partition(context) == reference_partition(context)
