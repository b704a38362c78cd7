"""Imports: a roster file becomes deputies and delegations, all rows or none."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import attrs

from lvzhi.domain import Delegate
from lvzhi.domain.events import RosterImported
from lvzhi.services.context import Service

if TYPE_CHECKING:
    from lvzhi.importing import SkippedRow

__all__ = ["ImportReport", "ImportsService", "Progress"]

Progress = Callable[[int, int], None]
"""``progress(done, total)`` is called as long work advances (imports, exports)."""


@attrs.frozen(kw_only=True)
class ImportReport:
    """What :meth:`~lvzhi.services.imports.ImportsService.roster` did.

    ``sheets`` names the sheets read (none for a text file); ``skipped`` lists the rows
    and sheets passed over (blank rows, repeated headers, notes, footers, sheets without a
    roster), each with its row, sheet and reason (``lvzhi.importing.SkippedRow``)."""

    source: str
    delegates: int
    created: int
    updated: int
    delegations_created: tuple[str, ...]
    ignored_columns: tuple[str, ...]
    sheets: tuple[str, ...] = ()
    skipped: tuple[SkippedRow, ...] = ()


def _recode(
    delegates: tuple[Delegate, ...], used: dict[str, str], now: dict[str, str]
) -> list[Delegate]:
    """Deputies with the delegation codes of ``now`` where parsing assumed ``used``."""
    remap = {used[name]: now[name] for name in used if used[name] != now[name]}
    if not remap:
        return list(delegates)
    return [
        attrs.evolve(d, delegation=remap[d.delegation]) if d.delegation in remap else d
        for d in delegates
    ]


class ImportsService(Service):
    """``office.imports``: bring rosters in."""

    def roster(
        self,
        source: str | os.PathLike[str] | bytes | BinaryIO,
        *,
        format: str | None = None,
        source_name: str | None = None,
        progress: Progress | None = None,
        sheet: str | None = None,
    ) -> ImportReport:
        """Import a roster (xlsx, ods, or a csv/txt text file).  Deputies are created or
        updated by certificate number; delegations are matched by name and created when new.
        Either every row is written or, on any problem, none:
        :class:`~lvzhi.errors.ImportProblem` lists every bad row and column at once.

        ``sheet`` names the workbook's sheet to read; by default the roster's sheet is found
        (or, for a workbook of one sheet per delegation, every such sheet is read).  Blank
        rows, repeated headers, notes and footers are passed over and listed in the report.

        The file is read and checked before the write transaction begins; delegation codes
        are then allocated inside it, so two imports running at once never file a deputy
        under another import's delegation."""
        from lvzhi.importing import derive_codes, parse_roster

        name = source_name or (
            str(source) if isinstance(source, (str, os.PathLike)) else "<roster>"
        )
        with self._ctx.read() as uow:
            known = {d.name: d.code for d in uow.delegations.list()}
        readable = Path(source) if isinstance(source, os.PathLike) else source
        parsed = parse_roster(
            readable, format=format, delegation_codes=known, source_name=name, sheet=sheet
        )
        total = len(parsed.delegates)
        new_units: list[str] = []
        with self._ctx.write() as tx:
            uow = tx.uow
            stored = uow.delegations.list()
            known_now = {d.name: d.code for d in stored}
            used = {d.name: d.code for d in parsed.delegations}
            codes = derive_codes(list(used), known_now)
            delegates = _recode(parsed.delegates, used, codes)
            next_order = max((d.order for d in stored), default=0) + 1
            for unit in parsed.delegations:
                if unit.name in known_now:
                    continue
                new = attrs.evolve(unit, code=codes[unit.name], order=next_order)
                next_order += 1
                uow.delegations.add(new)
                new_units.append(new.code)
            existing = uow.delegates.existing([d.certificate_no for d in delegates])
            for start in range(0, total, 5000):
                uow.delegates.put_many(delegates[start : start + 5000])
                if progress:
                    progress(min(start + 5000, total), total)
            created = total - len(existing)
            tx.emit(
                RosterImported(
                    occurred_at=self._ctx.now(),
                    source=name,
                    delegates=total,
                    delegations=len(parsed.delegations),
                    created=created,
                    updated=len(existing),
                )
            )
        return ImportReport(
            source=name,
            delegates=total,
            created=created,
            updated=len(existing),
            delegations_created=tuple(new_units),
            ignored_columns=tuple(parsed.ignored_columns),
            sheets=parsed.sheets,
            skipped=parsed.skipped,
        )
