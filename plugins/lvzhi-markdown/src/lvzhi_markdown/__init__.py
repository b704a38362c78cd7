"""lvzhi-markdown: export lvzhi tables as GitHub-flavoured Markdown.

Installing the distribution is enough: lvzhi finds :mod:`lvzhi_markdown.plugin` through the
``lvzhi`` entry-point group and ``secretariat.export(..., format="md")`` starts to work.
"""

from __future__ import annotations

from lvzhi_markdown.exporter import MarkdownExporter, escape_cell, render_table

__all__ = ["MarkdownExporter", "escape_cell", "render_table"]
__version__ = "0.1.0"
