"""Stroke data and the ``str.translate`` tables behind :mod:`lvzhi.domain.collation`.

Each Han character gets one key character, its rank in stroke order (count, then
sequence); characters with the same sequence share one rank (``tie="sequence"``) or get
consecutive ranks by code point (``tie="character"``).
"""

from __future__ import annotations

import functools
import itertools
import unicodedata
from collections.abc import Iterable, Mapping
from importlib import resources
from typing import Literal, NamedTuple

from lvzhi.errors import ValidationError

Tie = Literal["sequence", "character"]

#: Characters treated as the separator of ethnic-minority names.
MIDDLE_DOTS = "·•‧・･∙⋅\u0387"
#: Whitespace removed from names (padding of printed rosters included).
SPACES = (
    " \t\n\r\f\v\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u200b\u200c\u200d\u2028\u2029\u202f\u205f\u3000\ufeff"
)

_BLANK = "\x01"  # empty slot of a single given name
_DOT = "\x02"  # the middle dot
_RANK_BASE = 0x10  # first key character of a Han character
_MAX_RANKS = 0x8000  # Han key characters stay below _OTHER_BASE
_OTHER_BASE = _RANK_BASE + _MAX_RANKS  # non-Han characters, by code point


class StrokeEntry(NamedTuple):
    """One character's data: stroke sequence (count = length), optional reading."""

    sequence: str
    reading: str | None = None


#: Character -> its data; what :func:`lvzhi.builtins.collations.load_overrides` returns.
StrokeTable = Mapping[str, StrokeEntry]


def _data_lines(filename: str) -> Iterable[list[str]]:
    text = resources.files("lvzhi.domain.data").joinpath(filename).read_text(encoding="utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            yield line.split("\t")


@functools.cache
def _sequences() -> dict[str, str]:
    """Shipped stroke sequences: char -> sequence (loaded once)."""
    return {row[0]: row[1] for row in _data_lines("strokes.tsv")}


@functools.cache
def _readings() -> dict[str, str]:
    return {row[0]: row[1] for row in _data_lines("readings.tsv")}


@functools.cache
def _surnames() -> dict[str, tuple[str, ...]]:
    return {row[0]: tuple(row[1].split()) for row in _data_lines("surnames.tsv")}


def _is_han(char: str) -> bool:
    """A CJK ideograph (unified, extensions, compatibility), by block."""
    code = ord(char)
    return (
        0x3400 <= code <= 0x4DBF
        or 0x4E00 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0x20000 <= code <= 0x3FFFF
    )


class _KeyTable(dict[int, str]):
    """``str.translate`` table: code point -> key character(s).

    Han characters without data raise :class:`_Missing` (not a LookupError,
    which ``translate`` would swallow); other characters are added on first
    use, after every Han character, by code point.
    """

    def __missing__(self, code: int) -> str:
        char = chr(code)
        if _is_han(char):
            raise _Missing(char)
        value = chr(min(_OTHER_BASE + code, 0x10FFFF))
        self[code] = value
        return value


class _Missing(Exception):
    def __init__(self, char: str) -> None:
        super().__init__(char)
        self.char = char


def _merge(overrides: StrokeTable | None) -> dict[str, str]:
    sequences = _sequences()
    if not overrides:
        return sequences
    merged = dict(sequences)
    merged.update({char: entry.sequence for char, entry in overrides.items()})
    return merged


def _build_table(
    sequences: Mapping[str, str], tie: Tie = "sequence"
) -> tuple[_KeyTable, dict[str, str]]:
    """Rank every character by (count, sequence), then, for ``tie="character"``, by code
    point; ``tie="sequence"`` gives equal sequences one rank."""
    ordered = sorted(sequences, key=lambda c: (len(sequences[c]), sequences[c], c))
    if len(ordered) > _MAX_RANKS:
        raise ValidationError("overrides", len(ordered), f"more than {_MAX_RANKS} characters")
    table = _KeyTable()
    back: dict[str, str] = {}
    groups = [list(g) for _, g in itertools.groupby(ordered, key=sequences.__getitem__)]
    rank = 0
    for group in groups:
        for place, char in enumerate(group):
            key = chr(_RANK_BASE + rank + (place if tie == "character" else 0))
            table[ord(char)] = key
            back.setdefault(key, char)
        rank += len(group) if tie == "character" else 1
    for code in (*range(0xF900, 0xFB00), *range(0x2F800, 0x2FA20)):
        canonical = unicodedata.normalize("NFC", chr(code))
        if canonical != chr(code) and ord(canonical) in table:
            table[code] = table[ord(canonical)]
    for char in SPACES:
        table[ord(char)] = ""
    for char in MIDDLE_DOTS:
        table[ord(char)] = _DOT
    return table, back


@functools.cache
def _default_table(tie: Tie = "sequence") -> tuple[_KeyTable, dict[str, str]]:
    return _build_table(_sequences(), tie)
