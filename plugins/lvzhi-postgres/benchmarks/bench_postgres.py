"""Benchmarks: the PostgreSQL backend (``python benchmarks/bench_postgres.py [--quick]``).

Prints one JSON line per benchmark (name, size, seconds, baseline, baseline_seconds,
ratio, goal, met), like lvzhi's own ``benchmarks/``.  The server is
``$LVZHI_TEST_POSTGRES`` (default ``postgresql://postgres@127.0.0.1:5432/test``); every run
uses a fresh schema, dropped afterwards.

``storage.record_scans_postgres``
    1,000,000 scans (valid :class:`~lvzhi.domain.Scan` values built before timing, over
    3,000 deputies and 100 sessions stored beforehand) recorded through
    ``office.attendance.record(scans, check=False)`` into a fresh schema, against a raw
    psycopg ``COPY … FROM STDIN`` of the same column values (prebuilt tuples) into the
    ``scans`` table of a fresh lvzhi schema (the same table and indexes), in one
    transaction.  Goal: at most 1.43 times the raw ``COPY``.

``attendance.evaluate_postgres``
    Statuses of 3,000 deputies in each of 100 sessions (300,000 statuses) from 1,000,000
    scans (the log of lvzhi's ``benchmarks/bench_attendance.py``: every deputy in and out
    of every session, a second reading at the door for two in three, a step out and back
    for one in three) through ``office.attendance.evaluate_all``, against the raw SQL
    aggregation the statuses rest on — first entry and last exit per deputy and session,
    ``GROUP BY session_id, certificate_no`` over the same table, fetched.  Goal: at most
    2.0 times the raw query.

Both sides are timed in the same run, alternately, best of several.  ``--quick`` uses
100,000 scans (300 deputies, 10 sessions for the evaluation) and one repetition.
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pendulum
import psycopg
from lvzhi_postgres import PostgresStorage
from lvzhi_postgres.scanlog import STORED_COLUMNS

import lvzhi
from lvzhi.clock import FixedClock
from lvzhi.domain import Scan, ScanKind
from lvzhi.serialization import format_instant
from lvzhi.testing.factories import make_delegate, make_delegation, make_programme, make_session

SERVER = os.environ.get("LVZHI_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
ENVIRON = {"LVZHI_PLUGINS": "postgres"}
START = pendulum.datetime(2022, 9, 6, 1, 0, tz="UTC")
RECEIVED = pendulum.datetime(2022, 9, 8, 12, 0, tz="UTC")


@contextmanager
def fresh_schema() -> Iterator[str]:
    """A URL for a new, migrated, empty lvzhi schema; the schema is dropped afterwards."""
    name = f"lvzhi_bench_{uuid.uuid4().hex[:10]}"
    separator = "&" if "?" in SERVER else "?"
    url = f"{SERVER}{separator}schema={name}"
    PostgresStorage.from_url(url).close()
    try:
        yield url
    finally:
        with psycopg.connect(SERVER, autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')


def _store_people(url: str, deputies: int, sessions: int, hours: int = 1) -> None:
    with lvzhi.open(url, environ=ENVIRON) as office, office.unit_of_work() as uow:
        uow.programmes.put(make_programme(id="P00001"))
        uow.delegations.put_many(
            make_delegation(code=f"D{n:02d}", name=f"第{n}代表团", order=n) for n in range(20)
        )
        uow.delegates.put_many(
            make_delegate(certificate_no=f"C{d:05d}", delegation=f"D{d % 20:02d}")
            for d in range(deputies)
        )
        uow.sessions.put_many(
            make_session(
                id=f"S{s:03d}", programme_id="P00001", starts_at=START.add(hours=hours * s)
            )
            for s in range(sessions)
        )


def _analyze(url: str) -> None:
    schema = url.rsplit("schema=", 1)[1].split("&")[0]
    with psycopg.connect(SERVER, autocommit=True) as connection:
        connection.execute(f'VACUUM ANALYZE "{schema}".scans')


# --------------------------------------------------------------------------- recording


def _scans(count: int, deputies: int, sessions: int) -> list[Scan]:
    scans: list[Scan] = []
    for n in range(count):
        session = n % sessions
        deputy = (n // sessions) % deputies
        scans.append(
            Scan(
                id=f"scan-{n:07d}",
                session_id=f"S{session:03d}",
                certificate_no=f"C{deputy:05d}",
                kind=ScanKind.ENTRY if n % 2 == 0 else ScanKind.EXIT,
                scanned_at=START.add(hours=session, seconds=n % 3600, microseconds=n % 1000),
                zone="A区",
                device="pad-7",
            )
        )
    return scans


def _raw_rows(scans: list[Scan]) -> list[tuple[Any, ...]]:
    received = format_instant(RECEIVED)
    return [
        (
            s.id,
            s.session_id,
            s.certificate_no,
            s.kind.value,
            format_instant(s.scanned_at),
            received,
            s.zone,
            s.taker_id,
            s.device,
            s.source.value,
            s.forced,
            format_instant(s.scanned_at),
        )
        for s in scans
    ]


def _lvzhi_record(deputies: int, sessions: int, scans: list[Scan]) -> float:
    with fresh_schema() as url:
        _store_people(url, deputies, sessions)
        clock = FixedClock(RECEIVED)
        with lvzhi.open(url, environ=ENVIRON, clock=clock) as office:
            started = time.perf_counter()
            recorded = office.attendance.record(scans, check=False).recorded
            elapsed = time.perf_counter() - started
    assert recorded == len(scans)
    return elapsed


def _raw_record(deputies: int, sessions: int, rows: list[tuple[Any, ...]]) -> float:
    with fresh_schema() as url:
        _store_people(url, deputies, sessions)
        schema = url.rsplit("schema=", 1)[1]
        with psycopg.connect(SERVER) as connection:
            started = time.perf_counter()
            with (
                connection.cursor() as cursor,
                cursor.copy(
                    f'COPY "{schema}".scans ({", ".join(STORED_COLUMNS)}) FROM STDIN'
                ) as copy,
            ):
                for row in rows:
                    copy.write_row(row)
            connection.commit()
            elapsed = time.perf_counter() - started
    return elapsed


def bench_record_scans(quick: bool = False) -> dict[str, Any]:
    """Time ``office.attendance.record`` and a raw ``COPY`` of the same rows."""
    count, repeat = (100_000, 1) if quick else (1_000_000, 3)
    deputies, sessions = 3_000, 100
    scans = _scans(count, deputies, sessions)
    rows = _raw_rows(scans)
    mine: list[float] = []
    raw: list[float] = []
    for _run in range(repeat):
        raw.append(_raw_record(deputies, sessions, rows))
        mine.append(_lvzhi_record(deputies, sessions, scans))
    seconds, baseline = min(mine), min(raw)
    return {
        "name": "storage.record_scans_postgres",
        "size": count,
        "seconds": round(seconds, 4),
        "baseline": "raw psycopg COPY of the same prebuilt rows into the same table",
        "baseline_seconds": round(baseline, 4),
        "ratio": round(seconds / baseline, 3),
        "goal": "<= 1.43",
        "met": seconds / baseline <= 1.43,
    }


# --------------------------------------------------------------------------- evaluation

_RAW = (
    "SELECT session_id, certificate_no, "
    "min(scanned_at) FILTER (WHERE kind = 'entry'), "
    "max(scanned_at) FILTER (WHERE kind = 'exit'), count(*) "
    "FROM {table} GROUP BY session_id, certificate_no"
)


def _log(deputies: int, sessions: int) -> list[tuple[Any, ...]]:
    """The scan rows of lvzhi's attendance benchmark (sessions three hours apart)."""
    received = format_instant(START.add(days=3))
    rows: list[tuple[Any, ...]] = []

    def row(key: str, sid: str, cert: str, kind: str, at: pendulum.DateTime) -> None:
        text = format_instant(at)
        rows.append((key, sid, cert, kind, text, received, "A区", "t1", "pad", "scan", False,
                     text))  # fmt: skip

    for s in range(sessions):
        sid = f"S{s:03d}"
        begins = START.add(hours=3 * s)
        for d in range(deputies):
            cert = f"C{d:05d}"
            key = f"{sid}-{cert}"
            entry = begins.add(minutes=12 if d % 37 == 0 else -(d % 15) - 1)
            leave = begins.add(minutes=100 if d % 53 == 0 else 150 + d % 4)
            row(f"{key}-in", sid, cert, "entry", entry)
            row(f"{key}-out", sid, cert, "exit", leave)
            if d % 3 != 0:
                row(f"{key}-in2", sid, cert, "entry", entry.add(seconds=4))
            if d % 3 == 2:
                row(f"{key}-x", sid, cert, "exit", begins.add(minutes=60))
                row(f"{key}-back", sid, cert, "entry", begins.add(minutes=60 + d % 9))
    return rows


