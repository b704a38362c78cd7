"""The ods exporter: the same printed forms as xlsx, written with odfpy.

A sheet with a header row gets a title row spanning the table (bold, larger), its header
row repeated at the top of every printed page (``table:table-header-rows``), columns fitted
to their text (``lvzhi.reports.layout``), thin borders, A4 scaled to the page width,
landscape when wide, and ``第 1 页，共 3 页`` centred in the footer.  What xlsx has and ods
lacks here: the header is not frozen on screen (that is a setting of the viewing program,
not of the document's content).  A sheet without a header row is written as plain rows.
"""

from __future__ import annotations

import datetime as _dt
import decimal
import io
import math
from typing import Any, TypeAlias

import tablib
from odf import number, style, table, text  # type: ignore[import-untyped]
from odf.namespaces import LOEXTNS  # type: ignore[import-untyped]
from odf.opendocument import OpenDocumentSpreadsheet  # type: ignore[import-untyped]

from lvzhi.builtins.xlsx import utc_naive
from lvzhi.reports import sheet_title
from lvzhi.reports.characters import clean_text
from lvzhi.reports.layout import Column, columns, heading, is_landscape, title_font

__all__ = ["CM_PER_UNIT", "export_ods"]

Table: TypeAlias = tablib.Dataset | tablib.Databook

#: Centimetres of one width unit (the width of a digit in an 11 pt font).
CM_PER_UNIT = 0.2
_BORDER = "0.5pt solid #000000"
_FONT = "11pt"


class _Styles:
    """The automatic and page styles of one document."""

    def __init__(self, doc: Any) -> None:
        self.doc = doc
        self.columns: dict[float, Any] = {}
        self.rows = 0
        for orientation, (width, height) in (("portrait", (21, 29.7)), ("landscape", (29.7, 21))):
            layout = style.PageLayout(name=f"A4-{orientation}")
            properties = style.PageLayoutProperties(
                pagewidth=f"{width}cm",
                pageheight=f"{height}cm",
                printorientation=orientation,
                margintop="1.2cm",
                marginbottom="1.2cm",
                marginleft="1.5cm",
                marginright="1.5cm",
                tablecentering="horizontal",
                qattributes={(LOEXTNS, "scale-to-X"): "1", (LOEXTNS, "scale-to-Y"): "0"},
            )
            layout.addElement(properties)
            footer_style = style.FooterStyle()
            footer_style.addElement(
                style.HeaderFooterProperties(minheight="0.6cm", margintop="0.3cm")
            )
            layout.addElement(footer_style)
            doc.automaticstyles.addElement(layout)
            master = style.MasterPage(name=orientation, pagelayoutname=layout)
            footer = style.Footer()
            centre = style.RegionCenter()
            line = text.P(text="第 ")
            line.addElement(text.PageNumber(selectpage="current"))
            line.addText(" 页，共 ")
            line.addElement(text.PageCount())
            line.addText(" 页")
            centre.addElement(line)
            footer.addElement(centre)
            master.addElement(footer)
            doc.masterstyles.addElement(master)
        self.tables = {
            o: self._add("table", f"table-{o}", [], masterpagename=o)
            for o in ("portrait", "landscape")
        }
        date = _date_style("date", with_time=False)
        moment = _date_style("datetime", with_time=True)
        doc.automaticstyles.addElement(date)
        doc.automaticstyles.addElement(moment)
        centred = {"textalign": "center"}
        bold = {"fontweight": "bold", "fontweightasian": "bold", "fontweightcomplex": "bold"}
        sizes = {"fontsize": _FONT, "fontsizeasian": _FONT, "fontsizecomplex": _FONT}
        boxed = {"border": _BORDER, "wrapoption": "wrap", "verticalalign": "middle"}
        self.bold = bold
        self.titles: dict[int, Any] = {}
        self.header = self._cell("header", {**sizes, **bold}, centred, **boxed)
        self.cell = self._cell("cell", sizes, {}, **boxed)
        self.centred = self._cell("centred", sizes, centred, **boxed)
        self.date = self._cell("date-cell", sizes, {}, datastylename=date, **boxed)
        self.datetime = self._cell("datetime-cell", sizes, {}, datastylename=moment, **boxed)
        self.plain = self._cell("plain", sizes, {})

    def _add(self, family: str, name: str, parts: list[Any], **attributes: Any) -> Any:
        made = style.Style(name=name, family=family, **attributes)
        for part in parts:
            made.addElement(part)
        self.doc.automaticstyles.addElement(made)
        return made

    def _cell(self, name: str, font: dict[str, str], paragraph: dict[str, str], **cell: Any) -> Any:
        data_style = cell.pop("datastylename", None)
        extra = {"datastylename": data_style} if data_style is not None else {}
        parts = [style.TableCellProperties(**cell), style.TextProperties(**font)]
        if paragraph:
            parts.append(style.ParagraphProperties(**paragraph))
        return self._add("table-cell", name, parts, **extra)

    def title(self, size: int) -> Any:
        """The style of a title row in ``size`` points."""
        if size not in self.titles:
            points = f"{size}pt"
            font = {**self.bold, "fontsize": points, "fontsizeasian": points}
            centred = {"textalign": "center"}
            self.titles[size] = self._cell(f"title{size}", font, centred, wrapoption="wrap")
        return self.titles[size]

    def column(self, width: float) -> Any:
        if width not in self.columns:
            size = f"{width * CM_PER_UNIT:.2f}cm"
            properties = style.TableColumnProperties(columnwidth=size)
            name = f"co{len(self.columns) + 1}"
            self.columns[width] = self._add("table-column", name, [properties])
        return self.columns[width]

    def row(self, height_pt: float) -> Any:
        properties = style.TableRowProperties(
            rowheight=f"{height_pt:.1f}pt", useoptimalrowheight="false"
        )
        self.rows += 1
        return self._add("table-row", f"ro{self.rows}", [properties])


