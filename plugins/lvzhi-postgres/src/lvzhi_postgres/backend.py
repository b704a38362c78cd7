"""The PostgreSQL backend object and its units of work.

Connections
    A :class:`psycopg_pool.ConnectionPool` per backend object; each open unit of work holds
    one connection (in autocommit mode, with the transaction begun and ended explicitly),
    so readers in one thread are never blocked by a writer in another.  Statements name
    their tables with the schema (``"course"."delegates"``) instead of relying on a
    ``search_path``, so connections carry no session state and a pooler in transaction
    mode can sit in between.
Read-only units of work
    ``BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY``: one consistent snapshot for the
    whole unit of work, no locks taken, and the server refuses any write as well.
Units of work that write
    ``BEGIN ISOLATION LEVEL READ COMMITTED`` followed by a transaction-scoped advisory lock
    (``pg_advisory_xact_lock``) on a key derived from the schema: at most one unit of work
    writes to a schema at a time, across threads, processes and hosts, exactly as SQLite's
    single writer.  The services rely on that: numbers and ids allocated from the rows
    read in a writing unit of work ("the next free id", a suggestion's number, delegation
    codes) cannot be taken by another writer before the commit, and the scan log can ask
    which ids are new and ``COPY`` them without a race.  Waiting for the lock is bounded by
    ``lock_timeout`` (60 s by default).  Unique keys (and the unique suggestion number per
    course) stay in force underneath, whatever writes to the tables.
"""

from __future__ import annotations

import threading
from types import TracebackType
from typing import Any, ClassVar, Final, Self

import psycopg
import psycopg_pool
from psycopg import errors as pgerrors
from psycopg.pq import TransactionStatus

from lvzhi.errors import StorageError
from lvzhi.ports.storage import UnitOfWork
from lvzhi.storage.schema import aggregate
from lvzhi_postgres.migrations import MIGRATIONS, apply_migrations, lock_key, stored_version
from lvzhi_postgres.repository import PostgresRepository
from lvzhi_postgres.scanlog import PostgresScanLog
from lvzhi_postgres.transaction import Row, translate
from lvzhi_postgres.url import SCHEMES, PostgresURL, parse_postgres_url

__all__ = ["PostgresStorage", "PostgresUnitOfWork"]

_BEGIN_READ: Final = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
_BEGIN_WRITE: Final = "BEGIN ISOLATION LEVEL READ COMMITTED"


class PostgresUnitOfWork(UnitOfWork):
    """One transaction on its own pooled connection; use it as a context manager.

    Entering begins (taking the writer lock unless read-only); leaving commits, or rolls
    back if the block raised.  ``commit()`` and ``rollback()`` inside the block end the
    current transaction and begin the next one."""

    def __init__(self, storage: PostgresStorage, *, readonly: bool = False) -> None:
        self.readonly = readonly
        self.schema = storage.schema
        self._storage = storage
        self._connection: psycopg.Connection[Row] | None = None
        self._ended = False
        self._repositories: dict[str, PostgresRepository[Any]] = {}
        self._scans: PostgresScanLog | None = None

    # -- repositories ----------------------------------------------------------------------
    def repository(self, name: str) -> PostgresRepository[Any]:
        repository = self._repositories.get(name)
        if repository is None:
            try:
                declared = aggregate(name)
            except KeyError as exc:
                raise StorageError(str(exc.args[0])) from None
            repository = self._repositories[name] = PostgresRepository(declared, self)
        return repository

    @property
    def scans(self) -> PostgresScanLog:
        if self._scans is None:
            self._scans = PostgresScanLog(self)
        return self._scans

    @property
    def connection(self) -> psycopg.Connection[Row]:
        """This unit of work's connection (only inside its ``with`` block)."""
        if self._connection is None:
            raise StorageError(
                "this unit of work has ended; open a new one"
                if self._ended
                else "use the unit of work inside 'with backend.unit_of_work() as uow:'"
            )
        return self._connection

    def check_writable(self, action: str) -> None:
        if self.readonly:
            raise StorageError(
                f"cannot {action}: the unit of work is read-only (opened with readonly=True)"
            )

    # -- transaction -----------------------------------------------------------------------
    def _begin(self, connection: psycopg.Connection[Row]) -> None:
        if self.readonly:
            with translate("begin a read-only transaction"):
                connection.execute(_BEGIN_READ)
            return
        storage = self._storage
        try:
            with translate("begin a transaction"):
                connection.execute(_BEGIN_WRITE)
                connection.execute(
                    "SELECT set_config('lock_timeout', %s, true)",
                    (f"{int(storage.lock_timeout * 1000)}ms",),
                )
                connection.execute("SELECT pg_advisory_xact_lock(%s)", (storage.writer_key,))
        except StorageError as exc:
            if isinstance(exc.__cause__, pgerrors.LockNotAvailable):
                raise StorageError(
                    f"waited {storage.lock_timeout:g} s for another unit of work writing to "
                    f"{storage.where} to finish"
                ) from exc.__cause__
            raise

    def commit(self) -> None:
        """Commit what was done so far and begin again."""
        connection = self.connection
        with translate("commit"):
            connection.execute("COMMIT")
        self._begin(connection)

    def rollback(self) -> None:
        """Undo what was done since the last commit and begin again."""
        connection = self.connection
        with translate("roll back"):
            connection.execute("ROLLBACK")
        self._begin(connection)

    def __enter__(self) -> Self:
        if self._connection is not None or self._ended:
            raise StorageError("a unit of work can be entered only once")
        storage = self._storage
        storage._admit(self)
        connection: psycopg.Connection[Row] | None = None
        try:
            connection = storage._acquire()
            self._begin(connection)
        except BaseException:
            if connection is not None:
                storage._release(connection)
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
                with translate("commit"):
                    connection.execute("COMMIT")
        finally:
            self._connection = None
            self._ended = True
            self._storage._release(connection)
            self._storage._dismiss(self)


