"""Reports and exports: a registered report, built from one read-only snapshot, rendered by
a registered exporter and written safely."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lvzhi.domain.events import ExportWritten
from lvzhi.errors import NotFound, ValidationError
from lvzhi.ports import ReportContext
from lvzhi.services.context import Service, current_programme

if TYPE_CHECKING:
    import tablib

__all__ = ["ExportsService", "write_atomically"]


def _row_count(data: Any) -> int:
    sheets = data.sheets() if hasattr(data, "sheets") else [data]
    return sum(s.height for s in sheets)


def write_atomically(target: str | os.PathLike[str], payload: bytes) -> Path:
    """Write ``payload`` to ``target`` through a unique temporary file beside it, removed on
    failure.  A symlink is followed to its target; a directory or a device is refused.
    Returns the path written."""
    path = Path(target)
    if path.is_symlink():
        path = path.resolve()
    if path.exists() and not stat.S_ISREG(path.stat().st_mode):
        kind = "a directory" if path.is_dir() else "not a regular file"
        raise ValidationError("target", str(target), f"is {kind}; give a file path")
    parent = path.parent
    if not parent.is_dir():
        raise ValidationError("target", str(target), f"folder {str(parent)!r} does not exist")
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    return path


class ExportsService(Service):
    """``office.reports``: printable reports (tables and workbooks) in every format."""

    def names(self) -> list[str]:
        """The registered reports."""
        return self._ctx.registries.reports.names()

    def formats(self) -> list[str]:
        """The registered export formats."""
        return self._ctx.registries.exporters.names()

    def table(
        self,
        name: str,
        *,
        programme_id: str | None = None,
        reveal_phones: bool = False,
        options: Mapping[str, Any] | None = None,
    ) -> tablib.Dataset | tablib.Databook:
        """Build the registered report ``name`` (``roster``, ``timetable``,
        ``delegations``, ``groups``, ``suggestions``, or one a plugin adds) from one
        read-only snapshot of the store."""
        data, _ = self._build(name, programme_id, reveal_phones, options)
        return data

    def _build(
        self,
        name: str,
        programme_id: str | None,
        reveal_phones: bool,
        options: Mapping[str, Any] | None,
    ) -> tuple[tablib.Dataset | tablib.Databook, str]:
        registry = self._ctx.registries.reports
        report = registry.get(name)
        with self._ctx.read() as uow:
            try:
                programme = current_programme(uow, programme_id)
            except NotFound:
                if programme_id is not None or report.needs_programme:
                    raise
                programme = None
            context = ReportContext(
                uow=uow,
                programme=programme,
                order_key=self._ctx.collation.key,
                timezone=programme.timezone if programme else "Asia/Shanghai",
                reveal_phones=reveal_phones,
                options=dict(options or {}),
            )
            data = registry.call(name, "build", lambda r: r.build(context))
        return data, context.timezone

    def export(
        self,
        name: str,
        format: str,
        target: str | os.PathLike[str] | None = None,
        *,
        programme_id: str | None = None,
        reveal_phones: bool = False,
        options: Mapping[str, Any] | None = None,
    ) -> bytes:
        """Render a report in a registered format and, if ``target`` is given, write it
        there (through a temporary file; see :func:`write_atomically`).  Every
        spreadsheet format is neutralised against formula injection by the core, and times
        are local to the programme's zone; phone numbers are masked unless
        ``reveal_phones``."""
        from lvzhi.reports.render import prepare

        exporters = self._ctx.registries.exporters
        exporter = exporters.get(format)
        data, zone = self._build(name, programme_id, reveal_phones, options)
        ready = prepare(data, spreadsheet=bool(exporter.spreadsheet), timezone=zone)
        payload = exporters.call(format, "export", lambda e: e.export(ready))
        where = "<memory>"
        if target is not None:
            where = str(write_atomically(target, payload))
        self._ctx.bus.publish(
            ExportWritten(
                occurred_at=self._ctx.now(),
                table=name,
                format=format,
                target=where,
                rows=_row_count(data),
            )
        )
        return payload
