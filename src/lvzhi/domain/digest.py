"""The fold on the storage digest: statuses of a whole session from ``ScanLog.digest``.

:func:`fold_digests` gives, for each deputy of a session, the status
:func:`lvzhi.domain.fold.fold` would give on the deputy's scans — or ``None`` when the digest
cannot tell and the scans must be read:

* a voiding correction (which scans remain is then a question of ids) → ``None``; a
  ``set_status`` correction wins as in the fold; approved leave overlapping the session →
  ``on_leave``;
* no entry at all, or none before the window closes → ``absent``;
* the first entry before the window opens → ``None`` (the arrival is a later entry);
* the other scans outside the window change nothing: exits before the arrival start no
  spell; a spell that starts after the session ends adds nothing; a spell ended by an
  entry after the window closes does not lie inside the session (next point);
* re-entry allowed and a completed spell outside that does not lie inside the session →
  ``None`` (the fold counts only the part inside the session);
* otherwise the arrival is the first entry and the time away is the completed spells plus
  the open one at the end (from its start, or the session's start, to the session's end),
  or, without re-entry, from the first exit after the arrival to the end.

Times are compared as the stored fixed-width UTC text; only the start of an open spell that
ends inside the session is parsed.  The session's thresholds are worked out once.
"""

from __future__ import annotations

import datetime as _dt
import functools
from collections.abc import Mapping, Sequence

import attrs

from lvzhi.domain.attendance import ScanDigest, instant_micros
from lvzhi.domain.checks import AttendanceCorrection, CorrectionKind
from lvzhi.domain.fold import FoldPolicy, override
from lvzhi.domain.leave import LeaveRequest
from lvzhi.domain.programme import Session

__all__ = ["SessionDigests", "fold_digest", "fold_digests"]

_MICRO = _dt.timedelta(microseconds=1)


def _text(value: _dt.datetime) -> str:
    utc = value.astimezone(_dt.UTC)
    return (
        f"{utc.year:04d}-{utc.month:02d}-{utc.day:02d}T"
        f"{utc.hour:02d}:{utc.minute:02d}:{utc.second:02d}.{utc.microsecond:06d}Z"
    )


@attrs.frozen
class _Marks:
    """A session's thresholds as stored instant text, and the end as microseconds."""

    start: str
    end: str
    late_after: str
    early_before: str
    opens: str
    closes: str
    start_us: int
    end_us: int
    tolerance_us: int
    reentry: bool


@functools.lru_cache(maxsize=256)
def _marks(start: _dt.datetime, end: _dt.datetime, policy: FoldPolicy) -> _Marks:
    margin = _dt.timedelta(minutes=policy.scan_opens_minutes)
    tolerance = _dt.timedelta(minutes=policy.early_leave_minutes)
    start_text, end_text = _text(start), _text(end)
    return _Marks(
        start=start_text,
        end=end_text,
        late_after=_text(start + _dt.timedelta(minutes=policy.grace_minutes)),
        early_before=_text(end - tolerance),
        opens=_text(start - margin),
        closes=_text(end + margin),
        start_us=instant_micros(start_text),
        end_us=instant_micros(end_text),
        tolerance_us=tolerance // _MICRO,
        reentry=policy.allow_reentry,
    )


def _decide(d: ScanDigest, m: _Marks) -> str | None:
    """One deputy without leave or corrections (see the module documentation)."""
    first, out, back, left, spells, away = d[4], d[8], d[9], d[10], d[11], d[12]
    if first is None:
        return "absent"
    if first > m.closes:
        return "absent"  # no entry inside the window
    if first < m.opens:
        return None  # the arrival is a later entry, if any
    start = m.start
    if not m.reentry:
        early = out is not None and (out if out > start else start) < m.early_before
    elif spells and (out < start or back > m.end):  # type: ignore[operator]
        return None
    else:
        early = away > m.tolerance_us
        if not early and left is not None:
            low = left if left > start else start
            if low < m.end:
                low_us = m.start_us if low is start else instant_micros(low)
                early = away + m.end_us - low_us > m.tolerance_us
    if first > m.late_after:
        return "late_left_early" if early else "late"
    return "left_early" if early else "present"


@attrs.frozen(kw_only=True)
class SessionDigests:
    """One session as :func:`fold_digests` (and a rule's ``evaluate_digests``) takes it:
    the deputies it requires (``certificates``, in the order of the answer), the scan log's
    digests by certificate number (a deputy without scans has none), and, by certificate
    number, the approved leave overlapping the session and the corrections of the
    deputy's attendance there (deputies with none may be left out)."""

    session: Session
    policy: FoldPolicy
    certificates: Sequence[str]
    digests: Mapping[str, ScanDigest]
    leave: Mapping[str, Sequence[LeaveRequest]] = attrs.field(factory=dict)
    corrections: Mapping[str, Sequence[AttendanceCorrection]] = attrs.field(factory=dict)


def _special(
    session: Session, leave: Sequence[LeaveRequest], corrections: Sequence[AttendanceCorrection]
) -> tuple[bool, str | None]:
    """(decided, code) for a deputy with leave or corrections."""
    if corrections:
        chosen = override(corrections)
        if chosen is not None:
            return True, chosen
    if any(r.excuses and r.covers(session.starts_at, session.ends_at) for r in leave):
        return True, "on_leave"
    if any(c.kind is CorrectionKind.VOID_SCAN for c in corrections):
        return True, None
    return False, None


def fold_digests(batch: SessionDigests) -> list[str | None]:
    """For each deputy of ``batch.certificates``, the status of the session, or ``None``
    when the scans are needed (see the module documentation)."""
    session = batch.session
    m = _marks(session.starts_at, session.ends_at, batch.policy)
    found, leave, corrections = batch.digests.get, batch.leave, batch.corrections
    special = set(leave) | set(corrections)
    out: list[str | None] = []
    append = out.append
    decide = _decide
    for cert in batch.certificates:
        if special and cert in special:
            decided, code = _special(session, leave.get(cert, ()), corrections.get(cert, ()))
            if decided:
                append(code)
                continue
        digest = found(cert)
        append("absent" if digest is None else decide(digest, m))
    return out


def fold_digest(
    *,
    session: Session,
    digest: ScanDigest | None,
    policy: FoldPolicy,
    leave: Sequence[LeaveRequest] = (),
    corrections: Sequence[AttendanceCorrection] = (),
) -> str | None:
    """:func:`fold_digests` for one deputy."""
    cert = "-" if digest is None else digest.certificate_no
    batch = SessionDigests(
        session=session,
        policy=policy,
        certificates=(cert,),
        digests={} if digest is None else {cert: digest},
        leave={cert: leave},
        corrections={cert: corrections},
    )
    return fold_digests(batch)[0]
