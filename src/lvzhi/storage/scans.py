"""What every backend's scan log shares: checking the ``received_at`` given to
``ScanLog.extend``, reading the rows of ``ScanLog.summarise`` back, and the reference fold
of a deputy's scans into a ``lvzhi.domain.attendance.ScanDigest`` (``ScanLog.digest``)."""

from __future__ import annotations

import datetime as _dt
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from typing import Any, Final

import pendulum

from lvzhi.domain.attendance import ScanDigest, ScanSummary
from lvzhi.errors import StorageError, ValidationError
from lvzhi.serialization import parse_instant

__all__ = [
    "digest_concat",
    "digest_events",
    "digest_times",
    "received_instant",
    "summaries",
]

_parse: Final = _dt.datetime.fromisoformat
_MICRO: Final = _dt.timedelta(microseconds=1)
_NEW: Final = tuple.__new__


def summaries(
    session_id: str, rows: Iterable[tuple[str, str | None, str | None, int]]
) -> list[ScanSummary]:
    """The ``ScanSummary`` of each ``(certificate_no, first entry, last exit, scans)`` row a
    SQL backend's summary query returns, times as stored instant text;
    :class:`~lvzhi.errors.StorageError` when a stored time cannot be read."""
    try:
        return [
            ScanSummary(
                session_id=session_id,
                certificate_no=cert,
                first_entry=None if first is None else parse_instant(first),
                last_exit=None if last is None else parse_instant(last),
                scans=int(n),
            )
            for cert, first, last, n in rows
        ]
    except (TypeError, ValueError) as exc:
        raise StorageError(f"stored scan times cannot be read: {exc}") from exc


def received_instant(value: Any) -> pendulum.DateTime:
    """``value`` as a pendulum instant in UTC; :class:`~lvzhi.errors.ValidationError` if it
    is not a time-zone-aware date and time."""
    if not isinstance(value, _dt.datetime) or value.utcoffset() is None:
        raise ValidationError("received_at", value, "must be a time-zone-aware date and time")
    return pendulum.instance(value).in_timezone("UTC")


def digest_times(
    session_id: str, certificate_no: str, entries: list[str], exits: list[str]
) -> ScanDigest:
    """The ``ScanDigest`` (:mod:`lvzhi.domain.attendance`) of one deputy's scans in a session:
    the stored instant texts of the entries and of the exits, each list in any order (both
    are sorted in place).

    This is the fold a backend may run over the times it collects per deputy: when every
    entry comes before every exit (the common case) it is a few comparisons; otherwise one
    pass over the scans in order, instants parsed only where a spell outside ends."""
    entries.sort()
    exits.sort()
    n_in, n_out = len(entries), len(exits)
    if not n_in or not n_out:
        first_entry = entries[0] if n_in else None
        last_entry = entries[-1] if n_in else None
        first_exit = exits[0] if n_out else None
        last_exit = exits[-1] if n_out else None
        return _NEW(
            ScanDigest,
            (session_id, certificate_no, n_in, n_out, first_entry, last_entry, first_exit,
             last_exit, None, None, None, 0, 0),
        )  # fmt: skip
    first_exit = exits[0]
    if entries[-1] <= first_exit:  # at one instant an entry comes first
        return _NEW(
            ScanDigest,
            (session_id, certificate_no, n_in, n_out, entries[0], entries[-1], first_exit,
             exits[-1], first_exit, None, first_exit, 0, 0),
        )  # fmt: skip
    return _spells(session_id, certificate_no, entries, exits)


def _spells(
    session_id: str, certificate_no: str, entries: list[str], exits: list[str]
) -> ScanDigest:
    """:func:`digest_times` when an exit comes after the first entry and before another
    entry (both lists sorted): spell by spell.  An exit at the same instant as an entry
    comes after it, so a spell starts at the first exit not before the time in and ends at
    the first entry after the exit."""
    n_in, n_out = len(entries), len(exits)
    spells = away = 0
    first_out = last_back = out_at = None  # out_at: start of the spell outside still open
    j = bisect_left(exits, entries[0])  # exits before the arrival start nothing
    i = 0
    while j < n_out:
        out = exits[j]
        if first_out is None:
            first_out = out
        i = bisect_right(entries, out, i)
        if i == n_in:
            out_at = out
            break
        back = entries[i]
        spells += 1
        away += (_parse(back) - _parse(out)) // _MICRO
        last_back = back
        j = bisect_left(exits, back, j)
    return _NEW(
        ScanDigest,
        (session_id, certificate_no, n_in, n_out, entries[0], entries[-1], exits[0],
         exits[-1], first_out, last_back, out_at, spells, away),
    )  # fmt: skip


def digest_events(session_id: str, certificate_no: str, events: Iterable[str]) -> ScanDigest:
    """:func:`digest_times` for event strings: each scan's stored instant text followed
    directly by its kind (``2022-09-06T01:00:00.000000Zentry``), in any order."""
    entries: list[str] = []
    exits: list[str] = []
    for event in events:
        if event.endswith("entry"):
            entries.append(event[:-5])
        else:
            exits.append(event[:-4])
    return digest_times(session_id, certificate_no, entries, exits)


def digest_concat(
    session_id: str, rows: Iterable[tuple[str, str | None, str | None]]
) -> list[ScanDigest]:
    """:func:`digest_times` for ``(certificate_no, entries, exits)`` rows, the times of each
    kind joined by commas (``None``: none), as an SQL ``GROUP BY certificate_no`` with one
    ``group_concat`` per kind gives them (in whatever order it concatenates).  The common
    case — every entry before every exit — is worked out inline."""
    out: list[ScanDigest] = []
    append = out.append
    for cert, joined_entries, joined_exits in rows:
        if joined_entries is None or joined_exits is None:
            entries = [] if joined_entries is None else joined_entries.split(",")
            exits = [] if joined_exits is None else joined_exits.split(",")
            append(digest_times(session_id, cert, entries, exits))
            continue
        entries = joined_entries.split(",")
        exits = joined_exits.split(",")
        entries.sort()
        exits.sort()
        first_exit = exits[0]
        if entries[-1] <= first_exit:
            row = (session_id, cert, len(entries), len(exits), entries[0], entries[-1],
                   first_exit, exits[-1], first_exit, None, first_exit, 0, 0)  # fmt: skip
            append(_NEW(ScanDigest, row))
        else:
            append(_spells(session_id, cert, entries, exits))
    return out
