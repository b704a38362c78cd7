"""Integrity of the shipped stroke and reading data (no network needed)."""

from __future__ import annotations

import itertools
import re
from importlib import resources

import pytest

from lvzhi.domain.collation import stroke_sequence

DATA = resources.files("lvzhi.domain.data")


def rows(name: str) -> list[list[str]]:
    text = DATA.joinpath(name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


STROKES = rows("strokes.tsv")
GF = {int(r[3]): r for r in STROKES if r[3]}

#: Neighbours in the 通用规范汉字表 that our (count, sequence) order puts the other
#: way round: both sources agree on both characters, so the difference is kept.
ORDER_EXCEPTIONS = {("铽", "𨱇"), ("鄜", "麀")}


def test_rows_are_well_formed() -> None:
    seen = set()
    for char, sequence, unihan, number, source in STROKES:
        assert len(char) == 1
        assert char not in seen
        seen.add(char)
        assert re.fullmatch("[1-5]+", sequence), char
        assert unihan.isdigit()
        assert number == "" or number.isdigit()
        assert source in "bcrxdmp", char


def test_all_8105_general_standard_characters_covered() -> None:
    assert sorted(GF) == list(range(1, 8106))


def test_rare_roster_characters_covered() -> None:
    for char in "仚奭鋆昉喆堃竑璠琍赟樑珺贠鹍":
        assert stroke_sequence(char), char


def test_known_counts() -> None:
    assert len(stroke_sequence("达") or "") == 6  # one popular table says 5
    assert len(stroke_sequence("华") or "") == 6  # not the Kangxi 14 of 華


def test_unihan_disagreements_are_listed() -> None:
    listed = {r[0]: r for r in rows("unihan_exceptions.tsv")}
    found = {
        char: (sequence, unihan)
        for char, sequence, unihan, *_ in STROKES
        if len(sequence) != int(unihan)
    }
    assert set(found) == set(listed)
    for char, (sequence, unihan) in found.items():
        assert listed[char][1:3] == [str(len(sequence)), unihan]
        assert listed[char][3].strip()


@pytest.mark.parametrize(("first", "last"), [(1, 3500), (3501, 6500), (6501, 8105)])
def test_general_standard_order_is_reproduced(first: int, last: int) -> None:
    """Each level of the 通用规范汉字表 is itself in stroke order (count, then
    sequence): our data must reproduce it."""
    level = [GF[n] for n in range(first, last + 1)]
    wrong = {
        (a[0], b[0]) for a, b in itertools.pairwise(level) if (len(a[1]), a[1]) > (len(b[1]), b[1])
    }
    assert wrong <= ORDER_EXCEPTIONS


def test_readings_cover_the_general_standard() -> None:
    readings = {r[0]: r[1] for r in rows("readings.tsv")}
    for row in GF.values():
        assert re.fullmatch("[a-z]+[1-5]", readings[row[0]]), row[0]


def test_surname_table() -> None:
    for surname, reading in rows("surnames.tsv"):
        assert len(reading.split()) == len(surname)
        assert all(re.fullmatch("[a-z]+[1-5]", r) for r in reading.split())
