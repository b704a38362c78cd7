"""What the pages show and do, built only on the secretariat's public services: the
session running in a hall, a zone's deputies in seat order, recording one scan from a
station, and the state of the live hall."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from typing import Any

import attrs
import pendulum

from lvzhi import Secretariat
from lvzhi.domain import Scan, ScanKind, ScanSource, Session
from lvzhi.domain.attendance import FLAG_LABELS
from lvzhi.domain.stations import StationPass
from lvzhi.errors import LvzhiError, NotFound
from lvzhi.reports import mask_phone

__all__ = [
    "DISPLAY",
    "BadScan",
    "ZoneDeputy",
    "current_session",
    "find_session",
    "hall_state",
    "parse_code",
    "record_scan",
    "zone_deputies",
]

#: A certificate number as a scanner or a QR code gives it (an optional ``LVZHI:`` prefix).
CODE = re.compile(r"^(?:lvzhi:)?([A-Za-z0-9][A-Za-z0-9_.-]{0,63})$", re.IGNORECASE)
#: An idempotency key chosen by the browser.
SCAN_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
#: How far in the future a scan's time may be (the browser's clock is synchronised with
#: the server's on page load).
FUTURE_SLACK = pendulum.duration(minutes=5)
#: How the live hall colours each status code of the library (other codes keep their own).
DISPLAY: dict[str, str] = {
    "present": "in",
    "late": "late",
    "absent": "missing",
    "on_leave": "leave",
    "exempt": "in",
}
#: What the station says of a deputy already in the hall who is scanned in again.
ALREADY_IN = "已签到"


class BadScan(Exception):
    """A scan refused before anything is written: ``message`` for the page, HTTP
    ``status``."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def parse_code(raw: str) -> str:
    """The certificate number in what was scanned or typed; :class:`BadScan` otherwise."""
    text = raw.strip()
    match = CODE.match(text)
    if match is None:
        shown = text if len(text) <= 40 else text[:40] + "…"
        raise BadScan(f"无法识别的条码：{shown!r}（应为代表证号）")
    return match.group(1)


def window(office: Secretariat, session: Session) -> tuple[pendulum.DateTime, pendulum.DateTime]:
    """When scans for ``session`` are accepted: from the programme's scan opening before
    the start until the end."""
    policy = office.programme.get(session.programme_id).policy
    return session.starts_at.subtract(minutes=policy.scan_opens_minutes), session.ends_at


def current_session(
    office: Secretariat,
    hall_id: str,
    at: pendulum.DateTime | None = None,
    programme_id: str | None = None,
) -> Session | None:
    """The session of the programme (default: the current one) held in ``hall_id`` whose
    scan window contains ``at`` (now)."""
    moment = at or office.now()
    try:
        sessions = office.programme.timetable(programme_id)
    except NotFound:
        return None
    for session in sessions:
        if session.venue_id != hall_id:
            continue
        opens, closes = window(office, session)
        if opens <= moment <= closes:
            return session
    return None


@attrs.frozen(kw_only=True)
class ZoneDeputy:
    certificate_no: str
    name: str
    delegation: str
    seat: str
    present: bool = False


def zone_deputies(office: Secretariat, hall_id: str, zone: str) -> list[ZoneDeputy]:
    """The deputies seated in the zone named ``zone``, in seat (walk) order."""
    hall = office.halls.hall(hall_id)
    zones = [z for z in office.seating.zones(hall_id) if z.name == zone]
    try:
        plan = office.seating.plan_for(hall_id)
    except NotFound:
        return []
    if not zones:
        return []
    occupant = {seat: cert for cert, seat in plan.assignments.items()}
    names = {d.certificate_no: d for d in office.people.delegates()}
    units = {d.code: d.name for d in office.people.delegations()}
    out = []
    for seat_id in zones[0].seats:
        cert = occupant.get(seat_id)
        if cert is None or cert not in names:
            continue
        deputy = names[cert]
        out.append(
            ZoneDeputy(
                certificate_no=cert,
                name=deputy.name,
                delegation=units.get(deputy.delegation, deputy.delegation),
                seat=hall.seat(seat_id).label,
            )
        )
    return out


