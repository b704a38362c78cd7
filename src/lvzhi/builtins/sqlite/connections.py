"""Connections of the SQLite backend: opening them (read-write or read-only), waiting out a
busy database, and the small pool each backend object keeps.

Busy
    ``busy_timeout`` makes SQLite itself wait for a lock; when a lock is held longer than
    that (another process importing a large roster), :func:`retry_busy` keeps trying with
    exponential back-off plus jitter until a deadline, so "database is locked" never reaches
    the caller unless the database stays busy for the whole deadline.
Read-only files
    A file this process cannot write (permissions, a read-only medium, a directory where
    SQLite cannot create the ``-wal`` and ``-shm`` files) is opened through a
    ``file:…?mode=ro`` URI.  If SQLite cannot read a WAL database that way because the
    directory is not writable either, it is opened ``immutable=1``, which SQLite documents
    as the way to read such a file.
"""

from __future__ import annotations

import os
import random
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Final, TypeVar
from urllib.parse import quote

import attrs

from lvzhi.errors import StorageError
from lvzhi.i18n import _

__all__ = [
    "BUSY_DEADLINE",
    "BUSY_TIMEOUT",
    "POOL_SIZE",
    "ConnectionPool",
    "Opener",
    "cannot_write",
    "is_busy",
    "opens_read_only",
    "retry_busy",
]

T = TypeVar("T")

#: Seconds SQLite itself waits for a lock before reporting the database busy.
BUSY_TIMEOUT: Final = 5.0
#: Seconds a unit of work keeps retrying a busy database before giving up.
BUSY_DEADLINE: Final = 60.0
#: Idle connections a backend object keeps for later units of work.
POOL_SIZE: Final = 4

_FIRST_DELAY: Final = 0.005
_MAX_DELAY: Final = 1.0
_BUSY_CODES: Final = frozenset({sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED})
_UNREADABLE_READ_ONLY: Final = frozenset({"SQLITE_READONLY_DIRECTORY", "SQLITE_CANTOPEN"})


