"""What every backend's scan log shares: checking the ``received_at`` given to
``ScanLog.extend``."""

from __future__ import annotations

import datetime as _dt
from typing import Any

import pendulum

from lvzhi.errors import ValidationError

__all__ = ["received_instant"]


def received_instant(value: Any) -> pendulum.DateTime:
    """``value`` as a pendulum instant in UTC; :class:`~lvzhi.errors.ValidationError` if it
    is not a time-zone-aware date and time."""
    if not isinstance(value, _dt.datetime) or value.utcoffset() is None:
        raise ValidationError("received_at", value, "must be a time-zone-aware date and time")
    return pendulum.instance(value).in_timezone("UTC")
