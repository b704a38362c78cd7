"""Benchmarks: the SQLite backend.

``storage.sqlite_roundtrip``
    10,000 deputies through the SQLite backend and back, against the least a JSON-in-SQLite
    store can do: plain ``sqlite3`` ``executemany`` of the same JSON rows into a
    ``(key TEXT PRIMARY KEY, data TEXT)`` table, ``SELECT`` of every row and ``json.loads``
    of each.  The backend additionally turns models into JSON, keeps indexed columns, and
    rebuilds (and re-validates) every model on reading.

``storage.record_scans``
    1,000,000 scans (valid :class:`~lvzhi.domain.Scan` values built before timing, over
    3,000 deputies and 100 sessions stored beforehand) recorded through
    ``office.attendance.record`` into a fresh SQLite file, against a raw ``sqlite3``
    ``executemany`` of the same column values (prebuilt tuples) into the ``scans`` table of
    a fresh lvzhi database (the same schema and indexes), 10,000 rows per ``executemany``, in
    one transaction, with the same PRAGMAs (WAL, ``synchronous = NORMAL``).

Both sides are timed in the same run, alternately, best of several.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pendulum

import lvzhi
from lvzhi.builtins.sqlite import SQLiteStorage
from lvzhi.clock import FixedClock
from lvzhi.domain import Delegate, Scan, ScanKind, Session
from lvzhi.serialization import dumps, format_instant
from lvzhi.storage.schema import SCAN_COLUMNS
from lvzhi.testing.factories import (
    make_delegate,
    make_delegation,
    make_programme,
    make_session,
)

SIZE = 10_000
REPEATS = 3

SCANS = 1_000_000
DEPUTIES = 3_000
SESSIONS = 100
#: Scans per ``executemany`` of the baseline (the service's batch size).
BATCH = 10_000
RECEIVED = pendulum.datetime(2022, 9, 8, 12, 0, tz="UTC")


# --------------------------------------------------------------------------- round trip


def _delegates(size: int) -> list[Any]:
    return [
        make_delegate(
            certificate_no=f"C{n:06d}",
            delegation=f"D{n % 40:03d}",
            sector="工人",
            title="某乡镇人大主席团主席",
            phone="0734-1234567",
        )
        for n in range(size)
    ]


def _lvzhi_round_trip(directory: Path, delegates: list[Any], run: int) -> float:
    started = time.perf_counter()
    with SQLiteStorage(directory / f"lvzhi-{run}.db") as backend:
        with backend.unit_of_work() as uow:
            uow.delegates.put_many(delegates)
        with backend.unit_of_work() as uow:
            loaded = uow.delegates.list()
    elapsed = time.perf_counter() - started
    assert len(loaded) == len(delegates)
    assert loaded[0] == delegates[0]
    return elapsed


def _raw_round_trip(directory: Path, rows: list[tuple[str, str]], run: int) -> float:
    started = time.perf_counter()
    connection = sqlite3.connect(directory / f"raw-{run}.db", isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = NORMAL")
        connection.execute("CREATE TABLE delegates (key TEXT PRIMARY KEY, data TEXT)")
        connection.execute("BEGIN IMMEDIATE")
        connection.executemany("INSERT INTO delegates (key, data) VALUES (?, ?)", rows)
        connection.execute("COMMIT")
        loaded = [
            json.loads(data)
            for (data,) in connection.execute("SELECT data FROM delegates ORDER BY key")
        ]
    finally:
        connection.close()
    elapsed = time.perf_counter() - started
    assert len(loaded) == len(rows)
    return elapsed


def bench_sqlite_roundtrip(quick: bool = False) -> dict[str, Any]:
    """Best of three runs of each side; the JSON rows of the baseline are prepared ahead."""
    size = 500 if quick else SIZE
    delegates = _delegates(size)
    rows = [(d.key, dumps(d)) for d in delegates]
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        seconds = min(_lvzhi_round_trip(directory, delegates, run) for run in range(REPEATS))
        baseline = min(_raw_round_trip(directory, rows, run) for run in range(REPEATS))
    return {
        "name": "storage.sqlite_roundtrip",
        "size": size,
        "seconds": round(seconds, 4),
        "baseline": "raw sqlite3 + json",
        "baseline_seconds": round(baseline, 4),
        "ratio": round(seconds / baseline, 2),
        "goal": "<= 5.0",
    }


# --------------------------------------------------------------------------- scans


def _people(deputies: int, sessions: int) -> tuple[list[Any], list[Delegate], list[Session]]:
    units = [make_delegation(code=f"U{n:02d}", name=f"第{n}选举单位", order=n) for n in range(35)]
    people = [
        make_delegate(certificate_no=f"43{n:07d}", delegation=f"U{n % 35:02d}")
        for n in range(deputies)
    ]
    start = pendulum.datetime(2022, 9, 6, 1, 0, tz="UTC")
    meetings = [
        make_session(id=f"S{n:03d}", programme_id="P00001", starts_at=start.add(hours=3 * n))
        for n in range(sessions)
    ]
    return units, people, meetings


def _scans(count: int, people: list[Delegate], meetings: list[Session]) -> list[Scan]:
    """``count`` valid scans: each deputy's entry and exit for each session in turn, at
    times a few seconds apart around the session's start and end."""
    out: list[Scan] = []
    deputies = len(people)
    times: dict[tuple[str, bool, int], pendulum.DateTime] = {}
    for n in range(count):
        pair, exiting = divmod(n, 2)
        session = meetings[(pair // deputies) % len(meetings)]
        deputy = people[pair % deputies]
        offset = pair % 600 - 300
        at = times.get((session.id, bool(exiting), offset))
        if at is None:
            edge = session.ends_at if exiting else session.starts_at
            at = times[session.id, bool(exiting), offset] = edge.add(seconds=offset)
        out.append(
            Scan(
                id=f"scan-{n:07d}",
                session_id=session.id,
                certificate_no=deputy.certificate_no,
                kind=ScanKind.EXIT if exiting else ScanKind.ENTRY,
                scanned_at=at,
                zone="A区",
                device=f"gate-{pair % 8}",
            )
        )
    return out


def _scan_tuples(scans: list[Scan], received: str) -> list[tuple[Any, ...]]:
    """The rows the backend stores for ``scans``, in :data:`SCAN_COLUMNS` order."""
    return [
        (
            s.id,
            s.session_id,
            s.certificate_no,
            s.kind.value,
            format_instant(s.scanned_at),
            received if s.received_at is None else format_instant(s.received_at),
            s.zone,
            s.taker_id,
            s.device,
            s.source.value,
            1 if s.forced else 0,
        )
        for s in scans
    ]


def _lvzhi_record(
    path: Path, people: tuple[list[Any], list[Delegate], list[Session]], scans: list[Scan]
) -> float:
    units, deputies, meetings = people
    with lvzhi.open(
        f"sqlite:///{path}", load_entrypoints=False, clock=FixedClock(RECEIVED)
    ) as office:
        with office.unit_of_work() as uow:
            uow.programmes.put(make_programme(id="P00001"))
            uow.delegations.put_many(units)
            uow.delegates.put_many(deputies)
            uow.sessions.put_many(meetings)
        started = time.perf_counter()
        recorded = office.attendance.record(scans, check=False).recorded
        elapsed = time.perf_counter() - started
    assert recorded == len(scans)
    return elapsed


def _raw_record(path: Path, rows: list[tuple[Any, ...]]) -> float:
    lvzhi.open(f"sqlite:///{path}", load_entrypoints=False).close()  # the same schema
    insert = (
        f"INSERT INTO scans ({', '.join(SCAN_COLUMNS)}) "
        f"VALUES ({', '.join('?' for _ in SCAN_COLUMNS)})"
    )
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = NORMAL")
        started = time.perf_counter()
        connection.execute("BEGIN IMMEDIATE")
        for start in range(0, len(rows), BATCH):
            connection.executemany(insert, rows[start : start + BATCH])
        connection.execute("COMMIT")
        elapsed = time.perf_counter() - started
        (stored,) = connection.execute("SELECT COUNT(*) FROM scans").fetchone()
    finally:
        connection.close()
    assert stored == len(rows)
    return elapsed


def bench_record_scans(quick: bool = False) -> dict[str, Any]:
    """Time ``office.attendance.record`` and raw ``executemany`` of the same rows,
    alternately on fresh databases, best of two."""
    count, deputies, sessions, repeat = (
        (20_000, 300, 10, 1) if quick else (SCANS, DEPUTIES, SESSIONS, 2)
    )
    people = _people(deputies, sessions)
    scans = _scans(count, people[1], people[2])
    rows = _scan_tuples(scans, format_instant(RECEIVED))
    mine: list[float] = []
    raw: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        for run in range(repeat):
            mine.append(_lvzhi_record(directory / f"lvzhi-{run}.db", people, scans))
            raw.append(_raw_record(directory / f"raw-{run}.db", rows))
    seconds, baseline = min(mine), min(raw)
    return {
        "name": "storage.record_scans",
        "size": count,
        "seconds": round(seconds, 4),
        "baseline": f"raw sqlite3 executemany of prebuilt rows, {BATCH:,} per call",
        "baseline_seconds": round(baseline, 4),
        "ratio": round(seconds / baseline, 3),
        "goal": "<= 1.43",
    }


if __name__ == "__main__":
    quick = "--quick" in sys.argv
    print(json.dumps(bench_sqlite_roundtrip(quick), ensure_ascii=False))
    print(json.dumps(bench_record_scans(quick), ensure_ascii=False))
