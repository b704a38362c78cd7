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
    group sizes stay as dealt.  Last, while the new deputies' counts differ by more than
    one, a new deputy of a group with the most is swapped with a returning deputy of a
    group with the fewest, across delegations when both delegations' shares stay within
    one of each other (same gender and sector first, else the swap that disturbs them
    least): new deputies are then spread within one whenever the shares allow it.
``by_delegation``
    Keeps each delegation whole (as offices often do in practice) and balances group sizes
    greedily: largest delegation first, into the currently smallest group.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from lvzhi.domain import Delegate
from lvzhi.errors import ValidationError
from lvzhi.plugins import hookimpl
from lvzhi.ports import GroupingContext, GroupingStrategy

__all__ = ["BalancedGrouping", "ByDelegationGrouping"]


def _traits(d: Delegate) -> tuple[str, ...]:
    return (f"gender={d.gender.value}", f"new={d.is_new}", f"sector={d.sector}")


class _Spreads:
    """Per trait: its count in every group, and the largest and smallest count with how many
    groups reach them.  ``top[g]`` / ``bottom[g]`` are the traits whose count group ``g``
    alone has at the maximum / at the minimum."""

    def __init__(self, counts: list[list[int]], groups: int) -> None:
        self.counts = counts
        self.high = [0] * len(counts)
        self.highs = [0] * len(counts)
        self.low = [0] * len(counts)
        self.lows = [0] * len(counts)
        self.top: list[set[int]] = [set() for _ in range(groups)]
        self.bottom: list[set[int]] = [set() for _ in range(groups)]
        for t in range(len(counts)):
            self.refresh(t)

    def refresh(self, t: int) -> None:
        row = self.counts[t]
        for marks in (self.top, self.bottom):
            for g in marks:
                g.discard(t)
        high, low = max(row), min(row)
        self.high[t], self.highs[t] = high, row.count(high)
        self.low[t], self.lows[t] = low, row.count(low)
        if self.highs[t] == 1:
            self.top[row.index(high)].add(t)
        if self.lows[t] == 1:
            self.bottom[row.index(low)].add(t)

    def delta(self, t: int, src: int, dst: int) -> int:
        """How the spread (largest minus smallest count) of ``t`` changes if one deputy with
        it moves from group ``src`` to group ``dst``; exact, in constant time."""
        row = self.counts[t]
        cs, cd = row[src], row[dst]
        high, low = self.high[t], self.low[t]
        new_high = max(high - 1 if cs == high and self.highs[t] == 1 else high, cd + 1)
        new_low = min(low + 1 if cd == low and self.lows[t] == 1 else low, cs - 1)
        return (new_high - new_low) - (high - low)


