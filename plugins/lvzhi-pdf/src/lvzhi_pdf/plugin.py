"""Hook implementations of the ``pdf`` plugin: the ``pdf`` export format and the
``namecards`` report (桌签)."""

from __future__ import annotations

from lvzhi.plugins import hookimpl
from lvzhi.ports import Exporter, Report
from lvzhi_pdf.cards import NameCardsReport
from lvzhi_pdf.exporter import PdfExporter

__all__ = ["lvzhi_register_exporters", "lvzhi_register_reports"]


@hookimpl
def lvzhi_register_exporters() -> list[Exporter]:
    """Register the ``pdf`` format."""
    return [PdfExporter()]


@hookimpl
def lvzhi_register_reports() -> list[Report]:
    """Register the ``namecards`` report (桌签)."""
    return [NameCardsReport()]
