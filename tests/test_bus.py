"""The outbox: events and deliveries are written with the change and worked off after it;
failures are recorded and retried, never turned into an error for a committed change."""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pendulum
import pytest

import lvzhi
from lvzhi import hookimpl
from lvzhi.builtins.notifiers import FileNotifier, LogNotifier
from lvzhi.clock import FixedClock
from lvzhi.domain import Delegation, Notice, NoticeKind, Programme
from lvzhi.domain.events import DelegateSaved, Event
from lvzhi.domain.outbox import DeliveryState, OutboxState, RetryPolicy
from lvzhi.testing import make_delegate
from lvzhi.testing.contracts import NotifierContract

T = pendulum.datetime(2022, 9, 1, 9, tz="Asia/Shanghai")


def _programme() -> Programme:
    return Programme(id="p", title="培训班", start_date="2022-09-06", end_date="2022-09-08")


def _notice(number: int = 1, recipients: tuple[str, ...] = ("衡南县人大常委会",)) -> Notice:
    return Notice(
        id=f"n{number}",
        programme_id="p",
        kind=NoticeKind.REPORT,
        title="关于代表出席情况的通报",
        body="特此通报。",
        recipients=recipients,
        issued_at=T,
    )


class Recorder:
    """Handles events; fails the first ``failures`` times."""

    def __init__(self, failures: int = 0) -> None:
        self.failures = failures
        self.seen: list[Event] = []

    @hookimpl
    def lvzhi_handle_event(self, event: Event) -> None:
        if self.failures:
            self.failures -= 1
            raise RuntimeError("handler is down")
        self.seen.append(event)


class Flaky:
    """A notifier channel that refuses the first ``failures`` sends."""

    name = "flaky"

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.sent: list[str] = []

    def send(self, delivery: Any, notice: Notice) -> None:
        if self.failures:
            self.failures -= 1
            raise ConnectionError("channel refused")
        if delivery.id not in self.sent:
            self.sent.append(delivery.id)


class FlakyPlugin:
    def __init__(self, notifier: Flaky) -> None:
        self.notifier = notifier

    @hookimpl
    def lvzhi_register_notifiers(self) -> list[Flaky]:
        return [self.notifier]


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(T)


def _open(clock: FixedClock, *plugins: object, url: str = "memory://", **settings: Any) -> Any:
    return lvzhi.open(
        url,
        clock=clock,
        load_entrypoints=False,
        plugins=plugins,
        settings=lvzhi.Settings(**settings),
    )


def test_handler_sees_committed_events_and_the_entry_is_done(clock: FixedClock) -> None:
    recorder = Recorder()
    with _open(clock, recorder) as office:
        office.people.save_delegation(Delegation(code="d1", name="衡南县"))
        office.people.save_delegate(make_delegate(certificate_no="c1", delegation="d1"))
        assert [type(e) for e in recorder.seen] == [DelegateSaved]
        with office.unit_of_work(readonly=True) as uow:
            entries = uow.outbox.list()
        assert [(e.event, e.state) for e in entries] == [("delegate.saved", OutboxState.DONE)]


def test_failing_handler_never_fails_the_committed_change(
    clock: FixedClock, caplog: pytest.LogCaptureFixture
) -> None:
    recorder = Recorder(failures=2)
    with _open(clock, recorder) as office:
        office.people.save_delegation(Delegation(code="d1", name="衡南县"))
        delegate = make_delegate(certificate_no="c1", delegation="d1")
        office.people.save_delegate(delegate)  # the handler raises; the caller does not
        assert office.people.delegate("c1") == delegate
        with office.unit_of_work(readonly=True) as uow:
            (entry,) = uow.outbox.select(state=OutboxState.PENDING)
        assert entry.attempts == 1
        assert "handler is down" in entry.last_error
        assert entry.next_attempt_at == clock.now().add(seconds=30)
        assert "failed to handle delegate.saved" in caplog.text

        assert office.deliver_pending().events_handled == 0  # not yet due
        clock.advance(seconds=31)
        report = office.deliver_pending()
        assert (report.events_handled, report.events_failed) == (0, 1)  # fails again
        clock.advance(seconds=61)
        report = office.deliver_pending()
        assert (report.events_handled, report.events_failed) == (1, 0)
        assert [e.certificate_no for e in recorder.seen] == ["c1"]  # type: ignore[attr-defined]
        with office.unit_of_work(readonly=True) as uow:
            assert uow.outbox.get(entry.id).state is OutboxState.DONE


def test_without_handlers_no_outbox_entries_are_written(clock: FixedClock) -> None:
    with _open(clock) as office:
        office.people.save_delegation(Delegation(code="d1", name="衡南县"))
        office.people.save_delegate(make_delegate(certificate_no="c1", delegation="d1"))
        with office.unit_of_work(readonly=True) as uow:
            assert uow.outbox.count() == 0


