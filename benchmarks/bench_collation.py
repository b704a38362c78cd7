"""Benchmarks: sorting 3,000 names in stroke order (``collation.sort_strokes``) and in pinyin
order (``collation.sort_pinyin``), each against plain ``sorted`` of the same names."""

from __future__ import annotations

import json
import random
import sys
import time
from collections.abc import Callable

from lvzhi.domain.collation import get_collation

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚"
    "邵万钱严覃武戴莫孔向汤亓邢伊阮齐欧阳"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国红玉兰晓东海波辉鹏宇浩然思远"
    "志强丹丹婷雪梅鑫凯峰斌琳晨欣怡佳慧文博子轩一德旭争少峰沪宁毅希干书磊鸿忠立新春燕昉喆堃"
)


def _names(size: int = 3000, seed: int = 20240311) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(size):
        given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2, 2))))
        out.append(rng.choice(SURNAMES) + given)
    return out


def _best(func: Callable[[], object], repeats: int = 15) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best


def _bench(kind: str, goal: str | None, *, quick: bool) -> dict[str, object]:
    names = _names(300 if quick else 3000)
    collation = get_collation(kind)
    collation.sort(names)  # load the data outside the timing
    repeats = 3 if quick else 15
    seconds = _best(lambda: collation.sort(names), repeats)
    baseline = _best(lambda: sorted(names), repeats)
    return {
        "name": f"collation.sort_{kind}",
        "size": len(names),
        "seconds": seconds,
        "baseline": "sorted(str)",
        "baseline_seconds": baseline,
        "ratio": seconds / baseline,
        "goal": goal,
    }


def bench_sort_strokes(quick: bool = False) -> dict[str, object]:
    """Time ``StrokeCollation.sort`` and ``sorted`` on the same 3,000 names."""
    return _bench("strokes", "<= 3.0", quick=quick)


def bench_sort_pinyin(quick: bool = False) -> dict[str, object]:
    """Time ``PinyinCollation.sort`` and ``sorted`` on the same 3,000 names.  A pinyin key
    reads every character's syllable and tone and adds the whole stroke key as the
    tie-break, so the goal is looser than for strokes."""
    return _bench("pinyin", "<= 40.0", quick=quick)


if __name__ == "__main__":
    for bench in (bench_sort_strokes, bench_sort_pinyin):
        print(json.dumps(bench(quick="--quick" in sys.argv), ensure_ascii=False))
