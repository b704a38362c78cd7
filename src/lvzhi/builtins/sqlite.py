"""The SQLite storage backend (``sqlite:///course.db``): the embedded default.

URLs
    ``sqlite:///relative/path.db`` (three slashes, then a path relative to the working
    directory), ``sqlite:////abs/path.db`` (four slashes: an absolute path) and
    ``sqlite:///:memory:`` (a private in-memory database).  The file is created if missing,
    its directory is not: a missing directory is a :class:`~lvzhi.errors.StorageError`.

Connection
    One connection per backend object, opened with ``check_same_thread=False`` and guarded
    by a lock: a unit of work holds the lock from ``BEGIN IMMEDIATE`` to ``COMMIT`` or
    ``ROLLBACK``, so units of work on one backend object run one after another, whichever
    thread opens them.  Opening a second unit of work in the thread that already holds one
    is refused (it could never start).  Separate processes (or backend objects) share a file
    through SQLite's own locking: file databases use WAL journal mode, so readers never
    block the writer, and ``busy_timeout`` makes a writer wait for another.

Schema
    Each repository is a table ``(key TEXT PRIMARY KEY, data TEXT NOT NULL, …)`` holding the
    model as JSON (:func:`lvzhi.serialization.dumps`) plus real, indexed columns for the
    attributes looked up most.  ``select`` uses those columns where it can and
    ``json_extract`` otherwise.  Scans get a table of real columns; instants are stored as
    fixed-width UTC text, so text order is time order and ``summarise`` is one aggregate
    query.  The schema is versioned by :data:`MIGRATIONS` and the ``schema_migrations``
    table; opening an older file applies what is missing in one transaction, opening a file
    from a newer lvzhi is refused.
"""

from __future__ import annotations

import builtins
import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any, ClassVar, Final, Generic, Self, TypeVar, cast
from urllib.parse import unquote

import attrs

from lvzhi.domain import (
    Delegate,
    Delegation,
    DiscussionGroup,
    LeaveRequest,
    Notice,
    Official,
    Programme,
    Scan,
    ScanSummary,
    Session,
    Suggestion,
    Venue,
)
from lvzhi.errors import Conflict, NotFound, StorageError
from lvzhi.plugins import hookimpl
from lvzhi.ports import Repository, ScanLog
from lvzhi.serialization import (
    dumps,
    format_instant,
    load,
    loads,
    parse_instant,
    unstructure,
    validate_attributes,
)

__all__ = [
    "MIGRATIONS",
    "TABLES",
    "Migration",
    "SQLiteRepository",
    "SQLiteScanLog",
    "SQLiteStorage",
    "SQLiteUnitOfWork",
    "TableSpec",
]

T = TypeVar("T")

BUSY_TIMEOUT_MS: Final = 5000


@attrs.frozen
class TableSpec:
    """How one repository is stored: the unit-of-work attribute, the model, the table and
    its indexed columns (column name → model attribute)."""

    attribute: str
    model: type[Any]
    table: str
    columns: tuple[tuple[str, str], ...] = ()


TABLES: Final[tuple[TableSpec, ...]] = (
    TableSpec("delegations", Delegation, "delegations"),
    TableSpec("delegates", Delegate, "delegates", (("delegation", "delegation"),)),
    TableSpec("officials", Official, "officials"),
    TableSpec("programmes", Programme, "programmes"),
    TableSpec("sessions", Session, "sessions", (("programme_id", "programme_id"),)),
    TableSpec("venues", Venue, "venues"),
    TableSpec("groups", DiscussionGroup, "discussion_groups", (("programme_id", "programme_id"),)),
    TableSpec(
        "leave_requests",
        LeaveRequest,
        "leave_requests",
        (("programme_id", "programme_id"), ("certificate_no", "certificate_no")),
    ),
    TableSpec("suggestions", Suggestion, "suggestions", (("programme_id", "programme_id"),)),
    TableSpec("notices", Notice, "notices", (("programme_id", "programme_id"),)),
)


# -- migrations ------------------------------------------------------------------------------


@attrs.frozen
class Migration:
    """One step of the schema: ``apply(connection)`` runs inside the migration transaction
    and must not commit."""

    version: int
    description: str
    apply: Callable[[sqlite3.Connection], None]


