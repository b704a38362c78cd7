"""Finding the header row: the recognised column names (:data:`HEADER_ALIASES`), matching
one header cell, detecting the header among the top rows and reading a table below it."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

import tablib

from lvzhi.domain._fields import clean_text
from lvzhi.errors import ImportProblem
from lvzhi.i18n import _
from lvzhi.importing.readers import Grid, Source, _file_problem, _load_name, read_grid

__all__ = ["HEADER_ALIASES", "HEADER_SCAN_ROWS", "detect_header", "match_header", "read_table"]

#: How many rows from the top are searched for the header row.
HEADER_SCAN_ROWS = 10

#: Recognised column headers, by the attribute they fill.  Matching ignores case, spaces
#: (also full-width ones), ``_ - . *`` and the full-width/half-width distinction.
#: ``ordinal`` (序号) is recognised but its values are not used.
HEADER_ALIASES: Mapping[str, tuple[str, ...]] = {
    "ordinal": ("序号", "序", "编号", "no", "number", "#"),
    "name": ("姓名", "代表姓名", "name"),
    "gender": ("性别", "gender", "sex"),
    "certificate_no": (
        "代表证号",
        "代表证编号",
        "证号",
        "证件号",
        "certificate",
        "certificate_no",
        "certificate no",
    ),
    "delegation": ("选举单位", "代表团", "所属代表团", "delegation", "unit"),
    "sector": ("界别", "sector"),
    "phone": ("手机", "手机号", "手机号码", "联系电话", "电话", "phone", "mobile", "tel"),
    "is_new": ("是否新任", "新任", "新任代表", "new", "is_new"),
    "title": ("职务", "工作单位及职务", "title"),
    "ethnicity": ("民族", "ethnicity"),
    "email": ("邮箱", "电子邮箱", "email", "e-mail", "mail"),
}

#: Columns a roster must have.
_HEADER_STRIP = re.compile(r"[\s_\-.*:：]+")


def _header_key(value: Any) -> str:
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    return _HEADER_STRIP.sub("", text).lower()


_ALIAS_INDEX: dict[str, str] = {
    _header_key(alias): field for field, aliases in HEADER_ALIASES.items() for alias in aliases
}


def match_header(cell: Any) -> str | None:
    """The attribute a header cell names (``"姓　名"`` → ``"name"``), or ``None``."""
    return _ALIAS_INDEX.get(_header_key(cell))


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def detect_header(
    rows: Sequence[Sequence[Any]], *, scan: int = HEADER_SCAN_ROWS, minimum: int = 2
) -> int | None:
    """0-based index of the header row: the first of the top ``scan`` rows in which at least
    ``minimum`` cells are known header names; ``None`` if there is none."""
    for index, row in enumerate(rows[:scan]):
        if sum(1 for cell in row if match_header(cell) is not None) >= minimum:
            return index
    return None


def read_table(
    source: Source,
    *,
    format: str | None = None,
    source_name: str | None = None,
    sheet: str | None = None,
) -> tablib.Dataset:
    """Read a table whose header row sits anywhere in the top rows.

    Rows above the header (a title such as ``衡阳市第十六届人大代表名册``) and wholly empty
    rows are dropped; the Dataset's headers are the header cells as written (blank ones
    become ``""``), its title is the first text above the header, else the sheet name.
    Rows are padded or cut to the header's width.  ``sheet`` names the sheet of a workbook
    to read (default: the first).
    """
    name = source_name or _load_name(source)
    grid = read_grid(source, format=format, source_name=name, sheet=sheet)
    header_index = detect_header(grid.rows)
    if header_index is None:
        raise _no_header(name, grid.title if sheet else None)
    header = [_header_text(cell) for cell in grid.rows[header_index]]
    width = len(header)
    data = tablib.Dataset(headers=header, title=_title(grid, header_index))
    for row in grid.rows[header_index + 1 :]:
        if all(_is_blank(cell) for cell in row):
            continue
        cells = list(row[:width]) + [None] * (width - len(row))
        data.append(cells)
    return data


def _no_header(name: str, sheet: str | None = None) -> ImportProblem:
    return _file_problem(
        name,
        _(
            "no header row in the first {count} rows; expected headers such as "
            "姓名, 性别, 代表证号, 选举单位"
        ).format(count=HEADER_SCAN_ROWS),
        sheet=sheet,
    )


def _header_text(cell: Any) -> str:
    """A header as written in the file (only the ends trimmed)."""
    return "" if cell is None else str(cell).strip()


def _title(grid: Grid, header_index: int) -> str:
    for row in grid.rows[:header_index]:
        for cell in row:
            if not _is_blank(cell):
                return str(clean_text(str(cell)))
    return grid.title
