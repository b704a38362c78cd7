"""Built-in seating strategies.

``in_order``
    The deputies, as given (official order: delegation by delegation, each by name), fill
    the seats as given (walk order).
``delegation_blocks``
    Each delegation takes one contiguous run along the hall's walk, delegations in the
    official order of units (the order given, the garrison last) or rotated by
    ``options["rotate"]`` units; members in the order given (name order), the delegation's
    leading deputy (``options["leaders"]``: delegation code → certificate number) first, on
    the block's front seat.  No delegation runs over an aisle when it can be avoided.
``by_group``
    The same, by discussion group: ``options["groups"]`` maps each group to its
    certificate numbers; groups in number order, members in official order; deputies in no
    group follow the last group.
``explicit``
    ``options["assignments"]`` maps every certificate number to a seat (its id or label,
    e.g. read from a spreadsheet); unknown seats, unknown or missing deputies and seats
    given twice are errors naming them.

With ``context.hall`` the walk is the hall's: ``options["walk"]`` ``"rows"`` (default) or
``"columns"``, ``options["serpentine"]`` (default ``False``), restricted to the seats
offered; without it the seats offered, in their order, are the walk and there are no
aisles.  With ``context.previous`` every strategy returns the plan that moves the fewest
deputies from the previous one (:func:`lvzhi.domain.seating.replan`), blocks being
delegations (groups for ``by_group``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from lvzhi.domain.halls import WALK_ORDERS, Hall
from lvzhi.domain.seating import SeatPlan, lay_out_runs, replan
from lvzhi.errors import ValidationError
from lvzhi.plugins import hookimpl
from lvzhi.ports import SeatingContext, SeatingStrategy

__all__ = ["ByGroup", "DelegationBlocks", "Explicit", "InOrder"]


@attrs.frozen
class _Walk:
    """The offered seats in walk order and where a new section starts."""

    seats: tuple[str, ...]
    boundaries: tuple[int, ...]


def _too_few(deputies: int, seats: int) -> None:
    if deputies > seats:
        raise ValidationError("seats", seats, f"are fewer than the {deputies} deputies to seat")


def _walk(context: SeatingContext) -> _Walk:
    options = context.options
    order = options.get("walk", "rows")
    if order not in WALK_ORDERS:
        raise ValidationError("options.walk", order, "must be 'rows' or 'columns'")
    serpentine = options.get("serpentine", False)
    if not isinstance(serpentine, bool):
        raise ValidationError("options.serpentine", serpentine, "must be true or false")
    hall = context.hall
    if hall is None:
        return _Walk(context.seats, ())
    walked = hall.walk_ids(order, serpentine=serpentine)
    cuts = hall.walk_boundaries(order, serpentine=serpentine)
    if context.seats is walked or context.seats == walked:
        return _Walk(walked, cuts)
    offered = _offered(hall, context.seats)
    seats: list[str] = []
    boundaries: list[int] = []
    cut = set(cuts)
    pending = False
    for i, seat_id in enumerate(walked):
        pending = pending or i in cut
        key = offered.get(seat_id)
        if key is not None:
            if pending and seats:
                boundaries.append(len(seats))
            pending = False
            seats.append(key)
    return _Walk(tuple(seats), tuple(boundaries))


def _offered(hall: Hall, seats: Sequence[str]) -> dict[str, str]:
    """Seat id → the string offered for it (its id or its label)."""
    out: dict[str, str] = {}
    unknown: list[str] = []
    for key in seats:
        seat = hall.find(key)
        if seat is None:
            unknown.append(key)
        else:
            out[seat.id] = key
    if unknown:
        raise ValidationError("seats", unknown[:5], f"not seats of hall {hall.id!r}")
    return out


def _replan(context: SeatingContext, walk: _Walk, blocks: Mapping[str, str]) -> dict[str, str]:
    previous = context.previous
    hall = context.hall
    if isinstance(previous, SeatPlan) and hall is not None and previous.hall_id != hall.id:
        raise ValidationError(
            "previous", previous.hall_id, f"is a plan for another hall than {hall.id!r}"
        )
    result = replan(
        previous,
        deputies=[d.key for d in context.delegates],
        blocks=blocks,
        seats=walk.seats,
        hall=hall,
    )
    return dict(result.plan.assignments)


def _unit_blocks(context: SeatingContext) -> list[tuple[str, list[str]]]:
    """Delegations with deputies to seat, in the order given, each with its deputies."""
    members: dict[str, list[str]] = {}
    for d in context.delegates:
        members.setdefault(d.delegation, []).append(d.key)
    order = [u.code for u in context.delegations if u.code in members]
    listed = set(order)
    order += [code for code in members if code not in listed]
    return [(code, members[code]) for code in order]


def _place(
    context: SeatingContext,
    walk: _Walk,
    blocks: list[tuple[str, list[str]]],
    leaders: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Lay the blocks out as runs of the walk; a block's leader on its front seat."""
    starts = lay_out_runs([len(c) for _, c in blocks], len(walk.seats), walk.boundaries)
    plan: dict[str, str] = {}
    for (key, certs), start in zip(blocks, starts, strict=True):
        run = list(walk.seats[start : start + len(certs)])
        leader = (leaders or {}).get(key)
        if leader is not None:
            certs = [leader, *(c for c in certs if c != leader)]
            front = _front(context.hall, run)
            run.insert(0, run.pop(front))
        plan.update(zip(certs, run, strict=True))
    return plan


