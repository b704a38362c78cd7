"""The message bus: domain events and notices leave through a transactional outbox.

A use case that changes something opens :meth:`Bus.transaction`: a unit of work plus a
place to put the domain events the change causes (``tx.emit``) and the notice deliveries
it creates (``tx.deliver``).  Before the commit the bus writes one outbox entry per event
(when any plugin handles events) and the deliveries, in the same transaction, so that
either the change and its consequences are stored together or neither is.

After the commit the events are handed to each ``lvzhi_handle_event`` handler on its own
and the new deliveries are sent (unless ``Settings.deliver_immediately`` is off).  A
handler or notifier that fails is recorded on its row — attempts, last error, next try —
and retried with back-off by :meth:`Bus.deliver_pending`; it never turns the committed
change into an error for the caller.  A process killed between the commit and the sending
loses nothing: the rows are there for the next :meth:`Bus.deliver_pending`.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import attrs

from lvzhi.clock import Clock
from lvzhi.domain import Notice
from lvzhi.domain.events import EVENT_TYPES, Event
from lvzhi.domain.outbox import (
    Delivery,
    DeliveryState,
    OutboxEntry,
    OutboxState,
    RetryPolicy,
)
from lvzhi.errors import NotRegistered
from lvzhi.plugins.facade import Hooks
from lvzhi.plugins.registry import Registry
from lvzhi.ports import Notifier, StorageBackend, UnitOfWork
from lvzhi.serialization import dump, load

__all__ = ["Bus", "DeliveryReport", "Transaction"]

logger = logging.getLogger("lvzhi.bus")


class Transaction:
    """One read-write unit of work plus the events and deliveries it gives rise to."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        self.events: list[Event] = []
        self.deliveries: list[Delivery] = []

    def emit(self, *events: Event) -> None:
        """Domain events to hand to plugins once this transaction has committed."""
        self.events.extend(events)

    def deliver(self, deliveries: Iterable[Delivery]) -> None:
        """Notice deliveries to store with this transaction and send after it."""
        self.deliveries.extend(deliveries)


@attrs.frozen(kw_only=True)
class DeliveryReport:
    """What one :meth:`Bus.deliver_pending` run did."""

    sent: int = 0
    failed: int = 0
    given_up: int = 0
    events_handled: int = 0
    events_failed: int = 0
    errors: tuple[str, ...] = ()

    def __add__(self, other: DeliveryReport) -> DeliveryReport:
        return DeliveryReport(
            sent=self.sent + other.sent,
            failed=self.failed + other.failed,
            given_up=self.given_up + other.given_up,
            events_handled=self.events_handled + other.events_handled,
            events_failed=self.events_failed + other.events_failed,
            errors=self.errors + other.errors,
        )


def _delivery_id(notice_id: str, channel: str, number: int) -> str:
    """``<notice>.<channel>.<n>``; a digest of it when that would be too long for an id."""
    text = f"{notice_id}.{channel}.{number}"
    if len(text) <= 64 and all(c.isascii() and (c.isalnum() or c in "._:-") for c in channel):
        return text
    return "d-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:40]


def _sender(delivery: Delivery, notice: Notice) -> Callable[[Notifier], None]:
    def send(notifier: Notifier) -> None:
        notifier.send(delivery, notice)

    return send


def _error_text(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:500]


