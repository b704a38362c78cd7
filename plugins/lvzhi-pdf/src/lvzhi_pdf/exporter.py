"""The ``pdf`` exporter: any report, as a PDF laid out for print, through WeasyPrint.

The exporter builds one HTML document from the prepared table (:mod:`lvzhi_pdf.pages`)
and has WeasyPrint lay it out and write it, with the Chinese font fontconfig finds
(:mod:`lvzhi_pdf.fonts`) embedded as a subset: the text of the PDF is real text, which a
reader can search and copy.
"""

from __future__ import annotations

import logging
from typing import Any

import tablib

from lvzhi.errors import PluginError
from lvzhi.i18n import _
from lvzhi_pdf.fonts import find_cjk_fonts
from lvzhi_pdf.pages import document

__all__ = ["SYSTEM_LIBRARIES", "PdfExporter", "html_of", "write_pdf"]

#: The system libraries WeasyPrint needs (Debian and Ubuntu package names).
SYSTEM_LIBRARIES = "apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"


def _weasyprint() -> Any:
    """The ``weasyprint`` module; a :class:`~lvzhi.errors.PluginError` naming the system
    packages when its libraries cannot be loaded."""
    try:
        import weasyprint  # type: ignore[import-untyped,unused-ignore]
    except OSError as exc:  # Pango or its libraries are missing
        raise PluginError(
            _(
                "the pdf plugin cannot load WeasyPrint's system libraries ({error}); "
                "install them, for example: {command}"
            ).format(error=exc, command=SYSTEM_LIBRARIES)
        ) from exc
    # WeasyPrint reports each font it subsets and each unsupported CSS feature on its own
    # loggers at INFO and WARNING; the layout here is fixed, so keep them quiet.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    return weasyprint


def _sheets(data: tablib.Dataset | tablib.Databook) -> list[tablib.Dataset]:
    return list(data.sheets()) if isinstance(data, tablib.Databook) else [data]


def html_of(data: tablib.Dataset | tablib.Databook) -> str:
    """The HTML document the PDF is printed from (for inspection and tests)."""
    return document(_sheets(data), find_cjk_fonts())


def write_pdf(page: str) -> bytes:
    """The PDF of an HTML document (no external resource is fetched: everything is
    inline)."""
    weasyprint = _weasyprint()
    pdf: bytes = weasyprint.HTML(string=page, base_url=".").write_pdf()
    return pdf


class PdfExporter:
    """Exports any report as a PDF on A4 paper: seating charts drawn like the hall,
    sign-in sheets, name cards, 通报, handbook covers, and every other table with its
    header repeated on each page."""

    format = "pdf"
    extension = "pdf"
    media_type = "application/pdf"
    #: A PDF is printed, not opened by a spreadsheet program: no formula neutralising.
    spreadsheet = False
    multi_sheet = True

    def export(self, data: tablib.Dataset | tablib.Databook) -> bytes:
        return write_pdf(html_of(data))

    def __repr__(self) -> str:
        return "<exporter pdf>"
