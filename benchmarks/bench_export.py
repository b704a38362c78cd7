"""Benchmark: a 30,000-deputy roster exported to xlsx.

The roster table is built once, outside the timing, with ``roster_table`` in official
order (delegation order, then stroke order of the names).  Timed: the core's preparation
(:func:`lvzhi.reports.prepare`: text cleaning, neutralisation, localisation and the title
row, as an export of the course does) plus the built-in xlsx exporter with its whole print
layout (title row, a styled and bordered cell for every value, widths measured over every
row, page set-up), against the least any xlsx writer must do: openpyxl in write-only mode
appending the same cell values in the same order (header first), unstyled, and saving to
bytes.  Both are timed in the same run, best of 3.  Prints one JSON object.
"""

from __future__ import annotations

import io
import json
import random
import time
from collections.abc import Callable
from typing import Any

import tablib
from openpyxl import Workbook

from lvzhi.builtins.exporters import exporters
from lvzhi.domain import Delegate, Delegation
from lvzhi.domain.collation import StrokeCollation
from lvzhi.reports import prepare, roster_table
from lvzhi.testing.factories import make_delegate, make_delegation

SIZE = 30_000
UNITS = 35
REPEATS = 3
TIMEZONE = "Asia/Shanghai"
PROGRAMME_TITLE = "衡阳市第十六届人大代表（新任代表）履职培训班"

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国红玉晓东海波辉鹏宇浩然思远志丹"
SECTORS = ("工人", "农民", "专业技术人员", "公务员", "企业管理人员", "解放军")


def _delegations() -> list[Delegation]:
    return [
        make_delegation(code=f"U{n:03d}", name=f"第{n}选举单位", order=(n * 7) % UNITS)
        for n in range(UNITS)
    ]


def _delegates(size: int = SIZE, seed: int = 20220906) -> list[Delegate]:
    rng = random.Random(seed)
    out = []
    for n in range(size):
        given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
        out.append(
            make_delegate(
                certificate_no=f"C{n:06d}",
                name=rng.choice(SURNAMES) + given,
                delegation=f"U{rng.randrange(UNITS):03d}",
                sector=rng.choice(SECTORS),
                is_new=rng.random() < 0.4,
                phone=f"13{rng.randrange(10**9):09d}",
            )
        )
    return out


def _best(run: Callable[[], Any], repeats: int = REPEATS) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def _prepare(table: tablib.Dataset) -> tablib.Dataset:
    return prepare(
        table,
        spreadsheet=True,
        timezone=TIMEZONE,
        programme_title=PROGRAMME_TITLE,
        report_title="代表名册",
    )


def _lvzhi(table: tablib.Dataset, exporter: Any) -> bytes:
    payload: bytes = exporter.export(_prepare(table))
    return payload


def _baseline(rows: list[list[Any]]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("代表名册")
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def bench_roster_xlsx(quick: bool = False) -> dict[str, Any]:
    """Time prepare + the xlsx exporter and plain openpyxl write-only on the same rows."""
    size = 300 if quick else SIZE
    repeats = 1 if quick else REPEATS
    collation = StrokeCollation()
    table = roster_table(
        _delegates(size), _delegations(), order_key=collation.key, by_delegation=True
    )
    prepared = _prepare(table)
    rows = [list(prepared.headers), *[list(r) for r in prepared]]
    assert len(rows) == size + 1
    exporter = {e.format: e for e in exporters()}["xlsx"]
    seconds = _best(lambda: _lvzhi(table, exporter), repeats)
    baseline = _best(lambda: _baseline(rows), repeats)
    return {
        "name": "export.roster_xlsx",
        "size": size,
        "seconds": round(seconds, 4),
        "baseline": "openpyxl write_only append + save",
        "baseline_seconds": round(baseline, 4),
        "ratio": round(seconds / baseline, 3),
        "goal": "<= 1.5",
    }


if __name__ == "__main__":
    result = bench_roster_xlsx()
    result["met"] = result["ratio"] <= 1.5
    print(json.dumps(result, ensure_ascii=False))
