"""The rows a snapshot's statuses are made of: :class:`Status`, light enough to make by the
hundred thousand, built from the scan log's digests (:func:`statuses`), and the pause of
the cyclic garbage collector while a programme's statuses are made."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, NamedTuple

import pendulum

from lvzhi.domain import DEFAULT_STATUSES, ScanSummary
from lvzhi.domain.attendance import ScanDigest
from lvzhi.errors import PluginError
from lvzhi.serialization import parse_instant

__all__ = ["LABELS", "Status", "collector_paused", "statuses", "summary_of"]

LABELS: dict[str, str] = {s.code: s.label for s in DEFAULT_STATUSES}


class _StatusRow(NamedTuple):
    session_id: str
    certificate_no: str
    code: str
    label: str
    entered: Any = None
    left: Any = None
    remarks: tuple[str, ...] = ()


class Status(_StatusRow):
    """One deputy's status for one session, as the rule derived it; with the first entry,
    the last exit (from the storage digest) and the remarks (flags, corrections) when they
    were asked for.  A light immutable row (a named tuple): a programme has hundreds of
    thousands.  ``entered`` and ``left`` hold the times as read (stored text or a date and
    time); ``first_entry`` and ``last_exit`` give them as dates and times."""

    __slots__ = ()

    @property
    def first_entry(self) -> pendulum.DateTime | None:
        """The first entry (of all the deputy's scans in the session), if any."""
        return _instant(self.entered)

    @property
    def last_exit(self) -> pendulum.DateTime | None:
        """The last exit (of all the deputy's scans in the session), if any."""
        return _instant(self.left)


def _instant(value: Any) -> pendulum.DateTime | None:
    if value is None:
        return None
    if isinstance(value, pendulum.DateTime):
        return value
    if isinstance(value, str):
        return parse_instant(value)
    converted: pendulum.DateTime = pendulum.instance(value).in_timezone("UTC")
    return converted


def summary_of(digest: ScanDigest | None) -> ScanSummary | None:
    """The :class:`~lvzhi.domain.attendance.ScanSummary` (first entry, last exit, number of scans) a
    digest contains."""
    if digest is None:
        return None
    first, last = digest.first_entry, digest.last_exit
    return ScanSummary(
        session_id=digest.session_id,
        certificate_no=digest.certificate_no,
        first_entry=None if first is None else parse_instant(first),
        last_exit=None if last is None else parse_instant(last),
        scans=digest.entries + digest.exits,
    )


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector, unless it is paused already, and resume it at
    the end (reference counting frees everything meanwhile, as always)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def statuses(
    session_id: str,
    keys: Sequence[str],
    digests: Mapping[str, ScanDigest],
    codes: Sequence[str],
    rule: str,
    plugin: str,
) -> list[Status]:
    """The status rows of a session, with the first entry and last exit of the digests."""
    labels, found, new = LABELS, digests.get, tuple.__new__
    out: list[Status] = []
    append = out.append
    for key, code in zip(keys, codes, strict=True):
        label = labels.get(code)
        if label is None:
            raise PluginError(
                f"attendance rule {rule!r} (plugin {plugin!r}) gave "
                f"the unknown status {code!r}; known: {', '.join(LABELS)}"
            )
        digest = found(key)
        if digest is None:
            append(new(Status, (session_id, key, code, label, None, None, ())))
        else:
            first, last = digest.first_entry, digest.last_exit
            append(new(Status, (session_id, key, code, label, first, last, ())))
    return out
