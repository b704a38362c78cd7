"""Personalised covers of the handbook (代表履职学习手册封面): one A4 page per deputy with the
certificate data — name, certificate number, delegation, term — and the course's title and
dates.

The ``covers`` report is a table, one row per deputy in display order
(:func:`cover_table`), so that xlsx, ods and csv list the covers; the sheet carries the
attribute :data:`PAGES_ATTRIBUTE`, and the html exporter draws it as one printable document
(:func:`covers_html`): a page per deputy, each page one inline SVG drawing
(:func:`cover_svg`), ``@page { size: A4 }`` and a page break after each.  Every text on a
page comes from the sheet's cells, so the core prepares it like any other table.

For other renderers (a PDF exporter): :func:`covers_of` gives the :class:`Cover` values of
a covers sheet as an exporter receives it, :func:`cover_svg` one standalone SVG document
per page (user units are millimetres), :func:`is_cover_sheet` tells a covers sheet apart.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Final

import attrs
import pendulum
import tablib

from lvzhi.domain import Delegate, Delegation, Programme
from lvzhi.errors import NotFound, ValidationError
from lvzhi.i18n import _

if TYPE_CHECKING:
    from lvzhi.ports import ReportContext

__all__ = [
    "COVER_HEADERS",
    "HANDBOOK_TITLE",
    "PAGES_ATTRIBUTE",
    "Cover",
    "CoversReport",
    "course_dates",
    "cover_svg",
    "cover_table",
    "covers_html",
    "covers_of",
    "is_cover_sheet",
    "make_covers",
]

#: The attribute of a ``tablib.Dataset`` marking it as pages to draw (its value says how).
PAGES_ATTRIBUTE: Final = "lvzhi_pages"
#: The value of :data:`PAGES_ATTRIBUTE` on a covers sheet.
COVERS: Final = "covers"
#: The handbook a cover is for, unless another title is given.
HANDBOOK_TITLE: Final = "人大代表履职常识100问"

COVER_HEADERS: Final = (
    "序号",
    "姓名",
    "代表证号",
    "代表团",
    "届次",
    "培训班",
    "培训日期",
    "主办单位",
    "手册",
)

#: Font stacks: Noto CJK, Source Han, then the fonts Chinese Windows and macOS have.
SERIF: Final = (
    '"Noto Serif CJK SC", "Source Han Serif SC", "Source Han Serif CN", "Songti SC", '
    '"SimSun", "STSong", serif'
)
SANS: Final = (
    '"Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "PingFang SC", '
    '"Microsoft YaHei", "SimHei", sans-serif'
)
RED: Final = "#b5121b"
GOLD: Final = "#d4a017"


@attrs.frozen(kw_only=True)
class Cover:
    """What one deputy's cover shows; ``number`` is its page (1, 2, …)."""

    number: int
    name: str
    certificate_no: str
    delegation: str
    term: str
    course: str
    dates: str
    organiser: str = ""
    handbook: str = HANDBOOK_TITLE


def course_dates(start: pendulum.Date, end: pendulum.Date) -> str:
    """2022年9月6日至8日; 2022年9月30日至10月2日; 2022年12月31日至2023年1月2日."""
    first = f"{start.year}年{start.month}月{start.day}日"
    if end == start:
        return first
    if end.year != start.year:
        return f"{first}至{end.year}年{end.month}月{end.day}日"
    if end.month != start.month:
        return f"{first}至{end.month}月{end.day}日"
    return f"{first}至{end.day}日"


def make_covers(
    programme: Programme,
    deputies: Iterable[Delegate],
    delegations: Iterable[Delegation],
    *,
    handbook: str = HANDBOOK_TITLE,
) -> list[Cover]:
    """One cover per deputy, numbered in the order given (pass them in display order)."""
    names = {d.code: d.name for d in delegations}
    dates = course_dates(programme.start_date, programme.end_date)
    return [
        Cover(
            number=number,
            name=d.name,
            certificate_no=d.certificate_no,
            delegation=names.get(d.delegation, d.delegation),
            term=programme.term,
            course=programme.title,
            dates=dates,
            organiser=programme.organiser,
            handbook=handbook,
        )
        for number, d in enumerate(deputies, start=1)
    ]


def cover_table(covers: Iterable[Cover], *, title: str = "代表履职手册封面") -> tablib.Dataset:
    """The covers as a table (one row per deputy), marked as pages to draw."""
    data = tablib.Dataset(headers=list(COVER_HEADERS), title=title)
    for c in covers:
        data.append(
            [
                c.number,
                c.name,
                c.certificate_no,
                c.delegation,
                c.term,
                c.course,
                c.dates,
                c.organiser,
                c.handbook,
            ]
        )
    setattr(data, PAGES_ATTRIBUTE, COVERS)
    return data


