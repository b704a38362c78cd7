"""Two processes import the rosters of two different delegations into one new SQLite file at
the same moment.

Each import reads the stored delegations, parses its file (allocating a code such as
``d01`` for its new delegation) and then writes.  When both read before either writes, both
parse with ``d01``; the service re-derives the codes inside its write transaction, so the
second writer files its deputies under a fresh code instead of under the other delegation.
"""

from __future__ import annotations

import multiprocessing
import queue
import random
import traceback
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

import pytest

import lvzhi

ROUNDS = 3
DEPUTIES = 200
HEADER = "序号,姓名,性别,代表证号,选举单位,界别,是否新任,手机"

#: Each file: its delegation, the certificate prefix and the surnames its deputies have.
FILES = (
    ("衡南县", "431", "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"),
    ("祁东县", "432", "郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"),
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国红玉晓东海波辉鹏宇浩然思远"


def write_roster(path: Path, unit: str, prefix: str, surnames: str, seed: int) -> dict[str, str]:
    """A roster of one delegation; returns certificate number → name."""
    rng = random.Random(seed)
    people: dict[str, str] = {}
    lines = [HEADER]
    for n in range(1, DEPUTIES + 1):
        cert = f"{prefix}{n:05d}"
        name = rng.choice(surnames) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        people[cert] = name
        gender = rng.choice("男女")
        lines.append(f"{n},{name},{gender},{cert},{unit},工人,否,139{rng.randrange(10**8):08d}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    return people


def import_roster(url: str, roster: str, start: Barrier, errors: Any) -> None:
    """Child process: open the database, wait for the other process, import."""
    try:
        with lvzhi.open(url, load_entrypoints=False) as office:
            start.wait(timeout=60)
            office.imports.roster(roster)
    except BaseException:
        errors.put(traceback.format_exc())
        raise


@pytest.mark.parametrize("round_no", range(ROUNDS))
def test_two_imports_at_once_keep_their_delegations(tmp_path: Path, round_no: int) -> None:
    db = tmp_path / "course.db"
    url = f"sqlite:///{db}"
    lvzhi.open(url, load_entrypoints=False).close()  # a new, empty database
    rosters: list[tuple[str, Path, dict[str, str]]] = []
    for index, (unit, prefix, surnames) in enumerate(FILES):
        path = tmp_path / f"roster-{index}.csv"
        rosters.append((unit, path, write_roster(path, unit, prefix, surnames, round_no)))

    context = multiprocessing.get_context("spawn")
    start = context.Barrier(len(rosters))
    errors = context.Queue()
    workers = [
        context.Process(target=import_roster, args=(url, str(path), start, errors))
        for _, path, _ in rosters
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    for worker in workers:
        if worker.is_alive():
            worker.kill()
    failures: list[str] = []
    while True:
        try:
            failures.append(errors.get(timeout=1))
        except queue.Empty:
            break
    assert not failures, "\n".join(failures)
    assert [w.exitcode for w in workers] == [0, 0]

    with lvzhi.open(url, load_entrypoints=False) as office:
        units = office.people.delegations()
        deputies = {d.certificate_no: d for d in office.people.delegates()}
    assert sorted(u.name for u in units) == sorted(unit for unit, _, _ in rosters)
    assert len({u.code for u in units}) == len(units)
    name_of = {u.code: u.name for u in units}
    assert len(deputies) == DEPUTIES * len(rosters)  # nobody lost
    for unit, _, people in rosters:
        for cert, name in people.items():
            deputy = deputies[cert]
            assert deputy.name == name
            assert name_of[deputy.delegation] == unit, (cert, deputy.delegation)
