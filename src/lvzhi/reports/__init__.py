"""Printed forms as ``tablib`` tables: roster (代表名册), timetable (日程安排表), one sheet per
delegation, one sheet per discussion group, suggestions (summary, reply letters, statistics);
and the preparation every table gets before an exporter turns it into bytes.

The table functions are pure (no storage, no plugins), one module per form.  Headers are
Chinese, as the forms are printed; each Dataset's ``title`` is the form's title.  Output is
deterministic: the same models give the same cells in the same order.

Names are listed in the order given unless ``order_key`` is passed: a sort key for one name,
normally a collation's ``key`` (姓氏笔画).  Phone numbers are masked (``138****5678``) unless
``reveal_phones=True``.  Every time a form shows is converted to the programme's time zone
(or the ``timezone`` given) first.

:func:`prepare` cleans text of characters the format cannot hold, neutralises formulas for
spreadsheet formats, localises datetimes and works out each sheet's printed title row; the
core calls it (as :func:`prepare_export`, which also says what was replaced) before every
exporter (``lvzhi.reports.render``).  The print layout the spreadsheet exporters share is
in ``lvzhi.reports.layout``, the character rules in ``lvzhi.reports.characters``.
"""

from __future__ import annotations

from lvzhi.reports._common import mask_phone, sheet_title
from lvzhi.reports.characters import REPLACEMENT_CHARACTER, Replacement, clean_text
from lvzhi.reports.delegations import DELEGATION_HEADERS, delegation_tables
from lvzhi.reports.groups import GROUP_HEADERS, group_tables
from lvzhi.reports.layout import heading
from lvzhi.reports.render import (
    DANGEROUS_PREFIXES,
    Prepared,
    neutralise,
    prepare,
    prepare_export,
)
from lvzhi.reports.replies import REPLY_LETTER_HEADERS, reply_letters
from lvzhi.reports.roster import ROSTER_HEADERS, roster_table
from lvzhi.reports.suggestions import (
    SUGGESTION_HEADERS,
    suggestion_stats_tables,
    suggestion_table,
)
from lvzhi.reports.timetable import TIMETABLE_HEADERS, timetable_table

__all__ = [
    "DANGEROUS_PREFIXES",
    "DELEGATION_HEADERS",
    "GROUP_HEADERS",
    "REPLACEMENT_CHARACTER",
    "REPLY_LETTER_HEADERS",
    "ROSTER_HEADERS",
    "SUGGESTION_HEADERS",
    "TIMETABLE_HEADERS",
    "Prepared",
    "Replacement",
    "clean_text",
    "delegation_tables",
    "group_tables",
    "heading",
    "mask_phone",
    "neutralise",
    "prepare",
    "prepare_export",
    "reply_letters",
    "roster_table",
    "sheet_title",
    "suggestion_stats_tables",
    "suggestion_table",
    "timetable_table",
]