def _improve(groups: list[list[str]], by_key: dict[str, Delegate], rounds: int = 50) -> None:
    """Swap same-delegation deputies between groups while the total spread drops.

    Pairs of groups are visited in order (a < b), and in each pair the deputies at positions
    i of a and j of b in order; a swap of two deputies of the same delegation is made when it
    lowers the summed spread of the traits in which they differ.  Only candidates that can
    lower some spread are looked at: moving a trait from a to b lowers its spread only if a
    alone has its largest count or b alone its smallest, so the others are skipped unseen
    (they would be refused) and the result is that of trying every pair."""
    n = len(groups)
    kinds: dict[tuple[object, ...], int] = {}  # deputies with the same traits: one kind
    kind_of: dict[str, int] = {}
    samples: list[Delegate] = []
    for members in groups:
        for key in members:
            d = by_key[key]
            kind = (d.gender._value_, d.is_new, d.sector)  # _value_: no enum property call
            if kind not in kinds:
                kinds[kind] = len(samples)
                samples.append(d)
            kind_of[key] = kinds[kind]
    names: dict[str, int] = {}
    carried = [frozenset(names.setdefault(t, len(names)) for t in _traits(d)) for d in samples]
    counts = [[0] * n for _ in names]
    at: list[list[set[int]]] = []
    unit_at: list[list[str]] = []
    same_unit: list[dict[str, list[int]]] = []
    for g, members in enumerate(groups):
        units: dict[str, list[int]] = {}
        by_kind: list[list[int]] = [[] for _ in samples]
        row = [by_key[key].delegation for key in members]
        for i, key in enumerate(members):
            units.setdefault(row[i], []).append(i)
            by_kind[kind_of[key]].append(i)
        places: list[set[int]] = [set() for _ in names]
        for k, positions in enumerate(by_kind):
            for t in carried[k]:
                counts[t][g] += len(positions)
                places[t].update(positions)
        at.append(places)
        unit_at.append(row)
        same_unit.append(units)
    spreads = _Spreads(counts, n)

    def candidates(a: int, b: int, after: tuple[int, int]) -> list[tuple[int, int]]:
        found: set[tuple[int, int]] = set()
        for t in spreads.top[a] | spreads.bottom[b]:
            for i in at[a][t]:
                found.update((i, j) for j in same_unit[b].get(unit_at[a][i], ()))
        for t in spreads.top[b] | spreads.bottom[a]:
            for j in at[b][t]:
                found.update((i, j) for i in same_unit[a].get(unit_at[b][j], ()))
        return sorted(c for c in found if c > after)

    def first_swap(a: int, b: int, after: tuple[int, int]) -> tuple[int, int] | None:
        for i, j in candidates(a, b, after):
            tx, ty = carried[kind_of[groups[a][i]]], carried[kind_of[groups[b][j]]]
            only_x = tx - ty
            if not only_x:
                continue
            change = sum(spreads.delta(t, a, b) for t in only_x)
            change += sum(spreads.delta(t, b, a) for t in ty - tx)
            if change < 0:
                return i, j
        return None

    for _ in range(rounds):
        improved = False
        for a in range(n):
            for b in range(a + 1, n):
                after = (-1, -1)
                while (found := first_swap(a, b, after)) is not None:
                    i, j = found
                    x, y = groups[a][i], groups[b][j]
                    tx, ty = carried[kind_of[x]], carried[kind_of[y]]
                    for t in tx - ty:
                        counts[t][a] -= 1
                        counts[t][b] += 1
                        at[a][t].discard(i)
                        at[b][t].add(j)
                    for t in ty - tx:
                        counts[t][b] -= 1
                        counts[t][a] += 1
                        at[b][t].discard(j)
                        at[a][t].add(i)
                    for t in tx ^ ty:
                        spreads.refresh(t)
                    groups[a][i], groups[b][j] = y, x
                    improved = True
                    after = found
        if not improved:
            return


