"""What the command groups share: progress on a terminal, the ``--db`` option, opening the
store (refusing a missing database for commands that only read)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from lvzhi.errors import StorageError

if TYPE_CHECKING:
    from lvzhi.secretariat import Secretariat

__all__ = ["Progress", "db_parent", "open_office"]


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
        help="storage URL (default: $LVZHI_DB, else sqlite:///lvzhi.db); "
        "e.g. sqlite:///course.db, memory://",
    )
    return parent


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
        raise StorageError(f"no lvzhi database at {path}; run `lvzhi init` or check --db")
    return lvzhi.open(url)
