"""What the tables of the PostgreSQL backend need from the unit of work they belong to,
and how driver errors become lvzhi's."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol

import psycopg

from lvzhi.errors import StorageError

__all__ = ["Row", "Transaction", "translate"]

#: A row as psycopg returns it by default.
Row = tuple[Any, ...]


@contextmanager
def translate(action: str) -> Iterator[None]:
    """Re-raise a driver error as :class:`~lvzhi.errors.StorageError` naming ``action``."""
    try:
        yield
    except psycopg.Error as exc:
        detail = str(exc).strip() or type(exc).__name__
        raise StorageError(f"PostgreSQL could not {action}: {detail}") from exc


class Transaction(Protocol):
    """The statements of one unit of work; writes are refused in a read-only one."""

    readonly: bool
    schema: str

    @property
    def connection(self) -> psycopg.Connection[Row]: ...

    def check_writable(self, action: str) -> None: ...
