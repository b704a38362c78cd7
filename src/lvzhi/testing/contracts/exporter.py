"""The contract every exporter must keep (:class:`ExporterContract`)."""

from __future__ import annotations

import datetime as dt
import html
import io
from collections.abc import Sequence
from typing import Any

import pytest
import tablib

__all__ = ["SAMPLE_TIMEZONE", "ExporterContract", "read_workbook"]

#: The zone the contract's times are prepared for.
SAMPLE_TIMEZONE = "Asia/Shanghai"
#: A text cell a spreadsheet program would run as a formula.
FORMULA = "=SUM(A1:A2)"
#: 09:00 in Beijing, given in UTC: prepared, it must show as 09:00, never as 01:00.
MOMENT = dt.datetime(2022, 9, 6, 1, 0, tzinfo=dt.UTC)

Sheet = tuple[str | None, list[list[Any]]]


def _sample_book() -> tablib.Databook:
    people = tablib.Dataset(title="衡南县")
    people.headers = ["序号", "姓名", "手机"]
    people.append([1, "王毅", "138****5678"])
    people.append([2, "欧阳明", ""])
    other = tablib.Dataset(title="驻衡部队")
    other.headers = ["序号", "姓名", "手机"]
    other.append([1, "李希", "139****0000"])
    return tablib.Databook([people, other])


def _sample_times() -> tablib.Dataset:
    data = tablib.Dataset(title="签到记录")
    data.headers = ["序号", "事项", "时间", "差额"]
    data.append([1, FORMULA, MOMENT, -5])
    data.append([2, "报到", MOMENT + dt.timedelta(minutes=90), 3])
    return data


def _kind(exporter: Any) -> str:
    """``"xlsx"``, ``"ods"``, ``"text"`` (UTF-8 text) or ``"binary"`` (anything else)."""
    media = str(exporter.media_type).split(";")[0].strip().lower()
    if "spreadsheetml" in media or exporter.format == "xlsx":
        return "xlsx"
    if "opendocument.spreadsheet" in media or exporter.format == "ods":
        return "ods"
    textual = ("application/json", "application/yaml", "application/x-yaml", "application/xml")
    if media.startswith("text/") or media in textual or media.endswith(("+json", "+xml")):
        return "text"
    return "binary"


