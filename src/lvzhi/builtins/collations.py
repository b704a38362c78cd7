"""Built-in name collations: ``strokes`` (姓氏笔画, the official order) and ``pinyin``.

Both accept the keyword options ``single_name`` (``"compare"`` or ``"blank"``) and
``overrides`` (a table from :func:`load_overrides`, read from a user's file).  The
secretariat builds the one named by ``Settings.collation`` with
``Settings.collation_options``.
"""

from __future__ import annotations

import csv
import tomllib
import unicodedata
from pathlib import Path

from lvzhi.domain.collation import (
    _SEQUENCE,
    PinyinCollation,
    StrokeCollation,
    StrokeEntry,
    numbered_reading,
)
from lvzhi.errors import ValidationError
from lvzhi.plugins import hookimpl
from lvzhi.ports import Collation

__all__ = ["load_overrides", "lvzhi_register_collations"]


@hookimpl
def lvzhi_register_collations() -> list[type[Collation]]:
    return [StrokeCollation, PinyinCollation]


def _entry(where: str, char: str, sequence: object, reading: object) -> tuple[str, StrokeEntry]:
    char = unicodedata.normalize("NFC", char.strip())
    if len(char) != 1:
        raise ValidationError(where, char, "the key must be exactly one character")
    if not isinstance(sequence, str) or not _SEQUENCE.fullmatch(sequence.strip()):
        raise ValidationError(where, sequence, "stroke sequence must be digits 1-5 (横竖撇点折)")
    number: str | None = None
    if reading not in (None, ""):
        try:
            number = numbered_reading(str(reading))
        except ValueError:
            raise ValidationError(
                where, reading, "reading must be pinyin like zeng1 or zēng"
            ) from None
    return char, StrokeEntry(sequence.strip(), number)


def load_overrides(path: str | Path) -> dict[str, StrokeEntry]:
    """Read a user override table (``.toml``, else tab-separated).

    TOML::

        [chars]
        "亓" = "1132"
        "仚" = { strokes = "32252", pinyin = "xian1" }

    (TOML needs the quotes around a Han character key.)

    TSV: ``char<TAB>sequence[<TAB>pinyin]`` per line; ``#`` starts a comment.
    Errors name the file, the line and the value.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise ValidationError(str(path), str(path), f"cannot read: {error.strerror}") from None
    table: dict[str, StrokeEntry] = {}
    if path.suffix.lower() == ".toml":
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise ValidationError(str(path), path.name, f"not valid TOML: {error}") from None
        chars = data.get("chars")
        if not isinstance(chars, dict):
            raise ValidationError(str(path), sorted(data), "needs a [chars] table")
        lines = text.splitlines()
        for key, value in chars.items():
            line = next(
                (i for i, t in enumerate(lines, 1) if t.lstrip().lstrip("\"'").startswith(key)), 0
            )
            where = f"{path}:{line}" if line else str(path)
            if isinstance(value, dict):
                extra = set(value) - {"strokes", "pinyin"}
                if extra:
                    raise ValidationError(where, sorted(extra), "allowed keys: strokes, pinyin")
                char, entry = _entry(where, key, value.get("strokes"), value.get("pinyin"))
            else:
                char, entry = _entry(where, key, value, None)
            table[char] = entry
        return table
    reader = csv.reader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE)
    for number, row in enumerate(reader, 1):
        if not row or not row[0].strip() or row[0].lstrip().startswith("#"):
            continue
        where = f"{path}:{number}"
        if len(row) not in (2, 3):
            raise ValidationError(where, "\t".join(row), "expected char<TAB>sequence[<TAB>pinyin]")
        char, entry = _entry(where, row[0], row[1], row[2] if len(row) == 3 else None)
        table[char] = entry
    return table