def _statements(*sql: str) -> Callable[[sqlite3.Connection], None]:
    def run(connection: sqlite3.Connection) -> None:
        for statement in sql:
            connection.execute(statement)

    return run


def _initial_schema() -> list[str]:
    sql: list[str] = []
    for spec in TABLES:
        extra = "".join(f", {column} TEXT" for column, _ in spec.columns)
        sql.append(f'CREATE TABLE "{spec.table}" (key TEXT PRIMARY KEY, data TEXT NOT NULL{extra})')
        sql.extend(
            f'CREATE INDEX "ix_{spec.table}_{column}" ON "{spec.table}" ({column})'
            for column, _ in spec.columns
        )
    sql.append(
        "CREATE TABLE scans ("
        "id TEXT PRIMARY KEY, session_id TEXT NOT NULL, certificate_no TEXT NOT NULL, "
        "kind TEXT NOT NULL, scanned_at TEXT NOT NULL, received_at TEXT, "
        "zone TEXT NOT NULL DEFAULT '', taker_id TEXT, device TEXT NOT NULL DEFAULT '', "
        "source TEXT NOT NULL, forced INTEGER NOT NULL DEFAULT 0)"
    )
    sql.append(
        "CREATE INDEX ix_scans_session_certificate "
        "ON scans (session_id, certificate_no, scanned_at)"
    )
    sql.append("CREATE INDEX ix_scans_certificate ON scans (certificate_no, scanned_at)")
    sql.append("CREATE INDEX ix_scans_scanned_at ON scans (scanned_at, id)")
    return sql


#: Every schema step, oldest first.  Append new steps; never edit a released one.
MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "repositories and the scan log", _statements(*_initial_schema())),
)


def latest_version(migrations: Sequence[Migration] | None = None) -> int:
    steps = MIGRATIONS if migrations is None else migrations
    return max((m.version for m in steps), default=0)


# -- helpers ---------------------------------------------------------------------------------


def _path_from_url(url: str) -> str:
    prefix = "sqlite:///"
    if not url.lower().startswith(prefix):
        raise StorageError(
            f"not a SQLite URL: {url!r} (use 'sqlite:///relative.db', "
            "'sqlite:////absolute.db' or 'sqlite:///:memory:')"
        )
    path = unquote(url[len(prefix) :])
    if not path:
        raise StorageError(f"SQLite URL {url!r} names no file")
    return path


@contextmanager
def _translate(action: str) -> Iterator[None]:
    try:
        yield
    except sqlite3.Error as exc:
        raise StorageError(f"SQLite could not {action}: {exc}") from exc


# -- repositories ----------------------------------------------------------------------------