class PostgresStorage:
    """lvzhi's tables in one schema of a PostgreSQL database.  See
    :mod:`lvzhi_postgres.backend` for connections and transactions.

    ``conninfo`` is a libpq connection string or URI; ``schema`` the schema holding the
    tables (created if missing); ``pool_min``/``pool_max`` bound the connection pool,
    ``pool_timeout`` is how long a unit of work waits for a connection and
    ``lock_timeout`` how long one that writes waits for the writer lock (seconds);
    ``prepare_threshold`` is psycopg's (``None``: never prepare statements);
    ``readonly=True`` never migrates and refuses units of work that write."""

    name: ClassVar[str] = "postgres"
    schemes: ClassVar[tuple[str, ...]] = SCHEMES

    def __init__(
        self,
        conninfo: str,
        *,
        schema: str = "public",
        pool_min: int = 1,
        pool_max: int = 10,
        pool_timeout: float = 30.0,
        lock_timeout: float = 60.0,
        prepare_threshold: int | None = 5,
        readonly: bool = False,
        display: str | None = None,
    ) -> None:
        self.schema = schema
        self.readonly = readonly
        self.lock_timeout = float(lock_timeout)
        self.pool_timeout = float(pool_timeout)
        self.writer_key = lock_key("writer", schema)
        self.where = f"{display or 'PostgreSQL'} (schema {schema!r})"
        self._holders: dict[int, PostgresUnitOfWork] = {}
        self._holders_lock = threading.Lock()
        self._pool: psycopg_pool.ConnectionPool[psycopg.Connection[Row]] = (
            psycopg_pool.ConnectionPool(
                conninfo,
                min_size=pool_min,
                max_size=pool_max,
                timeout=self.pool_timeout,
                kwargs={"autocommit": True, "prepare_threshold": prepare_threshold},
                check=psycopg_pool.ConnectionPool.check_connection,
                name=f"lvzhi:{schema}",
                open=True,
            )
        )
        try:
            connection = self._acquire()
            try:
                with translate("prepare the schema"):
                    apply_migrations(
                        connection,
                        schema,
                        where=self.where,
                        readonly=readonly,
                        migrations=MIGRATIONS,
                    )
            finally:
                self._release(connection)
        except BaseException:
            self._pool.close()
            raise

    @classmethod
    def from_url(cls, url: str, **options: Any) -> PostgresStorage:
        """Open (creating and migrating if needed) lvzhi's schema at a ``postgresql://``
        URL; see :mod:`lvzhi_postgres.url` for the options.  Keyword ``options`` override
        the URL's."""
        parsed: PostgresURL = parse_postgres_url(url)
        settings: dict[str, Any] = {
            "schema": parsed.schema,
            "pool_min": parsed.pool_min,
            "pool_max": parsed.pool_max,
            "pool_timeout": parsed.pool_timeout,
            "lock_timeout": parsed.lock_timeout,
            "prepare_threshold": parsed.prepare_threshold,
            "readonly": parsed.readonly,
            "display": parsed.display,
        }
        settings.update(options)
        return cls(parsed.conninfo, **settings)

    # -- connections -----------------------------------------------------------------------
    def _acquire(self) -> psycopg.Connection[Row]:
        if self._pool.closed:
            raise StorageError(f"the PostgreSQL backend for {self.where} is closed")
        try:
            return self._pool.getconn()
        except psycopg_pool.PoolTimeout as exc:
            raise StorageError(
                f"no connection to {self.where} within {self.pool_timeout:g} s: {exc}"
            ) from exc
        except psycopg.Error as exc:
            raise StorageError(f"cannot connect to {self.where}: {exc}") from exc

    def _release(self, connection: psycopg.Connection[Row]) -> None:
        """Give a connection back outside any transaction (a broken one is discarded)."""
        try:
            if connection.info.transaction_status != TransactionStatus.IDLE:
                connection.execute("ROLLBACK")
        except psycopg.Error:
            connection.close()
        self._pool.putconn(connection)

    # -- units of work ---------------------------------------------------------------------
    def unit_of_work(self, *, readonly: bool = False) -> PostgresUnitOfWork:
        """A new unit of work; ``readonly=True`` for one that only reads."""
        if self._pool.closed:
            raise StorageError(f"the PostgreSQL backend for {self.where} is closed")
        if self.readonly and not readonly:
            raise StorageError(
                f"{self.where} is opened read-only (mode=ro): open units of work with readonly=True"
            )
        return PostgresUnitOfWork(self, readonly=readonly)

    def _admit(self, uow: PostgresUnitOfWork) -> None:
        """Refuse a second writer in a thread that holds one: it would wait for its own lock."""
        if uow.readonly:
            return
        me = threading.get_ident()
        with self._holders_lock:
            if me in self._holders:
                raise StorageError(
                    "a unit of work that writes is already open on this PostgreSQL backend in "
                    "this thread; finish it before opening another (read-only ones are allowed)"
                )
            self._holders[me] = uow

    def _dismiss(self, uow: PostgresUnitOfWork) -> None:
        me = threading.get_ident()
        with self._holders_lock:
            if self._holders.get(me) is uow:
                del self._holders[me]

    def schema_version(self) -> int:
        """The highest migration applied to the schema."""
        connection = self._acquire()
        try:
            with translate("read the schema version"):
                return stored_version(connection, self.schema)
        finally:
            self._release(connection)

    def close(self) -> None:
        """Close the pool (idempotent); a connection still used by an open unit of work is
        closed when that unit of work ends."""
        self._pool.close()

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
        return f"PostgresStorage({self.where})" + (" (read-only)" if self.readonly else "")
