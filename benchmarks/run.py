"""Run lvzhi's benchmarks and print one JSON object per line.

    python benchmarks/run.py [NAME ...]

Each benchmark measures lvzhi and a baseline doing the same work in the same run and reports
``name, size, seconds, baseline, baseline_seconds, ratio, goal`` (``ratio`` is seconds /
baseline_seconds).  NAME selects benchmarks by name prefix (``import``, ``collation``,
``storage.sqlite_roundtrip``…).  Goals are checked here, never in the test suite; the exit
status is 1 if a selected benchmark misses its goal.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def discover() -> list[Callable[[], dict[str, Any]]]:
    found: list[Callable[[], dict[str, Any]]] = []
    for path in sorted(HERE.glob("bench_*.py")):
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


def meets(result: dict[str, Any]) -> bool:
    match = re.fullmatch(r"\s*<=\s*([0-9.]+)\s*", str(result.get("goal", "")))
    return match is None or float(result["ratio"]) <= float(match.group(1))


def main(argv: list[str]) -> int:
    selected = [a for a in argv if not a.startswith("-")]
    ok = True
    ran = 0
    for bench in discover():
        group = bench.__module__.removeprefix("bench_")
        if selected and not any(s.split(".")[0] == group for s in selected):
            continue
        result = bench()
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
