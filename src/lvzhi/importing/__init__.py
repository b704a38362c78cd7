"""Roster import: read a spreadsheet the way a secretariat receives it and turn it into
:class:`~lvzhi.domain.people.Delegate` and :class:`~lvzhi.domain.people.Delegation` values.

Pure: nothing here touches storage.  The caller decides what to write.

* ``read_sheets`` reads every sheet of an xlsx or ods workbook, or a text file (csv, tab-
  or semicolon-separated; UTF-8, GB18030 or UTF-16), as raw grids of rows numbered as a
  spreadsheet program shows them, merged cells filled down; :func:`read_grid` reads one.
* :func:`read_table` finds the header row in a grid and returns a ``tablib.Dataset``.
* :func:`parse_roster` finds the roster's sheets, maps the columns, passes over blank rows,
  repeated headers, notes and footers (``SkippedRow``), repairs what spreadsheet
  programs do to numbers, builds the models and reports *every* problem of the file at once
  in one :class:`~lvzhi.errors.ImportProblem`; ``write_problems`` writes them all as a
  table.
"""

from __future__ import annotations

from lvzhi.importing.headers import (
    HEADER_ALIASES,
    HEADER_SCAN_ROWS,
    detect_header,
    match_header,
    read_table,
)
from lvzhi.importing.layout import FOOTER_WORDS, SkippedRow, unit_from_title
from lvzhi.importing.problems import PROBLEM_COLUMNS, write_problems
from lvzhi.importing.readers import Grid, read_grid, read_sheets
from lvzhi.importing.readers import Source as Source
from lvzhi.importing.roster import REQUIRED_FIELDS, RosterImport, derive_codes, parse_roster

__all__ = [
    "FOOTER_WORDS",
    "HEADER_ALIASES",
    "HEADER_SCAN_ROWS",
    "PROBLEM_COLUMNS",
    "REQUIRED_FIELDS",
    "Grid",
    "RosterImport",
    "SkippedRow",
    "derive_codes",
    "detect_header",
    "match_header",
    "parse_roster",
    "read_grid",
    "read_sheets",
    "read_table",
    "unit_from_title",
    "write_problems",
]
