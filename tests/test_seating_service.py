"""Seat plans stored per hall: assigning, late changes with minimal moves, manual moves,
attendance zones with their takers, and the rostrum through the service."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

import lvzhi
from lvzhi.clock import FixedClock
from lvzhi.domain.halls import Hall
from lvzhi.domain.zones import Zone
from lvzhi.errors import Conflict, NotFound, ValidationError
from lvzhi.plugins import hookimpl
from lvzhi.samples.load import load_course

HALL_FILE = Path(str(resources.files("lvzhi.samples").joinpath("hall.toml")))


class Events:
    def __init__(self) -> None:
        self.seen: list[object] = []

    @hookimpl
    def lvzhi_handle_event(self, event: object) -> None:
        self.seen.append(event)


@pytest.fixture
def events() -> Events:
    return Events()


@pytest.fixture
def office(clock: FixedClock, events: Events) -> lvzhi.Secretariat:
    office = lvzhi.open("memory://", clock=clock, load_entrypoints=False, plugins=[events])
    load_course(office)
    office.halls.load_hall_file(HALL_FILE)
    return office


def seated(office: lvzhi.Secretariat) -> dict[str, str]:
    return dict(office.seating.plan_for("main-hall").assignments)


def test_halls_are_stored_and_listed(office: lvzhi.Secretariat) -> None:
    hall = office.halls.hall("main-hall")
    assert isinstance(hall, Hall) and hall.capacity == 380
    assert [h.id for h in office.halls.halls()] == ["main-hall"]
    with pytest.raises(NotFound):
        office.halls.hall("nowhere")


def test_assign_seats_every_deputy_in_blocks_and_stores_the_plan(
    office: lvzhi.Secretariat, events: Events
) -> None:
    result = office.seating.assign("main-hall", strategy="delegation_blocks")
    hall = office.halls.hall("main-hall")
    deputies = office.people.delegates()
    stored = seated(office)
    assert list(stored) == [d.key for d in deputies]  # every deputy, in official order
    assert stored == dict(result.plan.assignments)
    assert len(set(stored.values())) == 346
    for cert, seat_id in stored.items():
        seat = hall.seat(seat_id)
        assert seat.available, (cert, seat.label)
    assert all(m.kind == "seated" for m in result.moves) and len(result.moves) == 346
    # each delegation holds one contiguous run of the walk
    walk = hall.walk_ids()
    for unit in {d.delegation for d in deputies}:
        places = sorted(walk.index(stored[d.key]) for d in deputies if d.delegation == unit)
        assert places[-1] - places[0] == len(places) - 1, unit
    assigned = [e for e in events.seen if getattr(e, "name", "") == "seats.assigned"]
    assert [(e.moved, e.seated) for e in assigned] == [(0, 346)]  # type: ignore[attr-defined]

    again = office.seating.assign("main-hall", strategy="delegation_blocks")
    assert again.moves == () and seated(office) == stored


def test_a_blocked_seat_moves_only_its_deputy(office: lvzhi.Secretariat) -> None:
    office.seating.assign("main-hall", strategy="delegation_blocks")
    before = seated(office)
    cert, seat = next(iter(before.items()))
    office.halls.block("main-hall", seat)
    result = office.seating.assign("main-hall", strategy="delegation_blocks")
    after = seated(office)
    assert [(m.certificate_no, m.from_seat) for m in result.moves] == [(cert, seat)]
    assert after[cert] != seat and not office.halls.hall("main-hall").seat(after[cert]).blocked
    assert {c: s for c, s in after.items() if c != cert} == {
        c: s for c, s in before.items() if c != cert
    }


def test_a_withdrawn_deputy_loses_the_seat_and_nobody_moves(office: lvzhi.Secretariat) -> None:
    office.seating.assign("main-hall", strategy="delegation_blocks")
    before = seated(office)
    gone = office.people.delegates()[17].key
    with office.unit_of_work() as uow:
        uow.delegates.remove(gone)
    result = office.seating.assign("main-hall", strategy="delegation_blocks")
    assert [(m.certificate_no, m.kind) for m in result.moves] == [(gone, "withdrawn")]
    after = seated(office)
    assert gone not in after
    assert after == {c: s for c, s in before.items() if c != gone}


def test_fresh_lays_out_anew(office: lvzhi.Secretariat) -> None:
    office.seating.assign("main-hall")  # in_order
    first = seated(office)
    kept = office.seating.assign("main-hall", strategy="delegation_blocks")
    assert kept.moves == () and seated(office) == first
    fresh = office.seating.assign("main-hall", strategy="delegation_blocks", fresh=True)
    assert fresh.moves and seated(office) == dict(fresh.plan.assignments)


def test_manual_moves_refuse_blocked_reserved_and_taken_seats(office: lvzhi.Secretariat) -> None:
    office.seating.assign("main-hall", strategy="delegation_blocks")
    plan = seated(office)
    first, second = list(plan)[:2]
    with pytest.raises(ValidationError, match="20排19号.*blocked"):
        office.seating.move("main-hall", first, "20排19号")
    with pytest.raises(ValidationError, match="reserved"):
        office.seating.move("main-hall", first, "20排1号")
    occupant = office.people.delegate(second)
    with pytest.raises(Conflict, match=f"taken by {occupant.name} \\({second}\\)"):
        office.seating.move("main-hall", first, plan[second])
    assert seated(office) == plan  # refused moves change nothing
    free = next(s for s in office.halls.hall("main-hall").walk_ids() if s not in plan.values())
    move = office.seating.move("main-hall", first, free)
    assert (move.from_seat, move.to_seat) == (plan[first], free)
    assert seated(office) == {**plan, first: free}
    seat = office.seating.seat_of(first, "main-hall")
    assert seat is not None and seat.id == free
    with pytest.raises(NotFound):
        office.seating.move("main-hall", first, "99排1号")


def test_plan_for_a_hall_without_plan_is_not_found(office: lvzhi.Secretariat) -> None:
    with pytest.raises(NotFound, match="seat plan"):
        office.seating.plan_for("main-hall")
    with pytest.raises(NotFound, match="Hall"):
        office.seating.plan_for("elsewhere")


def test_an_unsound_plan_is_not_stored(office: lvzhi.Secretariat) -> None:
    first = office.people.delegates()[0].key
    with pytest.raises(ValidationError):
        office.seating.assign("main-hall", strategy="explicit", options={"assignments": {}})
    with pytest.raises(ValidationError):
        office.seating.assign(
            "main-hall", strategy="explicit", options={"assignments": {first: "20排19号"}}
        )
    with pytest.raises(NotFound):
        office.seating.plan_for("main-hall")


def test_zones_and_takers(office: lvzhi.Secretariat, events: Events) -> None:
    office.seating.assign("main-hall", strategy="delegation_blocks")
    zones = office.seating.zones_by("main-hall", 4, names=["一区", "二区", "三区", "四区"])
    hall = office.halls.hall("main-hall")
    assert [z.name for z in zones] == ["一区", "二区", "三区", "四区"]
    assert sorted(s for z in zones for s in z.seats) == sorted(s.id for s in hall.seats)
    assert [{hall.seat(s).section for s in z.seats} for z in zones] == [
        {"front-left"},
        {"front-right"},
        {"back-left"},
        {"back-right"},
    ]
    taker = office.seating.assign_taker(zones[0].id, "attendance_taker-01")
    assert taker.taker_id == "attendance_taker-01"
    organiser = office.seating.assign_taker(zones[1].id, "organiser-01")  # any role, recorded
    assert organiser.taker_id == "organiser-01"
    roles = [e.role for e in events.seen if getattr(e, "name", "") == "zone.taker_assigned"]  # type: ignore[attr-defined]
    assert roles == ["attendance_taker", "organiser"]
    with pytest.raises(NotFound, match="Official"):
        office.seating.assign_taker(zones[2].id, "nobody")
    stored = office.seating.zones("main-hall")
    assert [z.taker_id for z in stored] == ["attendance_taker-01", "organiser-01", None, None]
    for cert, seat_id in list(seated(office).items())[::40]:
        zone = office.seating.zone_of(cert, "main-hall")
        assert zone is not None and seat_id in zone.seats
    # zones made again keep their takers; bad zones are refused and change nothing
    again = office.seating.zones_by("main-hall", 4)
    assert [z.taker_id for z in again][:2] == ["attendance_taker-01", "organiser-01"]
    half = Zone(id="half", hall_id="main-hall", name="半场", seats=zones[0].seats)
    with pytest.raises(ValidationError, match="in no zone"):
        office.seating.set_zones("main-hall", [half])
    assert office.seating.zones("main-hall") == again


def test_rostrum_by_hall_and_by_session(office: lvzhi.Secretariat) -> None:
    leaders = [f"leader-{n:02d}" for n in range(1, 13)]
    seats = office.seating.rostrum("main-hall", leaders)
    assert [s.rank for s in seats] == list(range(1, 13))
    assert seats[0].label == "主席台1排1号" and seats[0].row == 1
    assert seats[7].label == "主席台2排1号"  # No. 8 opens the second row
    names = {o.id: o.name for o in office.people.officials(role="leader")}
    assert [s.name for s in seats] == [names[o] for o in leaders]
    session = office.programme.timetable()[0]
    assert office.seating.rostrum(session.id, leaders) == seats
    right = office.seating.rostrum("main-hall", leaders[:6], even_rule="right")
    assert [s.index for s in sorted(right, key=lambda s: s.index)] == [1, 2, 3, 4, 5, 6]
    assert right[0].index == 4  # No. 1 on the right of the centre pair, from the audience
    with pytest.raises(NotFound):
        office.seating.rostrum("main-hall", ["leader-01", "nobody"])
    with pytest.raises(NotFound):
        office.seating.rostrum("nowhere", leaders)
