"""Every problem of a failed import as a table for the clerk who fixes the file: one row per
problem with its row, sheet, column, value and reason, as csv or xlsx."""

from __future__ import annotations

import csv
import importlib
import io
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any, BinaryIO

from lvzhi.errors import ImportProblem, RowProblem

__all__ = ["PROBLEM_COLUMNS", "write_problems"]

#: The header of the problems table.
PROBLEM_COLUMNS = ("row", "sheet", "column", "value", "reason")

_INVISIBLE = frozenset(("Cc", "Cf", "Co", "Cs"))


def _visible(text: str) -> str:
    """``text`` with each control, format (zero-width, bidi) or private-use character
    written as ``<U+200B>``, so that the clerk sees where it is."""
    if text.isprintable():
        return text
    return "".join(
        f"<U+{ord(c):04X}>" if unicodedata.category(c) in _INVISIBLE else c for c in text
    )


def _cell(value: Any) -> Any:
    if value is None or (isinstance(value, int | float) and not isinstance(value, bool)):
        return value
    return _visible(str(value))


def _rows(problems: Iterable[RowProblem]) -> list[tuple[Any, ...]]:
    return [
        (p.row, _cell(p.sheet), _cell(p.column), _cell(p.value), _cell(p.reason)) for p in problems
    ]


def write_problems(
    problems: ImportProblem | Iterable[RowProblem],
    target: str | Path | BinaryIO,
    *,
    format: str | None = None,
) -> Path | None:
    """Write ``problems`` (an :class:`~lvzhi.errors.ImportProblem` or its problems) to
    ``target``, a path or a binary stream, as ``csv`` (UTF-8 with a BOM, which spreadsheet
    programs open as Unicode) or ``xlsx``.  The format comes from ``format``, else from the
    path's suffix (``.xlsx`` is xlsx, anything else csv).  Returns the path written, or
    ``None`` for a stream.  An empty list writes the header alone."""
    items = problems.problems if isinstance(problems, ImportProblem) else problems
    rows = _rows(items)
    path = Path(target) if isinstance(target, str | Path) else None
    fmt = (format or (path.suffix if path is not None else "csv")).lower().lstrip(".")
    data = _xlsx(rows) if fmt == "xlsx" else _csv(rows)
    if path is not None:
        path.write_bytes(data)
        return path
    target.write(data)  # type: ignore[union-attr]
    return None


def _csv(rows: list[tuple[Any, ...]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(PROBLEM_COLUMNS)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx(rows: list[tuple[Any, ...]]) -> bytes:
    openpyxl = importlib.import_module("openpyxl")  # untyped; a tablib dependency
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("problems")
    sheet.append(PROBLEM_COLUMNS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