class SQLiteRepository(Generic[T]):
    """One table, used inside a :class:`SQLiteUnitOfWork`."""

    def __init__(self, spec: TableSpec, uow: SQLiteUnitOfWork) -> None:
        self.spec = spec
        self.model: type[T] = spec.model
        self._uow = uow
        self._kind = spec.model.__name__
        table = f'"{spec.table}"'
        names = ["key", "data", *(column for column, _ in spec.columns)]
        marks = ", ".join("?" for _ in names)
        self._table = table
        self._insert = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})"
        self._replace = f"INSERT OR REPLACE INTO {table} ({', '.join(names)}) VALUES ({marks})"
        self._attributes = tuple(attribute for _, attribute in spec.columns)
        self._column_of = {attribute: column for column, attribute in spec.columns}

    def _row(self, item: T) -> tuple[Any, ...]:
        if not isinstance(item, self.model):
            raise TypeError(f"{self._kind} repository cannot store {type(item).__name__}")
        key = cast(Any, item).key
        return (key, dumps(item), *(getattr(item, a) for a in self._attributes))

    def _load(self, data: str) -> T:
        return loads(self.model, data)

    def get(self, key: str) -> T:
        item = self.find(key)
        if item is None:
            raise NotFound(self._kind, key)
        return item

    def find(self, key: str) -> T | None:
        row = self._uow._fetchone(f"SELECT data FROM {self._table} WHERE key = ?", (key,))
        return None if row is None else self._load(row[0])

    def add(self, item: T) -> None:
        row = self._row(item)
        try:
            self._uow._execute(self._insert, row, f"add a {self._kind}")
        except StorageError as exc:
            if isinstance(exc.__cause__, sqlite3.IntegrityError):
                raise Conflict(f"{self._kind} {row[0]!r} already exists") from exc.__cause__
            raise

    def put(self, item: T) -> None:
        self._uow._execute(self._replace, self._row(item), f"store a {self._kind}")

    def put_many(self, items: Iterable[T]) -> int:
        rows = [self._row(item) for item in items]
        self._uow._executemany(self._replace, rows, f"store {self._kind} rows")
        return len(rows)

    def remove(self, key: str) -> None:
        cursor = self._uow._execute(
            f"DELETE FROM {self._table} WHERE key = ?", (key,), f"remove a {self._kind}"
        )
        if cursor.rowcount == 0:
            raise NotFound(self._kind, key)

    def list(self) -> list[T]:
        rows = self._uow._fetchall(f"SELECT data FROM {self._table} ORDER BY key", ())
        return [self._load(row[0]) for row in rows]

    def select(self, **equals: Any) -> builtins.list[T]:
        validate_attributes(self.model, equals)
        where: list[str] = []
        params: list[Any] = []
        for name, value in equals.items():
            plain = unstructure(value)
            column = self._column_of.get(name)
            target = column if column is not None else f"json_extract(data, '$.{name}')"
            if plain is None:
                where.append(f"{target} IS NULL")
            elif isinstance(plain, dict | list):
                where.append(f"{target} = json(?)")
                params.append(json.dumps(plain, ensure_ascii=False, separators=(",", ":")))
            else:
                where.append(f"{target} = ?")
                params.append(plain)
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        rows = self._uow._fetchall(
            f"SELECT data FROM {self._table}{clause} ORDER BY key", tuple(params)
        )
        return [self._load(row[0]) for row in rows]

    def count(self) -> int:
        row = self._uow._fetchone(f"SELECT COUNT(*) FROM {self._table}", ())
        return int(row[0]) if row is not None else 0


_SCAN_COLUMNS: Final = (
    "id",
    "session_id",
    "certificate_no",
    "kind",
    "scanned_at",
    "received_at",
    "zone",
    "taker_id",
    "device",
    "source",
    "forced",
)
_SCAN_SELECT: Final = f"SELECT {', '.join(_SCAN_COLUMNS)} FROM scans"
_SCAN_INSERT: Final = (
    f"INSERT OR IGNORE INTO scans ({', '.join(_SCAN_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in _SCAN_COLUMNS)})"
)
_SUMMARY: Final = (
    "SELECT certificate_no, "
    "MIN(CASE WHEN kind = 'entry' THEN scanned_at END), "
    "MAX(CASE WHEN kind = 'exit' THEN scanned_at END), "
    "COUNT(*) "
    "FROM scans WHERE session_id = ? GROUP BY certificate_no ORDER BY certificate_no"
)


def _scan_row(scan: Scan) -> tuple[Any, ...]:
    if not isinstance(scan, Scan):
        raise TypeError(f"the scan log cannot store {type(scan).__name__}")
    return (
        scan.id,
        scan.session_id,
        scan.certificate_no,
        scan.kind.value,
        format_instant(scan.scanned_at),
        None if scan.received_at is None else format_instant(scan.received_at),
        scan.zone,
        scan.taker_id,
        scan.device,
        scan.source.value,
        1 if scan.forced else 0,
    )


def _scan_from_row(row: Sequence[Any]) -> Scan:
    data = dict(zip(_SCAN_COLUMNS, row, strict=True))
    data["forced"] = bool(data["forced"])
    return load(Scan, data)


