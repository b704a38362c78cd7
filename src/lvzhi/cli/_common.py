"""What the command groups share: progress on a terminal, the ``--db`` option, opening the
store (refusing a missing database for commands that only read)."""

from __future__ import annotations

import argparse
import errno
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from lvzhi.errors import StorageError
from lvzhi.i18n import ENGLISH, N_, _, language

if TYPE_CHECKING:
    from lvzhi.secretariat import Secretariat

__all__ = [
    "Progress",
    "db_parent",
    "describe_os_error",
    "open_office",
    "os_error_reason",
    "subcommand",
]

# The operating system's messages are English (Python does not translate them): the usual
# ones in the user's language.
_OS_ERRORS = {
    errno.ENOENT: N_("no such file or folder"),
    errno.EACCES: N_("permission denied"),
    errno.EPERM: N_("operation not permitted"),
    errno.EISDIR: N_("is a folder"),
    errno.ENOTDIR: N_("not a folder"),
    errno.EEXIST: N_("already exists"),
    errno.ENOSPC: N_("no space left on the disk"),
    errno.EROFS: N_("read-only file system"),
}


def os_error_reason(error: OSError) -> str:
    """What went wrong, in the user's language when it is a usual error."""
    reason = _OS_ERRORS.get(error.errno or 0)
    if reason is None or language() == ENGLISH:
        return error.strerror or str(error)
    return _(reason)


def describe_os_error(error: OSError) -> str:
    """``str(error)`` in English; in another language the file and the reason, translated."""
    if language() == ENGLISH:
        return str(error)
    if error.filename is None:
        return os_error_reason(error)
    return _("{file}: {reason}").format(file=error.filename, reason=os_error_reason(error))


class Progress:
    """``done/total`` on one rewritten line of stderr when it is a terminal; silent otherwise."""

    def __init__(self, label: str, stream: TextIO | None = None) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.active = self.stream.isatty()
        self._shown = False

    def __call__(self, done: int, total: int) -> None:
        if not self.active:
            return
        self.stream.write(f"\r{self.label}: {done}/{total}")
        self.stream.flush()
        self._shown = True

    def step(self, message: str) -> None:
        if self.active:
            self.stream.write(f"\r\x1b[K{self.label}: {message}")
            self.stream.flush()
            self._shown = True

    def done(self) -> None:
        if self._shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def db_parent() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--db",
        metavar="URL",
        default=None,
        help=_(
            "storage URL (default: $LVZHI_DB, else sqlite:///lvzhi.db); "
            "e.g. sqlite:///course.db, memory://"
        ),
    )
    return parent


def subcommand(
    sub: argparse._SubParsersAction[Any], name: str, help_text: str, func: Any
) -> argparse.ArgumentParser:
    """A subcommand that takes ``--db`` and runs ``func(args)``; its help and description
    are ``help_text``."""
    p: argparse.ArgumentParser = sub.add_parser(
        name, parents=[db_parent()], help=help_text, description=help_text
    )
    p.set_defaults(func=func)
    return p


def _sqlite_path(url: str) -> Path | None:
    if url.lower().startswith("sqlite:///"):
        path = url[len("sqlite:///") :].split("?", 1)[0]
        return None if path in ("", ":memory:") else Path(path)
    return None


def open_office(args: argparse.Namespace, *, create: bool = False) -> Secretariat:
    """Open the store named by ``--db``.  Unless ``create``, a SQLite file that does not
    exist is refused instead of being created empty."""
    import os

    import lvzhi
    from lvzhi.bootstrap import DEFAULT_URL, scheme_of

    url = args.db or os.environ.get("LVZHI_DB") or DEFAULT_URL
    if not scheme_of(url):
        url = f"sqlite:///{url}"
    path = _sqlite_path(url)
    if not create and path is not None and not path.exists():
        raise StorageError(
            _("no lvzhi database at {path}; run `lvzhi init` or check --db").format(path=path)
        )
    return lvzhi.open(url)
