"""Run lvzhi's benchmarks and print one JSON object per line.

    python benchmarks/run.py [--quick] [NAME ...]

Each benchmark measures lvzhi and a baseline doing the same work in the same run and reports
``name, size, seconds, baseline, baseline_seconds, ratio, goal, met`` (``ratio`` is seconds /
baseline_seconds).  A ``bench_*`` function returns one such result or a list of them.
``--quick`` runs every benchmark at a small size, once, as a smoke test (its ratios mean
nothing): functions that take a ``quick`` argument get ``quick=True``, and the environment
variable ``LVZHI_BENCH_QUICK`` is set to ``1`` for the others.

NAME selects benchmarks by name prefix (``import``, ``collation``,
``storage.sqlite_roundtrip``, ``export.roster_xlsx``…); only the ``bench_<group>.py`` files
of the selected groups are imported.  Goals are checked here, never in the test suite; the
exit status is 1 if a selected benchmark misses its goal.
"""

from __future__ import annotations

import importlib.util
import inspect
import json
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent

Result = dict[str, Any]
Bench = Callable[..., Result | list[Result]]


def discover(groups: set[str] | None = None) -> list[Bench]:
    """The ``bench_*`` functions of ``bench_<group>.py``, of every group or of ``groups``."""
    found: list[Bench] = []
    for path in sorted(HERE.glob("bench_*.py")):
        if groups is not None and path.stem.removeprefix("bench_") not in groups:
            continue
        spec = importlib.util.spec_from_file_location(path.stem, path)
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[path.stem] = module
        spec.loader.exec_module(module)
        for attr in sorted(vars(module)):
            if attr.startswith("bench_") and callable(getattr(module, attr)):
                found.append(getattr(module, attr))
    return found


def run(bench: Bench, *, quick: bool) -> list[Result]:
    """The results of one benchmark function, as a list."""
    if quick and "quick" in inspect.signature(bench).parameters:
        results = bench(quick=True)
    else:
        results = bench()
    return results if isinstance(results, list) else [results]


def meets(result: Result) -> bool:
    match = re.fullmatch(r"\s*<=\s*([0-9.]+)\s*", str(result.get("goal", "")))
    return match is None or float(result["ratio"]) <= float(match.group(1))


def main(argv: list[str]) -> int:
    selected = [a for a in argv if not a.startswith("-")]
    quick = "--quick" in argv
    if quick:
        os.environ["LVZHI_BENCH_QUICK"] = "1"
    ok = True
    ran = 0
    groups = {s.split(".")[0] for s in selected} if selected else None
    for bench in discover(groups):
        group = bench.__module__.removeprefix("bench_")
        if selected and not any(s.split(".")[0] == group for s in selected):
            continue
        for result in run(bench, quick=quick):
            if selected and not any(str(result["name"]).startswith(s) for s in selected):
                continue
            result["met"] = meets(result)
            ok &= result["met"]
            ran += 1
            print(json.dumps(result, ensure_ascii=False), flush=True)
    if ran == 0:
        print(f"no benchmark matches {' '.join(selected)}", file=sys.stderr)
        return 2
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
