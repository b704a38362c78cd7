"""lvzhi-postgres: the PostgreSQL storage backend for lvzhi (``postgresql://`` URLs).

``lvzhi.open("postgresql://user@host:5432/dbname?schema=course")`` finds it through its
entry point.  See :mod:`lvzhi_postgres.backend` for transactions and
:mod:`lvzhi_postgres.url` for the URL options.
"""

from __future__ import annotations

from lvzhi_postgres.backend import PostgresStorage, PostgresUnitOfWork
from lvzhi_postgres.migrations import MIGRATIONS, Migration, latest_version
from lvzhi_postgres.repository import PostgresRepository
from lvzhi_postgres.scanlog import PostgresScanLog
from lvzhi_postgres.url import PostgresURL, parse_postgres_url

__all__ = [
    "MIGRATIONS",
    "Migration",
    "PostgresRepository",
    "PostgresScanLog",
    "PostgresStorage",
    "PostgresURL",
    "PostgresUnitOfWork",
    "__version__",
    "latest_version",
    "parse_postgres_url",
]

__version__ = "0.1.0"