class SQLiteScanLog:
    """The ``scans`` table, used inside a :class:`SQLiteUnitOfWork`."""

    def __init__(self, uow: SQLiteUnitOfWork) -> None:
        self._uow = uow

    def append(self, scan: Scan) -> bool:
        cursor = self._uow._execute(_SCAN_INSERT, _scan_row(scan), "append a scan")
        return cursor.rowcount == 1

    def extend(self, scans: Iterable[Scan]) -> int:
        rows = [_scan_row(scan) for scan in scans]
        before = self._uow.connection.total_changes
        self._uow._executemany(_SCAN_INSERT, rows, "append scans")
        return self._uow.connection.total_changes - before

    def list(
        self, *, session_id: str | None = None, certificate_no: str | None = None
    ) -> list[Scan]:
        where: list[str] = []
        params: list[str] = []
        if session_id is not None:
            where.append("session_id = ?")
            params.append(session_id)
        if certificate_no is not None:
            where.append("certificate_no = ?")
            params.append(certificate_no)
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        rows = self._uow._fetchall(f"{_SCAN_SELECT}{clause} ORDER BY scanned_at, id", params)
        return [_scan_from_row(row) for row in rows]

    def summarise(self, session_id: str) -> builtins.list[ScanSummary]:
        rows = self._uow._fetchall(_SUMMARY, (session_id,))
        try:
            return [
                ScanSummary(
                    session_id=session_id,
                    certificate_no=cert,
                    first_entry=None if first is None else parse_instant(first),
                    last_exit=None if last is None else parse_instant(last),
                    scans=int(n),
                )
                for cert, first, last, n in rows
            ]
        except (TypeError, ValueError) as exc:
            raise StorageError(f"stored scan times cannot be read: {exc}") from exc

    def count(self) -> int:
        row = self._uow._fetchone("SELECT COUNT(*) FROM scans", ())
        return int(row[0]) if row is not None else 0


# -- unit of work ----------------------------------------------------------------------------


class SQLiteUnitOfWork:
    """One ``BEGIN IMMEDIATE`` … ``COMMIT`` transaction; use it as a context manager.

    Entering takes the backend's lock and begins; leaving commits (or rolls back if the
    block raised) and releases the lock.  ``commit()`` and ``rollback()`` inside the block
    end the current transaction and begin the next one."""

    delegations: Repository[Delegation]
    delegates: Repository[Delegate]
    officials: Repository[Official]
    programmes: Repository[Programme]
    sessions: Repository[Session]
    venues: Repository[Venue]
    groups: Repository[DiscussionGroup]
    leave_requests: Repository[LeaveRequest]
    suggestions: Repository[Suggestion]
    notices: Repository[Notice]
    scans: ScanLog

    def __init__(self, storage: SQLiteStorage) -> None:
        self._storage = storage
        self._active = False
        self._ended = False
        for spec in TABLES:
            setattr(self, spec.attribute, SQLiteRepository(spec, self))
        self.scans = SQLiteScanLog(self)

    @property
    def connection(self) -> sqlite3.Connection:
        if not self._active:
            raise StorageError(
                "use the unit of work inside 'with backend.unit_of_work() as uow:'"
                if not self._ended
                else "this unit of work has ended; open a new one"
            )
        return self._storage._connection()

    # -- statements ----------------------------------------------------------------------
    def _execute(self, sql: str, params: Sequence[Any], action: str) -> sqlite3.Cursor:
        connection = self.connection
        with _translate(action):
            return connection.execute(sql, params)

    def _executemany(self, sql: str, rows: Iterable[Sequence[Any]], action: str) -> None:
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

    # -- transaction ---------------------------------------------------------------------
    def commit(self) -> None:
        """Commit what was done so far and begin again."""
        connection = self.connection
        with _translate("commit"):
            connection.execute("COMMIT")
            connection.execute("BEGIN IMMEDIATE")

    def rollback(self) -> None:
        """Undo what was done since the last commit and begin again."""
        connection = self.connection
        with _translate("roll back"):
            connection.execute("ROLLBACK")
            connection.execute("BEGIN IMMEDIATE")

    def __enter__(self) -> Self:
        if self._active or self._ended:
            raise StorageError("a unit of work can be entered only once")
        storage = self._storage
        connection = storage._connection()
        storage._lock.acquire()
        try:
            if storage._owner is not None:
                raise StorageError(
                    "a unit of work is already open on this SQLite backend in this thread; "
                    "finish it before opening another"
                )
            with _translate("begin a transaction"):
                connection.execute("BEGIN IMMEDIATE")
            storage._owner = self
        except BaseException:
            storage._lock.release()
            raise
        self._active = True
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        storage = self._storage
        connection = storage._connection()
        try:
            if exc_type is None:
                with _translate("commit"):
                    connection.execute("COMMIT")
            elif connection.in_transaction:
                with _translate("roll back"):
                    connection.execute("ROLLBACK")
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
        finally:
            self._active = False
            self._ended = True
            storage._owner = None
            storage._lock.release()


