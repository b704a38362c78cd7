"""One aggregate's table, seen through a :class:`~lvzhi_postgres.PostgresUnitOfWork`.

A table is ``(key text PRIMARY KEY, data jsonb NOT NULL, <index columns>)``: ``data`` holds
the model as JSON (:func:`lvzhi.serialization.dumps`), and each attribute named in the
aggregate's ``indexes`` has a real, indexed ``text`` column of the same name holding text
as given and any other value in its plain form (:func:`lvzhi.serialization.unstructure`).
``select`` uses those columns where it can and compares ``data -> 'attribute'`` with the
value as JSON elsewhere.
"""

from __future__ import annotations

import builtins
import functools
import json
from collections.abc import Iterable
from typing import Any, Final, Generic, TypeVar

import attrs
from psycopg import errors as pgerrors

from lvzhi.errors import Conflict, NotFound, StorageError
from lvzhi.serialization import dumps, load, unstructure, validate_attributes
from lvzhi.storage.schema import Aggregate
from lvzhi_postgres.transaction import Transaction, translate
from lvzhi_postgres.url import quote_identifier

__all__ = ["EXISTING_BATCH", "PostgresRepository", "index_value"]

T = TypeVar("T")

#: Keys per ``key = ANY(…)`` query of :meth:`PostgresRepository.existing`.
EXISTING_BATCH: Final = 10_000


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def index_value(value: Any) -> str | None:
    """What an index column stores for ``value``: text as it is, ``None`` as NULL, anything
    else in its plain form as text (nested values and numbers as compact JSON)."""
    if value is None or type(value) is str:
        return value
    plain = unstructure(value)
    if plain is None or isinstance(plain, str):
        return plain
    return _json(plain)


@attrs.frozen
class _Statements:
    table: str
    insert: str
    upsert: str
    find: str
    existing: str
    remove: str
    list: str
    count: str


@functools.cache
def _statements(schema: str, table: str, indexes: tuple[str, ...]) -> _Statements:
    qualified = f"{quote_identifier(schema)}.{quote_identifier(table)}"
    names = ", ".join(["key", "data", *(quote_identifier(i) for i in indexes)])
    marks = ", ".join(["%s", "%s::jsonb", *("%s" for _ in indexes)])
    insert = f"INSERT INTO {qualified} ({names}) VALUES ({marks})"
    updates = ", ".join(
        f"{c} = EXCLUDED.{c}" for c in ("data", *(quote_identifier(i) for i in indexes))
    )
    return _Statements(
        table=qualified,
        insert=f"{insert} ON CONFLICT (key) DO NOTHING",
        upsert=f"{insert} ON CONFLICT (key) DO UPDATE SET {updates}",
        find=f"SELECT data FROM {qualified} WHERE key = %s",
        existing=f"SELECT key FROM {qualified} WHERE key = ANY(%s::text[])",
        remove=f"DELETE FROM {qualified} WHERE key = %s",
        list=f"SELECT data FROM {qualified} ORDER BY key",
        count=f"SELECT count(*) FROM {qualified}",
    )


