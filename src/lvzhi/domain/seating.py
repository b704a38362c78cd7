"""Seat plans: who sits where in a hall, blocks along the hall's walk, and replanning after a
late change with as few moves as possible.

A :class:`SeatPlan` belongs to a hall and serves every session held there: each deputy's
seat is fixed for the whole course.  When the list changes late (a deputy added or
withdrawn, a seat blocked) :func:`replan` keeps every assignment that is still valid, seats
the newcomers on the free seats nearest their block (delegation or group) and lists the
moves.  The same input always gives the same plan.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

import attrs

from lvzhi.domain import _fields as f
from lvzhi.domain.halls import Hall, Seat
from lvzhi.errors import ValidationError

__all__ = [
    "Move",
    "Replan",
    "SeatPlan",
    "crossings",
    "lay_out_runs",
    "plan_moves",
    "replan",
]


def _assignments(value: Any) -> Any:
    return dict(value) if isinstance(value, Mapping) else value


def _one_seat_each(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, dict):
        f.fail(instance, attribute, value, "must map certificate numbers to seats")
    holder: dict[str, str] = {}
    for cert, seat in value.items():
        if not isinstance(cert, str) or not isinstance(seat, str) or not cert or not seat:
            f.fail(instance, attribute, (cert, seat), "certificate and seat must be text")
        if seat in holder:
            f.fail(instance, attribute, seat, f"seat given to both {holder[seat]} and {cert}")
        holder[seat] = cert


@attrs.frozen(kw_only=True)
class SeatPlan:
    """``assignments``: certificate number → seat id, for one hall (``hall_id``); the seat
    of each deputy for every session held there.  No seat is given twice."""

    hall_id: str = attrs.field(validator=f.identifier)
    assignments: Mapping[str, str] = attrs.field(converter=_assignments, validator=_one_seat_each)
    programme_id: str | None = attrs.field(default=None, validator=f.optional_identifier)

    @property
    def key(self) -> str:
        """One plan per hall (and programme, when given)."""
        return self.hall_id if self.programme_id is None else f"{self.programme_id}.{self.hall_id}"

    def seat_of(self, certificate_no: str) -> str | None:
        return self.assignments.get(certificate_no)

    def occupant(self, seat: str) -> str | None:
        """Who sits on ``seat``, or ``None``."""
        for cert, taken in self.assignments.items():
            if taken == seat:
                return cert
        return None

    def moves_to(self, other: SeatPlan | Mapping[str, str]) -> tuple[Move, ...]:
        """What changes from this plan to ``other``: see :func:`plan_moves`."""
        after = other.assignments if isinstance(other, SeatPlan) else other
        return plan_moves(self.assignments, after)

    def problems(self, hall: Hall) -> list[str]:
        """Seats of the plan that ``hall`` does not have or does not offer (blocked,
        reserved), and a plan for another hall.  Empty when the plan fits the hall."""
        found: list[str] = []
        if hall.id != self.hall_id:
            found.append(f"the plan is for hall {self.hall_id!r}, not {hall.id!r}")
        for cert, seat_id in self.assignments.items():
            seat = hall.find(seat_id)
            if seat is None:
                found.append(f"{cert}: no seat {seat_id!r} in hall {hall.id!r}")
            elif seat.blocked or seat.reserved:
                state = "blocked" if seat.blocked else "reserved"
                found.append(f"{cert}: seat {seat.label} is {state}")
        return found


MoveKind = Literal["seated", "moved", "withdrawn"]


@attrs.frozen(kw_only=True)
class Move:
    """One change between two plans: ``from_seat`` is ``None`` for a deputy newly seated,
    ``to_seat`` is ``None`` for one who left the plan."""

    certificate_no: str
    from_seat: str | None
    to_seat: str | None

    @property
    def kind(self) -> MoveKind:
        if self.from_seat is None:
            return "seated"
        if self.to_seat is None:
            return "withdrawn"
        return "moved"


@attrs.frozen(kw_only=True)
class Replan:
    """The new plan and every change from the previous one."""

    plan: SeatPlan
    moves: tuple[Move, ...]

    @property
    def moved(self) -> tuple[Move, ...]:
        """Only the deputies who sat before and sit elsewhere now."""
        return tuple(m for m in self.moves if m.kind == "moved")


def plan_moves(before: Mapping[str, str], after: Mapping[str, str]) -> tuple[Move, ...]:
    """The changes from ``before`` to ``after`` (``{certificate_no: seat}``), in the order
    of ``after`` then the withdrawn in the order of ``before``."""
    out = [
        Move(certificate_no=cert, from_seat=before.get(cert), to_seat=seat)
        for cert, seat in after.items()
        if before.get(cert) != seat
    ]
    out += [
        Move(certificate_no=cert, from_seat=seat, to_seat=None)
        for cert, seat in before.items()
        if cert not in after
    ]
    return tuple(out)


# ----------------------------------------------------------------- blocks


def crossings(start: int, size: int, boundaries: Sequence[int]) -> int:
    """How many section boundaries (walk indexes where a section starts) the run
    ``[start, start + size)`` crosses."""
    return sum(1 for b in boundaries if start < b < start + size)


def lay_out_runs(sizes: Sequence[int], seats: int, boundaries: Sequence[int] = ()) -> list[int]:
    """Where each block starts along a walk of ``seats`` seats: blocks of ``sizes`` in the
    order given, each one contiguous run, no two overlapping.

    ``boundaries`` are the walk indexes where a new section (beyond an aisle) starts.  A
    block that would run over a boundary starts at the next section instead when that
    crosses fewer boundaries and enough seats remain for the blocks after it; if that
    simple rule still leaves a block over an aisle, every placement is searched for the
    fewest crossings (then the fewest seats left empty before the last block)."""
    need = sum(sizes)
    if need > seats:
        raise ValidationError("seats", seats, f"are fewer than the {need} deputies to seat")
    cuts = sorted(b for b in set(boundaries) if 0 < b < seats)
    starts: list[int] = []
    slack = seats - need
    at = 0
    for size in sizes:
        end = next((b for b in cuts if b > at), seats)
        if (
            at + size > end
            and end - at <= slack
            and crossings(end, size, cuts) < crossings(at, size, cuts)
        ):
            slack -= end - at
            at = end
        starts.append(at)
        at += size
    if sum(crossings(s, n, cuts) for s, n in zip(starts, sizes, strict=True)) == 0:
        return starts
    best = _fewest_crossings(sizes, seats, cuts)
    greedy = sum(crossings(s, n, cuts) for s, n in zip(starts, sizes, strict=True))
    return best if best and _cost(best, sizes, cuts) < greedy else starts


def _cost(starts: Sequence[int], sizes: Sequence[int], cuts: Sequence[int]) -> int:
    return sum(crossings(s, n, cuts) for s, n in zip(starts, sizes, strict=True))


def _fewest_crossings(sizes: Sequence[int], seats: int, cuts: Sequence[int]) -> list[int]:
    """Exact search: each block starts where the last ended or at a later section start."""
    remaining = [sum(sizes[k:]) for k in range(len(sizes) + 1)]
    states: dict[int, tuple[int, tuple[int, ...]]] = {0: (0, ())}
    for k, size in enumerate(sizes):
        following: dict[int, tuple[int, tuple[int, ...]]] = {}
        for at, (cost, placed) in sorted(states.items()):
            for start in (at, *(b for b in cuts if b > at)):
                if start + remaining[k] > seats:
                    break
                candidate = (cost + crossings(start, size, cuts), (*placed, start))
                end = start + size
                if end not in following or candidate < following[end]:
                    following[end] = candidate
        states = following
    if not states:
        return []
    _, (_, placed) = min(states.items(), key=lambda item: (item[1][0], item[0], item[1][1]))
    return list(placed)


# ----------------------------------------------------------------- replanning


def _distance(a: Seat, b: Seat) -> float:
    return math.hypot(a.x - b.x, a.y - b.y) + 1000.0 * abs(a.floor - b.floor)


def replan(
    previous: SeatPlan | Mapping[str, str] | None,
    *,
    deputies: Sequence[str],
    blocks: Mapping[str, str],
    seats: Sequence[str],
    hall: Hall | None = None,
    hall_id: str | None = None,
    pinned: Mapping[str, str] | None = None,
) -> Replan:
    """Seat ``deputies`` (certificate numbers, official order) on ``seats`` (the seats
    offered, in walk order) moving as few people as possible from ``previous``.

    ``pinned`` seats are given first (an explicit assignment).  Every previous assignment
    still valid (the deputy is on the list, the seat is offered and not pinned to someone
    else) is kept.  The others, newcomers first in official order, take the free seats
    nearest the seats their block (``blocks[certificate_no]``: a delegation or a group)
    already holds: by distance in the hall when ``hall`` is given, else along the walk; a
    block with no seat yet takes the first run of free seats long enough for it."""
    before = dict(previous.assignments if isinstance(previous, SeatPlan) else previous or {})
    if hall_id is None:
        hall_id = (
            previous.hall_id
            if isinstance(previous, SeatPlan)
            else (hall.id if hall is not None else "hall")
        )
    if len(deputies) > len(seats):
        raise ValidationError(
            "seats", len(seats), f"are fewer than the {len(deputies)} deputies to seat"
        )
    index = {seat: i for i, seat in enumerate(seats)}
    wanted = set(deputies)
    result: dict[str, str] = {}
    holder: dict[str, str] = {}
    for cert, seat in (pinned or {}).items():
        if cert not in wanted:
            raise ValidationError("assignments", cert, "is not a deputy to seat")
        if seat not in index:
            raise ValidationError("assignments", seat, f"is not an offered seat (for {cert})")
        if seat in holder:
            raise ValidationError("assignments", seat, f"given to {holder[seat]} and {cert}")
        result[cert] = seat
        holder[seat] = cert
    for cert in deputies:
        kept = before.get(cert)
        if cert not in result and kept is not None and kept in index and kept not in holder:
            result[cert] = kept
            holder[kept] = cert
    newcomers: dict[str, list[str]] = {}
    for cert in deputies:
        if cert not in result:
            newcomers.setdefault(blocks.get(cert, ""), []).append(cert)
    if newcomers:
        free = [seat for seat in seats if seat not in holder]
        places = _Places(hall, index)
        for block, certs in newcomers.items():
            anchors = [result[c] for c in deputies if c in result and blocks.get(c, "") == block]
            for cert, seat in zip(certs, places.nearest(free, anchors, len(certs)), strict=True):
                result[cert] = seat
                holder[seat] = cert
            taken = set(holder)
            free = [seat for seat in free if seat not in taken]
    ordered = {cert: result[cert] for cert in deputies}
    plan = SeatPlan(hall_id=hall_id, assignments=ordered)
    return Replan(plan=plan, moves=plan_moves(before, ordered))


class _Places:
    """Distances between seats: in the hall when there is one, else along the walk."""

    def __init__(self, hall: Hall | None, index: Mapping[str, int]) -> None:
        self.hall = hall
        self.index = index

    def _seat(self, seat_id: str) -> Seat:
        assert self.hall is not None
        return self.hall.seat(seat_id)

    def distance(self, a: str, b: str) -> float:
        if self.hall is None:
            return float(abs(self.index[a] - self.index[b]))
        return _distance(self._seat(a), self._seat(b))

    def nearest(self, free: list[str], anchors: Iterable[str], count: int) -> list[str]:
        """``count`` free seats, each the nearest to the anchors and the seats chosen so
        far (ties: earlier in the walk); without anchors the first run of ``count``
        consecutive free seats along the walk, else the first free seats."""
        anchors = list(anchors)
        if not anchors:
            return self._first_run(free, count)
        best = {s: min(self.distance(s, a) for a in anchors) for s in free}
        chosen: list[str] = []
        for _ in range(count):
            seat = min(best, key=lambda s: (best[s], self.index[s]))
            chosen.append(seat)
            del best[seat]
            for other in best:
                best[other] = min(best[other], self.distance(other, seat))
        return chosen

    def _first_run(self, free: list[str], count: int) -> list[str]:
        run_start = 0
        for i in range(len(free)):
            if i and self.index[free[i]] != self.index[free[i - 1]] + 1:
                run_start = i
            if i - run_start + 1 == count:
                return free[run_start : i + 1]
        return free[:count]
