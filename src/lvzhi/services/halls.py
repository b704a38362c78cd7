"""Halls (会场): stored as data, read from hall files, seats blocked and freed."""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from pathlib import Path

from lvzhi.domain.events import HallSaved
from lvzhi.domain.halls import Hall
from lvzhi.errors import ValidationError
from lvzhi.hallfiles import load_hall
from lvzhi.i18n import _
from lvzhi.services.context import Service

__all__ = ["HallsService"]


class HallsService(Service):
    """``office.halls``: the halls seat plans are made for."""

    def save_hall(self, hall: Hall) -> Hall:
        """Add or replace a hall.  A stored seat plan of the hall is kept: the next
        :meth:`~lvzhi.services.seating.SeatingService.assign` moves only the deputies whose
        seats the new hall no longer offers."""
        with self._ctx.write() as tx:
            tx.uow.halls.put(hall)
            tx.emit(HallSaved(occurred_at=self._ctx.now(), hall_id=hall.id))
        return hall

    def load_hall_file(self, path: str | Path) -> Hall:
        """Read a hall file (TOML or YAML, see :func:`lvzhi.hallfiles.load_hall`) and store
        the hall; a bad file is refused with its line and nothing is stored."""
        return self.save_hall(load_hall(path))

    def halls(self) -> builtins.list[Hall]:
        """Every stored hall, by id."""
        with self._ctx.read() as uow:
            items = uow.halls.list()
        return sorted(items, key=lambda h: h.id)

    def hall(self, hall_id: str) -> Hall:
        """One hall; :class:`~lvzhi.errors.NotFound` when it is not stored."""
        with self._ctx.read() as uow:
            return uow.halls.get(hall_id)

    def block(self, hall_id: str, seats: str | Iterable[str], *, blocked: bool = True) -> Hall:
        """Block the seats ``seats`` (ids or labels: a pillar, a camera) or free them again
        with ``blocked=False``.  A deputy on a newly blocked seat keeps it until the next
        ``office.seating.assign``, which moves only that deputy."""
        keys = [seats] if isinstance(seats, str) else list(seats)
        if not keys:
            raise ValidationError("seats", keys, _("names no seat"))
        with self._ctx.write() as tx:
            hall = tx.uow.halls.get(hall_id)
            changed = hall.with_seats(keys, blocked=blocked)
            tx.uow.halls.put(changed)
            tx.emit(HallSaved(occurred_at=self._ctx.now(), hall_id=hall_id))
        return changed
