"""The rows of one sheet below its header: each read as a deputy, or passed over (blank,
the header again, a note, the footer), or reported with every problem it has."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from lvzhi.domain import Delegate, Gender
from lvzhi.errors import RowProblem, ValidationError
from lvzhi.i18n import N_, _
from lvzhi.importing.cells import (
    _blank_row,
    _digits,
    _flag,
    _gender_value,
    _Memo,
    _text,
    _unit_name,
)
from lvzhi.importing.headers import _is_blank
from lvzhi.importing.layout import (
    PERSONAL_FIELDS,
    SheetPlan,
    SkippedRow,
    excerpt,
    footer_start,
    is_header_again,
    is_note,
)

__all__ = ["REQUIRED_FIELDS", "derive_codes", "read_sheet"]

REQUIRED_FIELDS: tuple[str, ...] = ("name", "gender", "certificate_no", "delegation")

#: Rows are numbered ``sheet * _SHEET_ROWS + row`` where rows of several sheets are compared.
_SHEET_ROWS = 10_000_000

_FLAG_REASON = N_("must be 是/否 (also Y/N, yes/no, 1/0, 新任/连任, ✓)")


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


class _Codes:
    """Allocates delegation codes one name at a time, in order of appearance: ``known``
    names keep theirs, new ones get ``d01``, ``d02``… skipping codes already taken."""

    __slots__ = ("_counter", "_known", "_taken", "codes")

    def __init__(self, known: Mapping[str, str]) -> None:
        self._known = known
        self._taken = set(known.values())
        self._counter = 0
        self.codes: dict[str, str] = {}

    def __call__(self, name: str) -> str:
        code = self.codes.get(name)
        if code is not None:
            return code
        code = self._known.get(name)
        if code is None:
            while True:
                self._counter += 1
                code = f"d{self._counter:02d}"
                if code not in self._taken:
                    break
            self._taken.add(code)
        self.codes[name] = code
        return code


def derive_codes(names: Iterable[str], known: Mapping[str, str]) -> dict[str, str]:
    """Codes for delegation names: ``known`` ones as given, new ones ``d01``, ``d02``… in
    order of appearance, skipping codes already in ``known``."""
    allocate = _Codes(known)
    for name in names:
        allocate(name)
    return allocate.codes


class _State:
    """What the sheets of one file share while they are read."""

    def __init__(self, known: Mapping[str, str]) -> None:
        # The same few genders, delegations, sectors and flags recur on thousands of rows:
        # each distinct text cell is cleaned once per file.
        self.genders = _Memo(_gender_value)
        self.units = _Memo(_unit_name)
        self.plain = _Memo(_text)
        self.flags = _Memo(_flag)
        self.code_of = _Codes(known)
        self.delegates: list[Delegate] = []
        self.problems: list[tuple[int, int, int, RowProblem]] = []
        self.skipped: list[SkippedRow] = []
        # certificate number -> its first position; -> every position when on several rows
        self.first_row: dict[str, int] = {}
        self.duplicates: dict[str, list[int]] = {}
        self.plans: list[SheetPlan] = []

    def register(self, cert: str, position: int) -> None:
        earlier = self.first_row.setdefault(cert, position)
        if earlier != position:
            self.duplicates.setdefault(cert, [earlier]).append(position)

    def report_duplicates(self) -> None:
        """One problem per certificate number used on several rows, on its first row."""
        for cert, positions in self.duplicates.items():
            positions.sort()
            order, row_no = divmod(positions[0], _SHEET_ROWS)
            plan = self.plans[order]
            sheets = {p // _SHEET_ROWS for p in positions}
            if len(sheets) == 1:
                where = _listed([str(p % _SHEET_ROWS) for p in positions])
                reason = _("certificate number {number} is on rows {rows}").format(
                    number=cert, rows=where
                )
            else:
                where = _listed(
                    [
                        _("{sheet} row {row}").format(
                            sheet=self.plans[p // _SHEET_ROWS].grid.title, row=p % _SHEET_ROWS
                        )
                        for p in positions
                    ]
                )
                reason = _("certificate number {number} is on {places}").format(
                    number=cert, places=where
                )
            column = plan.columns["certificate_no"]
            problem = RowProblem(row_no, plan.headers["certificate_no"], cert, reason, plan.label)
            self.problems.append((order, row_no, column, problem))


def _listed(items: list[str]) -> str:
    """``3``; ``3 and 8``; ``3, 8 and 15``."""
    if len(items) == 1:
        return items[0]
    return _("{items} and {last}").format(items=_(", ").join(items[:-1]), last=items[-1])


def read_sheet(plan: SheetPlan, order: int, state: _State) -> None:
    """Read the rows below the header of one sheet into ``state``."""
    rows = plan.grid.rows
    columns = plan.columns
    headers = plan.headers
    label = plan.label
    base = order * _SHEET_ROWS
    found: list[tuple[int, int, RowProblem]] = []

    def problem(index: int, field: str, value: Any, reason: str) -> None:
        cell = RowProblem(index + 1, headers.get(field), value, reason, label)
        found.append((index, columns.get(field, -1), cell))

    # Where the attributes are; 序号 is recognised but its values are not used.
    used = [(field, index) for field, index in columns.items() if field != "ordinal"]
    at_name, at_gender, at_cert = (columns[f] for f in PERSONAL_FIELDS)
    at_unit = columns.get("delegation", -1)
    fixed_unit = plan.unit or ""
    texts = [(f, columns[f]) for f in ("sector", "title", "ethnicity", "email") if f in columns]
    at_phone = columns.get("phone", -1)
    at_flag = columns.get("is_new", -1)
    span = max(index for _field, index in used) + 1
    formula_at: dict[int, list[int]] = {}
    for row_index, col in sorted(plan.grid.uncached):
        if any(col == at for _field, at in used):
            formula_at.setdefault(row_index, []).append(col)
    genders, units, plain, flags = state.genders, state.units, state.plain, state.flags
    code_of = state.code_of
    codes = code_of.codes
    first_row = state.first_row
    duplicates = state.duplicates
    delegates = state.delegates
    blanks: list[int] = []
    marks: list[tuple[int, str]] = []
    deferred: list[tuple[int, str]] = []
    last = plan.header_index  # the last row that is a deputy (valid or not)

    for index in range(plan.header_index + 1, len(rows)):
        row = rows[index]
        formulas = formula_at.get(index) if formula_at else None
        if len(row) < span:
            if formulas is None and _blank_row(row):
                blanks.append(index)
                continue
            row = (*row, *(None,) * (span - len(row)))
        name_cell = row[at_name]
        gender_cell = row[at_gender]
        cert_cell = row[at_cert]
        unit_cell = row[at_unit] if at_unit >= 0 else fixed_unit
        # _is_blank of each required cell, spelled out: this runs for every row.
        empty_required = (
            name_cell is None
            or (isinstance(name_cell, str) and not name_cell.strip())
            or gender_cell is None
            or (isinstance(gender_cell, str) and not gender_cell.strip())
            or cert_cell is None
            or (isinstance(cert_cell, str) and not cert_cell.strip())
            or unit_cell is None
            or (isinstance(unit_cell, str) and not unit_cell.strip())
        )
        if empty_required and formulas is None:
            if _blank_row(row):
                blanks.append(index)
                continue
            kind = _row_kind(row, columns, (name_cell, gender_cell, cert_cell))
            if kind is not None:
                marks.append((index, kind))
                continue
        unit = units[unit_cell] if type(unit_cell) is str else units.clean(unit_cell)
        if unit in codes or not unit:
            code = codes.get(unit, unit)
        elif empty_required or formulas:
            code = "placeholder"  # a code is given only to a delegation that has deputies
        elif is_header_again(row, columns):
            marks.append((index, "header"))
            continue
        else:
            code = code_of(unit)
        cert = _digits(cert_cell).strip()
        values: dict[str, Any] = {
            "name": name_cell if type(name_cell) is str else _text(name_cell),
            "gender": genders[gender_cell]
            if type(gender_cell) is str
            else genders.clean(gender_cell),
            "certificate_no": cert,
            "delegation": code,
        }
        for field, at in texts:
            cell = row[at]
            values[field] = plain[cell] if type(cell) is str else plain.clean(cell)
        if at_phone >= 0:
            values["phone"] = _digits(row[at_phone])
        bad_flag = False
        if at_flag >= 0:
            cell = row[at_flag]
            flag = flags[cell] if type(cell) is str else flags.clean(cell)
            bad_flag = flag is None
            values["is_new"] = bool(flag)
        if not (empty_required or bad_flag or formulas):
            # The model's own constructor (every converter and validator); only a row it
            # refuses is rebuilt field by field to report every bad cell.
            try:
                delegates.append(Delegate(**values))
            except ValidationError:
                pass
            else:
                last = index
                if cert:
                    position = base + index + 1
                    earlier = first_row.setdefault(cert, position)
                    if earlier != position:
                        duplicates.setdefault(cert, [earlier]).append(position)
                continue
        if not empty_required:
            if formulas is None and is_header_again(row, columns):
                marks.append((index, "header"))
                continue
            last = index
        if cert:
            deferred.append((index, cert))
        _report_row(row, index, used, formulas, bad_flag, empty_required, values, problem)

    end = footer_start(rows, last, len(rows))
    for index, column, cell in found:
        if index < end:
            state.problems.append((order, index + 1, column, cell))
    for index, cert in deferred:
        if index < end:
            state.register(cert, base + index + 1)
    _list_skipped(plan, state, blanks, marks, last, end)


def _row_kind(
    row: tuple[Any, ...], columns: Mapping[str, int], personal: tuple[Any, ...]
) -> str | None:
    """What a row missing a required value is when it is not a deputy: a note, the header
    again, or a row without name, gender and certificate number; ``None`` for a deputy."""
    if is_note(row):
        return "note"
    if is_header_again(row, columns):
        return "header"
    if all(_is_blank(cell) for cell in personal):
        return "empty"
    return None


def _report_row(
    row: tuple[Any, ...],
    index: int,
    used: list[tuple[str, int]],
    formulas: list[int] | None,
    bad_flag: bool,
    empty_required: bool,
    values: dict[str, Any],
    problem: Callable[[int, str, Any, str], None],
) -> None:
    """Report every problem of a row the model refused (or that misses a value)."""
    raw = {field: row[at] for field, at in used}
    at_of = dict(used)
    unreadable: set[str] = set()
    for field, at in used:
        if formulas and at in formulas:
            unreadable.add(field)
            ref = f"{_column_letter(at)}{index + 1}"
            problem(
                index,
                field,
                None,
                _(
                    "the formula in cell {cell} has no saved value; open the file in a "
                    "spreadsheet program and save it again"
                ).format(cell=ref),
            )
    if empty_required:
        for field in REQUIRED_FIELDS:
            where = at_of.get(field)
            if where is not None and field not in unreadable and _is_blank(row[where]):
                problem(index, field, row[where], _("required value is empty"))
    if bad_flag:
        problem(index, "is_new", raw.get("is_new"), _(_FLAG_REASON))

    def report(field: str, reason: str) -> None:
        problem(index, field, raw.get(field), reason)

    _build(values, empty_required or bool(formulas), report)


def _column_letter(index: int) -> str:
    """``A`` for column 0, ``AA`` for column 26."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _list_skipped(
    plan: SheetPlan,
    state: _State,
    blanks: list[int],
    marks: list[tuple[int, str]],
    last: int,
    end: int,
) -> None:
    rows = plan.grid.rows
    sheet = plan.grid.title
    headers = plan.headers
    entries: list[tuple[int, str, str]] = [
        (index, "blank", _("blank row")) for index in blanks if index < last
    ]
    personal = _(", ").join(headers[f] for f in PERSONAL_FIELDS)
    for index, kind in marks:
        if index >= end:
            continue
        text = excerpt(rows[index])
        if kind == "note":
            entries.append((index, kind, _("a note: {text}").format(text=text)))
        elif kind == "header":
            entries.append((index, kind, _("the header again")))
        else:
            reason = _("none of {columns}: {text}").format(columns=personal, text=text)
            entries.append((index, kind, reason))
    for index in range(end, len(rows)):
        if not _blank_row(rows[index]):
            reason = _("below the data: {text}").format(text=excerpt(rows[index]))
            entries.append((index, "footer", reason))
    entries.sort()
    state.skipped.extend(SkippedRow(i + 1, sheet, kind, why) for i, kind, why in entries)


def _build(
    values: dict[str, Any], skip: bool, report: Callable[[str, str], None]
) -> Delegate | None:
    """Build a Delegate, replacing each bad field by a placeholder and retrying, so that
    every bad cell of the row is reported (the model's validators stay the one rule)."""
    attempt = dict(values)
    failed: set[str] = set()
    for _attempt in range(len(_PLACEHOLDERS) + 1):
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
