"""Load test of the scan stations: 8 stations each record 400 scans as fast as they can,
through HTTP, into one SQLite database served by uvicorn in another process.

    python plugins/lvzhi-web/benchmarks/bench_web.py [--quick]

Prints one JSON object (name, size, seconds, baseline, baseline_seconds, ratio, goal, met,
plus the median and p99 latency of a scan, the errors answered, and the scans lost or
duplicated).  The baseline is the same scans recorded one by one through
``office.attendance.record`` in one process, without HTTP.  Nothing here is asserted by the
test suite.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import pendulum

import lvzhi
from lvzhi.clock import FixedClock
from lvzhi.domain import Scan, SessionKind
from lvzhi.samples.demo_seating import HALL_ID, seat_deputies
from lvzhi.samples.load import load_course

STATIONS = 8
SCANS = 400
SECRET = "benchmark secret, long enough to sign with"
NOW = pendulum.datetime(2022, 9, 6, 8, 50, tz="Asia/Shanghai")
ORGANISER = "organiser-01"


def _build(path: Path) -> dict[str, Any]:
    """A seated course, two passes per zone; the opening session and each pass's zone."""
    with lvzhi.open(f"sqlite:///{path}", clock=FixedClock(NOW), load_entrypoints=False) as office:
        load_course(office)
        opening = next(s for s in office.programme.timetable() if s.kind is SessionKind.OPENING)
        seat_deputies(office, opening.id)
        plan = office.seating.plan_for(HALL_ID)
        occupant = {seat: cert for cert, seat in plan.assignments.items()}
        stations = []
        zones = office.seating.zones(HALL_ID)
        for n in range(STATIONS):
            zone = zones[n % len(zones)]
            item = office.stations.issue(zone.taker_id or "", HALL_ID, zone.name, by=ORGANISER)
            certs = [occupant[s] for s in zone.seats if s in occupant]
            stations.append({"pass": item.id, "certs": certs})
        return {"session": opening.id, "stations": stations}


def _serve(path: str, port: int) -> None:
    """The server process: the web app over the database, the clock at the session."""
    import uvicorn
    from lvzhi_web.app import create_app
    from lvzhi_web.signing import Signer

    office = lvzhi.open(f"sqlite:///{path}", clock=FixedClock(NOW), load_entrypoints=False)
    app = create_app(office, Signer(SECRET.encode()))
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _scans(setup: dict[str, Any], index: int, count: int) -> list[dict[str, Any]]:
    """Station ``index``'s scans: its zone's deputies in turn, entry then exit."""
    station = setup["stations"][index]
    certs = station["certs"]
    out = []
    for i in range(count):
        cert = certs[i % len(certs)]
        kind = "entry" if (i // len(certs)) % 2 == 0 else "exit"
        at = NOW.subtract(minutes=10).add(seconds=index, microseconds=i * 1000)
        out.append(
            {
                "id": uuid.uuid4().hex,
                "code": cert,
                "kind": kind,
                "session_id": setup["session"],
                "scanned_at": at.isoformat(),
            }
        )
    return out


def _station(
    url: str, token: str, csrf: str, scans: list[dict[str, Any]], out: dict[str, Any]
) -> None:
    import httpx

    latencies, errors = [], 0
    with httpx.Client(base_url=url, timeout=60) as client:
        for scan in scans:
            start = time.perf_counter()
            response = client.post(
                f"/station/{token}/scan", json=scan, headers={"X-CSRF-Token": csrf}
            )
            latencies.append(time.perf_counter() - start)
            if response.status_code != 200 or not response.json().get("ok"):
                errors += 1
    out["latencies"], out["errors"] = latencies, errors


def _baseline(path: Path, setup: dict[str, Any], count: int) -> float:
    """The same number of scans recorded one call each through the library."""
    with lvzhi.open(f"sqlite:///{path}", clock=FixedClock(NOW), load_entrypoints=False) as office:
        items = [s for n in range(STATIONS) for s in _scans(setup, n, count)]
        start = time.perf_counter()
        for item in items:
            office.attendance.record(
                [
                    Scan(
                        id=item["id"],
                        session_id=item["session_id"],
                        certificate_no=item["code"],
                        kind=item["kind"],
                        scanned_at=pendulum.parse(item["scanned_at"]),
                        zone="",
                    )
                ]
            )
        return time.perf_counter() - start


def bench_stations(quick: bool = False) -> dict[str, Any]:
    from lvzhi_web.signing import Signer

    count = 40 if quick else SCANS
    signer = Signer(SECRET.encode())
    with tempfile.TemporaryDirectory() as tmp:
        template = Path(tmp) / "template.db"
        setup = _build(template)
        path, spare = Path(tmp) / "course.db", Path(tmp) / "baseline.db"
        shutil.copyfile(template, path)
        shutil.copyfile(template, spare)
        port = _free_port()
        server = subprocess.Popen(
            [sys.executable, __file__, "--serve", str(path), str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            import httpx

            deadline = time.monotonic() + 60
            while True:
                try:
                    httpx.get(url + "/")
                    break
                except httpx.TransportError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise RuntimeError("the server did not start") from None
                    time.sleep(0.1)
            results: list[dict[str, Any]] = [{} for _ in range(STATIONS)]
            threads = []
            all_ids = []
            for n in range(STATIONS):
                pass_id = setup["stations"][n]["pass"]
                scans = _scans(setup, n, count)
                all_ids.extend(s["id"] for s in scans)
                thread = threading.Thread(
                    target=_station,
                    args=(
                        url,
                        signer.sign("station", pass_id),
                        signer.signature("csrf", f"station:{pass_id}"),
                        scans,
                        results[n],
                    ),
                )
                threads.append(thread)
            start = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            seconds = time.perf_counter() - start
        finally:
            server.terminate()
            server.wait(timeout=30)
        with lvzhi.open(f"sqlite:///{path}", load_entrypoints=False) as office:
            stored = [s.id for s in office.attendance.scans(session_id=setup["session"])]
        baseline = _baseline(spare, setup, count)
    latencies = sorted(x for r in results for x in r["latencies"])
    errors = sum(r["errors"] for r in results)
    lost = len(set(all_ids) - set(stored))
    duplicated = len(stored) - len(set(stored))
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    met = errors == 0 and lost == 0 and duplicated == 0 and p99 <= 1.0
    return {
        "name": "web.stations",
        "size": STATIONS * count,
        "seconds": round(seconds, 3),
        "baseline": "the same scans through office.attendance.record, one call each, no HTTP",
        "baseline_seconds": round(baseline, 3),
        "ratio": round(seconds / baseline, 3),
        "goal": "no error, none lost or duplicated; p99 <= 1.0 s",
        "met": met,
        "median_ms": round(statistics.median(latencies) * 1000, 1),
        "p99_ms": round(p99 * 1000, 1),
        "scans_per_second": round(STATIONS * count / seconds, 1),
        "errors": errors,
        "lost": lost,
        "duplicated": duplicated,
        "stored": len(stored),
    }


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "--serve":
        _serve(sys.argv[2], int(sys.argv[3]))
    else:
        quick = "--quick" in sys.argv or os.environ.get("LVZHI_BENCH_QUICK") == "1"
        print(json.dumps(bench_stations(quick), ensure_ascii=False))
