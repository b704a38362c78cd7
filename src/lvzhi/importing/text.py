"""Text files as offices save them: "CSV" from a Chinese spreadsheet program (GB18030),
UTF-8 with or without a BOM, Excel's "Unicode 文本" (UTF-16 with a BOM, tab-separated,
``.txt``); cells separated by commas, tabs or semicolons."""

from __future__ import annotations

import codecs
import csv
import io
from collections import Counter
from typing import Any

__all__ = ["DELIMITERS", "decode_text", "detect_delimiter", "read_text"]

#: The separators a text roster may use, in the order preferred on a tie.
DELIMITERS = (",", "\t", ";")

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

#: Lines looked at to choose the separator.
SAMPLE_LINES = 50


def decode_text(data: bytes) -> str:
    """The text of a file: by its byte-order mark if it has one (UTF-8, UTF-16, UTF-32),
    else UTF-8, else UTF-16 without a mark (text with NUL bytes), else GB18030 (what a
    Chinese spreadsheet program writes when it saves "CSV"; a superset of GBK)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    head = data[:4096]
    if 0 in head:
        # No text in GB18030 or UTF-8 holds a NUL byte; UTF-16 does, in every separator and
        # line end: after it (little-endian) or before it (big-endian).
        odd = head[1::2].count(0)
        even = head[0::2].count(0)
        return data.decode("utf-16-le" if odd >= even else "utf-16-be")
    return data.decode("gb18030")


def detect_delimiter(text: str) -> str:
    """The separator of ``text``: of ``, tab ;``, the one that splits the most of the first
    lines into the same number (more than one) of cells; quoted cells are respected."""
    sample = "\n".join(text[:65536].splitlines()[:SAMPLE_LINES])
    best, best_score = DELIMITERS[0], (0, 0)
    for delimiter in DELIMITERS:
        widths = Counter(
            len(row) for row in csv.reader(io.StringIO(sample), delimiter=delimiter) if len(row) > 1
        )
        if not widths:
            continue
        width, lines = widths.most_common(1)[0]
        score = (lines, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read_text(data: bytes) -> tuple[tuple[Any, ...], ...]:
    """The rows of a text file; an empty cell is ``None``."""
    text = decode_text(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=detect_delimiter(text))
    # csv gives text cells only; an empty one becomes None (a row without any, as is).
    return tuple(
        [tuple(row) if "" not in row else tuple([cell or None for cell in row]) for row in reader]
    )
