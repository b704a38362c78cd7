"""Reports and exports: a registered report, built from one read-only snapshot, rendered by
a registered exporter and written safely."""

from __future__ import annotations

import contextlib
import logging
import os
import stat
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from lvzhi.domain.events import ExportWritten
from lvzhi.errors import NotFound, ValidationError
from lvzhi.i18n import _
from lvzhi.ports import ReportContext
from lvzhi.ports.export import GatheringReport
from lvzhi.services.context import Service, current_programme

if TYPE_CHECKING:
    import tablib

__all__ = ["ExportsService", "write_atomically"]

#: Warnings about exports: one per text whose characters were replaced or removed.
logger = logging.getLogger("lvzhi.exports")


def _row_count(data: Any) -> int:
    sheets = data.sheets() if hasattr(data, "sheets") else [data]
    return sum(s.height for s in sheets)


def _target(target: str | os.PathLike[str]) -> Path:
    """The file ``target`` names: a symlink (or a chain of them) followed to its end; a
    :class:`~lvzhi.errors.ValidationError` for a directory, a device, a FIFO, a socket, a
    symlink loop or a folder that does not exist."""
    path = Path(target)
    if path.is_symlink():
        try:
            path = path.resolve(strict=False)
        except (OSError, RuntimeError) as exc:
            reason = _("is a symlink that leads nowhere")
            raise ValidationError("target", str(target), reason) from exc
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        reason = _("cannot be used: {error}").format(error=exc.strerror)
        raise ValidationError("target", str(target), reason) from exc
    if mode is not None and not stat.S_ISREG(mode):
        reason = (
            _("is a directory; give a file path")
            if stat.S_ISDIR(mode)
            else _("is not a regular file; give a file path")
        )
        raise ValidationError("target", str(target), reason)
    if not path.parent.is_dir():
        folder = str(path.parent)
        reason = _("folder {folder!r} does not exist").format(folder=folder)
        raise ValidationError("target", str(target), reason)
    return path


def _umask() -> int | None:
    """The process's umask where the system tells it without changing it (Linux), else
    ``None``."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        return None
    return None


def _file_mode(path: Path) -> int | None:
    """The permissions the written file gets: those of the file it replaces, else what a new
    file gets under the umask (``None`` when that is unknown: the temporary file's own,
    readable by the owner only)."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        umask = _umask()
        return None if umask is None else 0o666 & ~umask


def write_atomically(target: str | os.PathLike[str], payload: bytes) -> Path:
    """Write ``payload`` to ``target`` through a unique temporary file beside it, flushed to
    disk and then renamed over the target, so that the target is either the old file or the
    whole new one; the temporary file is removed on any failure.

    A symlink is followed and the file it points to is written (the link stays a link); a
    directory, a device (``/dev/null``), a FIFO or a missing folder is refused with a
    :class:`~lvzhi.errors.ValidationError` naming the path.  A replaced file keeps its
    permissions.  Returns the path written.
    """
    path = _target(target)
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        folder = str(path.parent)
        reason = _("cannot be written in folder {folder!r}: {error}").format(
            folder=folder, error=exc.strerror
        )
        raise ValidationError("target", str(target), reason) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
            mode = _file_mode(path)
            if mode is not None:
                os.fchmod(handle.fileno(), mode)
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
    ) -> tuple[tablib.Dataset | tablib.Databook, ReportContext]:
        registry = self._ctx.registries.reports
        report = registry.get(name)
        given = dict(options or {})
        office = self._ctx.office
        if office is not None and callable(getattr(report, "gather", None)):
            # What a report needs from another capability (statuses from the attendance
            # rule), worked out first; the caller's options win.
            gathered = registry.call(
                name, "gather", lambda r: cast(GatheringReport, r).gather(office, programme_id)
            )
            given = {**dict(gathered), **given}
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
                options=given,
            )
            data = registry.call(name, "build", lambda r: r.build(context))
        return data, context

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
        spreadsheet format is neutralised against formula injection by the core, times are
        local to the programme's zone and each sheet is titled with the programme's and the
        report's titles; phone numbers are masked unless ``reveal_phones``.

        Characters the format cannot hold are replaced or removed
        (:func:`lvzhi.reports.prepare_export`), never a reason to fail: each text changed is
        logged as a warning on the ``lvzhi.exports`` logger, naming the report, the sheet,
        the row, the column and the code points."""
        from lvzhi.reports.render import prepare_export

        exporters = self._ctx.registries.exporters
        exporter = exporters.get(format)
        data, context = self._build(name, programme_id, reveal_phones, options)
        prepared = prepare_export(
            data,
            spreadsheet=bool(exporter.spreadsheet),
            timezone=context.timezone,
            programme_title=context.programme.title if context.programme else None,
            report_title=str(self._ctx.registries.reports.get(name).title or "") or None,
        )
        for replacement in prepared.replacements:
            logger.warning(
                _("export {report} ({format}): {change}").format(
                    report=name, format=format, change=replacement
                )
            )
        ready = prepared.data
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
