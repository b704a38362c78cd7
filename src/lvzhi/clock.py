"""Time sources.

Nothing in lvzhi calls ``now()`` directly: "now" comes from the :class:`Clock`
given to :func:`lvzhi.open` (``SystemClock`` by default).  Tests and replays
use :class:`FixedClock`.  Instants are tz-aware pendulum values in UTC.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import attrs
import pendulum

__all__ = ["Clock", "FixedClock", "SystemClock", "to_utc"]


def to_utc(value: pendulum.DateTime) -> pendulum.DateTime:
    """Return ``value`` in UTC; refuse naive values (they have no meaning)."""
    if value.tzinfo is None:
        raise ValueError(f"naive datetime {value.isoformat()} has no time zone")
    return value.in_timezone("UTC")


@runtime_checkable
class Clock(Protocol):
    """Something that tells the current instant."""

    def now(self) -> pendulum.DateTime:
        """The current instant, tz-aware, in UTC."""
        ...


class SystemClock:
    """The machine's clock."""

    def now(self) -> pendulum.DateTime:
        return pendulum.now("UTC")


@attrs.define
class FixedClock:
    """A clock that stands still until told to move (for tests and replays)."""

    current: pendulum.DateTime = attrs.field(converter=to_utc)

    def now(self) -> pendulum.DateTime:
        return self.current

    def advance(self, **delta: int) -> pendulum.DateTime:
        """Move forward by a pendulum duration (``minutes=5``) and return the new instant."""
        self.current = self.current.add(**delta)
        return self.current

    def set(self, value: pendulum.DateTime) -> None:
        self.current = to_utc(value)
