"""Rostrum order (主席台座次): where each leader sits, from the order of precedence.

The convention (domestic practice, 以左为尊): No. 1 sits in the centre, No. 2 on No. 1's
left and No. 3 on No. 1's right, **left and right as the seated leaders themselves see
them, facing the audience**, and so on outward.  Seen from the audience that is mirrored:
seven leaders read, from the audience's left, ``7 5 3 1 2 4 6`` (from the rostrum:
``6 4 2 1 3 5 7``).  ``honour="right"`` gives international practice (以右为尊), No. 2 on
No. 1's right hand: ``6 4 2 1 3 5 7`` from the audience.

With an even number of leaders No. 1 and No. 2 share the centre; units differ on which of
the two centre seats No. 1 takes, so ``even_rule`` says it **as seen from the audience**:
``"left"`` gives ``5 3 1 2 4 6`` for six leaders, ``"right"`` gives ``6 4 2 1 3 5``.
Further ranks alternate outward, odd ranks on No. 1's side.  By default (``None``) the
rule follows ``honour``, so that No. 2 is on No. 1's side of honour as with odd counts:
``"left"`` for ``honour="left"``.

Several rows: the first row fills (up to its seats) before the second is used.  Leaders
in a row that is not full sit in its middle, No. 1 on the seat the full row gives No. 1.
Every result is given from the audience: ``index`` counts seats from the audience's left,
from 1.  Rostrum seats are numbered from the centre in the same order: the printed number
of a seat is the rank it would take in a full row (``主席台1排3号``).

There is no rank field on :class:`~lvzhi.domain.people.Official`: the order of precedence
is an explicit list of official ids, No. 1 first.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

import attrs

from lvzhi.domain.halls import Rostrum
from lvzhi.domain.people import Official
from lvzhi.errors import ValidationError

__all__ = [
    "EvenRule",
    "Honour",
    "RostrumSeat",
    "rostrum_order",
    "seat_rostrum",
]

Honour = Literal["left", "right"]
EvenRule = Literal["left", "right"]


@attrs.frozen(kw_only=True)
class RostrumSeat:
    """Where one leader sits: ``rank`` in the order of precedence (1 = No. 1), ``row``
    (1 = front), ``index`` from the audience's left (from 1), the seat's printed
    ``number`` (counted from the centre) and ``label``; ``name`` when officials were
    given."""

    official_id: str
    rank: int
    row: int
    index: int
    number: int
    label: str
    name: str = ""


def _check_choice(name: str, value: object) -> None:
    if value not in ("left", "right"):
        raise ValidationError(name, value, "must be 'left' or 'right'")


def rostrum_order(
    count: int, *, honour: Honour = "left", even_rule: EvenRule | None = None
) -> tuple[int, ...]:
    """The ranks of ``count`` leaders in one row, seat by seat from the audience's left.

    >>> rostrum_order(7)
    (7, 5, 3, 1, 2, 4, 6)
    >>> rostrum_order(6)
    (5, 3, 1, 2, 4, 6)
    """
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise ValidationError("count", count, "must be a whole number >= 0")
    _check_choice("honour", honour)
    if even_rule is not None:
        _check_choice("even_rule", even_rule)
    # ``step`` is +1 when No. 2 sits to No. 1's right as the audience sees it.
    step = 1 if honour == "left" else -1
    seats = [0] * count
    if count % 2:
        centre = count // 2
        seats[centre] = 1
        for rank in range(2, count + 1):
            distance = rank // 2
            seats[centre + (step if rank % 2 == 0 else -step) * distance] = rank
        return tuple(seats)
    if count == 0:
        return ()
    rule = even_rule or ("left" if step == 1 else "right")
    first = count // 2 - 1 if rule == "left" else count // 2
    outward = -1 if rule == "left" else 1  # from No. 1 away from the centre
    for rank in range(1, count + 1):
        distance = (rank - 1) // 2
        if rank % 2:  # odd ranks on No. 1's side
            seats[first + outward * distance] = rank
        else:
            seats[first - outward * (distance + 1)] = rank
    return tuple(seats)


def seat_rostrum(
    precedence: Sequence[str],
    rostrum: Rostrum | Sequence[int],
    *,
    honour: Honour = "left",
    even_rule: EvenRule | None = None,
    officials: Iterable[Official] = (),
) -> tuple[RostrumSeat, ...]:
    """Seat the leaders ``precedence`` (official ids, No. 1 first) on ``rostrum`` (or on rows
    of the given seat counts, front first), in rank order.

    Raises :class:`~lvzhi.errors.ValidationError` for an id listed twice, an id not among
    ``officials`` (when given) or more leaders than seats."""
    if not isinstance(rostrum, Rostrum):
        rostrum = Rostrum(rows=tuple(rostrum))
    names = {o.id: o.name for o in officials}
    seen: set[str] = set()
    for official_id in precedence:
        if official_id in seen:
            raise ValidationError("precedence", official_id, "lists the official twice")
        if names and official_id not in names:
            raise ValidationError("precedence", official_id, "is not one of the officials")
        seen.add(official_id)
    if len(precedence) > rostrum.capacity:
        raise ValidationError(
            "precedence",
            len(precedence),
            f"leaders are more than the {rostrum.capacity} seats of the {rostrum.name}",
        )
    out: list[RostrumSeat] = []
    done = 0
    for row, size in enumerate(rostrum.rows, 1):
        here = list(precedence[done : done + size])
        if not here:
            break
        full = rostrum_order(size, honour=honour, even_rule=even_rule)
        local = rostrum_order(len(here), honour=honour, even_rule=even_rule)
        start = full.index(1) - local.index(1)
        start = max(0, min(start, size - len(here)))
        for offset, rank in enumerate(local):
            official_id = here[rank - 1]
            number = full[start + offset]
            out.append(
                RostrumSeat(
                    official_id=official_id,
                    rank=done + rank,
                    row=row,
                    index=start + offset + 1,
                    number=number,
                    label=rostrum.label(row, number),
                    name=names.get(official_id, ""),
                )
            )
        done += len(here)
    return tuple(sorted(out, key=lambda s: s.rank))
