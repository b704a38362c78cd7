"""``groups.balanced``: the ``balanced`` grouping strategy for 3,000 deputies in 35 groups,
against the same stratified sort followed by a round-robin deal (goal: ratio <= 5)."""

from __future__ import annotations

import json
import sys
from typing import Any

from bench_seating import UNITS, _best, _course, _result

from lvzhi.builtins.grouping import BalancedGrouping
from lvzhi.ports import GroupingContext


def bench_balanced_groups(quick: bool = False) -> dict[str, Any]:
    """``balanced`` into 35 groups against its stratified sort and a round-robin deal."""
    size = 300 if quick else 3000
    people, units = _course(size)
    context = GroupingContext(delegates=tuple(people), delegations=tuple(units), groups=UNITS)
    unit_order = {u.code: u.order for u in units}
    strategy = BalancedGrouping()

    def baseline() -> object:
        rank = {d.key: i for i, d in enumerate(people)}
        ordered = sorted(
            people,
            key=lambda d: (
                unit_order[d.delegation],
                d.delegation,
                d.sector,
                d.gender.value,
                d.is_new,
                rank[d.key],
            ),
        )
        groups: list[list[str]] = [[] for _ in range(UNITS)]
        for position, deputy in enumerate(ordered):
            groups[position % UNITS].append(deputy.key)
        return groups

    repeats = 3 if quick else 10
    return _result(
        "groups.balanced",
        size,
        _best(lambda: strategy.partition(context), repeats),
        "stratified sort + round-robin deal",
        _best(baseline, repeats),
        "<= 5",
    )


if __name__ == "__main__":
    print(json.dumps(bench_balanced_groups(quick="--quick" in sys.argv), ensure_ascii=False))
