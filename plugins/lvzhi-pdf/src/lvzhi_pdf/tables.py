"""Tables as printed HTML: the general layout every report gets (a title, a header row
repeated at the top of every page, fitted columns, A4 portrait or landscape, page numbers),
with two forms laid out for their use — sign-in sheets (签到表: tall rows and a wide column
to sign in) and the 通报 to a delegation (an official letter: title, addressee, lead
sentence, the table, the number of cases).

Every function returns an HTML fragment (one ``<section>`` per sheet); :mod:`lvzhi_pdf.pages`
puts them into one document.
"""

from __future__ import annotations

import datetime as _dt
import html
from collections.abc import Sequence
from typing import Any

import attrs
import tablib

from lvzhi.reports import clean_text
from lvzhi.reports.layout import HEADING_SEPARATOR, Column, columns, heading, is_landscape
from lvzhi.reports.signin import SIGNIN_HEADERS as _SIGNIN
from lvzhi.reports.tongbao import TONGBAO_HEADERS as _TONGBAO

__all__ = [
    "SIGNIN_HEADERS",
    "TONGBAO_HEADERS",
    "cell_text",
    "signin_section",
    "table_section",
    "tongbao_section",
]

#: The header of a sign-in sheet and of a 通报, by which they are recognised.
SIGNIN_HEADERS = tuple(_SIGNIN)
TONGBAO_HEADERS = tuple(_TONGBAO)


#: Font sizes of a table, largest first (五号, 小五, 六号-ish).
FONT_SIZES = (10.5, 9.0, 8.0, 7.5)
#: Millimetres per width unit and point of font size (half a wide character: 0.3528 / 2).
MM_PER_UNIT_POINT = 0.1764
#: The width tables may take on A4 portrait and landscape (the page less its margins).
PORTRAIT_WIDTH = 180.0
LANDSCAPE_WIDTH = 267.0
#: The narrowest a column whose text wraps is made to fit a page (width units).
WRAP_MIN = 24.0


