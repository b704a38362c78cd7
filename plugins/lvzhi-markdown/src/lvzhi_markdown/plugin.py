"""The hook implementations of lvzhi-markdown; the entry point ``markdown`` names this module."""

from __future__ import annotations

from lvzhi import hookimpl
from lvzhi_markdown.exporter import MarkdownExporter


@hookimpl
def lvzhi_register_exporters() -> list[MarkdownExporter]:
    return [MarkdownExporter()]
