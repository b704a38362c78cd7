"""Station passes: the secretariat issues an attendance taker a pass for one zone of a
hall, revokes it, and every front end checks it before recording a scan under it."""

from __future__ import annotations

import builtins

from lvzhi.domain import Programme
from lvzhi.domain.stations import StationPass
from lvzhi.errors import NotFound, PermissionDenied, ValidationError
from lvzhi.i18n import _
from lvzhi.services.context import Service, with_new_id

__all__ = ["StationsService"]


class StationsService(Service):
    """``office.stations``: issue, revoke, list and check station passes."""

    def issue(
        self,
        taker_id: str,
        hall_id: str,
        zone: str,
        *,
        by: str,
        programme_id: str | None = None,
    ) -> StationPass:
        """Issue ``taker_id`` (an official) a pass for the zone named ``zone`` of
        ``hall_id``, with a new id (``<programme>-pass-NNN``).  ``by`` is the issuing
        official.  The hall must have a zone of that name."""

        def store(programme: Programme, new_id: str) -> StationPass:
            now = self._ctx.now()
            with self._ctx.write() as tx:
                uow = tx.uow
                uow.officials.get(taker_id)
                uow.officials.get(by)
                uow.halls.get(hall_id)
                names = sorted(z.name for z in uow.zones.select(hall_id=hall_id))
                if zone not in names:
                    raise ValidationError(
                        "StationPass.zone",
                        zone,
                        _("hall {hall} has no such zone; its zones: {names}").format(
                            hall=hall_id, names=", ".join(names) or "-"
                        ),
                    )
                item = StationPass(
                    id=new_id,
                    programme_id=programme.id,
                    taker_id=taker_id,
                    hall_id=hall_id,
                    zone=zone,
                    issued_at=now,
                    issued_by=by,
                )
                uow.stations.add(item)
            return item

        return with_new_id(self._ctx, "stations", programme_id, "pass", store)

    def revoke(self, pass_id: str, *, by: str, reason: str = "") -> StationPass:
        """Revoke a pass (kept, with who revoked it, when and why).  A pass already
        revoked raises :class:`~lvzhi.errors.TransitionError`."""
        with self._ctx.write() as tx:
            uow = tx.uow
            uow.officials.get(by)
            current = uow.stations.get(pass_id)
            revoked = current.revoke(by=by, at=self._ctx.now(), reason=reason)
            uow.stations.put(revoked)
        return revoked

    def get(self, pass_id: str) -> StationPass:
        """A pass by id, revoked or not (:class:`~lvzhi.errors.NotFound` when unknown)."""
        with self._ctx.read() as uow:
            return uow.stations.get(pass_id)

    def list(
        self, programme_id: str | None = None, *, include_revoked: bool = True
    ) -> builtins.list[StationPass]:
        """The passes (of one programme if given), by id."""
        with self._ctx.read() as uow:
            if programme_id:
                items = uow.stations.select(programme_id=programme_id)
            else:
                items = uow.stations.list()
        if not include_revoked:
            items = [p for p in items if not p.revoked]
        return sorted(items, key=lambda p: p.id)

    def check(self, pass_id: str) -> StationPass:
        """The pass if it may be used: :class:`~lvzhi.errors.NotFound` for an unknown
        pass, :class:`~lvzhi.errors.PermissionDenied` naming who revoked it, when and why
        for a revoked one."""
        with self._ctx.read() as uow:
            try:
                item = uow.stations.get(pass_id)
            except NotFound:
                raise NotFound("StationPass", pass_id) from None
        if item.revoked_at is not None:
            raise PermissionDenied(
                actor=item.taker_id,
                action="record",
                subject=pass_id,
                reason=_("the pass was revoked at {at} by {by}: {reason}").format(
                    at=item.revoked_at.isoformat(), by=item.revoked_by, reason=item.reason or "-"
                ),
            )
        return item