def _even_out_new(groups: list[list[str]], by_key: dict[str, Delegate]) -> None:
    """Swap new deputies out of the groups with the most of them into those with the fewest
    until their counts differ by at most one, keeping every delegation's share of every
    group within one of its shares elsewhere and the group sizes as they are.

    A swap moves a new deputy ``x`` (delegation ``u``) from group ``a`` to ``b`` and a
    returning deputy ``y`` (delegation ``v``) back; it keeps the shares within one when
    ``u == v`` or when ``a`` holds more of ``u`` than ``b`` and ``b`` more of ``v`` than
    ``a``.  Among those, a pair of the same gender and sector is taken first (nothing else
    changes), else the pair that raises the spread of genders and sectors least, earliest
    positions first.  Each swap lowers the sum of squared new counts, so the loop ends; it
    is deterministic."""
    n = len(groups)
    if n < 2:
        return
    kinds: dict[tuple[str, str], int] = {}  # (gender, sector) -> kind
    info: dict[str, tuple[bool, str, int]] = {}  # key -> (new, delegation, kind)
    by_kind: list[list[int]] = []
    new = [0] * n
    shares: list[dict[str, int]] = [{} for _ in range(n)]
    news: list[list[int]] = [[] for _ in range(n)]  # positions of new deputies, in order
    olds: list[list[int]] = [[] for _ in range(n)]
    for g, members in enumerate(groups):
        share = shares[g]
        for i, key in enumerate(members):
            d = by_key[key]
            (news if d.is_new else olds)[g].append(i)
            kind = kinds.setdefault((d.gender._value_, d.sector), len(kinds))
            if kind == len(by_kind):
                by_kind.append([0] * n)
            by_kind[kind][g] += 1
            info[key] = (d.is_new, d.delegation, kind)
            new[g] += d.is_new
            share[d.delegation] = share.get(d.delegation, 0) + 1
    trait_ids: dict[str, int] = {}
    kind_traits = [
        (
            trait_ids.setdefault(f"gender={gender}", len(trait_ids)),
            trait_ids.setdefault(f"sector={sector}", len(trait_ids)),
        )
        for gender, sector in kinds
    ]
    counts = [[0] * n for _ in trait_ids]
    for kind, row in enumerate(by_kind):
        for t in kind_traits[kind]:
            for g in range(n):
                counts[t][g] += row[g]
    spreads = _Spreads(counts, n)

    def swap_in(a: int, b: int) -> tuple[int, int] | None:
        sa, sb = shares[a], shares[b]
        free_y: dict[int, int] = {}  # kind -> first position in b
        own_y: dict[tuple[str, int], int] = {}  # (delegation, kind) -> first position
        members = groups[b]
        for j in olds[b]:
            _, unit, kind = info[members[j]]
            own_y.setdefault((unit, kind), j)
            if sb.get(unit, 0) > sa.get(unit, 0):
                free_y.setdefault(kind, j)
        free_x: dict[int, int] = {}
        own_x: dict[tuple[str, int], int] = {}
        members = groups[a]
        for i in news[a]:
            _, unit, kind = info[members[i]]
            free = sa.get(unit, 0) > sb.get(unit, 0)
            same = [own_y[(unit, kind)]] if (unit, kind) in own_y else []
            if free and kind in free_y:
                same.append(free_y[kind])
            if same:  # the earliest deputy of a with a partner of the same kind
                return i, min(same)
            own_x.setdefault((unit, kind), i)
            if free:
                free_x.setdefault(kind, i)
        pairs = [(i, j, kx, ky) for kx, i in free_x.items() for ky, j in free_y.items()]
        pairs += [
            (i, j, ux[1], uy[1])
            for ux, i in own_x.items()
            for uy, j in own_y.items()
            if ux[0] == uy[0]
        ]
        best: tuple[int, int, int] | None = None
        for i, j, kx, ky in pairs:
            tx, ty = kind_traits[kx], kind_traits[ky]
            change = sum(spreads.delta(t, a, b) for t in tx if t not in ty)
            change += sum(spreads.delta(t, b, a) for t in ty if t not in tx)
            if best is None or (change, i, j) < best:
                best = (change, i, j)
        return None if best is None else (best[1], best[2])

    while max(new) - min(new) > 1:
        high, low = max(new), min(new)
        found: tuple[int, int, int, int] | None = None
        for a in (g for g in range(n) if new[g] == high):
            for b in (g for g in range(n) if new[g] == low):
                pair = swap_in(a, b)
                if pair is not None:
                    found = (a, b, *pair)
                    break
            if found is not None:
                break
        if found is None:
            return
        a, b, i, j = found
        x, y = groups[a][i], groups[b][j]
        (_, ux, kx), (_, uy, ky) = info[x], info[y]
        groups[a][i], groups[b][j] = y, x
        new[a] -= 1
        new[b] += 1
        news[a].remove(i)
        bisect.insort(olds[a], i)
        olds[b].remove(j)
        bisect.insort(news[b], j)
        for unit, src, dst in ((ux, a, b), (uy, b, a)):
            shares[src][unit] -= 1
            shares[dst][unit] = shares[dst].get(unit, 0) + 1
        tx, ty = kind_traits[kx], kind_traits[ky]
        for t in tx:
            if t not in ty:
                counts[t][a] -= 1
                counts[t][b] += 1
                spreads.refresh(t)
        for t in ty:
            if t not in tx:
                counts[t][b] -= 1
                counts[t][a] += 1
                spreads.refresh(t)


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
                d.gender._value_,  # the value, without the enum property call
                d.is_new,
                rank[d.key],
            ),
        )
        groups: list[list[str]] = [[] for _ in range(context.groups)]
        for position, deputy in enumerate(ordered):
            groups[position % context.groups].append(deputy.key)
        by_key = {d.key: d for d in context.delegates}
        _improve(groups, by_key)
        _even_out_new(groups, by_key)
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
