"""Station passes: issued to an attendance taker for one zone of a hall, revoked, checked."""

from __future__ import annotations

import pytest

import lvzhi
from lvzhi.clock import FixedClock
from lvzhi.domain import SessionKind
from lvzhi.errors import NotFound, PermissionDenied, TransitionError, ValidationError
from lvzhi.samples.demo_seating import HALL_ID, ZONE_NAMES, seat_deputies
from lvzhi.samples.load import load_course


@pytest.fixture
def seated(office: lvzhi.Secretariat) -> lvzhi.Secretariat:
    load_course(office)
    opening = next(s for s in office.programme.timetable() if s.kind is SessionKind.OPENING)
    seat_deputies(office, opening.id)
    return office


def _ids(office: lvzhi.Secretariat) -> tuple[str, str]:
    organiser = office.people.officials(role="organiser")[0].id
    taker = office.people.officials(role="attendance_taker")[0].id
    return organiser, taker


def test_issue_numbers_passes_and_records_who_and_when(
    seated: lvzhi.Secretariat, clock: FixedClock
) -> None:
    organiser, taker = _ids(seated)
    first = seated.stations.issue(taker, HALL_ID, ZONE_NAMES[0], by=organiser)
    second = seated.stations.issue(taker, HALL_ID, ZONE_NAMES[1], by=organiser)
    programme = seated.programme.get().id
    assert first.id == f"{programme}-pass-001"
    assert second.id == f"{programme}-pass-002"
    assert (first.taker_id, first.hall_id, first.zone) == (taker, HALL_ID, ZONE_NAMES[0])
    assert first.issued_by == organiser
    assert first.issued_at == clock.now()
    assert first.state == "valid"
    assert seated.stations.get(first.id) == first
    assert seated.stations.check(first.id) == first
    assert [p.id for p in seated.stations.list()] == [first.id, second.id]


def test_issue_refuses_an_unknown_zone_official_or_hall(seated: lvzhi.Secretariat) -> None:
    organiser, taker = _ids(seated)
    with pytest.raises(ValidationError) as caught:
        seated.stations.issue(taker, HALL_ID, "九区", by=organiser)
    assert "九区" in str(caught.value)
    assert ZONE_NAMES[0] in str(caught.value)
    with pytest.raises(NotFound, match="nobody"):
        seated.stations.issue("nobody", HALL_ID, ZONE_NAMES[0], by=organiser)
    with pytest.raises(NotFound, match="no-hall"):
        seated.stations.issue(taker, "no-hall", ZONE_NAMES[0], by=organiser)
    assert seated.stations.list() == []


def test_revoked_pass_fails_the_check_naming_who_and_why(
    seated: lvzhi.Secretariat, clock: FixedClock
) -> None:
    organiser, taker = _ids(seated)
    item = seated.stations.issue(taker, HALL_ID, ZONE_NAMES[0], by=organiser)
    clock.advance(minutes=5)
    revoked = seated.stations.revoke(item.id, by=organiser, reason="phone lost")
    assert revoked.revoked_at == clock.now()
    assert revoked.revoked_by == organiser
    assert revoked.state == "revoked"
    with pytest.raises(PermissionDenied) as caught:
        seated.stations.check(item.id)
    assert organiser in str(caught.value) and "phone lost" in str(caught.value)
    with pytest.raises(TransitionError, match="'revoked'"):
        seated.stations.revoke(item.id, by=organiser)
    assert seated.stations.list(include_revoked=False) == []
    assert seated.stations.get(item.id) == revoked


def test_unknown_pass_fails_the_check(seated: lvzhi.Secretariat) -> None:
    with pytest.raises(NotFound, match="StationPass 'x-pass-9'"):
        seated.stations.check("x-pass-9")


def test_passes_survive_in_sqlite(tmp_path: object, clock: FixedClock) -> None:
    url = f"sqlite:///{tmp_path}/course.db"
    with lvzhi.open(url, clock=clock, load_entrypoints=False) as office:
        load_course(office)
        opening = next(s for s in office.programme.timetable() if s.kind is SessionKind.OPENING)
        seat_deputies(office, opening.id)
        organiser, taker = _ids(office)
        item = office.stations.issue(taker, HALL_ID, ZONE_NAMES[2], by=organiser)
    with lvzhi.open(url, clock=clock, load_entrypoints=False) as office:
        assert office.stations.check(item.id) == item
