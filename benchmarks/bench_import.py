"""Benchmarks: importing rosters.

``import.roster_xlsx``
    :func:`lvzhi.importing.parse_roster` on a 10,000-row xlsx roster (read, find the header,
    repair numbers, validate, build models) against the least any importer must do: open
    the workbook with openpyxl in read-only mode and iterate every row's values.

``import.roster_csv``
    ``office.imports.roster(path)`` end to end (parse, check, one write transaction) of a
    30,000-row CSV roster (UTF-8 with BOM, Chinese headers, 35 delegations) into a fresh
    SQLite file, against ``csv.reader`` plus one ``executemany`` of the same rows
    (certificate number, the row as JSON, delegation) into the ``delegates`` table of a fresh
    lvzhi database, in one transaction with the same PRAGMAs.

``import.roster_csv_reimport``
    The same file imported again into the same database (every deputy updated), against the
    first import of the same run.

``import.roster_duplicates``
    ``office.imports.roster(path)`` of a 30,000-row CSV roster in which every certificate
    number is on two rows (15,000 duplicate pairs): the import is refused with an
    :class:`~lvzhi.errors.ImportProblem` of 15,000 problems, each naming its two rows.
    Against the clean import of the same rows with distinct numbers into a fresh database:
    finding and reporting every duplicate must cost no more than importing (a report that
    grew with the square of the rows took seconds and gigabytes here).

Both sides are timed in the same run, alternately, best of several.  Each function returns
its measurements; ``benchmarks/run.py`` prints them.
"""

from __future__ import annotations

import csv
import importlib
import json
import random
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import lvzhi
from lvzhi.errors import ImportProblem
from lvzhi.importing import parse_roster

SIZE = 10_000
CSV_SIZE = 30_000
UNITS = ("雁峰区", "珠晖区", "石鼓区", "蒸湘区", "南岳区", "衡阳县", "衡南县", "衡山县", "衡东县")

#: 35 electoral units, as a provincial roster lists them (the last is the garrison).
CSV_UNITS = (
    "芙蓉区", "天心区", "岳麓区", "开福区", "雨花区", "望城区", "长沙县", "浏阳市", "宁乡市",
    "荷塘区", "芦淞区", "石峰区", "天元区", "渌口区", "攸县", "茶陵县", "炎陵县", "醴陵市",
    "雨湖区", "岳塘区", "湘潭县", "湘乡市", "韶山市", "珠晖区", "雁峰区", "石鼓区", "蒸湘区",
    "南岳区", "衡阳县", "衡南县", "衡山县", "衡东县", "祁东县", "耒阳市", "驻湘部队",
)  # fmt: skip
CSV_HEADER = ("序号", "姓名", "性别", "代表证号", "选举单位", "界别", "是否新任", "手机")
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚"
)
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "司徒")
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国红玉晓东海波辉鹏宇浩然思远志丹婷雪梅"
    "鑫凯峰斌琳晨欣怡佳慧文博子轩德旭少宁毅希书鸿忠立新春燕"
)
SECTORS = ("工人", "农民", "专业技术人员", "公务员", "企业管理人员", "解放军", "基层干部")


