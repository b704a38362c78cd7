"""Zones cover a hall: every seat in exactly one zone."""

from __future__ import annotations

import pytest

from lvzhi.domain.hall_layout import SectionSpec, build_hall, uniform_rows
from lvzhi.domain.halls import Hall
from lvzhi.domain.zones import Zone, zone_problems, zones_along_walk
from lvzhi.errors import ValidationError


def _hall(sections: int = 4) -> Hall:
    return build_hall(
        id="hall",
        name="报告厅",
        sections=[
            SectionSpec(id=f"S{n}", name=f"{n}区", rows=uniform_rows(5, 10))
            for n in range(1, sections + 1)
        ],
    )


def test_zones_by_section_cover_the_hall() -> None:
    hall = _hall()
    zones = zones_along_walk(hall, 4)
    assert [z.name for z in zones] == ["A区", "B区", "C区", "D区"]
    assert [len(z.seats) for z in zones] == [50, 50, 50, 50]
    assert zone_problems(hall, zones) == []
    assert {s for z in zones for s in z.seats} == {s.id for s in hall.seats}


def test_zones_along_the_walk_when_sections_do_not_match() -> None:
    hall = _hall(2)
    zones = zones_along_walk(hall, 3, names=["前区", "中区", "后区"])
    assert [len(z.seats) for z in zones] == [33, 33, 34]
    assert [z.name for z in zones] == ["前区", "中区", "后区"]
    assert zone_problems(hall, zones) == []


def test_gaps_overlaps_and_strangers_are_named() -> None:
    hall = _hall(2)
    zones = zones_along_walk(hall, 2)
    first = zones[0]
    overlapping = Zone(id="z9", hall_id="hall", name="X", seats=(first.seats[0], "nowhere"))
    problems = zone_problems(hall, [first, overlapping])
    assert f"seat {first.seats[0]!r} is in zones {first.id!r} and 'z9'" in problems
    assert "zone 'z9': the hall has no seat 'nowhere'" in problems
    assert any(p.startswith("50 seat(s) in no zone") for p in problems)
    other = Zone(id="z8", hall_id="elsewhere", name="Y", seats=("a",))
    assert "zone 'z8' belongs to hall 'elsewhere'" in zone_problems(hall, [*zones, other])


def test_a_zone_needs_distinct_seats() -> None:
    with pytest.raises(ValidationError, match="Zone.seats"):
        Zone(id="z", hall_id="h", name="A区", seats=())
    with pytest.raises(ValidationError, match="lists a seat twice"):
        Zone(id="z", hall_id="h", name="A区", seats=("a", "a"))
