"""The ``scans`` table, seen through a :class:`~lvzhi_postgres.PostgresUnitOfWork`.

One real column per attribute (:data:`lvzhi.storage.schema.SCAN_COLUMNS`), instants as
``timestamptz``.  ``extend`` is the bulk path: it formats each batch of rows once, asks
which of their ids are stored already (one ``id = ANY(…)`` query per batch), and streams
the new ones with ``COPY … FROM STDIN``.  That is safe because every unit of work that
writes holds the backend's writer lock (see :mod:`lvzhi_postgres.backend`): no other
transaction can store one of those ids between the question and the ``COPY``.
``summarise`` is one aggregate query.
"""

from __future__ import annotations

import builtins
import operator
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any, Final

import pendulum

from lvzhi.domain import Scan, ScanSummary
from lvzhi.domain.attendance import ScanDigest
from lvzhi.serialization import format_instant, load
from lvzhi.storage.scans import digest_times, received_instant, summaries
from lvzhi.storage.schema import SCAN_COLUMNS
from lvzhi_postgres.transaction import Transaction, translate
from lvzhi_postgres.url import quote_identifier

__all__ = ["COPY_BATCH", "STORED_COLUMNS", "PostgresScanLog", "scan_rows"]

#: Rows per ``COPY`` of :meth:`PostgresScanLog.extend`.
COPY_BATCH: Final = 10_000

#: ``timestamptz`` read back as lvzhi's fixed-width UTC text.
_TEXT: Final = "to_char({} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
#: The stored columns: lvzhi's scan columns, then ``scanned_text``, the scan's instant as
#: lvzhi's fixed-width UTC text (written with the row, so the digest needs no formatting of
#: a ``timestamptz`` per scan: ``to_char`` was half of the digest query's time).
STORED_COLUMNS: Final = (*SCAN_COLUMNS, "scanned_text")
_COLUMNS: Final = ", ".join(STORED_COLUMNS)
_READ_COLUMNS: Final = ", ".join(
    _TEXT.format(c) if c in ("scanned_at", "received_at") else c for c in SCAN_COLUMNS
)

_FIRST_ENTRY: Final = _TEXT.format("min(scanned_at) FILTER (WHERE kind = 'entry')")
_LAST_EXIT: Final = _TEXT.format("max(scanned_at) FILTER (WHERE kind = 'exit')")


_FIELDS: Final = operator.attrgetter(*SCAN_COLUMNS)
_PARTS: Final = operator.attrgetter(
    "year", "month", "day", "hour", "minute", "second", "microsecond"
)
_INSTANT: Final = "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ"
_UTC: Final = pendulum.UTC


def scan_rows(scans: Iterable[Scan], received_at: str | None = None) -> Iterator[tuple[Any, ...]]:
    """The ``scans`` rows of ``scans`` in :data:`STORED_COLUMNS` order (lvzhi's scan
    columns, then ``scanned_text``), instants as fixed-width UTC text (which ``timestamptz``
    reads exactly); ``received_at`` (already formatted) fills the scans that have none."""

    def instant(value: Any) -> str:
        # The model keeps its instants in pendulum's UTC zone, so the usual case needs no
        # time-zone arithmetic: one C-level format of the parts.
        if value.tzinfo is not _UTC:
            return format_instant(value)
        return _INSTANT % _PARTS(value)

    fields = _FIELDS
    for scan in scans:
        if type(scan) is not Scan and not isinstance(scan, Scan):
            raise TypeError(f"the scan log cannot store {type(scan).__name__}")
        sid, session, cert, kind, at, received, zone, taker, device, source, forced = fields(scan)
        scanned = instant(at)
        yield (
            sid,
            session,
            cert,
            kind._value_,
            scanned,
            received_at if received is None else instant(received),
            zone,
            taker,
            device,
            source._value_,
            forced,
            scanned,
        )


def _scan_from_row(row: Sequence[Any]) -> Scan:
    return load(Scan, dict(zip(SCAN_COLUMNS, row, strict=True)))


