"""Built-in grouping strategies for discussion groups.

``balanced``
    A stratified round-robin deal: deputies are ordered by delegation, then sector, gender
    and new/returning (keeping the official name order inside each stratum) and dealt
    1, 2, …, n, 1, 2, … over the groups, the deal running on across delegations.  Group
    sizes differ by at most one and so does each delegation's share of every group (a
    serpentine deal would not promise the latter: a small delegation falling on a turn would
    put two deputies in one group).  Then a deterministic local search swaps deputies of the
    same delegation between groups while that lowers the spread (largest minus smallest
    count over the groups) of gender, new/returning and sector — so delegation shares and
    group sizes stay as dealt.
``by_delegation``
    Keeps each delegation whole (as offices often do in practice) and balances group sizes
    greedily: largest delegation first, into the currently smallest group.
"""

from __future__ import annotations

from collections.abc import Sequence

from lvzhi.domain import Delegate
from lvzhi.errors import ValidationError
from lvzhi.plugins import hookimpl
from lvzhi.ports import GroupingContext, GroupingStrategy

__all__ = ["BalancedGrouping", "ByDelegationGrouping"]


def _traits(d: Delegate) -> tuple[str, ...]:
    return (f"gender={d.gender.value}", f"new={d.is_new}", f"sector={d.sector}")


def _improve(groups: list[list[str]], by_key: dict[str, Delegate], rounds: int = 50) -> None:
    """Swap same-delegation deputies between groups while the total spread drops."""
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

    for _ in range(rounds):
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
        for position, deputy in enumerate(ordered):
            groups[position % context.groups].append(deputy.key)
        by_key = {d.key: d for d in context.delegates}
        _improve(groups, by_key)
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
