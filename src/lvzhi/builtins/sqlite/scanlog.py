"""The ``scans`` table, seen through a :class:`~lvzhi.builtins.sqlite.SQLiteUnitOfWork`.

One real column per attribute (:data:`lvzhi.storage.schema.SCAN_COLUMNS`); instants are
fixed-width UTC text, so text order is time order and ``summarise`` is one aggregate query.
``extend`` is the bulk path: it streams rows straight into one ``executemany`` and formats
the batch's ``received_at`` once.

``digest`` is one ``GROUP BY certificate_no`` query that joins each deputy's entry times
and exit times (``group_concat``); ``lvzhi.storage.scans.digest_times`` sorts and
folds them.  The same digest as one SQL query needs window functions (``LAG``), which SQLite
evaluates several times slower than this aggregate, and reading the rows one by one costs
more than joining them.
"""

from __future__ import annotations

import builtins
import operator
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Final

import pendulum

from lvzhi.builtins.sqlite.transaction import Transaction
from lvzhi.domain import Scan, ScanSummary
from lvzhi.domain.attendance import ScanDigest
from lvzhi.errors import StorageError
from lvzhi.serialization import format_instant, load
from lvzhi.storage.scans import digest_concat, received_instant, summaries
from lvzhi.storage.schema import SCAN_COLUMNS

__all__ = ["SQLiteScanLog", "scan_rows"]

_SELECT: Final = f"SELECT {', '.join(SCAN_COLUMNS)} FROM scans"
_INSERT: Final = (
    f"INSERT OR IGNORE INTO scans ({', '.join(SCAN_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in SCAN_COLUMNS)})"
)
_SUMMARY: Final = (
    "SELECT certificate_no, "
    "MIN(CASE WHEN kind = 'entry' THEN scanned_at END), "
    "MAX(CASE WHEN kind = 'exit' THEN scanned_at END), "
    "COUNT(*) "
    "FROM scans WHERE session_id = ? GROUP BY certificate_no ORDER BY certificate_no"
)
_DIGEST: Final = (
    "SELECT certificate_no, "
    "group_concat(scanned_at) FILTER (WHERE kind = 'entry'), "
    "group_concat(scanned_at) FILTER (WHERE kind = 'exit') "
    "FROM scans WHERE session_id = ? GROUP BY certificate_no ORDER BY certificate_no"
)

# One C call fetches every column of a scan, another the parts of an instant.
_FIELDS: Final = operator.attrgetter(*SCAN_COLUMNS)
_CLOCK: Final = operator.attrgetter("hour", "minute", "second", "microsecond")
_UTC: Final = pendulum.UTC
_CACHE_LIMIT: Final = 1 << 16  # whole seconds remembered while formatting one batch


def scan_rows(scans: Iterable[Scan], received_at: str | None = None) -> Iterator[tuple[Any, ...]]:
    """The ``scans`` rows of ``scans``, in :data:`~lvzhi.storage.schema.SCAN_COLUMNS` order,
    as plain text and integers (SQLite binds those without adapting them); ``received_at``
    (already formatted) fills the scans that have none."""
    seconds: dict[int, str] = {}  # whole seconds of this batch, formatted once each

    def instant(value: Any) -> str:
        # The model keeps its instants in pendulum's UTC zone, so the usual case needs no
        # time-zone arithmetic: the text up to the second is looked up, the microseconds
        # appended.  Any other zone takes the general path.
        if value.tzinfo is not _UTC:
            return format_instant(value)
        hour, minute, second, micro = _CLOCK(value)
        key = value.toordinal() * 86400 + hour * 3600 + minute * 60 + second
        head = seconds.get(key)
        if head is None:
            if len(seconds) >= _CACHE_LIMIT:
                seconds.clear()
            head = seconds[key] = format_instant(value)[:20]
        return f"{head}{micro:06d}Z"

    fields = _FIELDS
    for scan in scans:
        if type(scan) is not Scan and not isinstance(scan, Scan):
            raise TypeError(f"the scan log cannot store {type(scan).__name__}")
        sid, session, cert, kind, at, received, zone, taker, device, source, forced = fields(scan)
        yield (
            sid,
            session,
            cert,
            kind._value_,
            instant(at),
            received_at if received is None else instant(received),
            zone,
            taker,
            device,
            source._value_,
            1 if forced else 0,
        )


def _scan_from_row(row: Sequence[Any]) -> Scan:
    data = dict(zip(SCAN_COLUMNS, row, strict=True))
    data["forced"] = bool(data["forced"])
    return load(Scan, data)


class SQLiteScanLog:
    """The ``scans`` table, used inside a unit of work."""

    def __init__(self, uow: Transaction) -> None:
        self._uow = uow

    def append(self, scan: Scan) -> bool:
        (row,) = scan_rows((scan,))
        cursor = self._uow._write(_INSERT, row, "append a scan")
        return cursor.rowcount == 1

    def extend(self, scans: Iterable[Scan], *, received_at: pendulum.DateTime | None = None) -> int:
        received = None if received_at is None else format_instant(received_instant(received_at))
        uow = self._uow
        uow._check_writable("append scans")
        connection = uow.connection
        before = connection.total_changes
        uow._write_many(_INSERT, scan_rows(scans, received), "append scans")
        return connection.total_changes - before

    def list(
        self, *, session_id: str | None = None, certificate_no: str | None = None
    ) -> list[Scan]:
        where: builtins.list[str] = []
        params: builtins.list[str] = []
        if session_id is not None:
            where.append("session_id = ?")
            params.append(session_id)
        if certificate_no is not None:
            where.append("certificate_no = ?")
            params.append(certificate_no)
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        rows = self._uow._fetchall(f"{_SELECT}{clause} ORDER BY scanned_at, id", params)
        return [_scan_from_row(row) for row in rows]

    def find(self, scan_id: str) -> Scan | None:
        row = self._uow._fetchone(f"{_SELECT} WHERE id = ?", (scan_id,))
        return None if row is None else _scan_from_row(row)

    def digest(self, session_id: str) -> builtins.list[ScanDigest]:
        rows = self._uow._fetchall(_DIGEST, (session_id,))
        try:
            return digest_concat(session_id, rows)
        except (TypeError, ValueError) as exc:
            raise StorageError(f"stored scan times cannot be read: {exc}") from exc

    def summarise(self, session_id: str) -> builtins.list[ScanSummary]:
        rows = self._uow._fetchall(_SUMMARY, (session_id,))
        return summaries(session_id, rows)

    def count(self) -> int:
        row = self._uow._fetchone("SELECT COUNT(*) FROM scans", ())
        return int(row[0]) if row is not None else 0
