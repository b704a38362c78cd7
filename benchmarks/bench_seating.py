"""Benchmarks: seating 3,000 deputies of 35 delegations in a 3,500-seat hall with aisles
(``seating.delegation_blocks``) and splitting them into 35 balanced discussion groups
(``groups.balanced``).

``seating.delegation_blocks`` times the official order (delegation order, then stroke order)
plus the ``delegation_blocks`` strategy on a hall of ten blocks; the baseline is the same
sort zipped onto the hall's walk.  ``groups.balanced`` times the ``balanced`` grouping
strategy; the baseline is its stratified sort followed by a plain round-robin deal.
"""

from __future__ import annotations

import json
import random
import sys
import time
from collections.abc import Callable
from typing import Any

from lvzhi.builtins.seating import DelegationBlocks
from lvzhi.domain import Delegate, Delegation
from lvzhi.domain.collation import get_collation
from lvzhi.domain.hall_layout import SectionSpec, build_hall, uniform_rows
from lvzhi.domain.halls import Hall
from lvzhi.ports import SeatingContext
from lvzhi.samples.course import SECTORS, make_names

UNITS = 35


def _course(size: int, seed: int = 20250305) -> tuple[list[Delegate], list[Delegation]]:
    """``size`` deputies in ``UNITS`` delegations of uneven size, in no particular order."""
    rng = random.Random(seed)
    units = [
        Delegation(code=f"u{n:02d}", name=f"第{n}代表团", order=n) for n in range(1, UNITS + 1)
    ]
    weights = [rng.uniform(0.3, 2.0) for _ in units]
    bounds = [round(size * sum(weights[: i + 1]) / sum(weights)) for i in range(UNITS)]
    people = []
    for i, (name, gender) in enumerate(make_names(size, rng)):
        unit = next(u for u, bound in zip(units, bounds, strict=True) if i < bound)
        people.append(
            Delegate(
                certificate_no=f"c{i:05d}",
                name=name,
                gender=gender,
                delegation=unit.code,
                sector=rng.choice(SECTORS),
                is_new=rng.random() < 0.6,
            )
        )
    rng.shuffle(people)
    return people, units


def _hall(seats: int) -> Hall:
    """Five columns of blocks, front and back, split by aisles: ``seats`` seats in all."""
    per_block = seats // 10
    width = 25 if per_block >= 250 else 5
    rows = per_block // width
    return build_hall(
        id="bench",
        name="大礼堂",
        numbering="odd-even",
        sections=[
            SectionSpec(
                id=f"b{column}-{back}",
                name=f"{column}{'后' if back else '前'}区",
                column=column,
                rows=uniform_rows(rows, width, first_row=1 + rows * back),
            )
            for back in (0, 1)
            for column in range(1, 6)
        ],
    )


def _best(func: Callable[[], object], repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best


def _result(name: str, size: int, seconds: float, baseline: str, base: float, goal: str) -> Any:
    ratio = seconds / base
    met = ratio <= float(goal.removeprefix("<=").strip())
    return {
        "name": name,
        "size": size,
        "seconds": seconds,
        "baseline": baseline,
        "baseline_seconds": base,
        "ratio": ratio,
        "goal": goal,
        "met": met,
    }


def bench_delegation_blocks(quick: bool = False) -> dict[str, Any]:
    """Official order + ``delegation_blocks`` against official order + zip onto the walk."""
    size, seats = (300, 350) if quick else (3000, 3500)
    people, units = _course(size)
    hall = _hall(seats)
    walk = hall.walk_ids()
    hall.walk_boundaries()  # what a hall computes once, outside the timing
    unit_order = {u.code: u.order for u in units}
    key = get_collation("strokes").key

    def official() -> list[Delegate]:
        return sorted(
            people, key=lambda d: (unit_order[d.delegation], d.delegation, key(d.name), d.key)
        )

    strategy = DelegationBlocks()

    def lvzhi_way() -> object:
        context = SeatingContext(
            delegates=tuple(official()), delegations=tuple(units), seats=walk, hall=hall
        )
        return strategy.assign(context)

    def baseline() -> object:
        return {d.key: seat for d, seat in zip(official(), walk, strict=False)}

    assert len(lvzhi_way()) == size  # type: ignore[arg-type]
    repeats = 3 if quick else 15
    return _result(
        "seating.delegation_blocks",
        size,
        _best(lvzhi_way, repeats),
        "official-order sort + zip onto the walk",
        _best(baseline, repeats),
        "<= 3",
    )


if __name__ == "__main__":
    for bench in (bench_delegation_blocks,):
        print(json.dumps(bench(quick="--quick" in sys.argv), ensure_ascii=False))