def cell_text(value: Any) -> str:
    """The printed text of a cell: empty for ``None``, 是/否 for booleans, times to the
    minute, any other value as ``str``; characters a page cannot show are replaced
    (:func:`lvzhi.reports.clean_text`)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        text = "是" if value else "否"
    elif isinstance(value, _dt.datetime):
        text = f"{value:%Y-%m-%d %H:%M}"
    elif isinstance(value, _dt.date):
        text = value.isoformat()
    elif isinstance(value, _dt.time):
        text = f"{value:%H:%M}"
    else:
        text = str(value)
    return clean_text(text)[0]


def escaped(value: Any) -> str:
    """:func:`cell_text` escaped for HTML, line breaks kept."""
    return html.escape(cell_text(value)).replace("\r\n", "\n").replace("\n", "<br>")


def headers_of(sheet: tablib.Dataset) -> tuple[str, ...]:
    return tuple(str(h) for h in (sheet.headers or ()))


def _colgroup(widths: Sequence[float]) -> str:
    total = sum(widths) or 1.0
    cols = "".join(f'<col style="width:{100 * w / total:.2f}%">' for w in widths)
    return f"<colgroup>{cols}</colgroup>"


def _table(sheet: tablib.Dataset, widths: Sequence[Column], extra: Sequence[float] = ()) -> str:
    """The ``<table>``: a ``<thead>`` (repeated on every page) and one row per record;
    ``extra`` overrides column widths (in width units) where given (non-zero)."""
    sized = [
        extra[i] if i < len(extra) and extra[i] else column.width for i, column in enumerate(widths)
    ]
    centred = [column.centred for column in widths]
    parts = ['<table class="grid">', _colgroup(sized)]
    headers = list(sheet.headers or ())
    if headers:
        cells = "".join(f"<th>{escaped(h)}</th>" for h in headers)
        parts.append(f"<thead><tr>{cells}</tr></thead>")
    parts.append("<tbody>")
    for row in sheet:
        cells = "".join(
            f'<td class="c">{escaped(v)}</td>'
            if i < len(centred) and centred[i]
            else f"<td>{escaped(v)}</td>"
            for i, v in enumerate(row)
        )
        parts.append(f"<tr>{cells}</tr>")
    parts.append("</tbody></table>")
    return "".join(parts)


def _title(sheet: tablib.Dataset, fallback: str) -> str:
    """The title row as a heading of two lines: what comes before the first full-width
    space (the programme) above the rest (the table's name, a zone, a session), each
    broken only at spaces when it is too long."""
    text = heading(sheet) or fallback
    if not text:
        return ""
    first, _sep, rest = text.partition(HEADING_SEPARATOR)
    if not rest:
        return f'<h1 class="title">{escaped(text)}</h1>'
    return f'<h1 class="title"><span class="over">{escaped(first)}</span><br>{escaped(rest)}</h1>'


def shrink(widths: Sequence[Column], units: float) -> list[Column]:
    """``widths`` made to add up to at most ``units`` by narrowing the columns whose text
    wraps (suggestions, replies), each no narrower than :data:`WRAP_MIN`; as given when
    they fit or nothing wraps."""
    excess = sum(c.width for c in widths) - units
    room = sum(c.width - WRAP_MIN for c in widths if c.wraps and c.width > WRAP_MIN)
    if excess <= 0 or room <= 0:
        return list(widths)
    cut = min(1.0, excess / room)
    return [
        attrs.evolve(c, width=c.width - cut * (c.width - WRAP_MIN))
        if c.wraps and c.width > WRAP_MIN
        else c
        for c in widths
    ]


def fit(widths: Sequence[Column]) -> tuple[str, float, list[Column]]:
    """The orientation, font size (pt) and column widths of a table: A4 portrait in the
    largest of :data:`FONT_SIZES` when its columns fit a portrait page, else landscape in
    the largest size at which they fit — the columns that wrap narrowed first
    (:func:`shrink`); the smallest size when nothing fits.  A width unit is half a wide
    character, about ``size × 0.176`` mm wide."""

    def room(width: float, size: float) -> float:
        return width / (size * MM_PER_UNIT_POINT)

    largest = FONT_SIZES[0]
    tries = [("portrait", largest, PORTRAIT_WIDTH)]
    tries += [("landscape", size, LANDSCAPE_WIDTH) for size in FONT_SIZES]
    for orientation, size, width in tries:
        if orientation == "portrait" and is_landscape(widths):
            continue
        fitted = shrink(widths, room(width, size))
        if sum(c.width for c in fitted) <= room(width, size):
            return orientation, size, fitted
    smallest = FONT_SIZES[-1]
    return "landscape", smallest, shrink(widths, room(LANDSCAPE_WIDTH, smallest))


def _fitted(widths: Sequence[Column]) -> tuple[str, str, list[Column]]:
    """The section's orientation, its inline style (font size) and the columns."""
    orientation, size, fitted = fit(widths)
    return orientation, f' style="font-size:{size:g}pt"', fitted


def table_section(sheet: tablib.Dataset, fallback: str = "") -> str:
    """Any table: its title row, then the table, the header repeated on every page; A4
    portrait when its columns fit, else landscape, in a smaller font if need be
    (:func:`fit`)."""
    orientation, font, widths = _fitted(columns(sheet))
    return (
        f'<section class="sheet table {orientation}"{font}>'
        f"{_title(sheet, fallback)}{_table(sheet, widths)}</section>"
    )


def signin_section(sheet: tablib.Dataset, fallback: str = "") -> str:
    """A sign-in sheet: each zone (or delegation) on pages of its own, rows tall enough to
    sign in, the 签到 column a quarter of the width, the number of deputies at the end."""
    widths = columns(sheet)
    signature = 0.33 * sum(c.width for c in widths)
    extra = [0.0, 0.0, 0.0, 0.0, signature, 0.0]
    count = f'<p class="count">共 {sheet.height} 人</p>'
    return (
        f'<section class="sheet table signin portrait">{_title(sheet, fallback)}'
        f"{_table(sheet, widths, extra)}{count}</section>"
    )


def tongbao_section(sheet: tablib.Dataset, fallback: str = "") -> str:
    """One 通报 to one delegation, laid out as a letter: the title (代表违纪情况通报) and the
    programme, the delegation addressed, a lead sentence, the violations and their
    number.  A delegation without violations gets a sentence saying so."""
    text = heading(sheet) or fallback
    programme, _sep, name = text.rpartition(HEADING_SEPARATOR)
    addressee = str(sheet.title or "")
    orientation, font, widths = _fitted(columns(sheet))
    parts = [f'<section class="sheet tongbao {orientation}">']
    parts.append(f'<h1 class="letter">{escaped(name or text)}</h1>')
    if programme:
        parts.append(f'<p class="programme">{escaped(programme)}</p>')
    if sheet.height:
        if addressee:
            unit = addressee if addressee.endswith("代表团") else f"{addressee}代表团"
            parts.append(f'<p class="to">{escaped(unit)}：</p>')
        parts.append('<p class="lead">现将培训期间违反培训纪律的情况通报如下：</p>')
        parts.append(f"<div{font}>{_table(sheet, widths)}</div>")
        deputies = len({row[2] for row in sheet})
        parts.append(f'<p class="count">共 {sheet.height} 起，涉及代表 {deputies} 人。</p>')
    else:
        parts.append('<p class="lead">培训期间未发现违反培训纪律的情况。</p>')
    parts.append("</section>")
    return "".join(parts)
