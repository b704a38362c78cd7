"""Demo attendance: scans for every session of the sample course, with the irregularities a
real course sees, then a couple of corrections.  Called by the demo after seating and
leave; everything goes through ``office.attendance``."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Collection

import attrs

from lvzhi.domain import Scan, ScanKind, Session
from lvzhi.secretariat import Secretariat

__all__ = ["AttendanceDemo", "simulate_attendance"]


@attrs.frozen(kw_only=True)
class AttendanceDemo:
    """What :func:`simulate_attendance` did: scans recorded, duplicates of the offline batch
    ignored, scans flagged, corrections made and the statuses by label over all sessions."""

    recorded: int
    duplicates_ignored: int
    flagged: int
    corrections: int
    statuses: dict[str, int]


def _zones(office: Secretariat, session: Session) -> tuple[dict[str, str], dict[str, str]]:
    """Per deputy, the zone name of their seat and that zone's taker (empty without)."""
    if session.venue_id is None:
        return {}, {}
    with office.unit_of_work(readonly=True) as uow:
        plans = [p for p in uow.seat_plans.list() if p.hall_id == session.venue_id]
        zones = uow.zones.select(hall_id=session.venue_id)
    if not plans:
        return {}, {}
    by_seat = {seat: z for z in zones for seat in z.seats}
    zone_of: dict[str, str] = {}
    taker_of: dict[str, str] = {}
    for cert, seat in plans[-1].assignments.items():
        zone = by_seat.get(seat)
        if zone is not None:
            zone_of[cert] = zone.name
            taker_of[cert] = zone.taker_id or ""
    return zone_of, taker_of


def simulate_attendance(
    office: Secretariat,
    *,
    seed: int = 7,
    official: str | None = None,
    absent: Collection[tuple[str, str]] = (),
) -> AttendanceDemo:
    """Scan every required deputy in and out of every session: about 3% late, 2% leaving
    early, 1% absent, 1% scanned in the wrong zone; an offline device's batch is uploaded
    twice; one scan is voided and one status set by ``official`` (default: the first
    official on file).  The ``(certificate_no, session_id)`` pairs in ``absent`` are not
    scanned at all.  Returns what happened and the statuses."""
    rng = random.Random(seed)
    expected = office.attendance.evaluate_all()
    sessions = {s.id: s for s in office.programme.timetable()}
    names = [f"{c}区" for c in "ABCDEF"]
    scans: list[Scan] = []
    for sid, statuses in expected.items():
        session = sessions[sid]
        zone_of, taker_of = _zones(office, session)
        for status in statuses:
            cert = status.certificate_no
            if status.code == "on_leave" or (cert, sid) in absent or rng.random() < 0.01:
                continue
            zone = zone_of.get(cert, "")
            if zone and rng.random() < 0.01:
                zone = rng.choice([n for n in names if n != zone])
            taker = taker_of.get(cert) or None
            entry = session.starts_at.subtract(minutes=rng.randint(1, 20))
            if rng.random() < 0.03:
                entry = session.starts_at.add(minutes=rng.randint(6, 25))
            leave = session.ends_at.add(minutes=rng.randint(0, 5))
            if rng.random() < 0.02:
                leave = session.ends_at.subtract(minutes=rng.randint(10, 40))
            for kind, at in ((ScanKind.ENTRY, entry), (ScanKind.EXIT, leave)):
                scans.append(
                    Scan(
                        id=f"{sid}-{cert}-{kind.value}",
                        session_id=sid,
                        certificate_no=cert,
                        kind=kind,
                        scanned_at=at,
                        zone=zone,
                        taker_id=taker,
                        device=f"pad-{taker or 'x'}",
                    )
                )
    first = office.attendance.record(scans)
    # An offline device uploads its last batch again: idempotent, nothing new is stored.
    again = office.attendance.record(scans[-200:])
    corrections = 0
    by = official or next((o.id for o in office.people.officials()), None)
    if by is not None and scans:
        office.attendance.void_scan(
            scans[0].id, by=by, reason="误刷他人证件", session_id=scans[0].session_id
        )
        target = scans[-1]
        office.attendance.set_status(
            target.session_id, target.certificate_no, "exempt", by=by, reason="承担会务工作"
        )
        corrections = 2
    totals: Counter[str] = Counter()
    for statuses in office.attendance.evaluate_all().values():
        totals.update(s.label for s in statuses)
    return AttendanceDemo(
        recorded=first.recorded,
        duplicates_ignored=again.ignored,
        flagged=len(first.flags),
        corrections=corrections,
        statuses=dict(totals),
    )