def test_a_rolled_back_change_leaves_no_event_or_delivery(clock: FixedClock) -> None:
    recorder = Recorder()
    with _open(clock, recorder) as office:
        office.programme.save(_programme())
        recorder.seen.clear()
        with pytest.raises(lvzhi.Conflict):
            office.notices.issue(_notice())
            office.notices.issue(_notice())  # same id: refused, rolled back
        with office.unit_of_work(readonly=True) as uow:
            assert uow.notices.count() == 1
            assert len(uow.deliveries.list()) == 1
        assert [e.name for e in recorder.seen] == ["notice.issued"]


def test_one_delivery_per_recipient_and_channel(clock: FixedClock, tmp_path: Path) -> None:
    flaky = Flaky(0)
    with _open(
        clock,
        FlakyPlugin(flaky),
        plugins={"notifiers": {"notice_dir": str(tmp_path)}},
    ) as office:
        office.programme.save(_programme())
        office.notices.issue(_notice(recipients=("衡南县人大常委会", "驻衡部队")))
        deliveries = office.notices.deliveries("n1")
    assert sorted((d.channel, d.recipient, d.state) for d in deliveries) == [
        ("file", "衡南县人大常委会", DeliveryState.SENT),
        ("file", "驻衡部队", DeliveryState.SENT),
        ("flaky", "衡南县人大常委会", DeliveryState.SENT),
        ("flaky", "驻衡部队", DeliveryState.SENT),
        ("log", "衡南县人大常委会", DeliveryState.SENT),
        ("log", "驻衡部队", DeliveryState.SENT),
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["n1.file.1.txt", "n1.file.2.txt"]
    assert flaky.sent == ["n1.flaky.1", "n1.flaky.2"]


def test_failed_delivery_is_kept_and_retried_with_back_off(clock: FixedClock) -> None:
    flaky = Flaky(failures=1)
    with _open(clock, FlakyPlugin(flaky), notifiers=("flaky",)) as office:
        office.programme.save(_programme())
        office.notices.issue(_notice())  # the first send fails: no error for the caller
        (delivery,) = office.notices.deliveries("n1")
        assert delivery.state is DeliveryState.PENDING
        assert delivery.attempts == 1
        assert "ConnectionError: channel refused" in delivery.last_error
        assert office.deliver_pending().sent == 0  # not due yet
        clock.advance(seconds=30)
        report = office.deliver_pending()
        assert (report.sent, report.failed) == (1, 0)
        (delivery,) = office.notices.deliveries("n1")
        assert delivery.state is DeliveryState.SENT
        assert delivery.sent_at == clock.now()
        assert office.deliver_pending().sent == 0  # nothing is sent twice
    assert flaky.sent == ["n1.flaky.1"]


def test_a_channel_that_never_answers_is_given_up(clock: FixedClock) -> None:
    flaky = Flaky(failures=100)
    retry = RetryPolicy(base_seconds=1, max_attempts=3)
    with _open(clock, FlakyPlugin(flaky), notifiers=("flaky",), retry=retry) as office:
        office.programme.save(_programme())
        office.notices.issue(_notice())
        for _ in range(5):
            clock.advance(seconds=10)
            office.deliver_pending()
        (delivery,) = office.notices.deliveries("n1")
    assert delivery.state is DeliveryState.FAILED
    assert delivery.attempts == 3


class Rejected(Exception):
    """What a channel raises for a message it will never take (a 550, a bad address)."""

    permanent = True


class Refusing(Flaky):
    def __init__(self) -> None:
        super().__init__(failures=0)
        self.attempts = 0

    def send(self, delivery: Any, notice: Notice) -> None:
        self.attempts += 1
        raise Rejected("550 no such mailbox")


def test_a_permanent_failure_is_not_retried(clock: FixedClock) -> None:
    refusing = Refusing()
    retry = RetryPolicy(base_seconds=1, max_attempts=5)
    with _open(clock, FlakyPlugin(refusing), notifiers=("flaky",), retry=retry) as office:
        office.programme.save(_programme())
        office.notices.issue(_notice())
        for _ in range(3):
            clock.advance(seconds=10)
            assert office.deliver_pending().sent == 0
        (delivery,) = office.notices.deliveries("n1")
    assert delivery.state is DeliveryState.FAILED
    assert delivery.attempts == 1
    assert refusing.attempts == 1
    assert "550 no such mailbox" in delivery.last_error


def _issue_then_die(url: str, notice_dir: str) -> None:  # runs in a child process
    office = lvzhi.open(
        url,
        load_entrypoints=False,
        settings=lvzhi.Settings(
            deliver_immediately=False, plugins={"notifiers": {"notice_dir": notice_dir}}
        ),
    )
    office.programme.save(_programme())
    office.notices.issue(_notice(recipients=("衡南县人大常委会", "驻衡部队")))
    os._exit(0)  # killed after the commit, before anything was sent


def test_a_process_killed_after_the_commit_loses_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'course.db'}"
    notices = tmp_path / "notices"
    process = multiprocessing.get_context("spawn").Process(
        target=_issue_then_die, args=(url, str(notices))
    )
    process.start()
    process.join(60)
    assert process.exitcode == 0
    assert not notices.exists()
    settings = lvzhi.Settings(plugins={"notifiers": {"notice_dir": str(notices)}})
    with lvzhi.open(url, load_entrypoints=False, settings=settings) as office:
        report = office.deliver_pending()
        assert report.sent == 4  # two recipients, channels log and file
        assert office.deliver_pending().sent == 0
    assert sorted(p.name for p in notices.iterdir()) == ["n1.file.1.txt", "n1.file.2.txt"]


