"""Discussion groups complete: conveners, recorders, attending leaders, rooms, and the
balance a split achieved."""

from __future__ import annotations

from collections import Counter

import pytest

import lvzhi
from lvzhi.clock import FixedClock
from lvzhi.domain import OfficialRole
from lvzhi.errors import NotFound
from lvzhi.samples.load import load_course


@pytest.fixture
def course_office(clock: FixedClock) -> lvzhi.Secretariat:
    office = lvzhi.open("memory://", clock=clock, load_entrypoints=False)
    load_course(office, schedule=False)
    return office


def test_roles_and_room_are_assigned_and_checked(course_office: lvzhi.Secretariat) -> None:
    office = course_office
    groups = office.groups.form(12)
    officials = office.people.officials()
    leaders = [o.id for o in officials if o.role is OfficialRole.LEADER][:2] or [officials[0].id]
    convener, recorder = officials[-1].id, officials[-2].id
    room = office.programme.venues()[-1].id
    group = office.groups.assign(
        groups[0].id, convener=convener, recorder=recorder, leaders=leaders, venue=room
    )
    assert (group.convener_id, group.recorder_id, group.leader_ids, group.venue_id) == (
        convener,
        recorder,
        tuple(leaders),
        room,
    )
    assert office.groups.list()[0] == group
    again = office.groups.assign(groups[0].id, leaders=[])
    assert again.leader_ids == () and again.convener_id == convener
    with pytest.raises(NotFound, match="Official 'nobody'"):
        office.groups.assign(groups[0].id, convener="nobody")
    with pytest.raises(NotFound, match="Venue 'moon'"):
        office.groups.assign(groups[0].id, venue="moon")
    assert office.groups.list()[0] == again  # the failed calls changed nothing


def test_balance_reports_every_trait(course_office: lvzhi.Secretariat) -> None:
    office = course_office
    groups = office.groups.form(12)
    report = office.groups.balance()
    assert report.sizes == tuple(len(g.members) for g in groups)
    assert sum(report.sizes) == len(office.people.delegates())
    deputies = {d.key: d for d in office.people.delegates()}
    for trait in report.delegations:
        counted = tuple(
            sum(1 for c in g.members if deputies[c].delegation == trait.trait) for g in groups
        )
        assert trait.counts == counted
    new = tuple(sum(deputies[c].is_new for c in g.members) for g in groups)
    assert report.new_deputies.counts == new
    worst = report.worst()
    assert worst["size"] <= 1
    assert worst["delegation"] <= 1
    genders = Counter(d.gender.label for d in deputies.values())
    assert {t.trait for t in report.genders} == set(genders)
