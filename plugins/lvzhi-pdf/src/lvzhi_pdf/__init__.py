"""lvzhi-pdf: printable PDFs with Chinese text for lvzhi.

Registers the ``pdf`` export format (every report: ``lvzhi export seating-chart -f pdf``)
and the ``namecards`` report (桌签, tent cards per deputy).  The PDFs are laid out by
WeasyPrint with a Chinese font found through fontconfig (``fonts-noto-cjk`` on Debian).
"""

from __future__ import annotations

from lvzhi_pdf.cards import NameCardsReport
from lvzhi_pdf.exporter import PdfExporter, html_of
from lvzhi_pdf.fonts import CjkFonts, FontMissing, find_cjk_fonts

__all__ = [
    "CjkFonts",
    "FontMissing",
    "NameCardsReport",
    "PdfExporter",
    "__version__",
    "find_cjk_fonts",
    "html_of",
]

__version__ = "0.1.0"
