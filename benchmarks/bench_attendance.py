"""Benchmark: attendance statuses from the scan log.

``attendance.evaluate``
    Statuses of 3,000 deputies in each of 100 sessions (300,000 statuses) from 1,000,000
    scans stored in SQLite, through the public API (``office.attendance.evaluate_all``: one
    snapshot; per session one digest query, ``ScanLog.digest``, and the registered rule
    deciding the session's deputies from the digests, reading scans only for those it
    cannot decide), against the raw SQL aggregation the statuses rest on: first entry and
    last exit per deputy and session (``GROUP BY session_id, certificate_no``) over the
    same table, fetched.

The log: every deputy enters and leaves every session (600,000 scans); the other 400,000
are the scans a course really sees on top — a second reading at the door by another taker
(an entry a few seconds after the first) for two deputy-sessions in three, and a step out
and back (an exit and an entry) for one in three — spread so that every session holds
10,000 scans.  Set ``EXTRA = False`` (``LVZHI_BENCH_CLEAN=1``) for clean pairs only (scans
then number 600,000).

Both sides are timed in the same run, alternately, best of several.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pendulum

import lvzhi
from lvzhi.clock import FixedClock
from lvzhi.serialization import format_instant
from lvzhi.storage.schema import SCAN_COLUMNS
from lvzhi.testing.factories import (
    make_delegate,
    make_delegation,
    make_programme,
    make_session,
)

DEPUTIES = 3_000
SESSIONS = 100
REPEATS = 2
START = pendulum.datetime(2022, 9, 6, 1, 0, tz="UTC")
EXTRA = os.environ.get("LVZHI_BENCH_CLEAN") != "1"

_RAW = (
    "SELECT session_id, certificate_no, "
    "MIN(CASE WHEN kind = 'entry' THEN scanned_at END), "
    "MAX(CASE WHEN kind = 'exit' THEN scanned_at END), COUNT(*) "
    "FROM scans GROUP BY session_id, certificate_no"
)


def _row(
    key: str, session: str, cert: str, kind: str, at: pendulum.DateTime, received: str
) -> tuple[Any, ...]:
    return (
        key, session, cert, kind, format_instant(at), received, "A区", "t1", "pad", "scan", 0,
    )  # fmt: skip


def _rows(deputies: int, sessions: int) -> list[tuple[Any, ...]]:
    received = format_instant(START.add(days=3))
    rows: list[tuple[Any, ...]] = []
    for s in range(sessions):
        sid = f"S{s:03d}"
        begins = START.add(hours=3 * s)
        for d in range(deputies):
            cert = f"C{d:05d}"
            key = f"{sid}-{cert}"
            entry = begins.add(minutes=12 if d % 37 == 0 else -(d % 15) - 1)
            leave = begins.add(minutes=100 if d % 53 == 0 else 150 + d % 4)
            rows.append(_row(f"{key}-in", sid, cert, "entry", entry, received))
            rows.append(_row(f"{key}-out", sid, cert, "exit", leave, received))
            if EXTRA:
                if d % 3 != 0:  # a second reading at the door
                    rows.append(
                        _row(f"{key}-in2", sid, cert, "entry", entry.add(seconds=4), received)
                    )
                if d % 3 == 2:  # a step out and back
                    out = begins.add(minutes=60)
                    back = begins.add(minutes=60 + d % 9)
                    rows.append(_row(f"{key}-x", sid, cert, "exit", out, received))
                    rows.append(_row(f"{key}-back", sid, cert, "entry", back, received))
    return rows


def _build(path: Path, deputies: int, sessions: int, rows: list[tuple[Any, ...]]) -> None:
    with (
        lvzhi.open(f"sqlite:///{path}", load_entrypoints=False) as office,
        office.unit_of_work() as uow,
    ):
        uow.programmes.put(make_programme(id="P00001"))
        uow.delegations.put_many(
            make_delegation(code=f"D{n:02d}", name=f"第{n}代表团", order=n) for n in range(20)
        )
        uow.delegates.put_many(
            make_delegate(certificate_no=f"C{d:05d}", delegation=f"D{d % 20:02d}")
            for d in range(deputies)
        )
        uow.sessions.put_many(
            make_session(id=f"S{s:03d}", programme_id="P00001", starts_at=START.add(hours=3 * s))
            for s in range(sessions)
        )
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        insert = (
            f"INSERT INTO scans ({', '.join(SCAN_COLUMNS)}) "
            f"VALUES ({', '.join('?' for _ in SCAN_COLUMNS)})"
        )
        connection.execute("BEGIN IMMEDIATE")
        connection.executemany(insert, rows)
        connection.execute("COMMIT")
        connection.execute("ANALYZE")
    finally:
        connection.close()


def _lvzhi(path: Path, expected: int) -> float:
    with lvzhi.open(
        f"sqlite:///{path}", load_entrypoints=False, clock=FixedClock(START.add(days=9))
    ) as office:
        started = time.perf_counter()
        statuses = office.attendance.evaluate_all()
        elapsed = time.perf_counter() - started
    assert sum(len(v) for v in statuses.values()) == expected
    return elapsed


def _raw(path: Path, expected: int) -> float:
    connection = sqlite3.connect(path)
    try:
        started = time.perf_counter()
        found = connection.execute(_RAW).fetchall()
        elapsed = time.perf_counter() - started
    finally:
        connection.close()
    assert len(found) == expected
    return elapsed


def bench_evaluate(quick: bool = False) -> dict[str, Any]:
    """Time ``office.attendance.evaluate_all`` and the raw aggregation on one database."""
    deputies, sessions, repeat = (300, 10, 1) if quick else (DEPUTIES, SESSIONS, REPEATS)
    rows = _rows(deputies, sessions)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "scans.db"
        _build(path, deputies, sessions, rows)
        mine: list[float] = []
        raw: list[float] = []
        for _run in range(repeat):
            raw.append(_raw(path, deputies * sessions))
            mine.append(_lvzhi(path, deputies * sessions))
    seconds, baseline = min(mine), min(raw)
    return {
        "name": "attendance.evaluate",
        "size": len(rows),
        "seconds": round(seconds, 4),
        "baseline": "raw SQL first entry / last exit GROUP BY session and deputy, fetched",
        "baseline_seconds": round(baseline, 4),
        "ratio": round(seconds / baseline, 3),
        "goal": "<= 2.0",
        "met": seconds / baseline <= 2.0,
    }


if __name__ == "__main__":
    print(json.dumps(bench_evaluate("--quick" in sys.argv), ensure_ascii=False))