class Bus:
    """Writes the outbox in the change's transaction and works it off after the commit."""

    def __init__(
        self,
        storage: StorageBackend,
        hooks: Hooks,
        clock: Clock,
        notifiers: Callable[[], Registry[Notifier]],
        *,
        policy: RetryPolicy | None = None,
        deliver_immediately: bool = True,
    ) -> None:
        self.storage = storage
        self.hooks = hooks
        self.clock = clock
        self._notifiers = notifiers
        self.policy = policy or RetryPolicy()
        self.deliver_immediately = deliver_immediately
        self.secretariat: Any = None  # set by the composition root; passed to handlers

    # -- the write side --------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """A read-write unit of work whose events and deliveries are written with it."""
        with self.storage.unit_of_work() as uow:
            tx = Transaction(uow)
            yield tx
            entries = self._entries(tx.events)
            if entries:
                uow.outbox.put_many(entries)
            if tx.deliveries:
                uow.deliveries.put_many(tx.deliveries)
        self._after_commit(tx.events, entries, tx.deliveries)

    def publish(self, *events: Event) -> None:
        """Events of a use case that changed nothing (an export): written to the outbox in
        a transaction of their own, and only when some plugin handles events, so that a
        read-only store can still be read."""
        if events and self.hooks.event_handlers():
            with self.transaction() as tx:
                tx.emit(*events)

    def _entries(self, events: Sequence[Event]) -> list[OutboxEntry]:
        handlers = self.hooks.event_handlers()
        if not handlers or not events:
            return []
        return [
            OutboxEntry(
                id=uuid.uuid4().hex,
                event=event.name,
                payload=dump(event),
                occurred_at=event.occurred_at,
                handlers=tuple(handlers),
            )
            for event in events
        ]

    def _after_commit(
        self,
        events: Sequence[Event],
        entries: Sequence[OutboxEntry],
        deliveries: Sequence[Delivery],
    ) -> None:
        # The change is committed: nothing from here on may turn it into an error.  What
        # fails stays in the outbox for deliver_pending().
        try:
            for event, entry in zip(events, entries, strict=False):
                self._handle(entry, event)
            if deliveries and self.deliver_immediately:
                self._send([d.id for d in deliveries])
        except Exception:
            logger.warning(
                "work after a committed change failed; it stays in the outbox", exc_info=True
            )

    # -- events ----------------------------------------------------------------------------
    def _handle(self, entry: OutboxEntry, event: Event) -> bool:
        failures = self.hooks.handle_event(event, self.secretariat, only=entry.handlers)
        for plugin, exc in failures.items():
            logger.warning(
                "plugin %r failed to handle %s (%s): %s; it will be retried",
                plugin,
                entry.event,
                entry.id,
                _error_text(exc),
                exc_info=exc,
            )
        done = entry.handled(
            {p: _error_text(e) for p, e in failures.items()},
            at=self.clock.now(),
            policy=self.policy,
        )
        with self.storage.unit_of_work() as uow:
            uow.outbox.put(done)
        return not failures

    def _retry_events(self) -> DeliveryReport:
        now = self.clock.now()
        with self.storage.unit_of_work(readonly=True) as uow:
            due = [
                e
                for e in uow.outbox.select(state=OutboxState.PENDING)
                if e.next_attempt_at is None or e.next_attempt_at <= now
            ]
        handled = failed = 0
        errors: list[str] = []
        for entry in due:
            kind = EVENT_TYPES.get(entry.event)
            if kind is None:
                errors.append(f"outbox entry {entry.id}: unknown event {entry.event!r}")
                failed += 1
                continue
            if self._handle(entry, load(kind, dict(entry.payload))):
                handled += 1
            else:
                failed += 1
        return DeliveryReport(events_handled=handled, events_failed=failed, errors=tuple(errors))

    # -- deliveries ------------------------------------------------------------------------
    def deliveries_for(
        self, notices: Sequence[Notice], addresses: dict[str, str]
    ) -> list[Delivery]:
        """One delivery per notice, recipient and registered notifier channel."""
        channels = self._notifiers().names()
        return [
            Delivery(
                id=_delivery_id(notice.id, channel, number),
                notice_id=notice.id,
                channel=channel,
                recipient=recipient,
                address=addresses.get(recipient, ""),
            )
            for notice in notices
            for channel in channels
            for number, recipient in enumerate(notice.recipients, start=1)
        ]

    def _claim(self, ids: Sequence[str] | None) -> tuple[list[Delivery], dict[str, Notice]]:
        now = self.clock.now()
        with self.storage.unit_of_work() as uow:
            if ids is None:
                candidates = uow.deliveries.select(state=DeliveryState.PENDING)
            else:
                candidates = [d for d in (uow.deliveries.find(i) for i in ids) if d is not None]
            claimed = [d.claimed(at=now, policy=self.policy) for d in candidates if d.due(now)]
            uow.deliveries.put_many(claimed)
            notices = {n: uow.notices.get(n) for n in {d.notice_id for d in claimed}}
        return claimed, notices

    def _send(self, ids: Sequence[str] | None) -> DeliveryReport:
        claimed, notices = self._claim(ids)
        sent = failed = given_up = 0
        errors: list[str] = []
        for delivery in claimed:
            try:
                notifiers = self._notifiers()
                notice = notices[delivery.notice_id]
                notifiers.call(delivery.channel, "send", _sender(delivery, notice))
            except Exception as exc:
                cause = exc if isinstance(exc, NotRegistered) else exc.__cause__ or exc
                outcome = delivery.failed(
                    _error_text(cause),
                    at=self.clock.now(),
                    policy=self.policy,
                    permanent=getattr(cause, "permanent", False) is True,
                )
                errors.append(f"{delivery.id}: {outcome.last_error}")
                logger.warning("delivery %s failed: %s", delivery.id, outcome.last_error)
                if outcome.state is DeliveryState.FAILED:
                    given_up += 1
                else:
                    failed += 1
            else:
                outcome = delivery.sent(at=self.clock.now())
                sent += 1
            # One transaction per delivery: a crash loses the record of at most one send,
            # and the notifier's idempotency by delivery id covers that one.
            with self.storage.unit_of_work() as uow:
                uow.deliveries.put(outcome)
        return DeliveryReport(sent=sent, failed=failed, given_up=given_up, errors=tuple(errors))

    def send(self, ids: Sequence[str]) -> DeliveryReport:
        """Send the deliveries named (those of them that are pending and due) now."""
        return self._send(list(ids))

    def deliver_pending(self) -> DeliveryReport:
        """Send every delivery that is due and retry every event handler that is due."""
        return self._send(None) + self._retry_events()
