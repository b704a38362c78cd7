"""The seating and group parts of ``lvzhi demo``: the deputies seated in the sample hall by
delegation, four attendance zones each with its taker, the leaders of the opening session
on the rostrum, and the 12 discussion groups with conveners, recorders and attending
leaders."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import attrs

from lvzhi.domain import DiscussionGroup, Programme
from lvzhi.domain.rostrum import RostrumSeat
from lvzhi.domain.zones import Zone
from lvzhi.hallfiles import load_hall
from lvzhi.secretariat import Secretariat

__all__ = [
    "GROUP_COUNT",
    "HALL_ID",
    "SEATING_EXPORTS",
    "ZONE_NAMES",
    "Seated",
    "export_seating",
    "form_groups",
    "rostrum_precedence",
    "sample_hall_path",
    "seat_deputies",
    "seating_options",
]

HALL_ID = "hall"  # the plenary venue of the sample course: sessions there use its seats
GROUP_COUNT = 12
ZONE_NAMES = ("一区", "二区", "三区", "四区")
#: The printed seating outputs, exported when their reports are registered.
SEATING_EXPORTS: tuple[tuple[str, str], ...] = (
    ("seating-chart", "xlsx"),
    ("seating-chart", "html"),
    ("signin", "xlsx"),
    ("seats", "csv"),
)


def sample_hall_path() -> Path:
    """The sample hall file shipped with lvzhi (400 seats, aisle down the middle)."""
    return Path(str(resources.files("lvzhi.samples").joinpath("hall.toml")))


def rostrum_precedence(office: Secretariat) -> list[str]:
    """The Standing Committee's leaders in order of precedence (their ids number them)."""
    return sorted(o.id for o in office.people.officials(role="leader"))


@attrs.frozen(kw_only=True)
class Seated:
    """What the seating step did."""

    hall: str
    capacity: int
    seated: int
    zones: tuple[Zone, ...]
    takers: dict[str, str]  # zone id -> the taker's name
    rostrum: tuple[RostrumSeat, ...]
    rostrum_rows: int


def seat_deputies(office: Secretariat, opening_session: str) -> Seated:
    """Store the sample hall, seat every deputy by delegation (the garrison last), split the
    hall into four zones by block, give each an attendance taker and seat the leaders of the
    opening session on the rostrum."""
    venue = next(v for v in office.programme.venues() if v.id == HALL_ID)
    drawn = load_hall(sample_hall_path())
    hall = office.halls.save_hall(attrs.evolve(drawn, id=venue.id, name=venue.name))
    result = office.seating.assign(hall.id, strategy="delegation_blocks")
    zones = office.seating.zones_by(hall.id, len(ZONE_NAMES), names=ZONE_NAMES)
    takers = sorted(o.id for o in office.people.officials(role="attendance_taker"))
    names = {o.id: o.name for o in office.people.officials()}
    zones = [
        office.seating.assign_taker(zone.id, takers[i % len(takers)])
        for i, zone in enumerate(zones)
    ]
    rostrum = office.seating.rostrum(opening_session, rostrum_precedence(office))
    return Seated(
        hall=hall.name,
        capacity=hall.capacity,
        seated=len(result.plan.assignments),
        zones=tuple(zones),
        takers={z.id: names.get(z.taker_id or "", "") for z in zones},
        rostrum=tuple(rostrum),
        rostrum_rows=len({s.row for s in rostrum}),
    )


def form_groups(office: Secretariat, programme: Programme) -> list[DiscussionGroup]:
    """Form the 12 balanced groups, each in its room, and name each group's convener,
    recorder and attending leaders: one leader of the Standing Committee and, in turn,
    the leading official of a delegation."""
    office.groups.form(
        GROUP_COUNT,
        programme_id=programme.id,
        strategy="balanced",
        topic="如何更好地依法履职",
        venue_ids=[f"room-{n:02d}" for n in range(1, GROUP_COUNT + 1)],
    )
    conveners = sorted(o.id for o in office.people.officials(role="group_convener"))
    recorders = sorted(
        o.id for o in office.people.officials(role="organiser") if o.id.startswith("recorder-")
    )
    leaders = rostrum_precedence(office)
    heads = [d.leader_id for d in office.people.delegations() if d.leader_id]
    groups = []
    for i, group in enumerate(office.groups.list(programme.id)):
        attending = [leaders[i % len(leaders)]]
        if heads:
            attending.append(heads[i % len(heads)])
        groups.append(
            office.groups.assign(
                group.id,
                convener=conveners[i % len(conveners)] if conveners else None,
                recorder=recorders[i % len(recorders)] if recorders else None,
                leaders=attending,
            )
        )
    return groups


def export_seating(
    office: Secretariat, programme_id: str, opening_session: str, folder: Path
) -> list[Path]:
    """Write the seating chart (with the rostrum), the sign-in sheets of the opening session
    and the seat list, for those of :data:`SEATING_EXPORTS` whose reports are registered."""
    registered = set(office.registries.reports.names())
    written: list[Path] = []
    for table, fmt in SEATING_EXPORTS:
        if table not in registered:
            continue
        target = folder / f"{table}.{fmt}"
        options = seating_options(office, table, opening_session)
        office.reports.export(table, fmt, target, programme_id=programme_id, options=options)
        written.append(target)
    return written


def seating_options(office: Secretariat, report: str, opening_session: str) -> dict[str, Any]:
    """The options the demo gives a report of the hall: the hall, the opening session's
    rostrum for the chart, the opening session for sign-in sheets."""
    options: dict[str, Any] = {"hall": HALL_ID}
    if report == "seating-chart":
        options["rostrum"] = rostrum_precedence(office)
    elif report == "signin":
        options["session"] = opening_session
    return options
