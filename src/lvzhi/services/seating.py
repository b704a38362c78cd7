"""Seating: a registered seating strategy places the deputies on the seats of a hall; the
plan is stored per hall (and programme) and kept when the roster or the hall changes late;
attendance zones with their takers; the rostrum order."""

from __future__ import annotations

import builtins
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from lvzhi.bus import Transaction
from lvzhi.domain.events import SeatMoved, SeatsAssigned, TakerAssigned, ZonesSet
from lvzhi.domain.halls import WALK_ORDERS, Hall, Seat
from lvzhi.domain.rostrum import EvenRule, Honour, RostrumSeat, seat_rostrum
from lvzhi.domain.seating import Move, Replan, SeatPlan, plan_moves
from lvzhi.domain.zones import Zone, zone_problems, zones_along_walk
from lvzhi.errors import Conflict, NotFound, PluginError, ValidationError
from lvzhi.i18n import _
from lvzhi.ports import SeatingContext, UnitOfWork
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

    # -- stored plans -----------------------------------------------------------------------
    def assign(
        self,
        hall_id: str,
        *,
        strategy: str | None = None,
        options: Mapping[str, Any] | None = None,
        programme_id: str | None = None,
        fresh: bool = False,
    ) -> Replan:
        """Seat every deputy of the roster (official order) in the stored hall ``hall_id``
        with the strategy ``strategy`` (default ``Settings.seating_strategy``), store the
        plan and return it with the moves from the plan stored before.

        The plan serves every session held in the hall (for ``programme_id`` when given):
        deputies on approved leave keep their seats.  With a stored plan the strategy moves
        as few deputies as possible (:func:`lvzhi.domain.seating.replan`): running again
        with the same input changes nothing, a seat blocked since moves only its deputy, a
        deputy withdrawn from the roster loses the seat and nobody else moves.  ``fresh``
        ignores the stored plan and lays the hall out anew."""
        name = strategy or self._ctx.settings.seating_strategy
        registry = self._ctx.registries.seating
        registry.entry(name)
        chosen = dict(options or {})
        with self._ctx.write() as tx:
            uow = tx.uow
            hall = uow.halls.get(hall_id)
            if programme_id is not None:
                uow.programmes.get(programme_id)
            units = uow.delegations.list()
            deputies = self._ctx.official_order(uow.delegates.list(), {u.code: u for u in units})
            seats = _walk_of(hall, chosen)
            if len(deputies) > len(seats):
                raise ValidationError(
                    "seats",
                    len(seats),
                    _("hall {hall} offers fewer seats than the {count} deputies to seat").format(
                        hall=hall.id, count=len(deputies)
                    ),
                )
            stored = uow.seat_plans.find(_plan_key(hall_id, programme_id))
            context = SeatingContext(
                delegates=tuple(deputies),
                delegations=tuple(sorted(units, key=lambda d: (d.order, d.code))),
                seats=seats,
                options=chosen,
                hall=hall,
                previous=None if fresh else stored,
            )
            answer = dict(registry.call(name, "assign", lambda s: s.assign(context)))
            problems = check_assignment(answer, [d.key for d in deputies], seats)
            if problems:
                raise PluginError(
                    f"seating strategy {name!r} (plugin {registry.plugin_of(name)!r}) gave an "
                    f"unsound plan: {'; '.join(problems)}"
                )
            plan = SeatPlan(
                hall_id=hall.id,
                programme_id=programme_id,
                assignments={d.key: answer[d.key] for d in deputies},
            )
            moves = plan_moves(stored.assignments if stored else {}, plan.assignments)
            uow.seat_plans.put(plan)
            tx.emit(
                SeatsAssigned(
                    occurred_at=self._ctx.now(),
                    hall_id=hall.id,
                    moved=sum(1 for m in moves if m.kind == "moved"),
                    seated=len(plan.assignments),
                    programme_id=programme_id,
                )
            )
        return Replan(plan=plan, moves=moves)

    def move(
        self, hall_id: str, certificate_no: str, seat: str, *, programme_id: str | None = None
    ) -> Move:
        """Move one deputy by hand to ``seat`` (id or label) of the hall's stored plan.  A
        seat that is blocked, reserved or taken is refused, naming it (and its occupant)."""
        with self._ctx.write() as tx:
            uow = tx.uow
            hall = uow.halls.get(hall_id)
            plan = _stored_plan(uow, hall_id, programme_id)
            uow.delegates.get(certificate_no)
            target = hall.seat(seat)
            if target.blocked or target.reserved:
                state = _("blocked") if target.blocked else _("reserved")
                raise ValidationError(
                    "seat",
                    seat,
                    _("seat {label} ({id}) is {state}").format(
                        label=target.label, id=target.id, state=state
                    ),
                )
            holder = plan.occupant(target.id)
            if holder is not None and holder != certificate_no:
                raise Conflict(
                    _("seat {label} ({id}) is taken by {holder}").format(
                        label=target.label, id=target.id, holder=_who(uow, holder)
                    )
                )
            before = plan.seat_of(certificate_no)
            changed = dict(plan.assignments)
            changed[certificate_no] = target.id
            uow.seat_plans.put(attrs.evolve(plan, assignments=changed))
            if before != target.id:
                tx.emit(
                    SeatMoved(
                        occurred_at=self._ctx.now(),
                        hall_id=hall_id,
                        certificate_no=certificate_no,
                        from_seat=before,
                        to_seat=target.id,
                    )
                )
        return Move(certificate_no=certificate_no, from_seat=before, to_seat=target.id)

    def plan_for(self, hall_id: str, programme_id: str | None = None) -> SeatPlan:
        """The stored plan of a hall (and programme); :class:`~lvzhi.errors.NotFound`
        when none was made."""
        with self._ctx.read() as uow:
            return _stored_plan(uow, hall_id, programme_id)

    def seat_of(
        self, certificate_no: str, hall_id: str, programme_id: str | None = None
    ) -> Seat | None:
        """The seat of a deputy in the hall's stored plan, or ``None`` when not seated."""
        with self._ctx.read() as uow:
            hall = uow.halls.get(hall_id)
            seat = _stored_plan(uow, hall_id, programme_id).seat_of(certificate_no)
        return None if seat is None else hall.seat(seat)

    # -- zones and their attendance takers ----------------------------------------------------
    def set_zones(self, hall_id: str, zones: Sequence[Zone]) -> builtins.list[Zone]:
        """Replace the hall's attendance zones: every seat of the hall in exactly one zone
        (:func:`lvzhi.domain.zones.zone_problems`).  A zone given without a taker keeps the
        taker of the stored zone with the same id."""
        with self._ctx.write() as tx:
            return self._store_zones(tx, tx.uow.halls.get(hall_id), zones)

    def zones_by(
        self, hall_id: str, count: int, *, names: Sequence[str] = ()
    ) -> builtins.list[Zone]:
        """Split the hall into ``count`` zones (by section when it has that many sections,
        else runs of its walk; :func:`lvzhi.domain.zones.zones_along_walk`) and store them
        as :meth:`set_zones` does."""
        with self._ctx.write() as tx:
            hall = tx.uow.halls.get(hall_id)
            zones = zones_along_walk(hall, count, names=names)
            return self._store_zones(tx, hall, zones)

    def _store_zones(
        self, tx: Transaction, hall: Hall, zones: Sequence[Zone]
    ) -> builtins.list[Zone]:
        uow = tx.uow
        problems = zone_problems(hall, zones)
        if problems:
            raise ValidationError("zones", len(zones), "; ".join(problems))
        old = {z.id: z for z in uow.zones.select(hall_id=hall.id)}
        kept = [
            attrs.evolve(z, taker_id=old[z.id].taker_id)
            if z.taker_id is None and z.id in old
            else z
            for z in zones
        ]
        for zone_id in old:
            uow.zones.remove(zone_id)
        uow.zones.put_many(kept)
        tx.emit(
            ZonesSet(
                occurred_at=self._ctx.now(),
                hall_id=hall.id,
                zone_ids=tuple(z.id for z in kept),
            )
        )
        return _in_walk_order(hall, kept)

    def assign_taker(self, zone_id: str, official_id: str) -> Zone:
        """Make an official the zone's attendance taker.  The official must exist; any role
        is accepted (offices assign whichever staff they have) and recorded in the event
        (``attendance_taker`` is the usual one)."""
        with self._ctx.write() as tx:
            zone = tx.uow.zones.get(zone_id)
            official = tx.uow.officials.get(official_id)
            changed = attrs.evolve(zone, taker_id=official.id)
            tx.uow.zones.put(changed)
            tx.emit(
                TakerAssigned(
                    occurred_at=self._ctx.now(),
                    zone_id=zone.id,
                    official_id=official.id,
                    role=official.role.value,
                )
            )
        return changed

    def zones(self, hall_id: str) -> builtins.list[Zone]:
        """The hall's zones in walk order (the zone of the first seat walked first)."""
        with self._ctx.read() as uow:
            hall = uow.halls.get(hall_id)
            items = uow.zones.select(hall_id=hall_id)
        return _in_walk_order(hall, items)

    def zone_of(
        self, certificate_no: str, hall_id: str, programme_id: str | None = None
    ) -> Zone | None:
        """The zone of a deputy's seat in the hall's stored plan (``None`` when the deputy
        has no seat or the seat is in no zone)."""
        with self._ctx.read() as uow:
            seat = _stored_plan(uow, hall_id, programme_id).seat_of(certificate_no)
            zones = uow.zones.select(hall_id=hall_id)
        return next((z for z in zones if seat in z.seats), None) if seat else None

    # -- rostrum --------------------------------------------------------------------------------
    def rostrum(
        self,
        place: str,
        precedence: Sequence[str],
        *,
        honour: Honour = "left",
        even_rule: EvenRule | None = None,
    ) -> builtins.list[RostrumSeat]:
        """Seat the leaders ``precedence`` (official ids, No. 1 first) on the rostrum of the
        hall ``place`` — a hall id, or a session id: the hall with the id of the session's
        venue, else the only stored hall — by :func:`lvzhi.domain.rostrum.seat_rostrum`
        (``honour``, ``even_rule`` as there).  Every official must exist."""
        with self._ctx.read() as uow:
            hall = _hall_of(uow, place)
            officials = [uow.officials.get(o) for o in dict.fromkeys(precedence)]
        if hall.rostrum is None:
            raise ValidationError("hall", hall.id, _("has no rostrum"))
        return list(
            seat_rostrum(
                precedence,
                hall.rostrum,
                honour=honour,
                even_rule=even_rule,
                officials=officials,
            )
        )