# -- backend ---------------------------------------------------------------------------------


class SQLiteStorage:
    """A SQLite database file (or ``:memory:``).  See the module documentation."""

    name: ClassVar[str] = "sqlite"
    schemes: ClassVar[tuple[str, ...]] = ("sqlite",)

    def __init__(self, path: str | Path, *, migrations: Sequence[Migration] | None = None) -> None:
        self.path = str(path)
        self._lock = threading.RLock()
        self._owner: SQLiteUnitOfWork | None = None
        self._conn: sqlite3.Connection | None = None
        in_memory = self.path == ":memory:"
        if not in_memory:
            parent = Path(self.path).parent
            if not parent.is_dir():
                raise StorageError(
                    f"cannot open SQLite database {self.path!r}: "
                    f"directory {str(parent)!r} does not exist"
                )
        try:
            self._conn = sqlite3.connect(
                self.path,
                isolation_level=None,  # transactions are explicit: BEGIN IMMEDIATE … COMMIT
                check_same_thread=False,
                timeout=BUSY_TIMEOUT_MS / 1000,
            )
            self._conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self._conn.execute("PRAGMA foreign_keys = ON")
            if not in_memory:
                mode = self._conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                if str(mode).lower() != "wal":  # pragma: no cover - e.g. a read-only medium
                    raise StorageError(
                        f"cannot switch {self.path!r} to WAL journal mode (got {mode!r})"
                    )
                self._conn.execute("PRAGMA synchronous = NORMAL")
            self._migrate(MIGRATIONS if migrations is None else migrations)
        except sqlite3.Error as exc:
            self.close()
            raise StorageError(f"cannot open SQLite database {self.path!r}: {exc}") from exc
        except BaseException:
            self.close()
            raise

    @classmethod
    def from_url(cls, url: str) -> SQLiteStorage:
        """Open (creating and migrating if needed) the database at a ``sqlite:///`` URL."""
        return cls(_path_from_url(url))

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StorageError(f"the SQLite backend for {self.path!r} is closed")
        return self._conn

    def _migrate(self, migrations: Sequence[Migration]) -> None:
        steps = sorted(migrations, key=lambda m: m.version)
        latest = latest_version(steps)
        connection = self._connection()
        connection.execute("BEGIN IMMEDIATE")
        try:
            connection.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations "
                "(version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL, "
                "description TEXT NOT NULL DEFAULT '')"
            )
            current = self._stored_version(connection)
            if current > latest:
                raise StorageError(
                    f"SQLite database {self.path!r} has schema version {current}, newer than "
                    f"this lvzhi understands ({latest}); upgrade lvzhi to open it"
                )
            for step in steps:
                if step.version > current:
                    step.apply(connection)
                    connection.execute(
                        "INSERT INTO schema_migrations (version, applied_at, description) "
                        "VALUES (?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?)",
                        (step.version, step.description),
                    )
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise

    @staticmethod
    def _stored_version(connection: sqlite3.Connection) -> int:
        row = connection.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
        return int(row[0]) if row is not None and row[0] is not None else 0

    def unit_of_work(self) -> SQLiteUnitOfWork:
        self._connection()
        return SQLiteUnitOfWork(self)

    def schema_version(self) -> int:
        """The highest migration applied to this database."""
        with self._lock, _translate("read the schema version"):
            return self._stored_version(self._connection())

    def close(self) -> None:
        """Close the connection (idempotent)."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

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
        return f"SQLiteStorage({self.path!r})"


@hookimpl
def lvzhi_register_storage_backends() -> list[type[SQLiteStorage]]:
    return [SQLiteStorage]
