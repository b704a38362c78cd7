"""The frozen migration steps: every aggregate of the schema list has its table, columns
and indexes, created by the step its ``since`` names; versions are recorded; a newer
schema is refused; a read-only backend never migrates."""

from __future__ import annotations

import threading

import psycopg
import pytest
from lvzhi_postgres import MIGRATIONS, PostgresStorage, latest_version
from lvzhi_postgres.migrations import apply_migrations

from lvzhi.errors import StorageError
from lvzhi.storage.schema import AGGREGATES, SCAN_COLUMNS


def _tables(server: str, schema: str) -> dict[str, dict[str, str]]:
    """Table → column → data type, in ``schema``."""
    with psycopg.connect(server) as connection:
        rows = connection.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = %s",
            (schema,),
        ).fetchall()
    found: dict[str, dict[str, str]] = {}
    for table, column, kind in rows:
        found.setdefault(table, {})[column] = kind
    return found


def _indexes(server: str, schema: str) -> set[str]:
    with psycopg.connect(server) as connection:
        rows = connection.execute(
            "SELECT indexname FROM pg_indexes WHERE schemaname = %s", (schema,)
        ).fetchall()
    return {row[0] for row in rows}


def test_every_aggregate_has_its_table_columns_and_indexes(
    postgres_server: str, postgres_url: str, schema_name: str
) -> None:
    with PostgresStorage.from_url(postgres_url) as backend:
        assert backend.schema_version() == latest_version() == MIGRATIONS[-1].version
    tables = _tables(postgres_server, schema_name)
    indexes = _indexes(postgres_server, schema_name)
    for declared in AGGREGATES:
        columns = tables.get(declared.table)
        assert columns is not None, f"no table for aggregate {declared.name}: add a migration"
        assert columns["key"] == "text"
        assert columns["data"] == "jsonb"
        for index in declared.indexes:
            assert columns.get(index) == "text", (declared.name, index)
            assert f"ix_{declared.table}_{index}" in indexes, (declared.name, index)
    scans = tables["scans"]
    assert set(scans) == {*SCAN_COLUMNS, "scanned_text"}
    assert scans["scanned_text"] == "text"  # the instant as lvzhi's text, for the digest
    assert scans["scanned_at"] == "timestamp with time zone"
    assert scans["forced"] == "boolean"


def test_each_aggregate_appears_in_the_version_its_since_names(
    postgres_server: str, schema_name: str
) -> None:
    with psycopg.connect(postgres_server, autocommit=True) as connection:
        for step in MIGRATIONS:
            before = set(_tables(postgres_server, schema_name))
            apply_migrations(
                connection,
                schema_name,
                where=schema_name,
                readonly=False,
                migrations=[m for m in MIGRATIONS if m.version <= step.version],
            )
            added = set(_tables(postgres_server, schema_name)) - before
            expected = {a.table for a in AGGREGATES if a.since == step.version}
            if step.version == 1:
                expected |= {"scans", "schema_migrations"}
            assert added == expected, step
        recorded = connection.execute(
            f'SELECT version, description FROM "{schema_name}".schema_migrations ORDER BY 1'
        ).fetchall()
    assert recorded == [(m.version, m.description) for m in MIGRATIONS]
    assert max(a.since for a in AGGREGATES) == latest_version()


def test_a_newer_schema_is_refused(
    postgres_server: str, postgres_url: str, schema_name: str
) -> None:
    PostgresStorage.from_url(postgres_url).close()
    with psycopg.connect(postgres_server, autocommit=True) as connection:
        connection.execute(
            f'INSERT INTO "{schema_name}".schema_migrations (version, description) '
            "VALUES (999, 'from the future')"
        )
    with pytest.raises(StorageError, match="version 999, newer than"):
        PostgresStorage.from_url(postgres_url)


def test_read_only_backend_never_migrates(
    postgres_server: str, postgres_url: str, schema_name: str
) -> None:
    with pytest.raises(StorageError, match="read-only"):
        PostgresStorage.from_url(postgres_url + "&mode=ro")
    assert schema_name not in _schemas(postgres_server)
    PostgresStorage.from_url(postgres_url).close()
    with PostgresStorage.from_url(postgres_url + "&mode=ro") as backend:
        assert backend.readonly
        with backend.unit_of_work(readonly=True) as uow:
            assert uow.delegates.count() == 0
        with pytest.raises(StorageError, match="read-only"):
            backend.unit_of_work()


def _schemas(server: str) -> set[str]:
    with psycopg.connect(server) as connection:
        rows = connection.execute("SELECT nspname FROM pg_namespace").fetchall()
    return {row[0] for row in rows}


def test_processes_opening_a_new_schema_at_once_migrate_it_once(
    postgres_url: str, postgres_server: str, schema_name: str
) -> None:
    errors: list[BaseException] = []

    def open_it() -> None:
        try:
            PostgresStorage.from_url(postgres_url).close()
        except BaseException as exc:  # collected for the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    with psycopg.connect(postgres_server) as connection:
        versions = connection.execute(
            f'SELECT version FROM "{schema_name}".schema_migrations ORDER BY 1'
        ).fetchall()
    assert [v for (v,) in versions] == [m.version for m in MIGRATIONS]