def is_busy(exc: sqlite3.Error) -> bool:
    """Whether ``exc`` says another connection holds a lock (``SQLITE_BUSY``/``LOCKED``)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int) and code & 0xFF in _BUSY_CODES:
        return True
    text = str(exc).lower()
    return "database is locked" in text or "database table is locked" in text


def retry_busy(
    action: Callable[[], T],
    *,
    deadline: float,
    what: str,
    path: str,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> T:
    """``action()``, retried while the database is busy, sleeping with exponential
    back-off plus jitter, for at most ``deadline`` seconds; then a
    :class:`~lvzhi.errors.StorageError` saying what could not be done."""
    limit = clock() + deadline
    delay = _FIRST_DELAY
    while True:
        try:
            return action()
        except sqlite3.OperationalError as exc:
            if not is_busy(exc):
                raise
            remaining = limit - clock()
            if remaining <= 0:
                raise StorageError(
                    _(
                        "SQLite database {path!r} stayed busy for {seconds:g} s, "
                        "so lvzhi could not {action}: {error}"
                    ).format(path=path, seconds=deadline, action=what, error=exc)
                ) from exc
            sleep(min(remaining, delay * (0.5 + random.random())))
            delay = min(delay * 2, _MAX_DELAY)


def cannot_write(path: Path) -> bool:
    """Whether this process cannot write the existing database file ``path``: the file is
    not writable, or its directory is not and the journal files SQLite needs beside the
    file are not there to be written."""
    if not os.access(path, os.W_OK):
        return True
    if os.access(path.parent, os.W_OK | os.X_OK):
        return False
    return not all(os.access(f"{path}{suffix}", os.W_OK) for suffix in ("-wal", "-shm"))


def opens_read_only(path: str, requested: bool) -> bool:
    """Whether the database file at ``path`` is to be opened read-only: asked for, or not
    writable by this process.  A file that cannot be created (or, asked for read-only, does
    not exist) is a :class:`~lvzhi.errors.StorageError` naming it."""
    file = Path(path)
    if file.exists():
        return requested or cannot_write(file)
    if requested:
        raise StorageError(
            _("cannot open SQLite database {path!r} read-only: no such file").format(path=path)
        )
    parent = file.parent
    if not parent.is_dir():
        raise StorageError(
            _("cannot open SQLite database {path!r}: directory {folder!r} does not exist").format(
                path=path, folder=str(parent)
            )
        )
    if not os.access(parent, os.W_OK | os.X_OK):
        raise StorageError(
            _(
                "cannot create SQLite database {path!r}: directory {folder!r} is not writable"
            ).format(path=path, folder=str(parent))
        )
    return False


@attrs.define
class Opener:
    """How to open one more connection to a database."""

    path: str
    readonly: bool = False
    busy_timeout: float = BUSY_TIMEOUT
    immutable: bool = False

    def target(self) -> tuple[str, bool]:
        """The name given to :func:`sqlite3.connect` and whether it is a URI."""
        if not self.readonly:
            return self.path, False
        uri = f"file:{quote(os.path.abspath(self.path))}?mode=ro"
        return (f"{uri}&immutable=1" if self.immutable else uri), True

    def __call__(self) -> sqlite3.Connection:
        connection = self._connect()
        if self.readonly and not self.immutable and not self._readable(connection):
            # A WAL database whose -shm file cannot be created: read it as immutable.
            connection.close()
            self.immutable = True
            connection = self._connect()
        return connection

    def _connect(self) -> sqlite3.Connection:
        name, uri = self.target()
        connection = sqlite3.connect(
            name,
            uri=uri,
            isolation_level=None,  # transactions are explicit: BEGIN … COMMIT
            check_same_thread=False,  # a pooled connection serves one thread at a time
            timeout=self.busy_timeout,
        )
        try:
            connection.execute(f"PRAGMA busy_timeout = {round(self.busy_timeout * 1000)}")
            connection.execute("PRAGMA foreign_keys = ON")
        except BaseException:
            connection.close()
            raise
        return connection

    @staticmethod
    def _readable(connection: sqlite3.Connection) -> bool:
        try:
            connection.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError as exc:
            if getattr(exc, "sqlite_errorname", "") in _UNREADABLE_READ_ONLY:
                return False
            connection.close()
            raise
        except BaseException:
            connection.close()
            raise
        return True


class ConnectionPool:
    """The connections of one backend object: one per open unit of work, and up to
    ``keep`` idle ones kept for the next.  ``shared=True`` keeps a single connection that
    every caller gets (an in-memory database exists only inside its connection)."""

    def __init__(
        self, opener: Opener, *, keep: int = POOL_SIZE, shared: bool = False, path: str = ""
    ) -> None:
        self._opener = opener
        self._keep = max(keep, 0)
        self._shared = shared
        self._path = path or opener.path
        self._lock = threading.Lock()
        self._idle: list[sqlite3.Connection] = []
        self._single: sqlite3.Connection | None = None
        self._closed = False

    @property
    def closed(self) -> bool:
        return self._closed

    def _refuse(self) -> StorageError:
        return StorageError(f"the SQLite backend for {self._path!r} is closed")

    def acquire(self) -> sqlite3.Connection:
        """A connection for the caller's sole use (or the shared one)."""
        with self._lock:
            if self._closed:
                raise self._refuse()
            if self._shared:
                if self._single is None:
                    self._single = self._opener()
                return self._single
            if self._idle:
                return self._idle.pop()
        connection = self._opener()
        opened_after_close = False
        with self._lock:
            opened_after_close = self._closed
        if opened_after_close:
            connection.close()
            raise self._refuse()
        return connection

    def release(self, connection: sqlite3.Connection, *, broken: bool = False) -> None:
        """Give a connection back; it is closed if the pool is closed or full, or if
        ``broken`` (its state is unknown)."""
        with self._lock:
            if self._shared:
                if not (broken or self._closed):
                    return
                if connection is self._single:
                    self._single = None
            elif not (broken or self._closed) and len(self._idle) < self._keep:
                self._idle.append(connection)
                return
        connection.close()

    def close(self) -> None:
        """Close every idle connection now and every busy one when it is released."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
            single, self._single = self._single, None
        for connection in idle:
            connection.close()
        if single is not None:
            single.close()