def inside(office: Secretariat, session_id: str) -> set[str]:
    """Deputies whose last scan in the session is an entry."""
    last: dict[str, ScanKind] = {}
    for scan in office.attendance.scans(session_id=session_id):
        last[scan.certificate_no] = scan.kind
    return {cert for cert, kind in last.items() if kind is ScanKind.ENTRY}


def _parse_time(value: Any) -> pendulum.DateTime:
    try:
        parsed = pendulum.parse(str(value))
    except (ValueError, TypeError, pendulum.parsing.exceptions.ParserError):
        raise BadScan(f"扫描时间无法识别：{value!r}") from None
    if not isinstance(parsed, pendulum.DateTime):
        raise BadScan(f"扫描时间无法识别：{value!r}")
    return parsed


def record_scan(
    office: Secretariat, station: StationPass, payload: Mapping[str, Any]
) -> dict[str, Any]:
    """Record one scan sent by a station: the zone and the taker come from the pass, never
    from the browser.  Refuses (:class:`BadScan`, nothing written) a malformed code or key,
    an unknown certificate, a session not of this hall or not running at the scan's time.
    Returns what the station shows."""
    scan_id = str(payload.get("id", ""))
    if not SCAN_ID.match(scan_id):
        raise BadScan(f"扫描编号无效：{scan_id!r}")
    code = parse_code(str(payload.get("code", "")))
    kind_text = str(payload.get("kind", "entry"))
    if kind_text not in ("entry", "exit"):
        raise BadScan(f"扫描类型无效：{kind_text!r}（应为 entry 或 exit）")
    session_id = str(payload.get("session_id", ""))
    scanned_at = _parse_time(payload.get("scanned_at", ""))
    try:
        timetable = office.programme.timetable(station.programme_id)
        session = next(s for s in timetable if s.id == session_id)
    except (StopIteration, NotFound):
        raise BadScan(f"会次 {session_id!r} 不存在", 409) from None
    if session.venue_id != station.hall_id:
        raise BadScan(f"会次“{session.title}”不在本会场举行", 409)
    opens, closes = window(office, session)
    if not opens <= scanned_at <= closes or scanned_at > office.now() + FUTURE_SLACK:
        raise BadScan(
            f"会次“{session.title}”在 {scanned_at.in_tz('Asia/Shanghai').format('HH:mm')} "
            "未在签到时间内，本次扫描未记录",
            409,
        )
    try:
        deputy = office.people.delegate(code)
    except NotFound:
        raise BadScan(f"代表证号 {code} 不在名册中，本次扫描未记录", 404) from None
    before = office.attendance.scans(session_id=session.id, certificate_no=code)
    earlier = [s for s in before if s.id != scan_id and s.scanned_at <= scanned_at]
    kind = ScanKind(kind_text)
    already = bool(earlier) and earlier[-1].kind is kind
    scan = Scan(
        id=scan_id,
        session_id=session.id,
        certificate_no=code,
        kind=kind,
        scanned_at=scanned_at,
        zone=station.zone,
        taker_id=station.taker_id,
        device=f"web:{station.id}",
        source=ScanSource.SCAN,
    )
    try:
        result = office.attendance.record([scan])
    except LvzhiError as exc:
        raise BadScan(str(exc)) from None
    reasons = [r for flag in result.flags for r in flag.reasons]
    flags = [FLAG_LABELS.get(r, r) for r in reasons]
    if already:
        flags.append(ALREADY_IN if kind is ScanKind.ENTRY else "已签退")
    seat = office.seating.seat_of(code, station.hall_id)
    units = {d.code: d.name for d in office.people.delegations()}
    return {
        "ok": True,
        "id": scan_id,
        "certificate_no": code,
        "name": deputy.name,
        "delegation": units.get(deputy.delegation, deputy.delegation),
        "seat": seat.label if seat is not None else "",
        "kind": kind.value,
        "recorded": result.recorded == 1,
        "duplicate": result.ignored == 1,
        "flags": flags,
        "flag_codes": reasons + (["already"] if already else []),
    }