def _lvzhi_evaluate(url: str, expected: int) -> float:
    with lvzhi.open(url, environ=ENVIRON, clock=FixedClock(START.add(days=9))) as office:
        started = time.perf_counter()
        statuses = office.attendance.evaluate_all()
        elapsed = time.perf_counter() - started
    assert sum(len(v) for v in statuses.values()) == expected
    return elapsed


def _raw_evaluate(url: str, expected: int) -> float:
    schema = url.rsplit("schema=", 1)[1]
    with psycopg.connect(SERVER) as connection:
        started = time.perf_counter()
        found = connection.execute(_RAW.format(table=f'"{schema}".scans')).fetchall()
        elapsed = time.perf_counter() - started
    assert len(found) == expected
    return elapsed


def bench_evaluate(quick: bool = False) -> dict[str, Any]:
    """Time ``office.attendance.evaluate_all`` and the raw aggregation on one schema."""
    deputies, sessions, repeat = (300, 10, 1) if quick else (3_000, 100, 2)
    rows = _log(deputies, sessions)
    with fresh_schema() as url:
        _store_people(url, deputies, sessions, hours=3)
        schema = url.rsplit("schema=", 1)[1]
        statement = f'COPY "{schema}".scans ({", ".join(STORED_COLUMNS)}) FROM STDIN'
        with (
            psycopg.connect(SERVER) as connection,
            connection.cursor() as cursor,
            cursor.copy(statement) as copy,
        ):
            for row in rows:
                copy.write_row(row)
        size = len(rows)
        del rows  # the log is in the table now; the timed code starts from a clean process
        gc.collect()
        _analyze(url)
        # Both sides are timed in a fresh process: the one that built a million rows holds
        # a fragmented heap that slows whatever runs after it.
        timed = subprocess.run(
            [sys.executable, __file__, "--time-evaluate", url, str(deputies * sessions),
             str(repeat)],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        seconds, baseline = json.loads(timed.stdout)
    return {
        "name": "attendance.evaluate_postgres",
        "size": size,
        "seconds": round(seconds, 4),
        "baseline": "raw SQL first entry / last exit GROUP BY session and deputy, fetched",
        "baseline_seconds": round(baseline, 4),
        "ratio": round(seconds / baseline, 3),
        "goal": "<= 2.0",
        "met": seconds / baseline <= 2.0,
    }


def _time_evaluate(url: str, expected: int, repeat: int) -> tuple[float, float]:
    """The best of ``repeat`` alternate runs of each side: (lvzhi, raw)."""
    mine: list[float] = []
    raw: list[float] = []
    for _run in range(repeat):
        raw.append(_raw_evaluate(url, expected))
        mine.append(_lvzhi_evaluate(url, expected))
    return min(mine), min(raw)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--time-evaluate"]:
        print(json.dumps(_time_evaluate(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))))
        sys.exit(0)
    quick = "--quick" in sys.argv
    for bench in (bench_record_scans, bench_evaluate):
        print(json.dumps(bench(quick), ensure_ascii=False), flush=True)
