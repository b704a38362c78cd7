"""Roster import: read a spreadsheet the way a secretariat receives it and turn it into
:class:`~lvzhi.domain.people.Delegate` and :class:`~lvzhi.domain.people.Delegation` values.

Pure: nothing here touches storage.  The caller decides what to write.

* :func:`read_grid` reads xlsx, csv (UTF-8 with or without BOM, or GB18030/GBK) and ods into
  a raw grid of rows, numbered as a spreadsheet program shows them.
* :func:`read_table` finds the header row in that grid and returns a ``tablib.Dataset``.
* :func:`parse_roster` maps the columns, repairs what spreadsheet programs do to numbers,
  builds the models and reports *every* problem of the file at once in one
  :class:`~lvzhi.errors.ImportProblem`.
"""

from __future__ import annotations

import csv
import datetime as _dt
import importlib
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, BinaryIO

import attrs
import tablib

from lvzhi.domain import Delegate, Delegation, DelegationKind, Gender
from lvzhi.domain._fields import clean_name, clean_text
from lvzhi.errors import ImportProblem, RowProblem, ValidationError

__all__ = [
    "HEADER_ALIASES",
    "HEADER_SCAN_ROWS",
    "REQUIRED_FIELDS",
    "Grid",
    "RosterImport",
    "detect_header",
    "match_header",
    "parse_roster",
    "read_grid",
    "read_table",
]

Source = str | Path | bytes | BinaryIO

#: How many rows from the top are searched for the header row.
HEADER_SCAN_ROWS = 10

#: Recognised column headers, by the attribute they fill.  Matching ignores case, spaces
#: (also full-width ones), ``_ - . *`` and the full-width/half-width distinction.
#: ``ordinal`` (序号) is recognised but its values are not used.
HEADER_ALIASES: Mapping[str, tuple[str, ...]] = {
    "ordinal": ("序号", "序", "编号", "no", "number", "#"),
    "name": ("姓名", "代表姓名", "name"),
    "gender": ("性别", "gender", "sex"),
    "certificate_no": (
        "代表证号",
        "代表证编号",
        "证号",
        "证件号",
        "certificate",
        "certificate_no",
        "certificate no",
    ),
    "delegation": ("选举单位", "代表团", "所属代表团", "delegation", "unit"),
    "sector": ("界别", "sector"),
    "phone": ("手机", "手机号", "手机号码", "联系电话", "电话", "phone", "mobile", "tel"),
    "is_new": ("是否新任", "新任", "新任代表", "new", "is_new"),
    "title": ("职务", "工作单位及职务", "title"),
    "ethnicity": ("民族", "ethnicity"),
    "email": ("邮箱", "电子邮箱", "email", "e-mail", "mail"),
}

#: Columns a roster must have.
REQUIRED_FIELDS: tuple[str, ...] = ("name", "gender", "certificate_no", "delegation")

_FIELD_LABELS = {
    "name": "姓名",
    "gender": "性别",
    "certificate_no": "代表证号",
    "delegation": "选举单位",
}

_HEADER_STRIP = re.compile(r"[\s_\-.*:：]+")


def _header_key(value: Any) -> str:
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    return _HEADER_STRIP.sub("", text).lower()


_ALIAS_INDEX: dict[str, str] = {
    _header_key(alias): field for field, aliases in HEADER_ALIASES.items() for alias in aliases
}


def match_header(cell: Any) -> str | None:
    """The attribute a header cell names (``"姓　名"`` → ``"name"``), or ``None``."""
    return _ALIAS_INDEX.get(_header_key(cell))


# --------------------------------------------------------------------------- reading


@attrs.frozen
class Grid:
    """A sheet as read: ``rows[i]`` is spreadsheet row ``i + 1`` (rows may differ in length;
    empty cells are ``None``).  ``title`` is the sheet name, ``format`` what was read."""

    rows: tuple[tuple[Any, ...], ...]
    title: str = ""
    format: str = ""


_SUFFIXES = {
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "csv",
    ".ods": "ods",
}


def _load(source: Source) -> tuple[bytes, str]:
    """The bytes of ``source`` and a name to report it by."""
    if isinstance(source, bytes):
        return source, "<bytes>"
    if isinstance(source, str | Path):
        path = Path(source)
        return path.read_bytes(), str(path.name)
    data = source.read()
    name = getattr(source, "name", None)
    return data, Path(name).name if isinstance(name, str) else "<stream>"


