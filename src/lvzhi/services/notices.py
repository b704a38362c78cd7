"""Notices (通知、通报): stored with one delivery per recipient and channel, delivered
through the outbox (see :mod:`lvzhi.bus`)."""

from __future__ import annotations

import builtins
from collections.abc import Mapping

from lvzhi.bus import DeliveryReport
from lvzhi.domain import Notice
from lvzhi.domain.events import NoticeIssued
from lvzhi.domain.outbox import Delivery
from lvzhi.services.context import Service, current_programme

__all__ = ["NoticesService"]


class NoticesService(Service):
    """``office.notices``: issue notices and follow their delivery."""

    def issue(self, notice: Notice, *, addresses: Mapping[str, str] | None = None) -> Notice:
        """Store a notice and one delivery per recipient and notifier channel, in one
        transaction; the deliveries are sent after the commit (or by
        :meth:`deliver_pending`).  ``addresses`` maps recipients to channel addresses."""
        deliveries = self._ctx.bus.deliveries_for([notice], dict(addresses or {}))
        with self._ctx.write() as tx:
            tx.uow.programmes.get(notice.programme_id)
            tx.uow.notices.add(notice)
            tx.deliver(deliveries)
            tx.emit(
                NoticeIssued(
                    occurred_at=self._ctx.now(), notice_id=notice.id, recipients=notice.recipients
                )
            )
        return notice

    def list(self, programme_id: str | None = None) -> builtins.list[Notice]:
        """The notices of a programme, in the order they were issued."""
        with self._ctx.read() as uow:
            pid = current_programme(uow, programme_id).id
            items = uow.notices.select(programme_id=pid)
        return sorted(items, key=lambda n: (n.issued_at, n.id))

    def deliveries(self, notice_id: str | None = None) -> builtins.list[Delivery]:
        """Deliveries (of one notice if given), by id."""
        with self._ctx.read() as uow:
            if notice_id is not None:
                return uow.deliveries.select(notice_id=notice_id)
            return uow.deliveries.list()

    def deliver_pending(self) -> DeliveryReport:
        """Send every delivery that is due and retry event handlers that are due."""
        return self._ctx.bus.deliver_pending()
