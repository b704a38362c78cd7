"""One HTML document for a whole export: each sheet becomes a section laid out for what it
is, and the style sheet gives every kind of section its pages.

=====================  ==========================================================
the sheet              how it is printed
=====================  ==========================================================
a picture (座次表)      one A4 landscape page, the hall drawn (:mod:`lvzhi_pdf.chart`)
name cards (桌签)       tent cards, one or two per A4 page (:mod:`lvzhi_pdf.cards`)
handbook covers        one A4 page per deputy (:mod:`lvzhi_pdf.covers`)
a sign-in sheet        tall rows, a wide column to sign in, one zone per page run
a 通报                  a letter to the delegation with the table of violations
any other table        a title, the header repeated on every page, fitted columns
=====================  ==========================================================

Every table starts on a new page, A4 portrait or landscape by the width of its columns
(``lvzhi.reports.layout``), with ``第 1 页，共 6 页`` at the foot of the page.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import tablib

from lvzhi.reports.grid import hints_of
from lvzhi.reports.layout import heading
from lvzhi_pdf.cards import CARD_HEADERS, CARD_TITLES, cards_section
from lvzhi_pdf.chart import chart_section
from lvzhi_pdf.covers import cover_sections, is_covers
from lvzhi_pdf.fonts import CjkFonts
from lvzhi_pdf.tables import (
    SIGNIN_HEADERS,
    TONGBAO_HEADERS,
    headers_of,
    signin_section,
    table_section,
    tongbao_section,
)

__all__ = ["document", "section", "style"]

_FOOTER = '"第 " counter(page) " 页，共 " counter(pages) " 页"'


def style(fonts: CjkFonts) -> str:
    """The style sheet: pages, tables, the chart page, the cards."""
    return f"""
@page {{ size: A4; margin: 18mm 15mm 20mm;
  @bottom-center {{ content: {_FOOTER}; font-size: 9pt; font-family: {fonts.stack()}; }} }}
@page portrait {{ size: A4 portrait; }}
@page landscape {{ size: A4 landscape; margin: 15mm 15mm 18mm; }}
@page chart {{ size: A4 landscape; margin: 8mm 8mm 10mm; }}
@page card {{ size: A4 portrait; margin: 0; @bottom-center {{ content: none; }} }}
@page cover {{ size: A4 portrait; margin: 0; @bottom-center {{ content: none; }} }}
html {{ font-family: {fonts.stack()}; font-size: 10.5pt; color: #000; }}
body {{ margin: 0; }}
section.sheet {{ break-before: page; }}
section.sheet:first-child {{ break-before: auto; }}
section.portrait {{ page: portrait; }}
section.landscape {{ page: landscape; }}
h1.title {{ font-size: 15pt; text-align: center; margin: 0 0 4mm; font-weight: bold;
  word-break: keep-all; line-height: 1.4; }}
h1.title span.over {{ font-size: 12pt; }}
table.grid {{ width: 100%; border-collapse: collapse; table-layout: fixed; }}
table.grid th, table.grid td {{ border: 0.6pt solid #000; padding: 1.2mm 1.5mm;
  vertical-align: middle; overflow-wrap: anywhere; line-height: 1.3; }}
table.grid thead {{ display: table-header-group; }}
table.grid th {{ background: #e8e8e8; font-weight: bold; text-align: center; }}
table.grid td.c {{ text-align: center; }}
table.grid tr {{ break-inside: avoid; }}
p.count {{ margin: 3mm 0 0; text-align: right; }}
section.signin table.grid td {{ height: 9mm; }}
section.tongbao h1.letter {{ font-size: 20pt; text-align: center; margin: 2mm 0 2mm;
  letter-spacing: 0.1em; }}
section.tongbao p.programme {{ text-align: center; margin: 0 0 8mm; font-size: 12pt; }}
section.tongbao p.to, section.tongbao p.lead, section.tongbao p.count {{
  font-family: {fonts.stack(serif=True)}; font-size: 13pt; }}
section.tongbao p.to {{ margin: 0 0 2mm; }}
section.tongbao p.lead {{ text-indent: 2em; margin: 0 0 4mm; }}
section.tongbao p.count {{ text-align: left; text-indent: 2em; margin-top: 4mm; }}
section.chart {{ page: chart; }}
h1.chart-title {{ font-size: 13pt; text-align: center; margin: 0 0 2mm; }}
div.chart-box {{ width: 281mm; height: 178mm; }}
img.chart {{ width: 100%; height: 100%; object-fit: contain; }}
section.cards {{ page: card; }}
div.card-page {{ width: 210mm; height: 297mm; break-after: page; overflow: hidden; }}
div.card-page:last-child {{ break-after: auto; }}
div.card-1 {{ height: 297mm; }}
div.card-2 {{ height: 148.5mm; }}
div.card-2 + div.card-2 {{ border-top: 0.8pt dotted #888; }}
div.card, div.face {{ box-sizing: border-box; }}
div.card {{ overflow: hidden; }}
div.face {{ width: 210mm; display: flex; align-items: center; justify-content: center; }}
div.card-1 div.face {{ height: 148.5mm; }}
div.card-2 div.face {{ height: 74.25mm; }}
div.face.back {{ transform: rotate(180deg); }}
div.face.front {{ border-top: 0.8pt dashed #888; }}
div.face-inner {{ text-align: center; }}
p.card-name {{ margin: 0; font-weight: bold; line-height: 1.15; white-space: nowrap; }}
p.card-unit {{ margin: 2mm 0 0; color: #333; }}
section.covers {{ page: cover; }}
div.cover-page {{ width: 210mm; height: 297mm; break-after: page; overflow: hidden; }}
div.cover-page:last-child {{ break-after: auto; }}
img.cover {{ width: 210mm; height: 297mm; }}
"""


def section(sheet: tablib.Dataset, index: int, count: int, fonts: CjkFonts) -> str:
    """The HTML section printing one sheet."""
    hints = hints_of(sheet)
    if hints is not None:
        return chart_section(sheet, hints, fonts)
    if is_covers(sheet):
        return cover_sections(sheet)
    headers = headers_of(sheet)
    fallback = f"Sheet{index}" if count > 1 else ""
    if headers == CARD_HEADERS and str(sheet.title or "") in CARD_TITLES:
        return cards_section(sheet, CARD_TITLES[str(sheet.title)])
    if headers == SIGNIN_HEADERS:
        return signin_section(sheet, fallback)
    if headers == TONGBAO_HEADERS:
        return tongbao_section(sheet, fallback)
    return table_section(sheet, fallback)


def document(sheets: Sequence[tablib.Dataset], fonts: CjkFonts) -> str:
    """The whole document: one section per sheet, in order."""
    title = heading(sheets[0]) if sheets else ""
    body = "".join(section(s, i, len(sheets), fonts) for i, s in enumerate(sheets, start=1))
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{style(fonts)}</style></head>"
        f"<body>{body}</body></html>"
    )