def _normal(value: Any) -> Any:
    """A cell as read back: empty is ``""``, a whole float (ods numbers) an int."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _normal_rows(rows: Sequence[Sequence[Any]]) -> list[list[Any]]:
    out = []
    for row in rows:
        cells = [_normal(v) for v in row]
        while cells and cells[-1] == "":
            cells.pop()
        out.append(cells)
    while out and not out[-1]:
        out.pop()
    return out


def _expected(sheet: tablib.Dataset) -> Sheet:
    rows = ([list(sheet.headers)] if sheet.headers else []) + [list(r) for r in sheet]
    return sheet.title, _normal_rows(rows)


def _first_print_title_row(ws: Any) -> int | None:
    """The first row repeated on every printed page (``"$2:$2"`` → 2), if any."""
    titles = str(ws.print_title_rows or "").replace("$", "")
    head = titles.split(":")[0]
    return int(head) if head.isdigit() else None


def _xlsx_rows(ws: Any) -> list[list[Any]]:
    """The rows of a worksheet below its title rows: those above the header repeated on
    every printed page, or a first row merged across the table when none is repeated."""
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    first = _first_print_title_row(ws)
    if first is not None:
        return rows[first - 1 :]
    merged_title = any(r.min_row == r.max_row == 1 and r.min_col == 1 for r in ws.merged_cells)
    return rows[1:] if merged_title else rows


def _ods_cell(cell: Any) -> Any:
    kind = cell.getAttribute("valuetype")
    if kind in ("float", "percentage", "currency"):
        return float(cell.getAttribute("value"))
    if kind == "boolean":
        return cell.getAttribute("booleanvalue") == "true"
    if kind == "date":
        value = cell.getAttribute("datevalue")
        if "T" in value:
            return dt.datetime.fromisoformat(value)
        return dt.date.fromisoformat(value)
    from odf import teletype  # type: ignore[import-untyped]

    paragraphs = [teletype.extractText(p) for p in cell.childNodes if p.qname[1] == "p"]
    return "\n".join(paragraphs) if paragraphs else None


def _ods_row(row: Any) -> list[Any]:
    cells: list[Any] = []
    for cell in row.childNodes:
        if cell.qname[1] not in ("table-cell", "covered-table-cell"):
            continue
        repeat = int(cell.getAttribute("numbercolumnsrepeated") or 1)
        cells += [_ods_cell(cell)] * repeat
    return cells


def _ods_sheets(payload: bytes) -> list[Sheet]:
    """Every table of an ods payload, without the rows above its header when the header is
    repeated on every printed page (``table:table-header-rows``)."""
    from odf.opendocument import load  # type: ignore[import-untyped]

    sheets: list[Sheet] = []
    for element in load(io.BytesIO(payload)).spreadsheet.childNodes:
        if element.qname[1] != "table":
            continue
        rows: list[list[Any]] = []
        for child in element.childNodes:
            if child.qname[1] == "table-row":
                row = _ods_row(child)
                repeat = int(child.getAttribute("numberrowsrepeated") or 1)
                rows += [row] * (repeat if any(v not in (None, "") for v in row) else 1)
            elif child.qname[1] == "table-header-rows":
                rows = [_ods_row(r) for r in child.childNodes if r.qname[1] == "table-row"]
        sheets.append((element.getAttribute("name"), _normal_rows(rows)))
    return sheets


def read_workbook(kind: str, payload: bytes) -> list[Sheet]:
    """Every sheet of an xlsx or ods payload: its title and its rows (the header first),
    cells as read back (empty cells ``""``, whole numbers ``int``).  A printed form's title
    rows are left out: the rows above the header repeated on every printed page (xlsx print
    titles, ods ``table:table-header-rows``), or else a first row merged across the table."""
    if kind == "xlsx":
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(payload))
        sheets: list[Sheet] = []
        for ws in book.worksheets:
            formulas = [c.coordinate for row in ws.iter_rows() for c in row if c.data_type == "f"]
            assert not formulas, f"sheet {ws.title!r} has formula cells {formulas}"
            sheets.append((ws.title, _normal_rows(_xlsx_rows(ws))))
        return sheets
    return _ods_sheets(payload)


def _texts(value: Any) -> list[str]:
    """What a text format must show of one cell."""
    if value is None or value == "":
        return []
    if isinstance(value, dt.datetime):
        return [f"{value:%Y-%m-%d}", f"{value:%H:%M}"]
    if isinstance(value, dt.date):
        return [value.isoformat()]
    return [str(value)]


class ExporterContract:
    """The behaviour every exporter must show.

    Subclass it in a test module and supply one fixture::

        class TestMyFormat(ExporterContract):
            @pytest.fixture
            def exporter(self):
                return MyExporter()

    What is checked depends on the format, told by ``media_type`` (and ``format``):

    * **xlsx and ods** are read back (openpyxl; tablib's ods reader) and must equal what
      they were given cell by cell — the header row first, every sheet of a Databook with
      its title, no formula cells;
    * **text formats** (``text/*``, JSON, YAML, XML; decoded as UTF-8, html entities
      unescaped for html) must contain every header and cell value they were given, and
      each sheet title of a Databook; a datetime must show its date and ``HH:MM``;
    * any other format must give bytes.

    One case passes a table with a time-zone-aware datetime and a formula-looking text
    through :func:`lvzhi.reports.prepare` first, as the core does: the exporter must show
    the time as prepared (09:00 in Beijing, not the 01:00 UTC it was given) and, for a
    spreadsheet format, the neutralised text.
    """

    @pytest.fixture
    def exporter(self) -> Any:  # pragma: no cover - overridden by subclasses
        raise pytest.UsageError("supply an `exporter` fixture")

    # -- checks ----------------------------------------------------------------------------

    def check_output(self, exporter: Any, data: tablib.Dataset | tablib.Databook) -> bytes:
        """Export ``data`` and check the bytes against it (see the class documentation)."""
        payload = exporter.export(data)
        assert isinstance(payload, bytes)
        is_book = isinstance(data, tablib.Databook)
        sheets = list(data.sheets()) if is_book else [data]
        kind = _kind(exporter)
        if kind in ("xlsx", "ods"):
            found = read_workbook(kind, payload)
            wanted = [_expected(s) for s in sheets]
            if exporter.multi_sheet or not is_book:
                assert found == wanted
            else:
                cells = {str(v) for _, rows in found for row in rows for v in row}
                missing = {str(v) for _, rows in wanted for row in rows for v in row} - cells
                assert not missing - {""}, f"cells missing from the workbook: {missing}"
        elif kind == "text":
            text = payload.decode("utf-8-sig")
            if "html" in str(exporter.media_type):
                text = html.unescape(text)
            wanted_texts = [t for s in sheets for t in _texts(s.title)] if is_book else []
            for sheet in sheets:
                for row in ([list(sheet.headers)] if sheet.headers else []) + list(sheet):
                    wanted_texts += [t for value in row for t in _texts(value)]
            absent = [t for t in wanted_texts if t not in text]
            assert not absent, f"{exporter.format} output lacks {absent}"
        else:
            assert payload
        return payload

    # -- the contract ----------------------------------------------------------------------

    def test_satisfies_the_protocol(self, exporter: Any) -> None:
        from lvzhi.ports import Exporter

        assert isinstance(exporter, Exporter)
        assert exporter.format
        assert exporter.format == exporter.format.strip().lower()
        assert exporter.extension
        assert not exporter.extension.startswith(".")
        assert "/" in exporter.media_type
        assert isinstance(exporter.spreadsheet, bool)
        assert isinstance(exporter.multi_sheet, bool)
        if _kind(exporter) in ("xlsx", "ods"):
            assert exporter.spreadsheet, "a format spreadsheet programs open sets spreadsheet"

    def test_exports_a_dataset(self, exporter: Any) -> None:
        self.check_output(exporter, _sample_book().sheets()[0])

    def test_exports_a_databook_with_every_sheet(self, exporter: Any) -> None:
        self.check_output(exporter, _sample_book())

    def test_exports_headers_only(self, exporter: Any) -> None:
        empty = tablib.Dataset(title="空表")
        empty.headers = ["序号", "姓名"]
        payload = exporter.export(empty)
        assert isinstance(payload, bytes)
        kind = _kind(exporter)
        if kind in ("xlsx", "ods"):
            assert read_workbook(kind, payload) == [("空表", [["序号", "姓名"]])]
        elif str(exporter.media_type).startswith("text/"):
            # Tabular text keeps the header row; record formats (JSON, YAML) may give [].
            assert "姓名" in payload.decode("utf-8-sig")

    def test_exports_prepared_times_and_formulas(self, exporter: Any) -> None:
        from lvzhi.reports import prepare

        ready = prepare(_sample_times(), spreadsheet=exporter.spreadsheet, timezone=SAMPLE_TIMEZONE)
        assert isinstance(ready, tablib.Dataset)
        local = dt.datetime(2022, 9, 6, 9, 0)
        if exporter.spreadsheet:
            assert ready[0][1:3] == ("'" + FORMULA, local)
        else:
            assert ready[0][1] == FORMULA
            assert ready[0][2] == MOMENT
            assert (ready[0][2].hour, ready[0][2].utcoffset()) == (9, dt.timedelta(hours=8))
        payload = self.check_output(exporter, ready)
        if _kind(exporter) == "text":
            assert "01:00" not in payload.decode("utf-8-sig"), "a time left in UTC"

    def test_does_not_change_its_input(self, exporter: Any) -> None:
        book = _sample_book()
        before = [(s.title, s.headers, [tuple(r) for r in s]) for s in book.sheets()]
        exporter.export(book)
        after = [(s.title, s.headers, [tuple(r) for r in s]) for s in book.sheets()]
        assert before == after