def _best(run: Callable[[], Any], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


# --------------------------------------------------------------------------- xlsx


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


def _openpyxl_rows(path: Path) -> int:
    openpyxl = importlib.import_module("openpyxl")
    book = openpyxl.load_workbook(path, read_only=True)
    count = 0
    for _row in book.active.iter_rows(values_only=True):
        count += 1
    book.close()
    return count


def bench_roster_import_xlsx(quick: bool = False) -> dict[str, Any]:
    size = 500 if quick else SIZE
    with tempfile.TemporaryDirectory() as folder:
        path = write_roster(Path(folder) / "roster.xlsx", size)
        assert len(parse_roster(path).delegates) == size
        seconds = _best(lambda: parse_roster(path))
        baseline = _best(lambda: _openpyxl_rows(path))
    return {
        "name": "import.roster_xlsx",
        "size": size,
        "seconds": round(seconds, 4),
        "baseline": "openpyxl read_only iteration",
        "baseline_seconds": round(baseline, 4),
        "ratio": round(seconds / baseline, 3),
        "goal": "<= 3.0",
    }


# --------------------------------------------------------------------------- csv


def write_csv_roster(
    path: Path, size: int = CSV_SIZE, *, seed: int = 20230115, pairs: bool = False
) -> Path:
    """A roster as a secretariat receives it: UTF-8 with BOM, Chinese headers, names of
    one to three characters (a few compound surnames), certificate and phone numbers as
    text.  With ``pairs`` every certificate number is on two consecutive rows (the rows are
    otherwise the same as without)."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(CSV_HEADER)
        for n in range(1, size + 1):
            surname = rng.choice(COMPOUND_SURNAMES) if rng.random() < 0.01 else rng.choice(SURNAMES)
            given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2, 2))))
            writer.writerow(
                (
                    n,
                    surname + given,
                    rng.choice("男女"),
                    f"43{(n + 1) // 2 if pairs else n:07d}",
                    rng.choice(CSV_UNITS),
                    rng.choice(SECTORS),
                    "是" if rng.random() < 0.4 else "否",
                    f"1{rng.choice('3578')}{rng.randrange(10**9):09d}",
                )
            )
    return path


def _fresh(folder: Path, name: str) -> Path:
    """A new lvzhi database file (schema created), closed again."""
    path = folder / name
    lvzhi.open(f"sqlite:///{path}", load_entrypoints=False).close()
    return path


def _csv_executemany(roster: Path, database: Path) -> tuple[float, int]:
    """The baseline, ``csv.reader`` and one ``executemany`` in one transaction: its seconds
    and the rows written."""
    connection = sqlite3.connect(database, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = NORMAL")
        started = time.perf_counter()
        with roster.open(encoding="utf-8-sig", newline="") as stream:
            reader = csv.reader(stream)
            header = next(reader)
            rows = [
                (
                    row[3],
                    json.dumps(dict(zip(header, row, strict=True)), ensure_ascii=False),
                    row[4],
                )
                for row in reader
            ]
        connection.execute("BEGIN IMMEDIATE")
        connection.executemany(
            'INSERT INTO "delegates" (key, data, delegation) VALUES (?, ?, ?)', rows
        )
        connection.execute("COMMIT")
        elapsed = time.perf_counter() - started
    finally:
        connection.close()
    return elapsed, len(rows)


def _lvzhi_import(roster: Path, database: Path) -> tuple[float, float]:
    """Seconds of the first import into a fresh database and of importing it again."""
    with lvzhi.open(f"sqlite:///{database}", load_entrypoints=False) as office:
        started = time.perf_counter()
        first = office.imports.roster(roster)
        middle = time.perf_counter()
        again = office.imports.roster(roster)
        ended = time.perf_counter()
    assert (first.created, first.updated) == (first.delegates, 0)
    assert (again.created, again.updated) == (0, first.delegates)
    return middle - started, ended - middle


def bench_roster_import_csv(quick: bool = False) -> list[dict[str, Any]]:
    """Time ``office.imports.roster`` (first import and re-import) and the baseline,
    alternately on fresh databases, best of five."""
    size, repeat = (600, 2) if quick else (CSV_SIZE, 5)
    firsts: list[float] = []
    agains: list[float] = []
    baselines: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        directory = Path(folder)
        roster = write_csv_roster(directory / "roster.csv", size)
        for run in range(repeat):
            first, again = _lvzhi_import(roster, _fresh(directory, f"lvzhi-{run}.db"))
            firsts.append(first)
            agains.append(again)
            elapsed, written = _csv_executemany(roster, _fresh(directory, f"raw-{run}.db"))
            assert written == size
            baselines.append(elapsed)
    seconds, reimport, baseline = min(firsts), min(agains), min(baselines)
    return [
        {
            "name": "import.roster_csv",
            "size": size,
            "seconds": round(seconds, 4),
            "baseline": "csv.reader + one executemany of (certificate, row JSON, delegation)",
            "baseline_seconds": round(baseline, 4),
            "ratio": round(seconds / baseline, 3),
            "goal": "<= 2.0",
        },
        {
            "name": "import.roster_csv_reimport",
            "size": size,
            "seconds": round(reimport, 4),
            "baseline": "the first import of the same file (import.roster_csv)",
            "baseline_seconds": round(seconds, 4),
            "ratio": round(reimport / seconds, 3),
            "goal": "<= 1.1",
        },
    ]


def _refused(roster: Path, database: Path) -> tuple[float, int]:
    """Seconds until the import of a roster full of duplicates is refused, and the number
    of problems reported."""
    with lvzhi.open(f"sqlite:///{database}", load_entrypoints=False) as office:
        started = time.perf_counter()
        try:
            office.imports.roster(roster)
        except ImportProblem as error:
            elapsed = time.perf_counter() - started
            return elapsed, len(error.problems)
    raise AssertionError("a roster of duplicated certificate numbers was imported")


def bench_roster_duplicates(quick: bool = False) -> dict[str, Any]:
    """Time the refused import of a roster whose every certificate number is duplicated,
    and the clean import of the same rows, alternately on fresh databases, best of three."""
    size, repeat = (600, 2) if quick else (CSV_SIZE, 3)
    refused: list[float] = []
    clean: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        directory = Path(folder)
        duplicated = write_csv_roster(directory / "duplicated.csv", size, pairs=True)
        distinct = write_csv_roster(directory / "distinct.csv", size)
        for run in range(repeat):
            elapsed, problems = _refused(duplicated, _fresh(directory, f"dup-{run}.db"))
            assert problems == size // 2
            refused.append(elapsed)
            first, _again = _lvzhi_import(distinct, _fresh(directory, f"clean-{run}.db"))
            clean.append(first)
    seconds, baseline = min(refused), min(clean)
    ratio = round(seconds / baseline, 3)
    return {
        "name": "import.roster_duplicates",
        "size": size,
        "seconds": round(seconds, 4),
        "baseline": "the clean import of the same rows with distinct certificate numbers",
        "baseline_seconds": round(baseline, 4),
        "ratio": ratio,
        "goal": "<= 1.5",
        "met": ratio <= 1.5,
    }


if __name__ == "__main__":
    quick = "--quick" in sys.argv
    for result in (
        bench_roster_import_xlsx(quick),
        *bench_roster_import_csv(quick),
        bench_roster_duplicates(quick),
    ):
        print(json.dumps(result, ensure_ascii=False))
