"""Zones (签到区): runs of seats of a hall, each with the official who takes attendance
there (the seed: attendance is taken zone by zone by assigned staff)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs

from lvzhi.domain import _fields as f
from lvzhi.domain.halls import Hall
from lvzhi.errors import ValidationError

__all__ = ["Zone", "zone_problems", "zones_along_walk"]


def _seat_ids(instance: Zone, attribute: attrs.Attribute[tuple[str, ...]], value: object) -> None:
    if not isinstance(value, tuple) or not value:
        f.fail(instance, attribute, value, "needs at least one seat")
        return
    seen: set[str] = set()
    for seat in value:
        if not isinstance(seat, str) or not seat:
            f.fail(instance, attribute, seat, "seat ids must be text")
        if seat in seen:
            f.fail(instance, attribute, seat, "lists a seat twice")
        seen.add(seat)


@attrs.frozen(kw_only=True)
class Zone:
    """A run of seats of one hall (seat ids, in walk order) and its attendance taker."""

    id: str = attrs.field(validator=f.identifier)
    hall_id: str = attrs.field(validator=f.identifier)
    name: str = attrs.field(converter=f.clean_text, validator=f.non_empty)
    seats: tuple[str, ...] = attrs.field(converter=f.str_tuple, validator=_seat_ids)
    taker_id: str | None = attrs.field(default=None, validator=f.optional_identifier)

    @property
    def key(self) -> str:
        return self.id


def zone_problems(hall: Hall, zones: Iterable[Zone]) -> list[str]:
    """What keeps ``zones`` from covering ``hall``: every seat must be in exactly one zone of
    that hall, and every zone's seats must be seats of the hall.  Empty when they do."""
    problems: list[str] = []
    owner: dict[str, str] = {}
    for zone in zones:
        if zone.hall_id != hall.id:
            problems.append(f"zone {zone.id!r} belongs to hall {zone.hall_id!r}")
            continue
        for seat_id in zone.seats:
            if hall.find(seat_id) is None:
                problems.append(f"zone {zone.id!r}: the hall has no seat {seat_id!r}")
            elif seat_id in owner:
                problems.append(f"seat {seat_id!r} is in zones {owner[seat_id]!r} and {zone.id!r}")
            else:
                owner[seat_id] = zone.id
    missing = [s.id for s in hall.seats if s.id not in owner]
    if missing:
        shown = ", ".join(missing[:5]) + (" …" if len(missing) > 5 else "")
        problems.append(f"{len(missing)} seat(s) in no zone: {shown}")
    return problems


def zones_along_walk(
    hall: Hall, count: int, *, names: Sequence[str] = (), prefix: str = "zone"
) -> list[Zone]:
    """Split the hall into ``count`` zones: by section when the hall has exactly ``count``
    sections, else ``count`` runs of its walk (every seat, blocked ones too) of nearly equal
    length.  Named ``names[i]`` or ``A区``, ``B区``, …"""
    if count < 1:
        raise ValidationError("count", count, "must be at least 1")
    sections = hall.sections
    if len(sections) == count:
        runs = [[seat.id for seat in section.seats] for section in sections]
    else:
        walk = [seat.id for seat in hall.walk(include_unavailable=True)]
        if count > len(walk):
            raise ValidationError("count", count, f"is more than the {len(walk)} seats")
        runs = [walk[i * len(walk) // count : (i + 1) * len(walk) // count] for i in range(count)]
    return [
        Zone(
            id=f"{hall.id}.{prefix}{n}",
            hall_id=hall.id,
            name=names[n - 1] if n - 1 < len(names) else f"{chr(ord('A') + n - 1)}区",
            seats=tuple(run),
        )
        for n, run in enumerate(runs, start=1)
    ]