def is_cover_sheet(sheet: Any) -> bool:
    """Whether ``sheet`` is a covers table (it keeps the mark through the core's
    preparation)."""
    return isinstance(sheet, tablib.Dataset) and getattr(sheet, PAGES_ATTRIBUTE, None) == COVERS


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def covers_of(sheet: tablib.Dataset) -> list[Cover]:
    """The covers in a covers table, by its headers (columns may be missing: empty)."""
    headers = list(sheet.headers or [])
    where = {h: i for i, h in enumerate(headers)}

    def cell(row: Sequence[Any], header: str) -> str:
        i = where.get(header)
        return _text(row[i]) if i is not None and i < len(row) else ""

    out: list[Cover] = []
    for index, row in enumerate(sheet, start=1):
        number = cell(row, "序号")
        out.append(
            Cover(
                number=int(number) if number.isdigit() else index,
                name=cell(row, "姓名"),
                certificate_no=cell(row, "代表证号"),
                delegation=cell(row, "代表团"),
                term=cell(row, "届次"),
                course=cell(row, "培训班"),
                dates=cell(row, "培训日期"),
                organiser=cell(row, "主办单位"),
                handbook=cell(row, "手册") or HANDBOOK_TITLE,
            )
        )
    return out


# -- drawing ------------------------------------------------------------------------------


def _esc(value: str) -> str:
    return html.escape(value, quote=True)


