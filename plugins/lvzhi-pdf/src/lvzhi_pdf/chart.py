"""The seating chart (座次表) on one A4 landscape page.

The chart is the core's own drawing (:func:`lvzhi.reports.svg.svg_chart`, the one the html
export shows): one box per seat in its zone's colour with the deputy's name and
delegation, the rostrum on top, aisles as gaps, section names and the legend.  The page
embeds it as an SVG image, with the style sheet it needs inside it and the Chinese font
named first, scaled to fill the page whatever the size of the hall; its text stays text in
the PDF (searchable, extractable).
"""

from __future__ import annotations

import base64

import tablib

from lvzhi.reports.grid import GridHints
from lvzhi.reports.layout import heading
from lvzhi.reports.svg import STYLE, svg_chart
from lvzhi_pdf.fonts import CjkFonts
from lvzhi_pdf.tables import escaped

__all__ = ["chart_section", "chart_svg", "svg_image"]


def chart_svg(sheet: tablib.Dataset, hints: GridHints, fonts: CjkFonts) -> str:
    """The chart as a standalone SVG document: the core's drawing with its style sheet
    inside, the chosen Chinese font first."""
    drawing = svg_chart(sheet, hints)
    style = f"<style>{STYLE}\nsvg.chart {{ font-family: {fonts.stack()}; }}</style>"
    end = drawing.index(">") + 1
    return drawing[:end] + style + drawing[end:]


def svg_image(svg: str, css_class: str) -> str:
    """An ``<img>`` showing ``svg`` (a data URI: the document stays self-contained)."""
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return f'<img class="{css_class}" alt="" src="data:image/svg+xml;base64,{data}">'


def chart_section(sheet: tablib.Dataset, hints: GridHints, fonts: CjkFonts) -> str:
    """The chart's page: its title row, then the drawing scaled to the rest of the page."""
    title = heading(sheet)
    head = f'<h1 class="chart-title">{escaped(title)}</h1>' if title else ""
    image = svg_image(chart_svg(sheet, hints, fonts), "chart")
    return f'<section class="sheet chart">{head}<div class="chart-box">{image}</div></section>'
