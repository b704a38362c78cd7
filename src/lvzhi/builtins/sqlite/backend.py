"""The SQLite backend object and its units of work.

Transactions
    A unit of work that writes runs ``BEGIN IMMEDIATE`` … ``COMMIT``: it takes SQLite's
    write lock at the start (waiting out a busy database, see
    :func:`~lvzhi.builtins.sqlite.connections.retry_busy`), so it never fails half-way on a
    lock.  A read-only one (``unit_of_work(readonly=True)``) runs a deferred ``BEGIN`` with
    ``PRAGMA query_only = ON``: it never takes the write lock, sees the data committed when
    it first reads, and any write in it is a :class:`~lvzhi.errors.StorageError`.
Connections
    Each open unit of work has a connection of its own from the backend's pool, so a
    reader in one thread is not blocked by a writer in another.  At most one unit of work
    that writes is open per backend object at a time; others wait for it.  A thread that
    holds one cannot open another that writes (it could never start), but it can open
    read-only ones.  ``sqlite:///:memory:`` has a single connection, so its units of work
    run one after another and cannot be nested.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any, ClassVar, Self

from lvzhi.builtins.sqlite.connections import (
    BUSY_DEADLINE,
    BUSY_TIMEOUT,
    POOL_SIZE,
    ConnectionPool,
    Opener,
    opens_read_only,
    retry_busy,
)
from lvzhi.builtins.sqlite.migrations import MIGRATIONS, Migration, prepare, stored_version
from lvzhi.builtins.sqlite.repository import SQLiteRepository
from lvzhi.builtins.sqlite.scanlog import SQLiteScanLog
from lvzhi.errors import StorageError
from lvzhi.i18n import _
from lvzhi.ports.storage import UnitOfWork
from lvzhi.storage.schema import aggregate
from lvzhi.storage.url import MEMORY, parse_sqlite_url

__all__ = ["SQLiteStorage", "SQLiteUnitOfWork"]


@contextmanager
def _translate(action: str) -> Iterator[None]:
    try:
        yield
    except sqlite3.Error as exc:
        raise StorageError(f"SQLite could not {action}: {exc}") from exc


class SQLiteUnitOfWork(UnitOfWork):
    """One transaction on its own connection; use it as a context manager.

    Entering begins (``BEGIN IMMEDIATE``, or a deferred ``BEGIN`` if read-only); leaving
    commits, or rolls back if the block raised.  ``commit()`` and ``rollback()`` inside the
    block end the current transaction and begin the next one."""

    def __init__(self, storage: SQLiteStorage, *, readonly: bool = False) -> None:
        self.readonly = readonly
        self._storage = storage
        self._connection: sqlite3.Connection | None = None
        self._ended = False
        self._repositories: dict[str, SQLiteRepository[Any]] = {}
        self._scans: SQLiteScanLog | None = None

    # -- repositories ----------------------------------------------------------------------
    def repository(self, name: str) -> SQLiteRepository[Any]:
        repository = self._repositories.get(name)
        if repository is None:
            try:
                declared = aggregate(name)
            except KeyError as exc:
                raise StorageError(str(exc.args[0])) from None
            repository = self._repositories[name] = SQLiteRepository(declared, self)
        return repository

    @property
    def scans(self) -> SQLiteScanLog:
        if self._scans is None:
            self._scans = SQLiteScanLog(self)
        return self._scans

    @property
    def connection(self) -> sqlite3.Connection:
        """This unit of work's connection (only inside its ``with`` block)."""
        if self._connection is None:
            raise StorageError(
                "this unit of work has ended; open a new one"
                if self._ended
                else "use the unit of work inside 'with backend.unit_of_work() as uow:'"
            )
        return self._connection

    # -- statements ------------------------------------------------------------------------
    def _check_writable(self, action: str) -> None:
        if self.readonly:
            raise StorageError(
                f"cannot {action}: the unit of work is read-only (opened with readonly=True)"
            )

    def _write(self, sql: str, params: Sequence[Any], action: str) -> sqlite3.Cursor:
        self._check_writable(action)
        connection = self.connection
        with _translate(action):
            return connection.execute(sql, params)

    def _write_many(self, sql: str, rows: Iterable[Sequence[Any]], action: str) -> None:
        self._check_writable(action)
        connection = self.connection
        with _translate(action):
            connection.executemany(sql, rows)

    def _fetchone(self, sql: str, params: Sequence[Any]) -> Any:
        connection = self.connection
        with _translate("read"):
            return connection.execute(sql, params).fetchone()

    def _fetchall(self, sql: str, params: Sequence[Any]) -> list[Any]:
        connection = self.connection
        with _translate("read"):
            return connection.execute(sql, params).fetchall()

    # -- transaction -----------------------------------------------------------------------
    def _begin(self, connection: sqlite3.Connection) -> None:
        if self.readonly:
            with _translate("begin a read-only transaction"):
                connection.execute("BEGIN")
            return
        storage = self._storage
        with _translate("begin a transaction"):
            retry_busy(
                lambda: connection.execute("BEGIN IMMEDIATE"),
                deadline=storage.busy_deadline,
                what=_("begin a transaction"),
                path=storage.path,
            )

    def commit(self) -> None:
        """Commit what was done so far and begin again."""
        connection = self.connection
        with _translate("commit"):
            connection.execute("COMMIT")
        self._begin(connection)

    def rollback(self) -> None:
        """Undo what was done since the last commit and begin again."""
        connection = self.connection
        with _translate("roll back"):
            connection.execute("ROLLBACK")
        self._begin(connection)

    def __enter__(self) -> Self:
        if self._connection is not None or self._ended:
            raise StorageError("a unit of work can be entered only once")
        storage = self._storage
        storage._admit(self)
        connection: sqlite3.Connection | None = None
        try:
            connection = storage._pool.acquire()
            if self.readonly:
                with _translate("start a read-only unit of work"):
                    connection.execute("PRAGMA query_only = ON")
            self._begin(connection)
        except BaseException:
            if connection is not None:
                self._release(connection)
            storage._dismiss(self)
            raise
        self._connection = connection
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        connection = self._connection
        if connection is None:
            return
        try:
            if exc_type is None:
                with _translate("commit"):
                    connection.execute("COMMIT")
            elif connection.in_transaction:
                with _translate("roll back"):
                    connection.execute("ROLLBACK")
        finally:
            self._connection = None
            self._ended = True
            self._release(connection)
            self._storage._dismiss(self)

    def _release(self, connection: sqlite3.Connection) -> None:
        """Leave the connection as found (no transaction, writes allowed) and give it back;
        a connection that cannot be reset is closed instead."""
        broken = False
        try:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            if self.readonly:
                connection.execute("PRAGMA query_only = OFF")
        except sqlite3.Error:
            broken = True
        self._storage._pool.release(connection, broken=broken)


