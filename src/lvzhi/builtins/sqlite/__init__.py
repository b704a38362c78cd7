"""The SQLite storage backend (``sqlite:///course.db``): the embedded default.

URLs
    ``sqlite:///relative/path.db`` (three slashes, then a path relative to the working
    directory), ``sqlite:////abs/path.db`` (four slashes: an absolute path) and
    ``sqlite:///:memory:`` (a private in-memory database); ``?mode=ro`` opens a file
    read-only.  The file is created if missing, its directory is not: a missing directory
    is a :class:`~lvzhi.errors.StorageError`.

Schema
    Each aggregate of :data:`lvzhi.storage.schema.AGGREGATES` is a table
    ``(key TEXT PRIMARY KEY, data TEXT NOT NULL, …)`` holding the model as JSON plus one
    real, indexed column per attribute named in its ``indexes``; the scan log is a table of
    real columns.  The schema is versioned by the frozen steps of :data:`MIGRATIONS`.

Transactions and connections
    See :mod:`lvzhi.builtins.sqlite.backend`: read-only units of work, ``BEGIN IMMEDIATE``
    writers that wait out a busy database, and a small pool of connections per backend.
"""

from __future__ import annotations

from lvzhi.builtins.sqlite.backend import SQLiteStorage, SQLiteUnitOfWork
from lvzhi.builtins.sqlite.connections import BUSY_DEADLINE, BUSY_TIMEOUT, POOL_SIZE
from lvzhi.builtins.sqlite.migrations import MIGRATIONS, Migration, latest_version
from lvzhi.builtins.sqlite.repository import SQLiteRepository
from lvzhi.builtins.sqlite.scanlog import SQLiteScanLog
from lvzhi.plugins import hookimpl

__all__ = [
    "BUSY_DEADLINE",
    "BUSY_TIMEOUT",
    "MIGRATIONS",
    "POOL_SIZE",
    "Migration",
    "SQLiteRepository",
    "SQLiteScanLog",
    "SQLiteStorage",
    "SQLiteUnitOfWork",
    "latest_version",
    "lvzhi_register_storage_backends",
]


@hookimpl
def lvzhi_register_storage_backends() -> list[type[SQLiteStorage]]:
    return [SQLiteStorage]