def _sniff(data: bytes) -> str:
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if "mimetype" in archive.namelist():
                    mimetype = archive.read("mimetype").decode("ascii", "replace")
                    if "opendocument.spreadsheet" in mimetype:
                        return "ods"
        except zipfile.BadZipFile:
            return "xlsx"
        return "xlsx"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "xls"
    return "csv"


def _file_problem(source_name: str, reason: str, value: Any = None) -> ImportProblem:
    return ImportProblem(source_name, [RowProblem(0, None, value, reason)])


def read_grid(source: Source, *, format: str | None = None, source_name: str | None = None) -> Grid:
    """Read the first sheet of an xlsx or ods workbook, or a csv file, as a raw grid.

    ``format`` is ``"xlsx"``, ``"csv"`` or ``"ods"``; if omitted it comes from the file
    suffix, else from the content.  A file that cannot be read raises
    :class:`~lvzhi.errors.ImportProblem` with one problem on row 0 (the whole file).
    """
    data, default_name = _load(source)
    name = source_name or default_name
    fmt = format.lower().lstrip(".") if format else None
    if fmt is None and isinstance(source, str | Path):
        fmt = _SUFFIXES.get(Path(source).suffix.lower())
    if fmt is None:
        fmt = _sniff(data)
    try:
        if fmt == "xlsx":
            return _read_xlsx(data)
        if fmt == "csv":
            return _read_csv(data)
        if fmt == "ods":
            return _read_ods(data)
    except ImportProblem:
        raise
    except Exception as exc:
        raise _file_problem(name, f"cannot read the file as {fmt}: {exc}") from exc
    if fmt == "xls":
        raise _file_problem(name, "old .xls workbooks are not read; save the file as .xlsx")
    raise _file_problem(name, f"unknown format {fmt!r}; use xlsx, csv or ods", fmt)


def _read_xlsx(data: bytes) -> Grid:
    # openpyxl's read-only mode, as tablib does, but without building a Dataset: the raw
    # rows are needed to find the header, and read-only iteration is the fastest reader.
    openpyxl = importlib.import_module("openpyxl")  # untyped; a tablib dependency
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = book.active
        if sheet is None:
            return Grid((), "", "xlsx")
        # A stored dimension can be wrong (files written by other programs); read every cell.
        reset = getattr(sheet, "reset_dimensions", None)
        if reset is not None:
            reset()
        rows = tuple(tuple(row) for row in sheet.iter_rows(values_only=True))
        return Grid(rows, str(sheet.title), "xlsx")
    finally:
        book.close()


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Files saved by Chinese Excel ("CSV" = the ANSI code page, i.e. GBK); GB18030 is
        # its superset.
        return data.decode("gb18030")


def _read_csv(data: bytes) -> Grid:
    text = _decode(data)
    sample = text[:8192]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    rows = tuple(tuple(cell if cell != "" else None for cell in row) for row in reader)
    return Grid(rows, "", "csv")


def _read_ods(data: bytes) -> Grid:
    # tablib's ODS reader drops empty rows and collapsed empty cells, which shifts row
    # numbers and columns; this reader expands repeated rows and cells instead, using
    # tablib's cell decoding.
    opendocument = importlib.import_module("odf.opendocument")  # untyped; a tablib dependency
    ods_format = importlib.import_module("tablib.formats._ods").ODSFormat

    doc = opendocument.load(io.BytesIO(data))
    for sheet in doc.spreadsheet.childNodes:
        if sheet.qname[1] == "table":
            return Grid(tuple(_ods_rows(sheet, ods_format)), str(sheet.getAttribute("name")), "ods")
    return Grid((), "", "ods")


def _ods_rows(sheet: Any, fmt: Any) -> Iterator[tuple[Any, ...]]:
    pending_blank = 0
    for row in _ods_row_elements(sheet):
        cells: list[Any] = []
        for cell in row.childNodes:
            if cell.qname[1] not in ("table-cell", "covered-table-cell"):
                continue
            repeat = int(cell.getAttribute("numbercolumnsrepeated") or 1)
            value = fmt.read_cell(cell) if cell.qname[1] == "table-cell" else None
            if value == "":
                value = None
            if value is None and repeat > 1:
                cells.extend([None] * min(repeat, 1024))
            else:
                cells.extend([value] * repeat)
        while cells and cells[-1] is None:
            cells.pop()
        repeat_rows = int(row.getAttribute("numberrowsrepeated") or 1)
        if not cells:
            # Trailing blank rows are often "repeated" a million times; emit them lazily.
            pending_blank += repeat_rows
            continue
        for _ in range(pending_blank):
            yield ()
        pending_blank = 0
        for _ in range(repeat_rows):
            yield tuple(cells)


