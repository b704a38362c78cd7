"""The transactional outbox: events waiting for their handlers, notices waiting for their
channels.

Both are written in the same transaction as the change that caused them, and worked off
after the commit.  A failure is recorded on the row (attempts, last error, next try) and
retried with back-off; it never turns the committed change into an error.

Pure values and functions: the bus (``lvzhi.bus``) does the I/O.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

import attrs
import pendulum

from lvzhi.domain import _fields as f
from lvzhi.errors import TransitionError

__all__ = [
    "MAX_ATTEMPTS",
    "Delivery",
    "DeliveryState",
    "OutboxEntry",
    "OutboxState",
    "RetryPolicy",
]

#: Attempts after which a row is given up (state ``failed``) unless a policy says otherwise.
MAX_ATTEMPTS = 8


@attrs.frozen(kw_only=True)
class RetryPolicy:
    """Exponential back-off: the n-th failed attempt waits ``base * 2**(n-1)`` seconds,
    at most ``cap``; after ``max_attempts`` the row is given up."""

    base_seconds: float = attrs.field(default=30.0)
    cap_seconds: float = attrs.field(default=3600.0)
    max_attempts: int = attrs.field(default=MAX_ATTEMPTS, validator=f.positive_int)
    lease_seconds: float = attrs.field(default=300.0)

    def delay(self, attempts: int) -> float:
        """Seconds to wait after ``attempts`` failed attempts (``attempts >= 1``)."""
        return float(min(self.cap_seconds, self.base_seconds * 2 ** max(attempts - 1, 0)))

    def gives_up(self, attempts: int) -> bool:
        return attempts >= self.max_attempts


class OutboxState(enum.StrEnum):
    PENDING = "pending"  # some handlers still have to see the event
    DONE = "done"  # every handler has seen it
    FAILED = "failed"  # given up after too many attempts


def _to_outbox_state(value: Any) -> Any:
    return f.to_enum(OutboxState, value)


@attrs.frozen(kw_only=True)
class OutboxEntry:
    """One domain event, stored with the change that caused it.

    ``handlers`` names the plugins whose ``lvzhi_handle_event`` has not yet succeeded for
    it; ``payload`` is the event's plain form (``lvzhi.serialization.dump``)."""

    id: str = attrs.field(validator=f.identifier)
    event: str = attrs.field(validator=f.non_empty)
    payload: Mapping[str, Any] = attrs.field(factory=dict)
    occurred_at: pendulum.DateTime = attrs.field(converter=f.utc, validator=f.aware)
    handlers: tuple[str, ...] = attrs.field(default=(), converter=f.str_tuple)
    state: OutboxState = attrs.field(
        default=OutboxState.PENDING,
        converter=_to_outbox_state,
        validator=f.enum_member(OutboxState),
    )
    attempts: int = attrs.field(default=0, validator=f.non_negative_int)
    last_error: str = attrs.field(default="", validator=f.text)
    next_attempt_at: pendulum.DateTime | None = attrs.field(
        default=None, converter=f.optional_utc, validator=f.optional_aware
    )

    @property
    def key(self) -> str:
        return self.id

    def handled(
        self,
        failures: Mapping[str, str],
        *,
        at: pendulum.DateTime,
        policy: RetryPolicy,
    ) -> OutboxEntry:
        """The entry after one attempt in which the handlers in ``failures`` (name → error)
        failed and the others succeeded."""
        remaining = tuple(h for h in self.handlers if h in failures)
        if not remaining:
            return attrs.evolve(self, handlers=(), state=OutboxState.DONE, next_attempt_at=None)
        attempts = self.attempts + 1
        error = "; ".join(f"{h}: {failures[h]}" for h in remaining)
        if policy.gives_up(attempts):
            return attrs.evolve(
                self,
                handlers=remaining,
                attempts=attempts,
                last_error=error,
                state=OutboxState.FAILED,
                next_attempt_at=None,
            )
        return attrs.evolve(
            self,
            handlers=remaining,
            attempts=attempts,
            last_error=error,
            next_attempt_at=at.add(seconds=policy.delay(attempts)),
        )


class DeliveryState(enum.StrEnum):
    PENDING = "pending"  # not yet sent (or sending failed and will be retried)
    SENT = "sent"  # the notifier accepted it
    FAILED = "failed"  # given up after too many attempts


def _to_delivery_state(value: Any) -> Any:
    return f.to_enum(DeliveryState, value)


@attrs.frozen(kw_only=True)
class Delivery:
    """One notice to one recipient over one channel (a notifier).

    ``id`` is stable and unique: a notifier passes it on (as an e-mail's Message-ID, a
    webhook's idempotency key, a file name) so that a retry after a crash between sending
    and recording is recognised downstream and nothing arrives twice."""

    id: str = attrs.field(validator=f.identifier)
    notice_id: str = attrs.field(validator=f.identifier)
    channel: str = attrs.field(validator=f.non_empty)
    recipient: str = attrs.field(validator=f.non_empty)
    address: str = attrs.field(default="", validator=f.text)
    state: DeliveryState = attrs.field(
        default=DeliveryState.PENDING,
        converter=_to_delivery_state,
        validator=f.enum_member(DeliveryState),
    )
    attempts: int = attrs.field(default=0, validator=f.non_negative_int)
    last_error: str = attrs.field(default="", validator=f.text)
    next_attempt_at: pendulum.DateTime | None = attrs.field(
        default=None, converter=f.optional_utc, validator=f.optional_aware
    )
    sent_at: pendulum.DateTime | None = attrs.field(
        default=None, converter=f.optional_utc, validator=f.optional_aware
    )

    @property
    def key(self) -> str:
        return self.id

    def due(self, now: pendulum.DateTime) -> bool:
        """Whether the delivery should be attempted at ``now``."""
        return self.state is DeliveryState.PENDING and (
            self.next_attempt_at is None or self.next_attempt_at <= now
        )

    def claimed(self, *, at: pendulum.DateTime, policy: RetryPolicy) -> Delivery:
        """Taken by a sender: counted as an attempt and hidden from other senders for the
        policy's lease, so that two processes never send the same delivery at once."""
        return attrs.evolve(
            self, attempts=self.attempts + 1, next_attempt_at=at.add(seconds=policy.lease_seconds)
        )

    def sent(self, *, at: pendulum.DateTime) -> Delivery:
        return attrs.evolve(
            self, state=DeliveryState.SENT, sent_at=at, next_attempt_at=None, last_error=""
        )

    def requeued(self) -> Delivery:
        """A failed delivery made pending again (due at once, its attempts and last error
        kept), after what made it fail was put right; any other state is refused."""
        if self.state is not DeliveryState.FAILED:
            raise TransitionError("Delivery", self.state.value, "retry", "pending")
        return attrs.evolve(self, state=DeliveryState.PENDING, next_attempt_at=None)

    def failed(
        self, error: str, *, at: pendulum.DateTime, policy: RetryPolicy, permanent: bool = False
    ) -> Delivery:
        """After a failed attempt (already counted by :meth:`claimed`).

        A ``permanent`` failure (a refused address, a rejected message) is not retried: the
        delivery is ``failed`` at once; any other is tried again after the policy's delay
        until the policy gives up."""
        if permanent or policy.gives_up(self.attempts):
            return attrs.evolve(
                self, state=DeliveryState.FAILED, last_error=error, next_attempt_at=None
            )
        return attrs.evolve(
            self, last_error=error, next_attempt_at=at.add(seconds=policy.delay(self.attempts))
        )