class PostgresRepository(Generic[T]):
    """The table of one :class:`~lvzhi.storage.schema.Aggregate`, used inside a unit of
    work."""

    def __init__(self, aggregate: Aggregate[T], uow: Transaction) -> None:
        self.aggregate = aggregate
        self.model: type[T] = aggregate.model
        self._uow = uow
        self._kind = aggregate.model.__name__
        self._indexes = aggregate.indexes
        self._sql = _statements(uow.schema, aggregate.table, aggregate.indexes)

    def _row(self, item: T) -> tuple[Any, ...]:
        if not isinstance(item, self.model):
            raise TypeError(f"{self._kind} repository cannot store {type(item).__name__}")
        key: str = item.key  # type: ignore[attr-defined]
        return (key, dumps(item), *(index_value(getattr(item, a)) for a in self._indexes))

    def _load(self, data: Any) -> T:
        if isinstance(data, str | bytes):
            data = json.loads(data)
        return load(self.model, data)

    def _fetchall(self, sql: str, params: Any = ()) -> builtins.list[Any]:
        connection = self._uow.connection
        with translate(f"read {self._kind} rows"):
            return connection.execute(sql, params).fetchall()

    def _write(self, sql: str, params: Any, action: str) -> int:
        self._uow.check_writable(action)
        connection = self._uow.connection
        try:
            with translate(action):
                return connection.execute(sql, params).rowcount
        except StorageError as exc:
            if isinstance(exc.__cause__, pgerrors.UniqueViolation):
                detail = exc.__cause__.diag.constraint_name or "a unique constraint"
                raise Conflict(
                    f"{self._kind} {params[0]!r} conflicts with a stored one ({detail})"
                ) from exc.__cause__
            raise

    # -- reading ---------------------------------------------------------------------------
    def get(self, key: str) -> T:
        item = self.find(key)
        if item is None:
            raise NotFound(self._kind, key)
        return item

    def find(self, key: str) -> T | None:
        rows = self._fetchall(self._sql.find, (key,))
        return self._load(rows[0][0]) if rows else None

    def existing(self, keys: Iterable[str]) -> set[str]:
        wanted = list(dict.fromkeys(keys))
        found: set[str] = set()
        for start in range(0, len(wanted), EXISTING_BATCH):
            chunk = wanted[start : start + EXISTING_BATCH]
            found.update(row[0] for row in self._fetchall(self._sql.existing, (chunk,)))
        return found

    def list(self) -> builtins.list[T]:
        return [self._load(row[0]) for row in self._fetchall(self._sql.list)]

    def select(self, **equals: Any) -> builtins.list[T]:
        validate_attributes(self.model, equals)
        where: builtins.list[str] = []
        params: builtins.list[Any] = []
        for name, value in equals.items():
            if name in self._indexes:
                stored = index_value(value)
                if stored is None:
                    where.append(f"{quote_identifier(name)} IS NULL")
                else:
                    where.append(f"{quote_identifier(name)} = %s")
                    params.append(stored)
                continue
            plain = unstructure(value)
            if plain is None:
                where.append("coalesce(data -> %s, 'null'::jsonb) = 'null'::jsonb")
                params.append(name)
            else:
                where.append("data -> %s = %s::jsonb")
                params.extend((name, _json(plain)))
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        rows = self._fetchall(f"SELECT data FROM {self._sql.table}{clause} ORDER BY key", params)
        return [self._load(row[0]) for row in rows]

    def count(self) -> int:
        rows = self._fetchall(self._sql.count)
        return int(rows[0][0])

    # -- writing ---------------------------------------------------------------------------
    def add(self, item: T) -> None:
        row = self._row(item)
        # ON CONFLICT DO NOTHING: a taken key is reported without aborting the transaction,
        # so the caller may go on (as with the other backends).
        if self._write(self._sql.insert, row, f"add a {self._kind}") == 0:
            raise Conflict(f"{self._kind} {row[0]!r} already exists")

    def put(self, item: T) -> None:
        self._write(self._sql.upsert, self._row(item), f"store a {self._kind}")

    def put_many(self, items: Iterable[T]) -> int:
        action = f"store {self._kind} rows"
        self._uow.check_writable(action)
        rows = [self._row(item) for item in items]
        if not rows:
            return 0
        connection = self._uow.connection
        try:
            with translate(action), connection.cursor() as cursor:
                cursor.executemany(self._sql.upsert, rows)
        except StorageError as exc:
            if isinstance(exc.__cause__, pgerrors.UniqueViolation):
                raise Conflict(f"{self._kind} rows conflict: {exc.__cause__}") from exc.__cause__
            raise
        return len(rows)

    def remove(self, key: str) -> None:
        if self._write(self._sql.remove, (key,), f"remove a {self._kind}") == 0:
            raise NotFound(self._kind, key)
