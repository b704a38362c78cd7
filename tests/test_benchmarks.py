"""The benchmark runner works: ``benchmarks/run.py --quick`` runs every benchmark at a small
size and prints one JSON object per measurement.  Only the shape of the output is checked
here; the ratios at these sizes mean nothing (speed is judged by the full run only)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RUN = ROOT / "benchmarks" / "run.py"
FIELDS = {"name", "size", "seconds", "baseline", "baseline_seconds", "ratio", "goal", "met"}
EXPECTED = {
    "collation.sort_pinyin",
    "collation.sort_strokes",
    "import.roster_csv",
    "import.roster_csv_reimport",
    "import.roster_xlsx",
    "storage.record_scans",
    "storage.sqlite_roundtrip",
}


def run(*args: str) -> tuple[int, list[dict[str, Any]], str]:
    done = subprocess.run(
        [sys.executable, str(RUN), "--quick", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=600,
        check=False,
    )
    lines = done.stdout.splitlines()
    return done.returncode, [json.loads(line) for line in lines], done.stderr


def test_quick_run_prints_every_measurement_as_json() -> None:
    status, results, stderr = run()
    assert status in (0, 1), stderr  # 1 = some goal missed, which quick sizes may well do
    assert results, stderr
    for result in results:
        assert set(result) >= FIELDS, result
        assert isinstance(result["name"], str) and "." in result["name"]
        assert isinstance(result["size"], int) and result["size"] > 0
        for key in ("seconds", "baseline_seconds", "ratio"):
            assert isinstance(result[key], int | float) and result[key] > 0, (key, result)
        assert isinstance(result["baseline"], str) and result["baseline"]
        assert result["goal"] is None or isinstance(result["goal"], str)
        assert isinstance(result["met"], bool)
    names = [r["name"] for r in results]
    assert len(names) == len(set(names))
    assert set(names) >= EXPECTED


def test_names_select_benchmarks() -> None:
    status, results, stderr = run("collation.sort_strokes", "import.roster_csv")
    assert status in (0, 1), stderr
    assert sorted(r["name"] for r in results) == [
        "collation.sort_strokes",
        "import.roster_csv",
        "import.roster_csv_reimport",
    ]
    status, results, stderr = run("nothing.like.this")
    assert (status, results) == (2, [])
    assert "no benchmark matches" in stderr