def find_session(office: Secretariat, session_id: str) -> Session:
    """A session of any programme; :class:`~lvzhi.errors.NotFound` when there is none."""
    for programme in office.programme.programmes():
        for session in office.programme.timetable(programme.id):
            if session.id == session_id:
                return session
    raise NotFound("Session", session_id)


def hall_state(
    office: Secretariat, session_id: str, *, reveal_phones: bool = False
) -> dict[str, Any]:
    """The live hall of a session: every deputy's status as the attendance rule derives
    it, counts by zone and delegation, those still missing with their delegation's staff
    contact, and each zone's taker."""
    session = find_session(office, session_id)
    statuses = office.attendance.evaluate(session_id)
    deputies = {d.certificate_no: d for d in office.people.delegates()}
    delegations = {d.code: d for d in office.people.delegations()}
    officials = {o.id: o for o in office.people.officials()}
    zone_of: dict[str, str] = {}
    zones: list[dict[str, Any]] = []
    labels: dict[str, str] = {}
    if session.venue_id is not None:
        try:
            plan = office.seating.plan_for(session.venue_id)
            hall = office.halls.hall(session.venue_id)
        except NotFound:
            plan = None
        if plan is not None:
            by_seat = {}
            for zone in office.seating.zones(session.venue_id):
                taker = officials.get(zone.taker_id or "")
                zones.append({"name": zone.name, "taker": taker.name if taker else ""})
                by_seat.update(dict.fromkeys(zone.seats, zone.name))
            for cert, seat in plan.assignments.items():
                zone_of[cert] = by_seat.get(seat, "-")
                labels[cert] = hall.seat(seat).label
        passes = office.stations.list(include_revoked=False)
        for zone_row in zones:
            holders = [
                officials[p.taker_id].name if p.taker_id in officials else p.taker_id
                for p in passes
                if p.hall_id == session.venue_id and p.zone == zone_row["name"]
            ]
            zone_row["stations"] = holders
    by_zone: dict[str, Counter[str]] = {}
    by_unit: dict[str, Counter[str]] = {}
    status_of: dict[str, str] = {}
    missing = []
    for status in statuses:
        display = DISPLAY.get(status.code, status.code)
        status_of[status.certificate_no] = display
        deputy = deputies.get(status.certificate_no)
        unit = delegations.get(deputy.delegation) if deputy else None
        unit_name = unit.name if unit else ""
        by_zone.setdefault(zone_of.get(status.certificate_no, "-"), Counter())[display] += 1
        by_unit.setdefault(unit_name, Counter())[display] += 1
        if display == "missing":
            staff = officials.get(unit.staff_id or "") if unit else None
            phone = staff.phone if staff else ""
            missing.append(
                {
                    "certificate_no": status.certificate_no,
                    "name": deputy.name if deputy else status.certificate_no,
                    "delegation": unit_name,
                    "seat": labels.get(status.certificate_no, ""),
                    "zone": zone_of.get(status.certificate_no, "-"),
                    "contact": staff.name if staff else "",
                    "phone": phone if reveal_phones else mask_phone(phone),
                }
            )
    return {
        "session": {"id": session.id, "title": session.title},
        "statuses": status_of,
        "codes": {s.certificate_no: s.code for s in statuses},
        "labels": {s.certificate_no: s.label for s in statuses},
        "totals": dict(Counter(status_of.values())),
        "by_zone": {k: dict(v) for k, v in sorted(by_zone.items())},
        "by_delegation": {k: dict(v) for k, v in by_unit.items()},
        "missing": missing,
        "zones": zones,
    }