def _ods_row_elements(node: Any) -> Iterator[Any]:
    for child in node.childNodes:
        kind = getattr(child, "qname", ("", ""))[1]
        if kind == "table-row":
            yield child
        elif kind in ("table-header-rows", "table-rows", "table-row-group"):
            yield from _ods_row_elements(child)


# --------------------------------------------------------------------------- header


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def detect_header(
    rows: Sequence[Sequence[Any]], *, scan: int = HEADER_SCAN_ROWS, minimum: int = 2
) -> int | None:
    """0-based index of the header row: the first of the top ``scan`` rows in which at least
    ``minimum`` cells are known header names; ``None`` if there is none."""
    for index, row in enumerate(rows[:scan]):
        if sum(1 for cell in row if match_header(cell) is not None) >= minimum:
            return index
    return None


def read_table(
    source: Source, *, format: str | None = None, source_name: str | None = None
) -> tablib.Dataset:
    """Read a table whose header row sits anywhere in the top rows.

    Rows above the header (a title such as ``衡阳市第十六届人大代表名册``) and wholly empty
    rows are dropped; the Dataset's headers are the header cells as written (blank ones
    become ``""``), its title is the first text above the header, else the sheet name.
    Rows are padded or cut to the header's width.
    """
    grid = read_grid(source, format=format, source_name=source_name)
    header_index = detect_header(grid.rows)
    name = source_name or _load_name(source)
    if header_index is None:
        raise _no_header(name)
    header = [_header_text(cell) for cell in grid.rows[header_index]]
    width = len(header)
    data = tablib.Dataset(headers=header, title=_title(grid, header_index))
    for row in grid.rows[header_index + 1 :]:
        if all(_is_blank(cell) for cell in row):
            continue
        cells = list(row[:width]) + [None] * (width - len(row))
        data.append(cells)
    return data


def _load_name(source: Source) -> str:
    if isinstance(source, bytes):
        return "<bytes>"
    if isinstance(source, str | Path):
        return Path(source).name
    name = getattr(source, "name", None)
    return Path(name).name if isinstance(name, str) else "<stream>"


def _no_header(name: str) -> ImportProblem:
    return _file_problem(
        name,
        f"no header row in the first {HEADER_SCAN_ROWS} rows; expected headers such as "
        "姓名, 性别, 代表证号, 选举单位",
    )


def _header_text(cell: Any) -> str:
    """A header as written in the file (only the ends trimmed)."""
    return "" if cell is None else str(cell).strip()


def _title(grid: Grid, header_index: int) -> str:
    for row in grid.rows[:header_index]:
        for cell in row:
            if not _is_blank(cell):
                return str(clean_text(str(cell)))
    return grid.title


# --------------------------------------------------------------------------- values

_SCIENTIFIC = re.compile(r"^[0-9]+(\.[0-9]+)?[eE][+]?[0-9]+$")
_INTEGRAL_FLOAT = re.compile(r"^([0-9]+)\.0+$")


def _text(value: Any) -> str:
    """A cell as text: numbers Excel stored as floats lose their ``.0``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, _dt.datetime | _dt.date | _dt.time):
        return value.isoformat()
    return str(clean_text(str(value)))


def _digits(value: Any) -> str:
    """Repair a number a spreadsheet stored as a float (``13812345678.0``,
    ``1.3812345678E10``) or as text of one; other text is only trimmed."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = _text(value)
    compact = unicodedata.normalize("NFKC", text).strip()
    match = _INTEGRAL_FLOAT.match(compact)
    if match:
        return match.group(1)
    if _SCIENTIFIC.match(compact):
        try:
            number = Decimal(compact)
        except InvalidOperation:
            return text
        if number == number.to_integral_value():
            return str(int(number))
    return text


_PHONE_JUNK = re.compile(r"[\s\-()（）]+")


def _phone(value: Any) -> str:
    """Digits (and a leading ``+``) of a phone number; text that is not one is left as is
    so that the model's validator reports it."""
    text = _digits(value)
    compact = _PHONE_JUNK.sub("", unicodedata.normalize("NFKC", text))
    if re.fullmatch(r"\+?[0-9]+", compact):
        return compact
    return text


_TRUE = {"是", "y", "yes", "true", "t", "1", "新任", "新", "✓", "✔", "√", "x"}
_FALSE = {"否", "n", "no", "false", "f", "0", "连任", "留任", "", "✗", "×", "-"}


