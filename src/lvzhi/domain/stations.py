"""Station passes (签到通行证): the secretariat's leave for one attendance taker to record
scans in one zone of one hall.

A pass is issued to an official for a hall and a zone (the zone's name, as scans carry it)
and is valid until it is revoked.  Revoking keeps the pass, with who revoked it, when and
why; a revoked pass cannot be revoked again.  How a pass travels (a signed link, a QR code)
is the business of the front end that honours it.
"""

from __future__ import annotations

import attrs
import pendulum

from lvzhi.domain import _fields as f
from lvzhi.errors import TransitionError

__all__ = ["StationPass"]


@attrs.frozen(kw_only=True)
class StationPass:
    """One attendance taker's pass for one zone of one hall in a programme."""

    id: str = attrs.field(validator=f.identifier)
    programme_id: str = attrs.field(validator=f.identifier)
    taker_id: str = attrs.field(validator=f.identifier)
    hall_id: str = attrs.field(validator=f.identifier)
    zone: str = attrs.field(converter=f.clean_text, validator=f.non_empty)
    issued_at: pendulum.DateTime = attrs.field(converter=f.utc, validator=f.aware)
    issued_by: str = attrs.field(validator=f.identifier)
    revoked_at: pendulum.DateTime | None = attrs.field(
        default=None, converter=f.optional_utc, validator=f.optional_aware
    )
    revoked_by: str | None = attrs.field(default=None, validator=f.optional_identifier)
    reason: str = attrs.field(default="", converter=f.clean_text, validator=f.text)

    @property
    def key(self) -> str:
        return self.id

    @property
    def state(self) -> str:
        """``valid`` or ``revoked``."""
        return "revoked" if self.revoked_at is not None else "valid"

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    def revoke(self, *, by: str, at: pendulum.DateTime, reason: str) -> StationPass:
        """The pass revoked by ``by`` at ``at``; a revoked pass cannot be revoked again."""
        if self.revoked:
            raise TransitionError("StationPass", self.state, "revoke", "revoked")
        return attrs.evolve(self, revoked_at=at, revoked_by=by, reason=reason)