_BREAK_AFTER = "）)、，,；;"


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` characters, of even length, preferring to
    break after closing brackets and commas."""
    if len(text) <= width:
        return [text]
    count = -(-len(text) // width)
    size = -(-len(text) // count)
    lines: list[str] = []
    rest = text
    while len(rest) > width:
        cut = size
        for shift in (0, 1, -1, 2, -2, 3, -3):
            at = size + shift
            if 0 < at <= width and rest[at - 1] in _BREAK_AFTER:
                cut = at
                break
        lines.append(rest[:cut])
        rest = rest[cut:]
    if rest:
        lines.append(rest)
    return lines


def _spaced(name: str) -> str:
    """A two-character Chinese name is printed with a full-width space between (王　毅)."""
    if len(name) == 2 and all("\u4e00" <= c <= "\u9fff" for c in name):
        return f"{name[0]}\u3000{name[1]}"
    return name


def _line(x: float, y: float, text: str, size: float, cls: str, **extra: str) -> str:
    # inline style: a style sheet's text-anchor would win over a presentation attribute
    style = "".join(f"{k.replace('_', '-')}: {v};" for k, v in extra.items())
    more = f' style="{style}"' if style else ""
    return f'<text x="{x:g}" y="{y:g}" font-size="{size:g}" class="{cls}"{more}>{_esc(text)}</text>'


def _title_lines(text: str, y: float, width: int, size: float, cls: str) -> tuple[list[str], float]:
    parts = []
    for line in wrap(text, width):
        parts.append(_line(105, y, line, size, cls))
        y += size * 1.45
    return parts, y


_FIELDS = (("代表姓名", "name"), ("代表证号", "certificate_no"), ("所在代表团", "delegation"))


def _page(cover: Cover) -> list[str]:
    """The drawing of one cover (A4 in millimetres), without the ``<svg>`` element."""
    parts = [
        '<rect x="0" y="0" width="210" height="297" fill="#fffdf7"/>',
        f'<rect x="0" y="0" width="210" height="16" fill="{RED}"/>',
        f'<rect x="0" y="16" width="210" height="1.2" fill="{GOLD}"/>',
        f'<rect x="0" y="281" width="210" height="16" fill="{RED}"/>',
        f'<rect x="0" y="279.8" width="210" height="1.2" fill="{GOLD}"/>',
        f'<rect x="14" y="26" width="182" height="246" fill="none" stroke="{RED}" '
        'stroke-width="0.5"/>',
    ]
    title, y = _title_lines(cover.handbook, 62, 11, 15, "title")
    parts += title
    parts.append(f'<rect x="70" y="{y - 6:g}" width="70" height="0.8" fill="{GOLD}"/>')
    parts.append(_line(105, y + 6, "代表履职学习手册", 7, "subtitle"))
    course, _ = _title_lines(cover.course, y + 26, 20, 6.5, "course")
    parts += course
    top = 178.0
    parts.append(
        f'<rect x="38" y="{top - 14:g}" width="134" height="58" rx="2" fill="#ffffff" '
        f'stroke="{RED}" stroke-width="0.4"/>'
    )
    for row, (label, attribute) in enumerate(_FIELDS):
        value = getattr(cover, attribute)
        yy = top + row * 16
        parts.append(_line(74, yy, f"{label}：", 5.2, "label", text_anchor="end"))
        size = 9.0 if attribute == "name" else 5.6
        if attribute == "name":
            value = _spaced(value)
        fitted = min(size, 80 / max(len(value), 1))  # a CJK character is about 1 em wide
        parts.append(_line(78, yy, value, fitted, f"value {attribute}", text_anchor="start"))
        parts.append(f'<rect x="78" y="{yy + 2.2:g}" width="82" height="0.3" fill="#999999"/>')
    if cover.term:
        parts.append(_line(105, top + 52, f"{cover.term}人大代表", 5, "term"))
    if cover.organiser:
        parts.append(_line(105, 255, cover.organiser, 5.2, "organiser"))
    parts.append(_line(105, 264, cover.dates, 5, "dates"))
    parts.append(_line(196, 292, f"{cover.number}", 3.2, "number", text_anchor="end"))
    return parts


_SVG_STYLE = (
    f"text {{ font-family: {SANS}; fill: #222; text-anchor: middle; dominant-baseline: auto; }}"
    f" .title {{ font-family: {SERIF}; font-weight: bold; fill: {RED}; letter-spacing: 0.5px; }}"
    f" .subtitle {{ font-family: {SERIF}; letter-spacing: 2px; }}"
    f" .course {{ font-family: {SERIF}; font-weight: bold; }}"
    " .label { fill: #555; } .value.name { font-family: " + SERIF + "; font-weight: bold; }"
    " .number { fill: #fff; }"
    " .organiser, .dates { fill: #333; }"
)


def _svg(cover: Cover, *, standalone: bool) -> str:
    head = '<?xml version="1.0" encoding="UTF-8"?>\n' if standalone else ""
    return (
        f'{head}<svg xmlns="http://www.w3.org/2000/svg" class="cover" width="210mm" '
        f'height="297mm" viewBox="0 0 210 297" data-cert="{_esc(cover.certificate_no)}">'
        f"<style>{_SVG_STYLE}</style>" + "".join(_page(cover)) + "</svg>"
    )


def cover_svg(cover: Cover) -> str:
    """One cover as a standalone SVG document: an A4 page (210 × 297 mm, the user unit a
    millimetre)."""
    return _svg(cover, standalone=True)


PAGE_STYLE: Final = """
@page { size: A4 portrait; margin: 0; }
html, body { margin: 0; padding: 0; }
section.cover { width: 210mm; height: 297mm; overflow: hidden;
  page-break-after: always; break-after: page; page-break-inside: avoid; }
section.cover:last-child { page-break-after: auto; break-after: auto; }
section.cover svg { display: block; width: 210mm; height: 297mm; }
@media screen {
  body { background: #7a7a7a; }
  section.cover { margin: 6mm auto; box-shadow: 0 0 3mm rgba(0, 0, 0, 0.5); }
}
"""


def covers_html(covers: Iterable[Cover], *, title: str = "代表履职手册封面") -> str:
    """The covers as one printable HTML document: a page per cover, each an inline SVG."""
    pages = [
        f'<section class="cover" id="cover-{c.number}">{_svg(c, standalone=False)}</section>'
        for c in covers
    ]
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="zh-CN">',
            '<head><meta charset="utf-8">',
            f"<title>{_esc(title)}</title>",
            f"<style>{PAGE_STYLE}</style>",
            "</head>",
            "<body>",
            *pages,
            "</body>",
            "</html>",
            "",
        ]
    )


def _in_display_order(context: ReportContext, deputies: list[Delegate]) -> list[Delegate]:
    units = {d.code: d for d in context.uow.delegations.list()}

    def order(d: Delegate) -> tuple[Any, ...]:
        unit = units.get(d.delegation)
        return (unit.order if unit else 1 << 30, d.delegation, context.order_key(d.name), d.key)

    return sorted(deputies, key=order)


class CoversReport:
    """代表履职手册封面: one row per deputy in display order (delegations in their order,
    names in the context's name order); in html, one printable A4 page per deputy.
    Option ``delegation``: only that delegation's deputies; ``handbook``: the stored
    handbook whose title the covers show (default: the first stored, else
    :data:`HANDBOOK_TITLE`)."""

    name = "covers"
    title = "代表履职手册封面"
    needs_programme = True

    def build(self, context: ReportContext) -> tablib.Dataset:
        programme = context.programme
        if programme is None:
            raise ValidationError(
                "programme", None, _("the {name} report needs a programme").format(name=self.name)
            )
        uow = context.uow
        delegation = context.options.get("delegation")
        if delegation and uow.delegations.find(str(delegation)) is None:
            raise NotFound("Delegation", delegation)
        deputies = (
            uow.delegates.select(delegation=str(delegation)) if delegation else uow.delegates.list()
        )
        handbook_id = context.options.get("handbook")
        if handbook_id:
            handbook = uow.handbooks.get(str(handbook_id)).title
        else:
            stored = uow.handbooks.list()
            handbook = stored[0].title if stored else HANDBOOK_TITLE
        covers = make_covers(
            programme,
            _in_display_order(context, deputies),
            uow.delegations.list(),
            handbook=handbook,
        )
        return cover_table(covers, title=self.title)

    def __repr__(self) -> str:
        return f"<report {self.name} {self.title}>"
