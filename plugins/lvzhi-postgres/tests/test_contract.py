"""The PostgreSQL backend against lvzhi's storage contract, each test in its own schema."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from lvzhi_postgres import PostgresStorage

from lvzhi.testing import StorageContract


class TestPostgresStorage(StorageContract):
    @pytest.fixture
    def storage_backend(self, postgres_url: str) -> Iterator[PostgresStorage]:
        backend = PostgresStorage.from_url(postgres_url)
        yield backend
        backend.close()
