"""Roster parsing: columns mapped, cells repaired (``lvzhi.importing.cells``), models
built and every problem of the file reported at once."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

from lvzhi.domain import Delegate, Delegation, Gender
from lvzhi.domain._fields import clean_name, clean_text
from lvzhi.errors import ImportProblem, RowProblem, ValidationError
from lvzhi.importing.cells import (
    _blank_row,
    _digits,
    _flag,
    _gender_value,
    _kind,
    _Memo,
    _phone,
    _text,
    _unit_name,
)
from lvzhi.importing.headers import (
    _header_text,
    _is_blank,
    _no_header,
    detect_header,
    match_header,
)
from lvzhi.importing.readers import Source, _load_name, read_grid

__all__ = ["REQUIRED_FIELDS", "RosterImport", "derive_codes", "parse_roster"]

REQUIRED_FIELDS: tuple[str, ...] = ("name", "gender", "certificate_no", "delegation")

_FIELD_LABELS = {
    "name": "姓名",
    "gender": "性别",
    "certificate_no": "代表证号",
    "delegation": "选举单位",
}

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

    def problem(row_no: int, field: str, value: Any, reason: str) -> None:
        problems.append(
            (row_no, columns.get(field, -1), RowProblem(row_no, headers.get(field), value, reason))
        )

    # Where the attributes are; 序号 is recognised but its values are not used.
    used = [(field, index) for field, index in columns.items() if field != "ordinal"]
    at_name, at_gender, at_cert, at_unit = (columns[f] for f in REQUIRED_FIELDS)
    texts = [(f, columns[f]) for f in ("sector", "title", "ethnicity", "email") if f in columns]
    at_phone = columns.get("phone")
    at_flag = columns.get("is_new")
    span = max(index for _, index in used) + 1
    # The same few genders, delegations, sectors and flags recur on thousands of rows:
    # each distinct text cell is cleaned once per file.
    genders = _Memo(_gender_value)
    units = _Memo(_unit_name)
    plain = _Memo(_text)
    flags = _Memo(_flag)
    code_of = _Codes(known)
    codes = code_of.codes
    first_row: dict[str, int] = {}
    duplicates: dict[str, list[int]] = {}
    delegates: list[Delegate] = []
    grid_rows = grid.rows

    for index in range(header_index + 1, len(grid_rows)):
        row = grid_rows[index]
        if len(row) < span:
            if _blank_row(row):
                continue
            row = (*row, *(None,) * (span - len(row)))
        row_no = index + 1
        name_cell = row[at_name]
        gender_cell = row[at_gender]
        cert_cell = row[at_cert]
        unit_cell = row[at_unit]
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
        if empty_required:
            if _blank_row(row):
                continue
            for field, cell in zip(
                REQUIRED_FIELDS, (name_cell, gender_cell, cert_cell, unit_cell), strict=True
            ):
                if _is_blank(cell):
                    problem(row_no, field, cell, "required value is empty")
        unit = units[unit_cell] if type(unit_cell) is str else units.clean(unit_cell)
        cert = _digits(cert_cell).strip()
        values: dict[str, Any] = {
            # clean_name(text) is clean_name(clean_text(text)): clean_text is idempotent.
            "name": clean_name(name_cell)
            if type(name_cell) is str
            else clean_name(_text(name_cell)),
            "gender": genders[gender_cell]
            if type(gender_cell) is str
            else genders.clean(gender_cell),
            "certificate_no": cert,
            "delegation": (codes[unit] if unit in codes else code_of(unit)) if unit else unit,
        }
        for field, at in texts:
            cell = row[at]
            values[field] = plain[cell] if type(cell) is str else plain.clean(cell)
        if at_phone is not None:
            values["phone"] = _phone(row[at_phone])
        if at_flag is not None:
            cell = row[at_flag]
            flag = flags[cell] if type(cell) is str else flags.clean(cell)
            if flag is None:
                problem(
                    row_no, "is_new", cell, "must be 是/否 (also Y/N, yes/no, 1/0, 新任/连任, ✓)"
                )
                flag = False
            values["is_new"] = flag
        if cert:
            earlier = first_row.setdefault(cert, row_no)
            if earlier != row_no:
                duplicates.setdefault(cert, [earlier]).append(row_no)
        if not empty_required:
            # The model's own constructor (every converter and validator); only a row it
            # refuses is rebuilt field by field to report every bad cell.
            try:
                delegates.append(Delegate(**values))
                continue
            except ValidationError:
                pass
        raw = {field: row[at] for field, at in used}

        def report(field: str, reason: str, row_no: int = row_no, raw: Any = raw) -> None:
            problem(row_no, field, raw.get(field), reason)

        built = _build(values, empty_required, report)
        if built is not None:
            delegates.append(built)

    for cert, rows in duplicates.items():
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

    delegations = tuple(
        Delegation(code=code, name=n, kind=_kind(n)) for n, code in code_of.codes.items()
    )
    return RosterImport(
        delegates=tuple(delegates),
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
