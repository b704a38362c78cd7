"""The Markdown exporter: one GitHub-flavoured Markdown table per sheet.

A ``tablib.Dataset`` becomes one table.  A ``tablib.Databook`` becomes one ``## title``
section per sheet, in sheet order.  Cells are written with ``str()``; ``None`` is an empty
cell.  Backslashes and pipes are escaped and line breaks become ``<br>``, so no cell can
break the table apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import tablib

__all__ = ["MarkdownExporter", "escape_cell", "render_table"]


def escape_cell(value: Any) -> str:
    """The text of one cell, safe inside a Markdown table row."""
    if value is None:
        return ""
    text = str(value)
    text = text.replace("\\", "\\\\").replace("|", "\\|")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\n", "<br>")


def _row(cells: Iterable[Any]) -> str:
    return "| " + " | ".join(escape_cell(cell) for cell in cells) + " |"


def render_table(headers: Sequence[Any] | None, rows: Iterable[Sequence[Any]]) -> str:
    """A Markdown table (without a trailing newline); ``""`` for a table with no columns.

    GitHub-flavoured Markdown needs a header row, so a table without headers gets an empty
    one.
    """
    rows = [tuple(row) for row in rows]
    width = len(headers) if headers else max((len(row) for row in rows), default=0)
    if width == 0:
        return ""
    head = list(headers) if headers else [""] * width
    lines = [_row(head), "|" + " --- |" * width]
    lines += [_row(list(row) + [None] * (width - len(row))) for row in rows]
    return "\n".join(lines)


def _heading(title: str | None, number: int) -> str:
    text = " ".join((title or "").split()) or f"Sheet {number}"
    return f"## {text}"


class MarkdownExporter:
    """Exporter for ``format="md"`` (see :class:`lvzhi.ports.Exporter`)."""

    format = "md"
    extension = "md"
    media_type = "text/markdown; charset=utf-8"
    spreadsheet = False
    multi_sheet = True

    def export(self, data: tablib.Dataset | tablib.Databook) -> bytes:
        """UTF-8 Markdown, ending with one newline."""
        if isinstance(data, tablib.Databook):
            sections = []
            for number, sheet in enumerate(data.sheets(), start=1):
                table = render_table(sheet.headers, sheet)
                sections.append(_heading(sheet.title, number) + ("\n\n" + table if table else ""))
            text = "\n\n".join(sections)
        else:
            text = render_table(data.headers, data)
        return (text + "\n").encode("utf-8") if text else b""

    def __repr__(self) -> str:
        return "MarkdownExporter()"