class PostgresScanLog:
    """The ``scans`` table, used inside a unit of work."""

    def __init__(self, uow: Transaction) -> None:
        self._uow = uow
        table = f"{quote_identifier(uow.schema)}.scans"
        self._table = table
        self._insert = (
            f"INSERT INTO {table} ({_COLUMNS}) VALUES "
            f"({', '.join('%s' for _ in STORED_COLUMNS)}) ON CONFLICT (id) DO NOTHING"
        )
        self._copy = f"COPY {table} ({_COLUMNS}) FROM STDIN"
        # Scan ids are identifiers (letters, digits, ". _ : -"): no comma, so the ids of a
        # batch travel as one text value (much cheaper to send than an array parameter).
        self._known = f"SELECT id FROM {table} WHERE id = ANY(string_to_array(%s, ','))"
        self._select = f"SELECT {_READ_COLUMNS} FROM {table}"
        self._find = f"{self._select} WHERE id = %s"
        # One row per deputy: the stored instant texts of its entries and of its exits,
        # each joined by commas in no particular order (digest_times sorts them; an ORDER
        # BY inside the aggregate sorts every deputy's group apart: slower).  The covering
        # index makes it an index-only scan.
        text = "scanned_text"
        self._digest = (
            f"SELECT certificate_no, "
            f"string_agg({text}, ',') FILTER (WHERE kind = 'entry'), "
            f"string_agg({text}, ',') FILTER (WHERE kind = 'exit') "
            f"FROM {table} WHERE session_id = %s "
            "GROUP BY certificate_no ORDER BY certificate_no"
        )
        self._summary = (
            "SELECT certificate_no, "
            f"{_FIRST_ENTRY}, {_LAST_EXIT}, "
            f"count(*) FROM {table} WHERE session_id = %s "
            "GROUP BY certificate_no ORDER BY certificate_no"
        )

    def append(self, scan: Scan) -> bool:
        (row,) = scan_rows((scan,))
        self._uow.check_writable("append a scan")
        connection = self._uow.connection
        with translate("append a scan"):
            return connection.execute(self._insert, row).rowcount == 1

    def extend(self, scans: Iterable[Scan], *, received_at: pendulum.DateTime | None = None) -> int:
        received = None if received_at is None else format_instant(received_instant(received_at))
        self._uow.check_writable("append scans")
        connection = self._uow.connection
        rows = scan_rows(scans, received)
        new = 0
        with translate("append scans"), connection.cursor() as cursor:
            while batch := list(islice(rows, COPY_BATCH)):
                ids = [row[0] for row in batch]
                known = cursor.execute(self._known, (",".join(ids),)).fetchall()
                stored = {r[0] for r in known}
                fresh = batch
                if stored or len(set(ids)) != len(ids):
                    seen = set(stored)
                    fresh = []
                    for row in batch:
                        if row[0] not in seen:
                            seen.add(row[0])
                            fresh.append(row)
                if not fresh:
                    continue
                with cursor.copy(self._copy) as copy:
                    write = copy.write_row
                    for row in fresh:
                        write(row)
                new += len(fresh)
        return new

    def list(
        self, *, session_id: str | None = None, certificate_no: str | None = None
    ) -> builtins.list[Scan]:
        where: builtins.list[str] = []
        params: builtins.list[str] = []
        if session_id is not None:
            where.append("session_id = %s")
            params.append(session_id)
        if certificate_no is not None:
            where.append("certificate_no = %s")
            params.append(certificate_no)
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        connection = self._uow.connection
        with translate("read scans"):
            rows = connection.execute(
                f"{self._select}{clause} ORDER BY scanned_at, id", params
            ).fetchall()
        return [_scan_from_row(row) for row in rows]

    def find(self, scan_id: str) -> Scan | None:
        connection = self._uow.connection
        with translate("read a scan"):
            row = connection.execute(self._find, (scan_id,)).fetchone()
        return None if row is None else _scan_from_row(row)

    def digest(self, session_id: str) -> builtins.list[ScanDigest]:
        """Per deputy with scans in the session: counts, first and last times, and the
        spells outside (see :class:`~lvzhi.domain.attendance.ScanDigest`).

        One aggregate query: the server reads the session's scans from the covering index
        and joins each deputy's entry and exit times (the ``scanned_text`` column, written
        with the row) into two strings; :func:`lvzhi.storage.scans.digest_times` folds
        them.  A window-function query doing the whole fold on the server gives the same
        rows but measured about twice as slow on PostgreSQL 15."""
        connection = self._uow.connection
        with translate("digest scans"):
            rows = connection.execute(self._digest, (session_id,)).fetchall()
        return [
            digest_times(
                session_id,
                cert,
                entries.split(",") if entries else [],
                exits.split(",") if exits else [],
            )
            for cert, entries, exits in rows
        ]

    def summarise(self, session_id: str) -> builtins.list[ScanSummary]:
        connection = self._uow.connection
        with translate("summarise scans"):
            rows = connection.execute(self._summary, (session_id,)).fetchall()
        return summaries(session_id, rows)

    def count(self) -> int:
        connection = self._uow.connection
        with translate("count scans"):
            row = connection.execute(f"SELECT count(*) FROM {self._table}").fetchone()
        return int(row[0]) if row is not None else 0
