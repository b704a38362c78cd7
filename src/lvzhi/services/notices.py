"""Notices (通知、通报): stored with one delivery per recipient and channel, delivered
through the outbox (see :mod:`lvzhi.bus`)."""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Mapping

from lvzhi.bus import DeliveryReport
from lvzhi.domain import Notice
from lvzhi.domain.events import NoticeIssued
from lvzhi.domain.outbox import Delivery, DeliveryState
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

    def retry_failed(self, delivery_ids: Iterable[str] | None = None) -> DeliveryReport:
        """Make failed deliveries pending again — every failed one, or those named — and
        send them now.  For a channel whose configuration was wrong (an address, a robot's
        key) and has been put right: a failure the notifier called permanent is not retried
        on its own.  Naming a delivery that has not failed raises ``TransitionError``."""
        with self._ctx.write() as tx:
            if delivery_ids is None:
                chosen = tx.uow.deliveries.select(state=DeliveryState.FAILED)
            else:
                chosen = [tx.uow.deliveries.get(i) for i in delivery_ids]
            requeued = [d.requeued() for d in chosen]
            tx.uow.deliveries.put_many(requeued)
        if not requeued:
            return DeliveryReport()
        return self._ctx.bus.send([d.id for d in requeued])

    def deliver_pending(self) -> DeliveryReport:
        """Send every delivery that is due and retry event handlers that are due."""
        return self._ctx.bus.deliver_pending()
