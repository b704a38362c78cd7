"""Seating: a registered seating strategy places the deputies on the seats of a hall."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from lvzhi.errors import PluginError, ValidationError
from lvzhi.ports import SeatingContext
from lvzhi.services.context import Service

__all__ = ["SeatingService", "check_assignment"]


def check_assignment(
    assignment: Mapping[str, str], deputies: Sequence[str], seats: Sequence[str]
) -> list[str]:
    """What is wrong with a seating: deputies not seated or unknown, seats used twice or not
    offered.  Empty when the assignment is sound."""
    problems: list[str] = []
    wanted = set(deputies)
    given = set(assignment)
    if wanted - given:
        problems.append(f"not seated: {', '.join(sorted(wanted - given)[:5])}")
    if given - wanted:
        problems.append(f"not on the list: {', '.join(sorted(given - wanted)[:5])}")
    offered = set(seats)
    used: dict[str, str] = {}
    for deputy, seat in sorted(assignment.items()):
        if seat not in offered:
            problems.append(f"seat {seat!r} (given to {deputy}) is not offered")
        elif seat in used:
            problems.append(f"seat {seat!r} given to both {used[seat]} and {deputy}")
        used.setdefault(seat, deputy)
    return problems


class SeatingService(Service):
    """``office.seating``: seat plans through the registered strategies."""

    def plan(
        self,
        seats: Sequence[str],
        *,
        strategy: str | None = None,
        delegation: str | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> dict[str, str]:
        """``{certificate_no: seat}`` for every deputy (of one ``delegation`` if given),
        seated by the strategy ``strategy`` (default ``Settings.seating_strategy``) on
        ``seats`` given in walk order.  The strategy's answer is checked: every deputy
        seated once, no seat used twice, only offered seats."""
        if len(set(seats)) != len(seats):
            raise ValidationError("seats", list(seats), "lists a seat more than once")
        name = strategy or self._ctx.settings.seating_strategy
        registry = self._ctx.registries.seating
        registry.entry(name)
        with self._ctx.read() as uow:
            units = uow.delegations.list()
            items = (
                uow.delegates.select(delegation=delegation) if delegation else uow.delegates.list()
            )
        deputies = self._ctx.official_order(items, {u.code: u for u in units})
        if len(deputies) > len(seats):
            raise ValidationError(
                "seats", len(seats), f"are fewer than the {len(deputies)} deputies to seat"
            )
        context = SeatingContext(
            delegates=tuple(deputies),
            delegations=tuple(sorted(units, key=lambda d: (d.order, d.code))),
            seats=tuple(seats),
            options=dict(options or {}),
        )
        assignment = dict(registry.call(name, "assign", lambda s: s.assign(context)))
        problems = check_assignment(assignment, [d.key for d in deputies], seats)
        if problems:
            raise PluginError(
                f"seating strategy {name!r} (plugin {registry.plugin_of(name)!r}) gave an "
                f"unsound plan: {'; '.join(problems)}"
            )
        return assignment
