"""Attachments: the core's NoticeAttachment rules, and a deputy's seat and timetable built
from a secretariat holding the sample course."""

from __future__ import annotations

from collections.abc import Iterator

import attrs
import pendulum
import pytest
from lvzhi_smtp import deputy_attachments, personal_sessions

import lvzhi
from lvzhi.domain import Notice, NoticeKind
from lvzhi.domain.notices import NoticeAttachment
from lvzhi.errors import ValidationError
from lvzhi.hallfiles import load_hall
from lvzhi.samples.demo_seating import HALL_ID, sample_hall_path
from lvzhi.samples.load import load_course
from lvzhi.secretariat import Secretariat


def notice(*attachments: NoticeAttachment) -> Notice:
    return Notice(
        id="n-1",
        programme_id="p-1",
        kind=NoticeKind.ADVANCE,
        title="关于参加培训的预告通知",
        recipients=("王一", "衡南县人大常委会"),
        issued_at=pendulum.datetime(2022, 8, 30, 9, tz="Asia/Shanghai"),
        attachments=attachments,
    )


def test_attachments_default_to_none_and_go_to_their_recipient() -> None:
    assert notice().attachments == ()
    everyone = NoticeAttachment(filename="须知.txt", content="请准时参加\n")
    own = NoticeAttachment(filename="座位.txt", content="1排1号\n", recipient="王一")
    n = notice(everyone, own)
    assert n.attachments_for("王一") == (everyone, own)
    assert n.attachments_for("衡南县人大常委会") == (everyone,)


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (
            lambda: notice(NoticeAttachment(filename="a.txt", content="", recipient="李二")),
            "recipient",
        ),
        (
            lambda: notice(
                NoticeAttachment(filename="a.txt", content=""),
                NoticeAttachment(filename="a.txt", content="", recipient="王一"),
            ),
            "Notice.attachments.filename",
        ),
        (lambda: NoticeAttachment(filename="../a.txt", content=""), "NoticeAttachment.filename"),
        (lambda: NoticeAttachment(filename="", content=""), "NoticeAttachment.filename"),
        (
            lambda: NoticeAttachment(filename="a.pdf", content="", media_type="application/pdf"),
            "NoticeAttachment.media_type",
        ),
    ],
)
def test_bad_attachments_are_refused(make: object, field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        make()  # type: ignore[operator]
    assert field in caught.value.field


@pytest.fixture
def office() -> Iterator[Secretariat]:
    with lvzhi.open("memory://", environ={"LVZHI_DISABLE_PLUGINS": "smtp"}) as office:
        load_course(office)
        venue = next(v for v in office.programme.venues() if v.id == HALL_ID)
        office.halls.save_hall(
            attrs.evolve(load_hall(sample_hall_path()), id=venue.id, name=venue.name)
        )
        office.seating.assign(HALL_ID)
        office.groups.form(12)
        yield office


def test_seat_timetable_and_calendar(office: Secretariat) -> None:
    deputy = office.delegates()[0]
    seat = office.seating.seat_of(deputy.certificate_no, HALL_ID)
    assert seat is not None
    files = {a.filename: a for a in deputy_attachments(office, deputy.certificate_no)}
    assert sorted(files) == ["个人日程.ics", "个人日程.txt", "座位.txt"]
    assert all(a.recipient == "" for a in files.values())
    assert seat.label in files["座位.txt"].content
    sessions = personal_sessions(office, deputy.certificate_no)
    text = files["个人日程.txt"].content
    assert [s.title in text for s in sessions] == [True] * len(sessions)
    group = next(g for g in office.groups.list() if deputy.certificate_no in g.members)
    assert f"分组讨论：如何更好地依法履职  {group.name}" in text
    calendar = files["个人日程.ics"]
    assert calendar.media_type == "text/calendar"
    lines = calendar.content.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR"
    assert lines[-2:] == ["END:VCALENDAR", ""]
    assert max(len(line.encode("utf-8")) for line in lines) <= 75
    unfolded = calendar.content.replace("\r\n ", "")
    assert unfolded.count("BEGIN:VEVENT") == len(sessions)
    first = sessions[0]
    assert f"DTSTART:{first.starts_at.in_timezone('UTC').strftime('%Y%m%dT%H%M%SZ')}" in unfolded
    assert f"LOCATION:{office.halls.hall(HALL_ID).name} 座位 {seat.label}" in unfolded


def test_a_deputy_without_a_seat_gets_the_timetable_only(office: Secretariat) -> None:
    deputy = office.delegates()[0]
    files = deputy_attachments(office, deputy.certificate_no, hall_ids=(), recipient="王一")
    assert [a.filename for a in files] == ["个人日程.txt", "个人日程.ics"]
    assert {a.recipient for a in files} == {"王一"}
