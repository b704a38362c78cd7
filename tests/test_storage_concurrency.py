"""Several processes on one SQLite file: four write and four read for a while; nobody sees
an error ("database is locked" included), nothing written is lost, every read is of one
consistent snapshot.

The run lasts ``LVZHI_STRESS_SECONDS`` seconds (10 by default).
"""

from __future__ import annotations

import multiprocessing
import os
import time
import traceback
from pathlib import Path
from typing import Any

from lvzhi.builtins.sqlite import SQLiteStorage
from lvzhi.testing import make_delegate, make_scan

WRITERS = 4
READERS = 4
SESSION = "s-stress"


def _seconds() -> float:
    return float(os.environ.get("LVZHI_STRESS_SECONDS", "10"))


def _start(backend: SQLiteStorage, start: Any) -> float:
    """Wait for every process to be ready; the time at which to stop."""
    backend.schema_version()  # opened and connected
    start.wait(timeout=240)
    return time.monotonic() + _seconds()


def _write(url: str, number: int, start: Any, results: Any) -> None:
    """Each unit of work stores one delegate and one scan under a key of its own."""
    written = 0
    try:
        with SQLiteStorage.from_url(url) as backend:
            until = _start(backend, start)
            while time.monotonic() < until:
                key = f"w{number}-{written:06d}"
                with backend.unit_of_work() as uow:
                    uow.delegates.put(make_delegate(certificate_no=key, delegation=f"d{number}"))
                    uow.scans.append(make_scan(id=key, session_id=SESSION, certificate_no=key))
                written += 1
        results.put(("writer", number, written, None))
    except BaseException:
        results.put(("writer", number, written, traceback.format_exc()))


def _read(url: str, number: int, start: Any, results: Any) -> None:
    """Read-only units of work; within each the counts agree (writers store a delegate and a
    scan together), and from one to the next they never go down."""
    reads = 0
    try:
        last = 0
        with SQLiteStorage.from_url(url) as backend:
            until = _start(backend, start)
            while time.monotonic() < until:
                with backend.unit_of_work(readonly=True) as uow:
                    delegates = uow.delegates.count()
                    listed = len(uow.delegates.list())
                    scans = uow.scans.count()
                    summary = uow.scans.summarise(SESSION)
                if not delegates == listed == scans == len(summary):
                    raise AssertionError(
                        f"inconsistent snapshot: {delegates} delegates, {listed} listed, "
                        f"{scans} scans, {len(summary)} summarised"
                    )
                if delegates < last:
                    raise AssertionError(f"committed rows went from {last} to {delegates}")
                last = delegates
                reads += 1
        results.put(("reader", number, reads, None))
    except BaseException:
        results.put(("reader", number, reads, traceback.format_exc()))


def test_four_writers_and_four_readers_share_a_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'stress.db'}"
    SQLiteStorage.from_url(url).close()  # created and migrated before the crowd arrives
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    start = context.Barrier(WRITERS + READERS + 1)  # all run the same ten seconds
    processes = [
        context.Process(target=_write, args=(url, n, start, results)) for n in range(WRITERS)
    ] + [context.Process(target=_read, args=(url, n, start, results)) for n in range(READERS)]
    for process in processes:
        process.start()
    start.wait(timeout=240)
    reports = [results.get(timeout=_seconds() + 240) for _ in processes]
    for process in processes:
        process.join(timeout=60)
    assert [p.exitcode for p in processes] == [0] * len(processes)
    failures = [f"{role} {n}:\n{error}" for role, n, _, error in reports if error is not None]
    assert not failures, "\n".join(failures)
    written = {n: count for role, n, count, _ in reports if role == "writer"}
    reads = {n: count for role, n, count, _ in reports if role == "reader"}
    assert sorted(written) == list(range(WRITERS))
    assert sorted(reads) == list(range(READERS))
    assert all(count > 0 for count in written.values()), written
    assert all(count > 0 for count in reads.values()), reads
    keys = [f"w{n}-{i:06d}" for n, count in written.items() for i in range(count)]
    with SQLiteStorage.from_url(url) as backend, backend.unit_of_work(readonly=True) as uow:
        assert uow.delegates.existing(keys) == set(keys)  # nothing lost
        assert uow.delegates.count() == len(keys)
        assert uow.scans.count() == len(keys)
        for n, count in written.items():
            assert len(uow.delegates.select(delegation=f"d{n}")) == count