def _front(hall: Hall | None, run: list[str]) -> int:
    """Index in ``run`` of its front seat: the first of the front-most row in the walk."""
    if hall is None or not run:
        return 0
    rows = [(hall.seat(s).floor, hall.seat(s).row) for s in run]
    return rows.index(min(rows))


class InOrder:
    """Seat the deputies, as given (official order), on the seats, as given (walk order)."""

    name = "in_order"

    def assign(self, context: SeatingContext) -> Mapping[str, str]:
        _too_few(len(context.delegates), len(context.seats))
        if context.previous is not None:
            blocks = {d.key: d.delegation for d in context.delegates}
            return _replan(context, _Walk(context.seats, ()), blocks)
        return {d.key: seat for d, seat in zip(context.delegates, context.seats, strict=False)}


class DelegationBlocks:
    """Each delegation one contiguous run of the walk, not over an aisle if avoidable."""

    name = "delegation_blocks"

    def assign(self, context: SeatingContext) -> Mapping[str, str]:
        walk = _walk(context)
        _too_few(len(context.delegates), len(walk.seats))
        if context.previous is not None:
            return _replan(context, walk, {d.key: d.delegation for d in context.delegates})
        blocks = _unit_blocks(context)
        rotate = context.options.get("rotate", 0)
        if isinstance(rotate, bool) or not isinstance(rotate, int):
            raise ValidationError("options.rotate", rotate, "must be a whole number of units")
        if blocks and rotate:
            k = rotate % len(blocks)
            blocks = blocks[k:] + blocks[:k]
        return _place(context, walk, blocks, _leaders(context, blocks))


def _leaders(context: SeatingContext, blocks: list[tuple[str, list[str]]]) -> dict[str, str]:
    leaders = context.options.get("leaders") or {}
    if not isinstance(leaders, Mapping):
        raise ValidationError("options.leaders", leaders, "must map delegation codes to deputies")
    members = dict(blocks)
    for code, cert in leaders.items():
        if code not in members:
            raise ValidationError("options.leaders", code, "no deputy of this delegation to seat")
        if cert not in members[code]:
            raise ValidationError(
                "options.leaders", cert, f"is not a deputy of delegation {code!r} to seat"
            )
    return dict(leaders)