def _plan_key(hall_id: str, programme_id: str | None) -> str:
    return hall_id if programme_id is None else f"{programme_id}.{hall_id}"


def _stored_plan(uow: UnitOfWork, hall_id: str, programme_id: str | None) -> SeatPlan:
    plan = uow.seat_plans.find(_plan_key(hall_id, programme_id))
    if plan is None:
        uow.halls.get(hall_id)
        raise NotFound("seat plan of hall", hall_id)
    return plan


def _walk_of(hall: Hall, options: Mapping[str, Any]) -> tuple[str, ...]:
    """The hall's available seats in the walk the options ask for (the strategy checks
    them; an unknown walk falls back to rows here)."""
    order = options.get("walk", "rows")
    serpentine = options.get("serpentine", False)
    if order not in WALK_ORDERS or not isinstance(serpentine, bool):
        return hall.walk_ids()
    return hall.walk_ids(order, serpentine=serpentine)


def _in_walk_order(hall: Hall, zones: Sequence[Zone]) -> builtins.list[Zone]:
    index = {s.id: i for i, s in enumerate(hall.walk(include_unavailable=True))}
    return sorted(zones, key=lambda z: (min(index.get(s, 1 << 30) for s in z.seats), z.id))


def _who(uow: UnitOfWork, certificate_no: str) -> str:
    deputy = uow.delegates.find(certificate_no)
    return certificate_no if deputy is None else f"{deputy.name} ({certificate_no})"


def _hall_of(uow: UnitOfWork, place: str) -> Hall:
    hall = uow.halls.find(place)
    if hall is not None:
        return hall
    session = uow.sessions.find(place)
    if session is None:
        raise NotFound("hall or session", place)
    if session.venue_id is not None:
        hall = uow.halls.find(session.venue_id)
        if hall is not None:
            return hall
    halls = uow.halls.list()
    if len(halls) == 1:
        return halls[0]
    raise ValidationError(
        "session",
        place,
        _("its venue is no stored hall; name the hall (stored: {halls})").format(
            halls=", ".join(sorted(h.id for h in halls)) or _("none")
        ),
    )
