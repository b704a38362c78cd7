"""Official name order: 姓氏笔画 (stroke) and pinyin collation.

Stroke order (the default of every list in lvzhi):

* names are compared character by character (同位比较);
* per character, fewer strokes first (mainland simplified counts);
* equal counts are ordered by the stroke sequence in the five classes
  横 1, 竖 2, 撇 3, 点 4, 折 5 (GF 3002-1999 stroke orders);
* characters with the same count and the same sequence (巴 and 孔, both
  5215) are equal at their position and the following characters decide, as
  published lists do: 巴东 < 孔伟 (``tie="sequence"``, the default).  Names
  equal at every position (巴东, 孔东) have equal keys and keep their input
  order; a caller that needs one order adds its own tie-break (the services
  use the certificate number).  ``tie="character"`` breaks the tie at the
  character itself, by code point (孔伟 < 巴东; a documented deviation);
* ``·`` (ethnic-minority names) sorts before any character, and so does the
  empty slot of a single given name in ``blank`` mode;
* whitespace (ASCII or full-width padding) is ignored;
* a character that is not a Han character (Latin letters, digits, other
  symbols) sorts after every Han character, by code point.

``single_name`` chooses between the two published conventions:

``"compare"`` (default, most NPC delegation lists)
    the single given name is compared with the other name's second
    character: 马一德 < 马旭, 王少峰 < 王争.
``"blank"`` (同姓单名在前, party lists, rosters padded 王　毅)
    a name of exactly two Han characters is read as surname, empty slot,
    given name; the empty slot sorts before any character: 王毅 < 王沪宁,
    李希 < 李强 < 李干杰.  Longer names, compound surnames included
    (欧阳靖), are compared per character.

Keys are plain ``str`` values made with one ``str.translate`` call, so sorting
costs little more than sorting the names themselves.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from typing import Literal, Protocol, runtime_checkable

from lvzhi.domain._strokes import (
    _BLANK,
    _DOT,
    _OTHER_BASE,
    MIDDLE_DOTS,
    SPACES,
    StrokeEntry,
    StrokeTable,
    Tie,
    _build_table,
    _default_table,
    _is_han,
    _merge,
    _Missing,
    _readings,
    _sequences,
    _surnames,
)
from lvzhi.errors import UnknownCharacter, ValidationError

__all__ = [
    "BUILTIN_COLLATIONS",
    "Collation",
    "PinyinCollation",
    "SingleName",
    "StrokeCollation",
    "StrokeEntry",
    "StrokeTable",
    "Tie",
    "get_collation",
    "normalise_name",
    "pinyin_key",
    "stroke_key",
    "stroke_sequence",
]

SingleName = Literal["compare", "blank"]


_SEQUENCE = re.compile(r"[1-5]+")
_READING = re.compile(r"[a-zv]+[1-5]")


@runtime_checkable
class Collation(Protocol):
    """A named sort order for personal names."""

    name: str

    def key(self, name: str) -> str | tuple[object, ...]:
        """A value whose order is the collation's order of ``name``."""
        ...

    def sort(self, names: Iterable[str]) -> list[str]:
        """``names`` in this order; equal keys keep their input order."""
        ...

    def describe(self, name: str) -> str:
        """The key of ``name`` in a form a person can check."""
        ...


# ----------------------------------------------------------------- normalising


_SPACES_RE = re.compile(f"[{re.escape(SPACES)}]+")
_DOTS_RE = re.compile(f"\\s*[{re.escape(MIDDLE_DOTS)}]\\s*")


def normalise_name(name: str) -> str:
    """NFC, stripped, one ``·`` for every middle dot, no padding inside Han names.

    Spaces between two non-Han characters (``Anna Li``) are kept, collapsed
    to one ASCII space; every other space is removed: ``王　毅`` -> ``王毅``.
    """
    text = unicodedata.normalize("NFC", name)
    text = _DOTS_RE.sub("·", text.strip(SPACES))
    parts = _SPACES_RE.split(text)
    out = parts[0]
    for part in parts[1:]:
        if out and part and not _is_han(out[-1]) and not _is_han(part[0]) and out[-1] != "·":
            out += " "
        out += part
    return out