class DiesAfterSending:
    """Sends (writes a line), then the process dies before the send is recorded."""

    name = "diary"

    def __init__(self, path: Path, die: bool) -> None:
        self.path = path
        self.die = die

    def send(self, delivery: Any, notice: Notice) -> None:
        seen = self.path.read_text().split() if self.path.exists() else []
        if delivery.id not in seen:  # idempotent by delivery id, as the contract asks
            with self.path.open("a") as handle:
                handle.write(delivery.id + "\n")
        if self.die:
            os._exit(0)


class DiaryPlugin:
    def __init__(self, path: Path, die: bool) -> None:
        self.notifier = DiesAfterSending(path, die)

    @hookimpl
    def lvzhi_register_notifiers(self) -> list[DiesAfterSending]:
        return [self.notifier]


def _send_then_die(url: str, diary: str) -> None:  # runs in a child process
    office = lvzhi.open(
        url,
        load_entrypoints=False,
        plugins=[DiaryPlugin(Path(diary), die=True)],
        settings=lvzhi.Settings(notifiers=("diary",)),
    )
    office.programme.save(_programme())
    office.notices.issue(_notice())


def test_a_process_killed_after_sending_sends_nothing_twice(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'course.db'}"
    diary = tmp_path / "diary.txt"
    process = multiprocessing.get_context("spawn").Process(
        target=_send_then_die, args=(url, str(diary))
    )
    process.start()
    process.join(60)
    assert diary.read_text().split() == ["n1.diary.1"]
    clock = FixedClock(pendulum.now("UTC").add(hours=1))  # past the sender's lease
    with lvzhi.open(
        url,
        clock=clock,
        load_entrypoints=False,
        plugins=[DiaryPlugin(diary, die=False)],
        settings=lvzhi.Settings(notifiers=("diary",)),
    ) as office:
        (delivery,) = office.notices.deliveries("n1")
        assert delivery.state is DeliveryState.PENDING  # the send was never recorded
        assert office.deliver_pending().sent == 1
        (delivery,) = office.notices.deliveries("n1")
        assert delivery.state is DeliveryState.SENT
    assert diary.read_text().split() == ["n1.diary.1"]  # the same delivery id, once


class TestLogNotifier(NotifierContract):
    @pytest.fixture
    def notifier(self) -> LogNotifier:
        return LogNotifier()

    @pytest.fixture
    def received(self, caplog: pytest.LogCaptureFixture) -> Callable[[], list[str]]:
        caplog.set_level(logging.INFO, logger="lvzhi.notices")
        return lambda: [r.getMessage() for r in caplog.records if r.name == "lvzhi.notices"]


class TestFileNotifier(NotifierContract):
    @pytest.fixture
    def notifier(self, tmp_path: Path) -> FileNotifier:
        return FileNotifier(tmp_path / "out")

    @pytest.fixture
    def received(self, tmp_path: Path) -> Callable[[], list[str]]:
        def read() -> list[str]:
            folder = tmp_path / "out"
            if not folder.exists():
                return []
            return [p.read_text("utf-8") for p in sorted(folder.glob("*.txt"))]

        return read


def test_a_failed_delivery_is_sent_again_once_put_right(clock: FixedClock) -> None:
    refusing = Refusing()
    with _open(clock, FlakyPlugin(refusing), notifiers=("flaky",)) as office:
        office.programme.save(_programme())
        office.notices.issue(_notice())
        (failed,) = office.notices.deliveries("n1")
        assert failed.state is DeliveryState.FAILED
        with pytest.raises(lvzhi.errors.NotFound):
            office.notices.retry_failed(["no-such-delivery"])
        refusing.send = lambda delivery, notice: None  # type: ignore[method-assign]
        report = office.notices.retry_failed()
        assert (report.sent, report.failed, report.given_up) == (1, 0, 0)
        (delivery,) = office.notices.deliveries("n1")
        assert delivery.state is DeliveryState.SENT
        assert delivery.attempts == 2
        with pytest.raises(lvzhi.errors.TransitionError, match="'sent'"):
            office.notices.retry_failed([delivery.id])
        assert office.notices.retry_failed().sent == 0  # nothing failed: nothing to do
