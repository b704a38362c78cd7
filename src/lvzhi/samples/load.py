"""Put the synthetic course into a secretariat in one call (for tests, examples and
experiments; the demo imports its roster from a spreadsheet instead)."""

from __future__ import annotations

from lvzhi.samples.course import Course, make_course
from lvzhi.secretariat import Secretariat

__all__ = ["load_course"]


def load_course(
    office: Secretariat, course: Course | None = None, *, schedule: bool = True
) -> Course:
    """Store the course's programme, venues, delegations, officials and deputies (and, with
    ``schedule``, its timetable) through ``office``; returns the course."""
    course = course or make_course()
    office.programme.save(course.programme)
    for venue in course.venues:
        office.programme.save_venue(venue)
    with office.unit_of_work() as uow:
        uow.delegations.put_many(course.delegations)
        uow.officials.put_many(course.officials)
        uow.delegates.put_many(course.delegates)
    if schedule:
        office.programme.schedule(course.sessions)
    return course
