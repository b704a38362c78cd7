"""The contract every notifier must keep (:class:`NotifierContract`).

Subclass it and supply two fixtures: ``notifier`` (the notifier under test, talking to a
real channel the test controls) and ``received`` (a callable returning what reached that
channel so far, as a list of texts — one per message that arrived)::

    class TestMyNotifier(NotifierContract):
        @pytest.fixture
        def notifier(self, server):
            return MyNotifier(host=server.host, port=server.port)

        @pytest.fixture
        def received(self, server):
            return lambda: [m.as_string() for m in server.messages]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pendulum
import pytest

from lvzhi.domain import Notice, NoticeKind
from lvzhi.domain.outbox import Delivery

__all__ = ["NotifierContract", "sample_delivery", "sample_notice"]


def sample_notice(number: int = 1) -> Notice:
    """A report back to a delegation (通报) with Chinese text."""
    return Notice(
        id=f"contract-notice-{number}",
        programme_id="contract-programme",
        kind=NoticeKind.REPORT,
        title=f"关于代表出席培训情况的通报（第{number}号）",
        body="欧阳明代表于9月6日上午迟到12分钟。特此通报。",
        recipients=("衡南县人大常委会", "驻衡部队"),
        issued_at=pendulum.datetime(2022, 9, 8, 18, 0, tz="Asia/Shanghai"),
        issued_by="市人大常委会选举联络工作委员会",
    )


def sample_delivery(notice: Notice, channel: str, number: int = 1) -> Delivery:
    return Delivery(
        id=f"{notice.id}.{channel}.{number}",
        notice_id=notice.id,
        channel=channel,
        recipient=notice.recipients[number - 1],
        address="",
    )


class NotifierContract:
    """The behaviour every notifier must show: it carries the notice's text to its channel,
    and it is idempotent by delivery id — sending one delivery twice (a retry after a crash
    between sending and recording) delivers it once."""

    @pytest.fixture
    def notifier(self) -> Any:  # pragma: no cover - overridden by subclasses
        raise pytest.UsageError("supply a `notifier` fixture")

    @pytest.fixture
    def received(self) -> Callable[[], list[str]]:  # pragma: no cover - overridden
        raise pytest.UsageError("supply a `received` fixture")

    def test_satisfies_the_protocol(self, notifier: Any) -> None:
        from lvzhi.ports import Notifier

        assert isinstance(notifier, Notifier)
        assert isinstance(notifier.name, str)
        assert notifier.name == notifier.name.strip()
        assert notifier.name

    def test_delivers_the_notice_text(
        self, notifier: Any, received: Callable[[], list[str]]
    ) -> None:
        notice = sample_notice()
        before = len(received())
        notifier.send(sample_delivery(notice, notifier.name), notice)
        arrived = received()[before:]
        assert len(arrived) == 1
        assert "通报" in arrived[0]

    def test_one_delivery_sent_twice_arrives_once(
        self, notifier: Any, received: Callable[[], list[str]]
    ) -> None:
        notice = sample_notice(2)
        delivery = sample_delivery(notice, notifier.name)
        before = len(received())
        notifier.send(delivery, notice)
        notifier.send(delivery, notice)
        assert len(received()) - before == 1

    def test_two_deliveries_arrive_twice(
        self, notifier: Any, received: Callable[[], list[str]]
    ) -> None:
        notice = sample_notice(3)
        before = len(received())
        notifier.send(sample_delivery(notice, notifier.name, 1), notice)
        notifier.send(sample_delivery(notice, notifier.name, 2), notice)
        assert len(received()) - before == 2