class SQLiteStorage:
    """A SQLite database file (or ``:memory:``).  See :mod:`lvzhi.builtins.sqlite`.

    ``readonly=True`` (or ``?mode=ro`` in the URL) opens the file read-only; a file this
    process cannot write is opened read-only anyway, and :attr:`readonly` says so.
    ``busy_timeout`` is how long SQLite waits for a lock at a time, ``busy_deadline`` how
    long a unit of work keeps retrying a busy database in all (both in seconds, and
    settable afterwards), ``pool_size`` how many idle connections are kept."""

    name: ClassVar[str] = "sqlite"
    schemes: ClassVar[tuple[str, ...]] = ("sqlite",)

    def __init__(
        self,
        path: str | Path,
        *,
        readonly: bool = False,
        migrations: Sequence[Migration] | None = None,
        busy_timeout: float = BUSY_TIMEOUT,
        busy_deadline: float = BUSY_DEADLINE,
        pool_size: int = POOL_SIZE,
    ) -> None:
        self.path = str(path)
        self.memory = self.path == MEMORY
        self.busy_deadline = float(busy_deadline)
        if self.memory and readonly:
            raise StorageError("an in-memory SQLite database cannot be opened read-only")
        self.readonly = False if self.memory else opens_read_only(self.path, readonly)
        self._write_lock = threading.Lock()  # one unit of work that writes at a time
        self._serial = threading.RLock()  # :memory: only: one unit of work at a time
        self._holders: dict[int, SQLiteUnitOfWork] = {}
        opener = Opener(self.path, readonly=self.readonly, busy_timeout=float(busy_timeout))
        self._pool = ConnectionPool(opener, keep=pool_size, shared=self.memory)
        try:
            connection = self._pool.acquire()
            try:
                prepare(
                    connection,
                    self.path,
                    readonly=self.readonly,
                    wal=not self.memory,
                    migrations=MIGRATIONS if migrations is None else migrations,
                    deadline=self.busy_deadline,
                )
            finally:
                self._pool.release(connection, broken=connection.in_transaction)
        except sqlite3.Error as exc:
            self.close()
            raise StorageError(
                _("cannot open SQLite database {path!r}: {error}").format(path=self.path, error=exc)
            ) from exc
        except BaseException:
            self.close()
            raise

    @classmethod
    def from_url(
        cls,
        url: str,
        *,
        busy_timeout: float = BUSY_TIMEOUT,
        busy_deadline: float = BUSY_DEADLINE,
        pool_size: int = POOL_SIZE,
    ) -> SQLiteStorage:
        """Open (creating and migrating if needed) the database at a ``sqlite:///`` URL;
        ``?mode=ro`` opens it read-only."""
        parsed = parse_sqlite_url(url)
        return cls(
            parsed.path,
            readonly=parsed.readonly,
            busy_timeout=busy_timeout,
            busy_deadline=busy_deadline,
            pool_size=pool_size,
        )

    # -- units of work ---------------------------------------------------------------------
    def unit_of_work(self, *, readonly: bool = False) -> SQLiteUnitOfWork:
        """A new unit of work; ``readonly=True`` for one that only reads."""
        if self._pool.closed:
            raise StorageError(f"the SQLite backend for {self.path!r} is closed")
        if self.readonly and not readonly:
            raise StorageError(
                _(
                    "SQLite database {path!r} is read-only (opened with mode=ro, or not "
                    "writable by this process): open units of work with readonly=True"
                ).format(path=self.path)
            )
        return SQLiteUnitOfWork(self, readonly=readonly)

    def _admit(self, uow: SQLiteUnitOfWork) -> None:
        """Wait for the unit of work's turn: the one writer (files), or the one connection
        (``:memory:``); refuse what could never start."""
        me = threading.get_ident()
        held = self._holders.get(me)
        if self.memory:
            if held is not None:
                raise StorageError(
                    "a unit of work is already open on this in-memory SQLite database in this "
                    "thread, and it has a single connection; finish that one first"
                )
            lock: Any = self._serial
        elif uow.readonly:
            return
        elif held is not None:
            raise StorageError(
                "a unit of work that writes is already open on this SQLite backend in this "
                "thread; finish it before opening another (read-only ones are allowed)"
            )
        else:
            lock = self._write_lock
        if not lock.acquire(timeout=max(self.busy_deadline, 0.0)):
            raise StorageError(
                _(
                    "waited {seconds:g} s for another unit of work on SQLite database "
                    "{path!r} to finish"
                ).format(seconds=self.busy_deadline, path=self.path)
            )
        self._holders[me] = uow

    def _dismiss(self, uow: SQLiteUnitOfWork) -> None:
        me = threading.get_ident()
        if self._holders.get(me) is not uow:
            return
        del self._holders[me]
        (self._serial if self.memory else self._write_lock).release()

    def schema_version(self) -> int:
        """The highest migration applied to this database."""
        connection = self._pool.acquire()
        try:
            with _translate("read the schema version"):
                return stored_version(connection)
        finally:
            self._pool.release(connection)

    def close(self) -> None:
        """Close every pooled connection (idempotent); one still in use by an open unit of
        work is closed when that unit of work ends (``:memory:``: closing waits for it)."""
        if not self.memory:
            self._pool.close()
            return
        waited = self._serial.acquire(timeout=max(self.busy_deadline, 0.0))
        try:
            self._pool.close()
        finally:
            if waited:
                self._serial.release()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"SQLiteStorage({self.path!r})" + (" (read-only)" if self.readonly else "")
