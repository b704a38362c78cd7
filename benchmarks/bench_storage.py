"""Storage benchmark: 10,000 deputies through the SQLite backend and back.

Compared, in the same run, with the least a JSON-in-SQLite store can do: plain ``sqlite3``
``executemany`` of the same JSON rows into a ``(key TEXT PRIMARY KEY, data TEXT)`` table,
``SELECT`` of every row and ``json.loads`` of each.  The backend additionally turns models
into JSON, keeps indexed columns, and rebuilds (and re-validates) every model on reading.

Run: ``python benchmarks/bench_storage.py`` (prints one JSON object).
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

from lvzhi.builtins.sqlite import SQLiteStorage
from lvzhi.serialization import dumps
from lvzhi.testing.factories import make_delegate

SIZE = 10_000
REPEATS = 3


def _delegates() -> list[Any]:
    return [
        make_delegate(
            certificate_no=f"C{n:06d}",
            delegation=f"D{n % 40:03d}",
            sector="工人",
            title="某乡镇人大主席团主席",
            phone="0734-1234567",
        )
        for n in range(SIZE)
    ]


def _lvzhi_round_trip(directory: Path, delegates: list[Any], run: int) -> float:
    started = time.perf_counter()
    with SQLiteStorage(directory / f"lvzhi-{run}.db") as backend:
        with backend.unit_of_work() as uow:
            uow.delegates.put_many(delegates)
        with backend.unit_of_work() as uow:
            loaded = uow.delegates.list()
    elapsed = time.perf_counter() - started
    assert len(loaded) == SIZE
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
    assert len(loaded) == SIZE
    return elapsed


def bench_sqlite_roundtrip() -> dict[str, Any]:
    """Best of three runs of each side; the JSON rows of the baseline are prepared ahead."""
    delegates = _delegates()
    rows = [(d.key, dumps(d)) for d in delegates]
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        seconds = min(_lvzhi_round_trip(directory, delegates, run) for run in range(REPEATS))
        baseline = min(_raw_round_trip(directory, rows, run) for run in range(REPEATS))
    return {
        "name": "storage.sqlite_roundtrip",
        "size": SIZE,
        "seconds": round(seconds, 4),
        "baseline": "raw sqlite3 + json",
        "baseline_seconds": round(baseline, 4),
        "ratio": round(seconds / baseline, 2),
        "goal": "<= 5.0",
    }


if __name__ == "__main__":
    print(json.dumps(bench_sqlite_roundtrip()))
