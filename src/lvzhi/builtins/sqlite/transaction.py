"""What the tables of the SQLite backend need from the unit of work they belong to."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

__all__ = ["Transaction"]


class Transaction(Protocol):
    """The statements of one unit of work; writes are refused in a read-only one."""

    readonly: bool

    @property
    def connection(self) -> sqlite3.Connection: ...

    def _check_writable(self, action: str) -> None: ...

    def _write(self, sql: str, params: Sequence[Any], action: str) -> sqlite3.Cursor: ...

    def _write_many(self, sql: str, rows: Iterable[Sequence[Any]], action: str) -> None: ...

    def _fetchone(self, sql: str, params: Sequence[Any]) -> Any: ...

    def _fetchall(self, sql: str, params: Sequence[Any]) -> list[Any]: ...
