"""Through the secretariat and its outbox: the plugin found by its entry point, a server
that refuses at first, a crash between sending and recording, attachments for a deputy."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import pendulum
import pytest
from conftest import Server
from lvzhi_smtp import deputy_attachments, personal_sessions

import lvzhi
from lvzhi.clock import FixedClock
from lvzhi.domain import Notice, NoticeKind
from lvzhi.domain.outbox import DeliveryState, RetryPolicy
from lvzhi.hallfiles import load_hall
from lvzhi.samples.demo_seating import HALL_ID, sample_hall_path
from lvzhi.samples.load import load_course
from lvzhi.secretariat import Secretariat

Settings = Callable[..., dict[str, Any]]
BOOK = {"衡南县人大常委会": "hengnan@renda.example.org"}


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(pendulum.datetime(2022, 9, 8, 10, 0, tz="UTC"))


@pytest.fixture
def open_office(
    tmp_path: Path, clock: FixedClock, settings_for: Settings
) -> Iterator[Callable[..., Secretariat]]:
    """``open_office(server, **smtp_settings)``: a secretariat on one SQLite file that
    delivers over the installed smtp plugin only; each call is like a new process."""
    opened: list[Secretariat] = []

    def make(server: Server, retry: RetryPolicy | None = None, **extra: Any) -> Secretariat:
        settings = lvzhi.Settings(
            notifiers=("smtp",),
            plugins={"smtp": settings_for(server, addresses=BOOK, **extra)},
            retry=retry or RetryPolicy(),
        )
        office = lvzhi.open(f"sqlite:///{tmp_path / 'course.db'}", settings=settings, clock=clock)
        opened.append(office)
        return office

    yield make
    for office in opened:
        office.close()


def notice(office: Secretariat, number: int, *recipients: str) -> Notice:
    return Notice(
        id=f"tongbao-{number}",
        programme_id=office.programme.get().id,
        kind=NoticeKind.REPORT,
        title=f"关于代表出席培训情况的通报（第{number}号）",
        body="特此通报。",
        recipients=recipients,
        issued_at=office.now(),
        issued_by="市人大常委会选举联络工作委员会",
    )


def message_ids(server: Server) -> list[str]:
    return [str(m.message["Message-ID"]) for m in server.accepted]


def test_refused_at_first_then_accepted(
    plain_server: Server, open_office: Callable[..., Secretariat], clock: FixedClock
) -> None:
    office = open_office(plain_server)
    load_course(office, schedule=False)
    assert "smtp" in office.registries.notifiers
    plain_server.recorder.refuse = ["451 4.3.0 try again later"]
    issued = notice(office, 1, "衡南县人大常委会", "王一", "李二")
    office.notices.issue(
        issued, addresses={"王一": "wangyi@example.org", "李二": "lier@example.org"}
    )
    deliveries = {d.recipient: d for d in office.notices.deliveries(issued.id)}
    assert deliveries["衡南县人大常委会"].state is DeliveryState.PENDING
    assert "451 4.3.0 try again later" in deliveries["衡南县人大常委会"].last_error
    assert "TemporaryFailure" in deliveries["衡南县人大常委会"].last_error
    assert [d.state for r, d in sorted(deliveries.items()) if r != "衡南县人大常委会"] == [
        DeliveryState.SENT,
        DeliveryState.SENT,
    ]
    assert len(plain_server.accepted) == 2

    assert office.deliver_pending().sent == 0  # not due before the back-off has passed
    clock.advance(minutes=1)
    report = office.deliver_pending()
    assert (report.sent, report.failed) == (1, 0)
    assert office.deliver_pending().sent == 0
    assert {d.state for d in office.notices.deliveries(issued.id)} == {DeliveryState.SENT}
    assert plain_server.recorder.attempts == 4
    assert sorted(r for m in plain_server.accepted for r in m.rcpt_tos) == [
        "hengnan@renda.example.org",
        "lier@example.org",
        "wangyi@example.org",
    ]
    assert len(set(message_ids(plain_server))) == 3


def test_a_crash_after_sending_sends_nothing_twice(
    plain_server: Server, open_office: Callable[..., Secretariat], tmp_path: Path
) -> None:
    log = str(tmp_path / "smtp-sent.log")
    office = open_office(plain_server, sent_log=log)
    load_course(office, schedule=False)
    issued = notice(office, 2, "衡南县人大常委会")
    office.notices.issue(issued)
    [delivery] = office.notices.deliveries(issued.id)
    assert delivery.state is DeliveryState.SENT
    # The process died after the server took the message but before the outbox recorded
    # it: the delivery is still pending in the store.
    with office.unit_of_work() as uow:
        uow.deliveries.put(attrs.evolve(delivery, state=DeliveryState.PENDING, sent_at=None))
    assert office.deliver_pending().sent == 1  # the same process remembers it
    with office.unit_of_work() as uow:
        uow.deliveries.put(attrs.evolve(delivery, state=DeliveryState.PENDING, sent_at=None))
    restarted = open_office(plain_server, sent_log=log)  # a new process: the log remembers
    assert restarted.deliver_pending().sent == 1
    assert len(plain_server.accepted) == 1
    assert message_ids(plain_server) == [f"<{delivery.id}@renda.example.org>"]


def test_a_permanent_failure_fails_at_once_and_is_sent_again_when_put_right(
    plain_server: Server, open_office: Callable[..., Secretariat], clock: FixedClock
) -> None:
    plain_server.recorder.refuse_rcpt = {"nobody@example.org": "550 5.1.1 no such user"}
    office = open_office(plain_server, retry=RetryPolicy(max_attempts=5))
    load_course(office, schedule=False)
    issued = notice(office, 3, "王一")
    office.notices.issue(issued, addresses={"王一": "nobody@example.org"})
    [delivery] = office.notices.deliveries(issued.id)
    assert delivery.state is DeliveryState.FAILED  # not retried: the server said no for good
    assert delivery.attempts == 1
    assert "PermanentFailure" in delivery.last_error
    assert "550 5.1.1 no such user" in delivery.last_error
    clock.advance(hours=1)
    assert office.deliver_pending().sent == 0
    assert plain_server.accepted == []
    plain_server.recorder.refuse_rcpt = {}  # the mailbox now exists
    report = office.notices.retry_failed()
    assert report.sent == 1
    [delivery] = office.notices.deliveries(issued.id)
    assert delivery.state is DeliveryState.SENT
    assert len(plain_server.accepted) == 1


def test_a_deputy_gets_the_seat_and_personal_timetable(
    plain_server: Server, open_office: Callable[..., Secretariat]
) -> None:
    office = open_office(plain_server)
    load_course(office)
    venue = next(v for v in office.programme.venues() if v.id == HALL_ID)
    hall = attrs.evolve(load_hall(sample_hall_path()), id=venue.id, name=venue.name)
    office.halls.save_hall(hall)
    office.seating.assign(hall.id)
    deputy = office.delegates()[5]
    seat = office.seating.seat_of(deputy.certificate_no, hall.id)
    assert seat is not None
    files = deputy_attachments(office, deputy.certificate_no, recipient=deputy.name)
    issued = attrs.evolve(
        notice(office, 4, deputy.name, "衡南县人大常委会"), title="关于培训座位和日程的通知"
    )
    office.notices.issue(
        attrs.evolve(issued, attachments=files), addresses={deputy.name: "deputy@example.org"}
    )
    by_rcpt = {m.rcpt_tos[0]: m.message for m in plain_server.accepted}
    mine = {
        p.get_filename(): p.get_content() for p in by_rcpt["deputy@example.org"].iter_attachments()
    }
    assert sorted(mine) == ["个人日程.ics", "个人日程.txt", "座位.txt"]
    assert f"{venue.name}：{seat.label}" in mine["座位.txt"]
    sessions = personal_sessions(office, deputy.certificate_no)
    assert sessions
    calendar = mine["个人日程.ics"]
    assert calendar.count("BEGIN:VEVENT") == len(sessions)
    assert f"SUMMARY:{sessions[0].title}" in calendar
    assert sessions[0].title in mine["个人日程.txt"]
    # the delegation's copy carries no deputy's files
    assert list(by_rcpt["hengnan@renda.example.org"].iter_attachments()) == []
    # and the stored notice keeps them: a retry would send the same files
    [stored] = [n for n in office.notices.list() if n.id == issued.id]
    assert stored.attachments == files


def test_raw_message_reads_back_in_a_client(
    plain_server: Server, open_office: Callable[..., Secretariat]
) -> None:
    office = open_office(plain_server)
    load_course(office, schedule=False)
    office.notices.issue(notice(office, 5, "衡南县人大常委会"))
    [got] = plain_server.accepted
    parsed = email.message_from_bytes(got.data, policy=email.policy.default)
    assert parsed["Subject"] == "关于代表出席培训情况的通报（第5号）"
    assert parsed["To"].addresses[0].display_name == "衡南县人大常委会"
    assert parsed["From"].addresses[0].display_name == "市人大常委会选举联络工作委员会"