def stroke_sequence(char: str, overrides: StrokeTable | None = None) -> str | None:
    """The stroke sequence (digits 1-5) of ``char``, or ``None`` without data."""
    if overrides and char in overrides:
        return overrides[char].sequence
    return _sequences().get(unicodedata.normalize("NFC", char))


# -------------------------------------------------------------------- strokes


class StrokeCollation:
    """姓氏笔画 order; see the module documentation for the rules."""

    name = "strokes"

    def __init__(
        self,
        single_name: SingleName = "compare",
        overrides: StrokeTable | None = None,
        tie: Tie = "sequence",
    ) -> None:
        if single_name not in ("compare", "blank"):
            raise ValidationError("single_name", single_name, "must be 'compare' or 'blank'")
        if tie not in ("sequence", "character"):
            raise ValidationError("tie", tie, "must be 'sequence' or 'character'")
        self.single_name: SingleName = single_name
        self.tie: Tie = tie
        self.overrides: StrokeTable = dict(overrides or {})
        if self.overrides:
            self._table, self._back = _build_table(_merge(self.overrides), tie)
        else:
            self._table, self._back = _default_table(tie)

    def __repr__(self) -> str:
        return (
            f"StrokeCollation(single_name={self.single_name!r}, tie={self.tie!r}, "
            f"overrides={len(self.overrides)})"
        )

    def _translate(self, name: str) -> str:
        try:
            key = name.translate(self._table)
        except _Missing as missing:
            raise UnknownCharacter(missing.char, name, "stroke") from None
        if (
            self.single_name == "blank"
            and len(key) == 2
            and key[0] in self._back
            and key[1] in self._back
        ):
            key = key[0] + _BLANK + key[1]
        return key

    def key(self, name: str) -> str:
        """The sort key of ``name``: a string that compares in stroke order."""
        return self._translate(name)

    def sort(self, names: Iterable[str]) -> list[str]:
        """``names`` in stroke order (stable)."""
        items = list(names)
        if self.single_name == "blank":
            return sorted(items, key=self._translate)
        table = self._table
        try:
            return sorted(items, key=lambda n: n.translate(table))
        except _Missing as missing:
            culprit = next(n for n in items if missing.char in n)
            raise UnknownCharacter(missing.char, culprit, "stroke") from None

    def char_label(self, keychar: str) -> str:
        """``count:sequence`` for one key character."""
        if keychar == _BLANK:
            return "_"
        if keychar == _DOT:
            return "·"
        char = self._back.get(keychar)
        if char is None:
            return f"U+{ord(keychar) - _OTHER_BASE:04X}"
        sequence = self.overrides[char].sequence if char in self.overrides else _sequences()[char]
        return f"{len(sequence)}:{sequence}"

    def describe(self, name: str) -> str:
        """E.g. ``4:1121|6:352511`` for 王争; ``_`` is the empty slot."""
        return "|".join(self.char_label(k) for k in self._translate(name))


def stroke_key(name: str, *, single_name: SingleName = "compare", tie: Tie = "sequence") -> str:
    """Stroke-order key of ``name`` with the shipped data."""
    return _stroke_collation(single_name, tie).key(name)


# --------------------------------------------------------------------- pinyin


def numbered_reading(reading: str) -> str:
    """``zēng`` or ``zeng1`` -> ``zeng1``; ``ü`` becomes ``v``; no tone -> 5."""
    tones = {"\u0304": "1", "\u0301": "2", "\u030c": "3", "\u0300": "4"}
    tone = ""
    letters: list[str] = []
    for ch in unicodedata.normalize("NFD", reading.strip().lower()):
        if ch in tones:
            tone = tones[ch]
        elif ch == "\u0308" and letters:
            letters[-1] = "v"
        elif ch in "12345" and not tone:
            tone = ch
        elif ch.isascii() and ch.isalpha():
            letters.append(ch)
        else:
            raise ValueError(reading)
    result = "".join(letters) + (tone or "5")
    if not _READING.fullmatch(result):
        raise ValueError(reading)
    return result