def _group_order(key: object) -> tuple[int, int, str]:
    """Groups in number order: 2 before 10, 第2组 before 第10组, then by name."""
    if isinstance(key, int) and not isinstance(key, bool):
        return (0, key, "")
    digits = re.search(r"\d+", str(key))
    return (0, int(digits.group()), str(key)) if digits else (1, 0, str(key))


class ByGroup:
    """Each discussion group one contiguous run of the walk, groups in number order."""

    name = "by_group"

    def assign(self, context: SeatingContext) -> Mapping[str, str]:
        walk = _walk(context)
        _too_few(len(context.delegates), len(walk.seats))
        groups = context.options.get("groups") or {}
        if not isinstance(groups, Mapping):
            raise ValidationError("options.groups", groups, "must map groups to deputies")
        rank = {d.key: i for i, d in enumerate(context.delegates)}
        group_of: dict[str, str] = {}
        for group in sorted(groups, key=_group_order):
            for cert in groups[group]:
                if cert not in rank:
                    raise ValidationError(
                        f"options.groups[{group!r}]", cert, "is not a deputy to seat"
                    )
                if cert in group_of:
                    raise ValidationError(
                        "options.groups", cert, f"is in groups {group_of[cert]!r} and {group!r}"
                    )
                group_of[cert] = str(group)
        if context.previous is not None:
            blocks = {d.key: group_of.get(d.key, "") for d in context.delegates}
            return _replan(context, walk, blocks)
        laid: list[tuple[str, list[str]]] = []
        for group in sorted(groups, key=_group_order):
            certs = sorted(set(groups[group]), key=rank.__getitem__)
            if certs:
                laid.append((str(group), certs))
        rest = [d.key for d in context.delegates if d.key not in group_of]
        if rest:
            laid.append(("", rest))
        return _place(context, walk, laid)


class Explicit:
    """The seats given in ``options["assignments"]`` (certificate number → seat id or
    label)."""

    name = "explicit"

    def assign(self, context: SeatingContext) -> Mapping[str, str]:
        _too_few(len(context.delegates), len(context.seats))
        given = context.options.get("assignments") or {}
        if not isinstance(given, Mapping):
            raise ValidationError("options.assignments", given, "must map deputies to seats")
        deputies = {d.key for d in context.delegates}
        unknown = [c for c in given if c not in deputies]
        if unknown:
            raise ValidationError("options.assignments", unknown[:5], "are not deputies to seat")
        resolved = {cert: _resolve(context, seat) for cert, seat in given.items()}
        if context.previous is not None:
            blocks = {d.key: d.delegation for d in context.delegates}
            walk = _walk(context)
            result = replan(
                context.previous,
                deputies=[d.key for d in context.delegates],
                blocks=blocks,
                seats=walk.seats,
                hall=context.hall,
                pinned=resolved,
            )
            return dict(result.plan.assignments)
        missing = [d.key for d in context.delegates if d.key not in given]
        if missing:
            raise ValidationError(
                "options.assignments", missing[:5], f"{len(missing)} deputies have no seat"
            )
        holder: dict[str, str] = {}
        for cert, seat in resolved.items():
            if seat in holder:
                raise ValidationError(
                    "options.assignments", seat, f"given to both {holder[seat]} and {cert}"
                )
            holder[seat] = cert
        return {d.key: resolved[d.key] for d in context.delegates}


def _resolve(context: SeatingContext, key: Any) -> str:
    """The offered seat a given seat (id or label) stands for."""
    offered = set(context.seats)
    if key in offered:
        return str(key)
    if context.hall is not None and isinstance(key, str):
        seat = context.hall.find(key.strip())
        if seat is not None:
            for candidate in (seat.id, seat.label):
                if candidate in offered:
                    return candidate
            raise ValidationError("options.assignments", key, "is a seat not offered")
    raise ValidationError("options.assignments", key, "is not a seat of the hall")


@hookimpl
def lvzhi_register_seating_strategies() -> list[SeatingStrategy]:
    return [InOrder(), DelegationBlocks(), ByGroup(), Explicit()]
