"""The hook implementations of lvzhi-postgres: the ``postgresql://`` storage backend."""

from __future__ import annotations

from typing import Any

from lvzhi.plugins import hookimpl


@hookimpl
def lvzhi_register_storage_backends() -> list[Any]:
    from lvzhi_postgres.backend import PostgresStorage

    return [PostgresStorage]