class PinyinCollation:
    """Pinyin order: per character letters (ü after u), then tone 1-4 and the
    neutral tone last; names with equal readings follow stroke order.

    The first character (or the first two, for a compound surname in the
    surname table) takes its surname reading: 曾 zēng, 单 shàn, 尉迟 yùchí.
    """

    name = "pinyin"

    def __init__(
        self,
        single_name: SingleName = "compare",
        overrides: StrokeTable | None = None,
        tie: Tie = "sequence",
    ) -> None:
        self.strokes = StrokeCollation(single_name=single_name, overrides=overrides, tie=tie)
        self.overrides: StrokeTable = self.strokes.overrides

    def __repr__(self) -> str:
        return f"PinyinCollation(overrides={len(self.overrides)})"

    def readings(self, name: str) -> list[str]:
        """Numbered reading of every character of ``name`` (``·`` -> ``""``)."""
        text = normalise_name(name)
        chars = [c for c in text if c not in SPACES]
        out: list[str] = []
        surnames = _surnames()
        head = "".join(chars[:2])
        if len(chars) > 2 and head in surnames:
            out.extend(surnames[head])
        elif chars and chars[0] in surnames:
            out.extend(surnames[chars[0]])
        for char in chars[len(out) :]:
            entry = self.overrides.get(char)
            if entry is not None and entry.reading:
                out.append(entry.reading)
            elif char == "·":
                out.append("")
            elif char in _readings():
                out.append(_readings()[char])
            elif _is_han(char):
                raise UnknownCharacter(char, name, "pinyin")
            else:
                out.append("{" + char.lower() + "5")  # '{' sorts after 'z'
        if out and chars and chars[0] in self.overrides and self.overrides[chars[0]].reading:
            out[0] = self.overrides[chars[0]].reading or out[0]
        return out

    def key(self, name: str) -> tuple[object, ...]:
        """``((letters, tone), ...)`` then the stroke key."""
        syllables = tuple((r[:-1], r[-1:]) for r in self.readings(name))
        return (syllables, self.strokes.key(name))

    def sort(self, names: Iterable[str]) -> list[str]:
        """``names`` in pinyin order (stable)."""
        return sorted(names, key=self.key)

    def describe(self, name: str) -> str:
        """E.g. ``wang2 zheng1 4:1121|6:352511``."""
        return " ".join(r or "·" for r in self.readings(name)) + " " + self.strokes.describe(name)


def pinyin_key(name: str) -> tuple[object, ...]:
    """Pinyin-order key of ``name`` with the shipped data."""
    return _pinyin_collation().key(name)


# ------------------------------------------------------------------ registry

BUILTIN_COLLATIONS: dict[str, type[StrokeCollation] | type[PinyinCollation]] = {
    "strokes": StrokeCollation,
    "pinyin": PinyinCollation,
}


@functools.cache
def _stroke_collation(single_name: SingleName, tie: Tie = "sequence") -> StrokeCollation:
    return StrokeCollation(single_name=single_name, tie=tie)


@functools.cache
def _pinyin_collation(
    single_name: SingleName = "compare", tie: Tie = "sequence"
) -> PinyinCollation:
    return PinyinCollation(single_name=single_name, tie=tie)


def get_collation(
    name: str,
    *,
    single_name: SingleName = "compare",
    overrides: StrokeTable | None = None,
    tie: Tie = "sequence",
) -> StrokeCollation | PinyinCollation:
    """The built-in collation ``name`` (``"strokes"`` or ``"pinyin"``); ``tie`` as in the
    module documentation."""
    try:
        factory = BUILTIN_COLLATIONS[name]
    except KeyError:
        known = ", ".join(sorted(BUILTIN_COLLATIONS))
        raise ValidationError("collation", name, f"unknown collation; known: {known}") from None
    if overrides:
        return factory(single_name=single_name, overrides=overrides, tie=tie)
    if factory is StrokeCollation:
        return _stroke_collation(single_name, tie)
    return _pinyin_collation(single_name, tie)
