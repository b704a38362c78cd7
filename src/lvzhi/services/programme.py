"""Programme and timetable: the course (培训班), its venues and its sessions (日程)."""

from __future__ import annotations

from collections.abc import Iterable

from lvzhi.domain import Programme, Session, Venue
from lvzhi.domain.events import ProgrammeSaved, TimetableChanged
from lvzhi.errors import ValidationError
from lvzhi.services.context import Service, current_programme

__all__ = ["ProgrammeService"]


class ProgrammeService(Service):
    """``office.programme``: the course, its venues and timetable."""

    def save(self, programme: Programme) -> Programme:
        with self._ctx.write() as tx:
            tx.uow.programmes.put(programme)
            tx.emit(ProgrammeSaved(occurred_at=self._ctx.now(), programme_id=programme.id))
        return programme

    def get(self, programme_id: str | None = None) -> Programme:
        """A programme by id; with no id, the only (or latest-starting) programme."""
        with self._ctx.read() as uow:
            return current_programme(uow, programme_id)

    def programmes(self) -> list[Programme]:
        """Every programme, by start date."""
        with self._ctx.read() as uow:
            return sorted(uow.programmes.list(), key=lambda p: (p.start_date, p.id))

    def save_venue(self, venue: Venue) -> Venue:
        with self._ctx.write() as tx:
            tx.uow.venues.put(venue)
        return venue

    def venues(self) -> list[Venue]:
        with self._ctx.read() as uow:
            return uow.venues.list()

    def schedule(self, sessions: Iterable[Session]) -> list[Session]:
        """Add or replace timetable sessions, in one transaction.  Each session must belong to
        a stored programme, fall within its dates (local time) and use a stored venue."""
        items = list(sessions)
        by_programme: dict[str, list[str]] = {}
        with self._ctx.write() as tx:
            for s in items:
                programme = tx.uow.programmes.get(s.programme_id)
                for field, instant in (("starts_at", s.starts_at), ("ends_at", s.ends_at)):
                    day = programme.local(instant).date()
                    if not programme.start_date <= day <= programme.end_date:
                        raise ValidationError(
                            f"Session.{field}",
                            programme.local(instant).to_datetime_string(),
                            f"is outside the course dates {programme.start_date}"
                            f"..{programme.end_date} (session {s.id!r})",
                        )
                if s.venue_id is not None:
                    tx.uow.venues.get(s.venue_id)
                tx.uow.sessions.put(s)
                by_programme.setdefault(s.programme_id, []).append(s.id)
            now = self._ctx.now()
            tx.emit(
                *(
                    TimetableChanged(occurred_at=now, programme_id=p, session_ids=tuple(ids))
                    for p, ids in by_programme.items()
                )
            )
        return items

    def timetable(self, programme_id: str | None = None) -> list[Session]:
        """The sessions of a programme in time order."""
        with self._ctx.read() as uow:
            pid = current_programme(uow, programme_id).id
            items = uow.sessions.select(programme_id=pid)
        return sorted(items, key=lambda s: (s.starts_at, s.id))
