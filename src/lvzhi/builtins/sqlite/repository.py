"""One aggregate's table, seen through a :class:`~lvzhi.builtins.sqlite.SQLiteUnitOfWork`.

A table is ``(key TEXT PRIMARY KEY, data TEXT NOT NULL, <index columns>)``: ``data`` holds
the model as JSON (:func:`lvzhi.serialization.dumps`), and each attribute named in the
aggregate's ``indexes`` has a real, indexed column of the same name.  Index columns hold
text as given and every other value in its plain form
(:func:`lvzhi.serialization.unstructure`: instants as fixed-width UTC text, enums as their
values); ``select`` turns the values it compares with into the same form.
"""

from __future__ import annotations

import builtins
import functools
import json
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any, Final, Generic, TypeVar

import attrs

from lvzhi.builtins.sqlite.transaction import Transaction
from lvzhi.errors import Conflict, NotFound, StorageError
from lvzhi.i18n import _
from lvzhi.serialization import dumps, loads, unstructure, validate_attributes
from lvzhi.storage.schema import Aggregate

__all__ = ["EXISTING_BATCH", "SQLiteRepository", "index_value"]

T = TypeVar("T")

#: Keys per ``SELECT key … WHERE key IN (…)`` statement of :meth:`SQLiteRepository.existing`.
EXISTING_BATCH: Final = 500


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def index_value(value: Any) -> Any:
    """What an index column stores for ``value``: text as it is, ``None`` as NULL, anything
    else in its plain form (nested values as compact JSON text)."""
    if value is None or type(value) is str:
        return value
    plain = unstructure(value)
    if isinstance(plain, dict | list):
        return _json(plain)
    return plain


@attrs.frozen
class _Statements:
    table: str
    columns: tuple[str, ...]
    insert: str
    replace: str
    find: str
    remove: str
    list: str
    count: str


@functools.cache
def _statements(table: str, indexes: tuple[str, ...]) -> _Statements:
    quoted = f'"{table}"'
    names = ", ".join(["key", "data", *indexes])
    marks = ", ".join("?" for _ in range(2 + len(indexes)))
    return _Statements(
        table=quoted,
        columns=indexes,
        insert=f"INSERT INTO {quoted} ({names}) VALUES ({marks})",
        # An upsert updates the row in place (INSERT OR REPLACE would delete and re-insert it,
        # touching every index twice): a re-import costs about what the first import did.
        replace=(
            f"INSERT INTO {quoted} ({names}) VALUES ({marks}) ON CONFLICT(key) DO UPDATE SET "
            + ", ".join(f"{c} = excluded.{c}" for c in ("data", *indexes))
        ),
        find=f"SELECT data FROM {quoted} WHERE key = ?",
        remove=f"DELETE FROM {quoted} WHERE key = ?",
        list=f"SELECT data FROM {quoted} ORDER BY key",
        count=f"SELECT COUNT(*) FROM {quoted}",
    )


class SQLiteRepository(Generic[T]):
    """The table of one :class:`~lvzhi.storage.schema.Aggregate`, used inside a unit of
    work."""

    def __init__(self, aggregate: Aggregate[T], uow: Transaction) -> None:
        self.aggregate = aggregate
        self.model: type[T] = aggregate.model
        self._uow = uow
        self._kind = aggregate.model.__name__
        self._sql = _statements(aggregate.table, aggregate.indexes)
        self._indexes = aggregate.indexes

    def _row(self, item: T) -> tuple[Any, ...]:
        if not isinstance(item, self.model):
            raise TypeError(f"{self._kind} repository cannot store {type(item).__name__}")
        key: str = item.key  # type: ignore[attr-defined]
        return (key, dumps(item), *(index_value(getattr(item, a)) for a in self._indexes))

    def _load(self, data: str) -> T:
        return loads(self.model, data)

    # -- reading ---------------------------------------------------------------------------
    def get(self, key: str) -> T:
        item = self.find(key)
        if item is None:
            raise NotFound(self._kind, key)
        return item

    def find(self, key: str) -> T | None:
        row = self._uow._fetchone(self._sql.find, (key,))
        return None if row is None else self._load(row[0])

    def existing(self, keys: Iterable[str]) -> set[str]:
        wanted = list(dict.fromkeys(keys))
        found: set[str] = set()
        for start in range(0, len(wanted), EXISTING_BATCH):
            chunk = wanted[start : start + EXISTING_BATCH]
            marks = ", ".join("?" for _ in chunk)
            rows = self._uow._fetchall(
                f"SELECT key FROM {self._sql.table} WHERE key IN ({marks})", chunk
            )
            found.update(row[0] for row in rows)
        return found

    def list(self) -> list[T]:
        return [self._load(row[0]) for row in self._uow._fetchall(self._sql.list, ())]

    def select(self, **equals: Any) -> builtins.list[T]:
        validate_attributes(self.model, equals)
        where: builtins.list[str] = []
        params: builtins.list[Any] = []
        for name, value in equals.items():
            if name in self._indexes:
                stored = index_value(value)
                if stored is None:
                    where.append(f"{name} IS NULL")
                else:
                    where.append(f"{name} = ?")
                    params.append(stored)
                continue
            plain = unstructure(value)
            target = f"json_extract(data, '$.{name}')"
            if plain is None:
                where.append(f"{target} IS NULL")
            elif isinstance(plain, dict | builtins.list):
                where.append(f"{target} = json(?)")
                params.append(_json(plain))
            else:
                where.append(f"{target} = ?")
                params.append(plain)
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        rows = self._uow._fetchall(
            f"SELECT data FROM {self._sql.table}{clause} ORDER BY key", params
        )
        return [self._load(row[0]) for row in rows]

    def count(self) -> int:
        row = self._uow._fetchone(self._sql.count, ())
        return int(row[0]) if row is not None else 0

    # -- writing ---------------------------------------------------------------------------
    def add(self, item: T) -> None:
        row = self._row(item)
        try:
            self._uow._write(self._sql.insert, row, f"add a {self._kind}")
        except StorageError as exc:
            if isinstance(exc.__cause__, sqlite3.IntegrityError):
                raise Conflict(
                    _("{kind} {key!r} already exists").format(kind=_(self._kind), key=row[0])
                ) from exc.__cause__
            raise

    def put(self, item: T) -> None:
        self._uow._write(self._sql.replace, self._row(item), f"store a {self._kind}")

    def put_many(self, items: Iterable[T]) -> int:
        self._uow._check_writable(f"store {self._kind} rows")
        rows: Sequence[tuple[Any, ...]] = [self._row(item) for item in items]
        self._uow._write_many(self._sql.replace, rows, f"store {self._kind} rows")
        return len(rows)

    def remove(self, key: str) -> None:
        cursor = self._uow._write(self._sql.remove, (key,), f"remove a {self._kind}")
        if cursor.rowcount == 0:
            raise NotFound(self._kind, key)
