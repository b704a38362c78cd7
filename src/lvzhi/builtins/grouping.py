"""Built-in grouping strategies for discussion groups.

``balanced``
    A stratified serpentine deal: deputies are ordered by delegation, then sector, gender
    and new/returning (keeping the official name order inside each stratum) and dealt
    1, 2, …, n, n, …, 2, 1 over the groups.  Group sizes differ by at most one and every
    delegation is spread as evenly as the numbers allow.  Deterministic, O(n log n).
``by_delegation``
    Keeps each delegation whole (as offices often do in practice) and balances group sizes
    greedily: largest delegation first, into the currently smallest group.
"""

from __future__ import annotations

from collections.abc import Sequence

from lvzhi.errors import ValidationError
from lvzhi.plugins import hookimpl
from lvzhi.ports import GroupingContext, GroupingStrategy

__all__ = ["BalancedGrouping", "ByDelegationGrouping"]


def _serpentine(count: int, total: int) -> list[int]:
    order: list[int] = []
    forward = list(range(count))
    while len(order) < total:
        order.extend(forward)
        forward.reverse()
    return order[:total]


class BalancedGrouping:
    name = "balanced"

    def partition(self, context: GroupingContext) -> Sequence[Sequence[str]]:
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
        for deputy, slot in zip(ordered, _serpentine(context.groups, len(ordered)), strict=True):
            groups[slot].append(deputy.key)
        return groups


class ByDelegationGrouping:
    name = "by_delegation"

    def partition(self, context: GroupingContext) -> Sequence[Sequence[str]]:
        units = {d.code: d.order for d in context.delegations}
        members: dict[str, list[str]] = {}
        for d in context.delegates:
            members.setdefault(d.delegation, []).append(d.key)
        if len(members) < context.groups:
            raise ValidationError(
                "groups",
                context.groups,
                f"is more than the {len(members)} delegations; use the 'balanced' strategy",
            )
        groups: list[list[str]] = [[] for _ in range(context.groups)]
        biggest_first = sorted(
            members.items(), key=lambda kv: (-len(kv[1]), units.get(kv[0], 1 << 30), kv[0])
        )
        for _, keys in biggest_first:
            smallest = min(range(context.groups), key=lambda i: (len(groups[i]), i))
            groups[smallest].extend(keys)
        return groups


@hookimpl
def lvzhi_register_grouping_strategies() -> list[GroupingStrategy]:
    return [BalancedGrouping(), ByDelegationGrouping()]