def _flag(value: Any) -> bool | None:
    """是/否, Y/N, yes/no, true/false, 1/0, 新任/连任, ✓; blank is ``False``; ``None``
    for anything else."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    key = unicodedata.normalize("NFKC", _text(value)).strip().lower()
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    return None


_GENDER_WORDS = {"男性": "男", "女性": "女"}


def _gender(value: Any) -> Any:
    if isinstance(value, Gender):
        return value
    text = _text(value)
    return _GENDER_WORDS.get(text, text)


def _kind(name: str) -> DelegationKind:
    if any(word in name for word in ("部队", "驻军", "军分区", "警备区")):
        return DelegationKind.GARRISON
    if name.endswith("区"):
        return DelegationKind.DISTRICT
    if name.endswith("县"):
        return DelegationKind.COUNTY
    if name.endswith("市"):
        return DelegationKind.CITY
    return DelegationKind.OTHER


# --------------------------------------------------------------------------- roster


@attrs.frozen(kw_only=True)
class RosterImport:
    """What a roster file holds, validated.

    ``delegations`` has one entry per distinct delegation name in order of first
    appearance, whether or not it was already known to the caller, with ``order`` 0 (a
    roster does not say the official order; the caller numbers new delegations);
    ``new_delegations`` only those whose name was not in ``delegation_codes``.
    ``columns`` maps each recognised attribute to its header as written; ``ignored_columns``
    lists the headers that were not recognised; ``header_row`` is the header's 1-based row.
    """

    delegates: tuple[Delegate, ...]
    delegations: tuple[Delegation, ...]
    new_delegations: tuple[Delegation, ...] = ()
    columns: Mapping[str, str] = attrs.field(factory=dict)
    ignored_columns: tuple[str, ...] = ()
    header_row: int = 1
    format: str = ""

    def __len__(self) -> int:
        return len(self.delegates)


# Values that always pass the model's validators, used to find every bad cell of a row.
_PLACEHOLDERS: Mapping[str, Any] = {
    "certificate_no": "placeholder",
    "name": "placeholder",
    "gender": Gender.MALE,
    "delegation": "placeholder",
    "sector": "",
    "is_new": False,
    "phone": "",
    "email": "",
    "title": "",
    "ethnicity": "",
}


def _derive_codes(names: Iterable[str], known: Mapping[str, str]) -> dict[str, str]:
    """Codes for delegation names: ``known`` ones as given, new ones ``d01``, ``d02``… in
    order of appearance, skipping codes already in ``known``."""
    taken = set(known.values())
    codes: dict[str, str] = {}
    counter = 0
    for name in names:
        if name in codes:
            continue
        if name in known:
            codes[name] = known[name]
            continue
        while True:
            counter += 1
            code = f"d{counter:02d}"
            if code not in taken:
                break
        taken.add(code)
        codes[name] = code
    return codes


def parse_roster(
    source: Source,
    *,
    format: str | None = None,
    delegation_codes: Mapping[str, str] | None = None,
    source_name: str | None = None,
) -> RosterImport:
    """Read and validate a roster of deputies (代表名册).

    ``delegation_codes`` maps delegation names already known (e.g. stored) to their codes;
    names not in it get ``d01``, ``d02``… (first appearance, skipping taken codes).
    ``source_name`` names the file in error messages (default: the file name).

    Every problem is collected first: bad cells (reported under the header as written in the
    file), empty required cells, duplicate certificate numbers (each row naming the others)
    and missing required columns; then one :class:`~lvzhi.errors.ImportProblem` lists them
    all with 1-based spreadsheet row numbers.  Wholly empty rows are skipped.
    """
    name = source_name or _load_name(source)
    grid = read_grid(source, format=format, source_name=name)
    header_index = detect_header(grid.rows)
    if header_index is None:
        raise _no_header(name)
    header_row = header_index + 1
    header_cells = grid.rows[header_index]

    columns: dict[str, int] = {}
    headers: dict[str, str] = {}
    ignored: list[str] = []
    for index, cell in enumerate(header_cells):
        if _is_blank(cell):
            continue
        field = match_header(cell)
        if field is None or field in columns:
            ignored.append(_header_text(cell))
            continue
        columns[field] = index
        headers[field] = _header_text(cell)

    missing = [f for f in REQUIRED_FIELDS if f not in columns]
    if missing:
        raise ImportProblem(
            name,
            [
                RowProblem(header_row, _FIELD_LABELS[f], None, "required column is missing")
                for f in missing
            ],
        )

    known = {str(clean_text(k)): v for k, v in (delegation_codes or {}).items()}
    problems: list[tuple[int, int, RowProblem]] = []
    records: list[tuple[int, dict[str, Any], dict[str, Any], bool]] = []
    delegation_names: list[str] = []

    def problem(row_no: int, field: str, value: Any, reason: str) -> None:
        problems.append(
            (row_no, columns.get(field, -1), RowProblem(row_no, headers.get(field), value, reason))
        )

    for offset, row in enumerate(grid.rows[header_index + 1 :]):
        row_no = header_row + 1 + offset
        if all(_is_blank(cell) for cell in row):
            continue

        def cell(field: str, row: tuple[Any, ...] = row) -> Any:
            index = columns.get(field)
            if index is None or index >= len(row):
                return None
            return row[index]

        raw = {field: cell(field) for field in columns if field != "ordinal"}
        values: dict[str, Any] = {}
        empty_required = False
        for field in REQUIRED_FIELDS:
            if _is_blank(raw.get(field)):
                problem(row_no, field, raw.get(field), "required value is empty")
                empty_required = True
        values["name"] = clean_name(_text(raw["name"]))
        values["gender"] = _gender(raw["gender"])
        values["certificate_no"] = _digits(raw["certificate_no"]).strip()
        delegation_name = str(clean_text(_text(raw["delegation"])))
        values["delegation"] = delegation_name
        for field in ("sector", "title", "ethnicity", "email"):
            if field in raw:
                values[field] = _text(raw[field])
        if "phone" in raw:
            values["phone"] = _phone(raw["phone"])
        if "is_new" in raw:
            flag = _flag(raw["is_new"])
            if flag is None:
                problem(
                    row_no,
                    "is_new",
                    raw["is_new"],
                    "must be 是/否 (also Y/N, yes/no, 1/0, 新任/连任, ✓)",
                )
                flag = False
            values["is_new"] = flag
        if delegation_name and delegation_name not in delegation_names:
            delegation_names.append(delegation_name)
        records.append((row_no, values, raw, empty_required))

    codes = _derive_codes(delegation_names, known)
    delegates: list[tuple[int, Delegate]] = []
    for row_no, values, raw, skip in records:
        values["delegation"] = codes.get(values["delegation"], values["delegation"])

        def report(field: str, reason: str, row_no: int = row_no, raw: Any = raw) -> None:
            problem(row_no, field, raw.get(field), reason)

        built = _build(values, skip, report)
        if built is not None:
            delegates.append((row_no, built))

    seen: dict[str, list[int]] = {}
    for row_no, values, _raw, _skip in records:
        cert = values["certificate_no"]
        if cert:
            seen.setdefault(cert, []).append(row_no)
    for cert, rows in seen.items():
        if len(rows) > 1:
            for row_no in rows:
                others = ", ".join(str(r) for r in rows if r != row_no)
                problem(
                    row_no,
                    "certificate_no",
                    cert,
                    f"duplicate certificate number (also on row {others})",
                )

    if problems:
        problems.sort(key=lambda p: (p[0], p[1]))
        raise ImportProblem(name, [p[2] for p in problems])

    delegations = tuple(Delegation(code=codes[n], name=n, kind=_kind(n)) for n in delegation_names)
    return RosterImport(
        delegates=tuple(d for _, d in delegates),
        delegations=delegations,
        new_delegations=tuple(d for d in delegations if d.name not in known),
        columns=dict(headers),
        ignored_columns=tuple(ignored),
        header_row=header_row,
        format=grid.format,
    )


def _build(
    values: dict[str, Any], skip: bool, report: Callable[[str, str], None]
) -> Delegate | None:
    """Build a Delegate, replacing each bad field by a placeholder and retrying, so that
    every bad cell of the row is reported (the model's validators stay the one rule)."""
    attempt = dict(values)
    failed: set[str] = set()
    for _ in range(len(_PLACEHOLDERS) + 1):
        try:
            delegate = Delegate.from_row(attempt)
        except ValidationError as exc:
            field = exc.field.partition(".")[2]
            if field not in _PLACEHOLDERS or field in failed:
                report(field, exc.reason)
                return None
            failed.add(field)
            if not (skip and _is_blank(values.get(field))):
                report(field, exc.reason)
            attempt[field] = _PLACEHOLDERS[field]
            continue
        return None if failed or skip else delegate
    return None