def _date_style(name: str, *, with_time: bool) -> Any:
    """A number style showing ``2022-09-06`` (and ``09:00:00`` after it ``with_time``)."""
    made = number.DateStyle(name=name)
    parts = [number.Year(style="long"), "-", number.Month(style="long"), "-"]
    parts += [number.Day(style="long")]
    if with_time:
        parts += [" ", number.Hours(style="long"), ":", number.Minutes(style="long"), ":"]
        parts += [number.Seconds(style="long")]
    for part in parts:
        made.addElement(number.Text(text=part) if isinstance(part, str) else part)
    return made


def _text(value: str) -> str:
    return clean_text(value)[0]


def _cell(value: Any, cell_style: Any, styles: _Styles) -> Any:
    """One ``table:table-cell`` of ``value``."""
    if isinstance(value, _dt.datetime):
        value = utc_naive(value)
        made = table.TableCell(
            valuetype="date",
            datevalue=value.strftime("%Y-%m-%dT%H:%M:%S"),
            stylename=styles.datetime,
        )
        shown = value.strftime("%Y-%m-%d %H:%M:%S")
    elif isinstance(value, _dt.date):
        made = table.TableCell(valuetype="date", datevalue=value.isoformat(), stylename=styles.date)
        shown = value.isoformat()
    elif isinstance(value, bool):
        made = table.TableCell(valuetype="boolean", booleanvalue=str(value).lower())
        shown = str(value).upper()
    elif isinstance(value, int | float | decimal.Decimal):
        made = table.TableCell(valuetype="float", value=value)
        shown = str(value)
    elif value is None or value == "":
        return table.TableCell(stylename=cell_style)
    else:
        made = table.TableCell(valuetype="string")
        shown = _text(value if isinstance(value, str) else str(value))
    if made.getAttribute("stylename") is None:
        made.setAttribute("stylename", cell_style)
    for line in shown.split("\n"):
        made.addElement(text.P(text=line))
    return made


def _title_row(title: str, widths: list[Column], styles: _Styles) -> Any:
    size, lines = title_font(title, widths)
    row = table.TableRow(stylename=styles.row(lines * math.ceil(size * 1.4) + 8))
    spanned = table.TableCell(
        valuetype="string", stylename=styles.title(size), numbercolumnsspanned=max(1, len(widths))
    )
    spanned.addElement(text.P(text=title))
    row.addElement(spanned)
    for _ in widths[1:]:
        row.addElement(table.CoveredTableCell())
    return row


def _sheet(sheet: tablib.Dataset, name: str, styles: _Styles) -> Any:
    widths = columns(sheet)
    orientation = "landscape" if is_landscape(widths) else "portrait"
    out = table.Table(name=name, stylename=styles.tables[orientation])
    for measure in widths:
        out.addElement(table.TableColumn(stylename=styles.column(measure.width)))
    if not sheet.headers:
        for values in sheet:
            row = table.TableRow()
            for value in values:
                row.addElement(_cell(value, styles.plain, styles))
            out.addElement(row)
        return out
    title = _text(heading(sheet))
    if title:
        out.addElement(_title_row(title, widths, styles))
    header_rows = table.TableHeaderRows()
    header = table.TableRow()
    for value in sheet.headers:
        header.addElement(_cell(value, styles.header, styles))
    header_rows.addElement(header)
    out.addElement(header_rows)
    kinds = [styles.centred if c.centred else styles.cell for c in widths]
    for values in sheet:
        row = table.TableRow()
        for value, kind in zip(values, kinds, strict=False):
            row.addElement(_cell(value, kind, styles))
        out.addElement(row)
    return out


def export_ods(data: Table) -> bytes:
    """The bytes of an ods spreadsheet of ``data``: one table per sheet, named by
    :func:`~lvzhi.reports.sheet_title`; each sheet with a header row laid out as a printed
    form (see the module)."""
    doc = OpenDocumentSpreadsheet()
    styles = _Styles(doc)
    taken: list[str] = []
    sheets = list(data.sheets()) if isinstance(data, tablib.Databook) else [data]
    for index, sheet in enumerate(sheets, start=1):
        name = sheet_title(_text(str(sheet.title or "")) or f"Sheet{index}", taken=taken)
        taken.append(name)
        doc.spreadsheet.addElement(_sheet(sheet, name, styles))
    if not taken:
        doc.spreadsheet.addElement(table.Table(name="Sheet1"))
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
