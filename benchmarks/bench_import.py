"""Benchmark: importing a 10,000-row roster from xlsx.

Compares :func:`lvzhi.importing.parse_roster` (read, find the header, repair numbers,
validate, build models) with the least any importer must do: open the workbook with
openpyxl in read-only mode and iterate every row's values, measured in the same run.
Prints one JSON object.
"""

from __future__ import annotations

import importlib
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lvzhi.importing import parse_roster

SIZE = 10_000
UNITS = ("雁峰区", "珠晖区", "石鼓区", "蒸湘区", "南岳区", "衡阳县", "衡南县", "衡山县", "衡东县")


def write_roster(path: Path, size: int = SIZE) -> Path:
    openpyxl = importlib.import_module("openpyxl")
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("名册")
    sheet.append(["衡阳市第十六届人大代表名册"])
    sheet.append(["序号", "姓名", "性别", "代表证号", "选举单位", "界别", "手机", "是否新任"])
    for i in range(1, size + 1):
        sheet.append(
            [
                i,
                f"王　{chr(0x4E00 + i % 5000)}",
                "男" if i % 2 else "女",
                float(430400000 + i),
                UNITS[i % len(UNITS)],
                "工人",
                float(13800000000 + i),
                "是" if i % 3 else "否",
            ]
        )
    book.save(path)
    return path


def _best(run: Callable[[], Any], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def _baseline(path: Path) -> int:
    openpyxl = importlib.import_module("openpyxl")
    book = openpyxl.load_workbook(path, read_only=True)
    count = 0
    for _row in book.active.iter_rows(values_only=True):
        count += 1
    book.close()
    return count


def bench_roster_import_xlsx() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        path = write_roster(Path(folder) / "roster.xlsx")
        assert len(parse_roster(path).delegates) == SIZE
        seconds = _best(lambda: parse_roster(path))
        baseline = _best(lambda: _baseline(path))
    return {
        "name": "import.roster_xlsx",
        "size": SIZE,
        "seconds": round(seconds, 4),
        "baseline": "openpyxl read_only iteration",
        "baseline_seconds": round(baseline, 4),
        "ratio": round(seconds / baseline, 3),
        "goal": "<= 3.0",
    }


if __name__ == "__main__":
    print(json.dumps(bench_roster_import_xlsx(), ensure_ascii=False))
