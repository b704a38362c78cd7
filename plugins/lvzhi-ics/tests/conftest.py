"""The sample course, seated as the demo seats it, in a memory store with this plugin."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import lvzhi
from lvzhi.samples import Course
from lvzhi.samples.demo_seating import form_groups, seat_deputies
from lvzhi.samples.load import load_course


@pytest.fixture(scope="module")
def seated() -> Iterator[tuple[lvzhi.Secretariat, Course]]:
    with lvzhi.open("memory://", environ={"LVZHI_PLUGINS": "ics"}) as office:
        course = load_course(office)
        seat_deputies(office, course.sessions[0].id)
        form_groups(office, course.programme)
        yield office, course
