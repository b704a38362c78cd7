"""Roster import: read a spreadsheet the way a secretariat receives it and turn it into
:class:`~lvzhi.domain.people.Delegate` and :class:`~lvzhi.domain.people.Delegation` values.

Pure: nothing here touches storage.  The caller decides what to write.

* :func:`read_grid` reads xlsx, csv (UTF-8 with or without BOM, or GB18030/GBK) and ods into
  a raw grid of rows, numbered as a spreadsheet program shows them.
* :func:`read_table` finds the header row in that grid and returns a ``tablib.Dataset``.
* :func:`parse_roster` maps the columns, repairs what spreadsheet programs do to numbers,
  builds the models and reports *every* problem of the file at once in one
  :class:`~lvzhi.errors.ImportProblem`.
"""

from __future__ import annotations

from lvzhi.importing.headers import (
    HEADER_ALIASES,
    HEADER_SCAN_ROWS,
    detect_header,
    match_header,
    read_table,
)
from lvzhi.importing.readers import Grid, read_grid
from lvzhi.importing.readers import Source as Source
from lvzhi.importing.roster import REQUIRED_FIELDS, RosterImport, derive_codes, parse_roster

__all__ = [
    "HEADER_ALIASES",
    "HEADER_SCAN_ROWS",
    "REQUIRED_FIELDS",
    "Grid",
    "RosterImport",
    "derive_codes",
    "detect_header",
    "match_header",
    "parse_roster",
    "read_grid",
    "read_table",
]
