"""The personalised handbook covers (代表履职手册封面): one A4 page per deputy.

The core draws each cover as one SVG page (``lvzhi.reports.covers.cover_svg``) and marks
the sheet of its ``covers`` report so that an exporter recognises it
(``is_cover_sheet``).  This module prints those drawings, one page each, full bleed.  With
a version of lvzhi that has no covers, no sheet is a covers sheet and the report's rows,
if any, print as a table.
"""

from __future__ import annotations

import importlib
from types import ModuleType

import tablib

from lvzhi_pdf.chart import svg_image

__all__ = ["cover_sections", "is_covers"]


def _module() -> ModuleType | None:
    try:
        return importlib.import_module("lvzhi.reports.covers")
    except ImportError:
        return None


def is_covers(sheet: tablib.Dataset) -> bool:
    """Whether ``sheet`` is the sheet of the core's ``covers`` report."""
    module = _module()
    return module is not None and bool(module.is_cover_sheet(sheet))


def cover_sections(sheet: tablib.Dataset) -> str:
    """One page per cover of the covers sheet, each the core's drawing of that cover."""
    module = _module()
    if module is None:  # pragma: no cover - is_covers said it was one
        return ""
    pages = [
        f'<div class="cover-page">{svg_image(module.cover_svg(cover), "cover")}</div>'
        for cover in module.covers_of(sheet)
    ]
    return f'<section class="sheet covers">{"".join(pages)}</section>'
