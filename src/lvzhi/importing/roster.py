"""Roster parsing: the sheets found (``lvzhi.importing.layout``), columns mapped, cells
repaired (``lvzhi.importing.cells``), models built and every problem of the file reported
at once, each once."""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from lvzhi.domain import Delegate, Delegation
from lvzhi.domain._fields import clean_text
from lvzhi.errors import ImportProblem, RowProblem
from lvzhi.i18n import _
from lvzhi.importing.cells import _kind
from lvzhi.importing.layout import PERSONAL_FIELDS, SheetPlan, SkippedRow, plan_sheets
from lvzhi.importing.readers import Source, _load_name, read_sheets
from lvzhi.importing.rows import REQUIRED_FIELDS, _State, derive_codes, read_sheet

__all__ = ["REQUIRED_FIELDS", "RosterImport", "derive_codes", "parse_roster"]

_FIELD_LABELS = {
    "name": "姓名",
    "gender": "性别",
    "certificate_no": "代表证号",
    "delegation": "选举单位",
}


@attrs.frozen(kw_only=True)
class RosterImport:
    """What a roster file holds, validated.

    ``delegations`` has one entry per distinct delegation name in order of first
    appearance, whether or not it was already known to the caller, with ``order`` 0 (a
    roster does not say the official order; the caller numbers new delegations);
    ``new_delegations`` only those whose name was not in ``delegation_codes``.
    ``columns`` maps each recognised attribute to its header as written; ``ignored_columns``
    lists the headers that were not recognised; ``header_row`` is the header's 1-based row
    (on the first sheet read).  ``sheets`` names the sheets read (none for a text file);
    ``skipped`` lists the rows and sheets passed over, and why.
    """

    delegates: tuple[Delegate, ...]
    delegations: tuple[Delegation, ...]
    new_delegations: tuple[Delegation, ...] = ()
    columns: Mapping[str, str] = attrs.field(factory=dict)
    ignored_columns: tuple[str, ...] = ()
    header_row: int = 1
    format: str = ""
    sheets: tuple[str, ...] = ()
    skipped: tuple[SkippedRow, ...] = ()

    def __len__(self) -> int:
        return len(self.delegates)


def parse_roster(
    source: Source,
    *,
    format: str | None = None,
    delegation_codes: Mapping[str, str] | None = None,
    source_name: str | None = None,
    sheet: str | None = None,
) -> RosterImport:
    """Read and validate a roster of deputies (代表名册).

    ``delegation_codes`` maps delegation names already known (e.g. stored) to their codes;
    names not in it get ``d01``, ``d02``… (first appearance, skipping taken codes).
    ``source_name`` names the file in error messages (default: the file name).  ``sheet``
    names the sheet of a workbook to read; by default the roster's sheet is found (see
    ``lvzhi.importing.layout.plan_sheets``).

    Blank rows, the header repeated, notes, and the footer below the data are passed over
    and listed in ``skipped``.  Every problem is collected first: bad cells (reported under
    the header as written in the file), empty required cells, certificate numbers on
    several rows (one problem per number, naming all its rows) and missing required
    columns; then one :class:`~lvzhi.errors.ImportProblem` lists them all with 1-based
    spreadsheet row numbers.  A file with a header and no deputy is a problem too.
    """
    name = source_name or _load_name(source)
    grids = read_sheets(source, format=format, source_name=name)
    plans, skipped_sheets = plan_sheets(grids, sheet=sheet, source_name=name)
    missing = [problem for plan in plans for problem in _missing_columns(plan)]
    if missing:
        raise ImportProblem(name, missing)

    known = {str(clean_text(k)): v for k, v in (delegation_codes or {}).items()}
    state = _State(known)
    state.plans = plans
    state.skipped.extend(skipped_sheets)
    for order, plan in enumerate(plans):
        before = len(state.delegates)
        read_sheet(plan, order, state)
        if len(state.delegates) == before and len(plans) > 1:
            state.skipped.append(SkippedRow(0, plan.grid.title, "sheet", _("no deputies on it")))
    state.report_duplicates()

    if state.problems:
        state.problems.sort(key=lambda p: p[:3])
        raise ImportProblem(name, [p[3] for p in state.problems])
    if not state.delegates:
        passed = sum(1 for s in state.skipped if s.row)
        reason = _("no deputies below the header")
        if passed:
            reason += " " + _("({count} rows passed over as blank, notes or footers)").format(
                count=passed
            )
        raise ImportProblem(name, [RowProblem(0, None, None, reason)])

    delegations = tuple(
        Delegation(code=code, name=n, kind=_kind(n)) for n, code in state.code_of.codes.items()
    )
    first = plans[0]
    return RosterImport(
        delegates=tuple(state.delegates),
        delegations=delegations,
        new_delegations=tuple(d for d in delegations if d.name not in known),
        columns=dict(first.headers),
        ignored_columns=tuple(dict.fromkeys(h for p in plans for h in p.ignored)),
        header_row=first.header_index + 1,
        format=first.grid.format,
        sheets=tuple(p.grid.title for p in plans if p.grid.title),
        skipped=tuple(state.skipped),
    )


def _missing_columns(plan: SheetPlan) -> list[RowProblem]:
    required = PERSONAL_FIELDS if plan.unit is not None else REQUIRED_FIELDS
    problems = []
    for field in required:
        if field in plan.columns:
            continue
        reason = _("required column is missing")
        if field == "delegation":
            reason = _(
                "required column is missing; or name the delegation in the sheet's name or "
                "in a title above the header such as 衡南县代表团代表名单"
            )
        row = plan.header_index + 1
        problems.append(RowProblem(row, _FIELD_LABELS[field], None, reason, plan.label))
    return problems
