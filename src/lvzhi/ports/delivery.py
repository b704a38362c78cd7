"""The delivery seam: notifiers carry notices (通知、通报) to their recipients."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from lvzhi.domain import Notice
from lvzhi.domain.outbox import Delivery

__all__ = ["Notifier"]


@runtime_checkable
class Notifier(Protocol):
    """Delivers one notice to one recipient over one channel: console, file, SMTP,
    webhook…

    ``send`` is called by the outbox for each pending :class:`~lvzhi.domain.outbox.Delivery`
    of this notifier's channel (``delivery.channel == name``).  It returns when the channel
    has accepted the notice and raises any exception when it has not; the outbox then
    records the error and tries again later with back-off.  An exception with a true
    ``permanent`` attribute (a rejected address, a message the channel will never take)
    ends the delivery as ``failed`` at once, without retries.

    A crash between a successful ``send`` and the outbox recording it means the same
    delivery is sent again: a notifier must pass ``delivery.id`` on (as a Message-ID, an
    idempotency key, a file name) so that the second send is recognised as the same one.
    :class:`lvzhi.testing.NotifierContract` checks this.
    """

    name: str

    def send(self, delivery: Delivery, notice: Notice) -> None: ...
