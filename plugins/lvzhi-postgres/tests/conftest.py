"""Fixtures: a PostgreSQL server (``LVZHI_TEST_POSTGRES``, by default the local one), and a
fresh schema per test, dropped afterwards.

Without a reachable server the tests that need one are skipped, except on CI
(``CI=true``), where that is an error."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import psycopg
import pytest

from lvzhi.i18n import use_language

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/test"
SERVER_URL = os.environ.get("LVZHI_TEST_POSTGRES", DEFAULT_URL)
ON_CI = os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


@pytest.fixture(autouse=True)
def _english_messages(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("LANGUAGE", "en")
    with use_language("en"):
        yield


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """The server's URL, once it has answered; skips (fails on CI) when it does not."""
    try:
        with psycopg.connect(SERVER_URL, connect_timeout=5) as connection:
            connection.execute("SELECT 1")
    except psycopg.Error as exc:
        message = f"no PostgreSQL server at {SERVER_URL}: {exc}"
        if ON_CI:
            pytest.fail(message)
        pytest.skip(message)
    return SERVER_URL


def drop_schema(server: str, schema: str) -> None:
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def new_schema_name() -> str:
    return f"lvzhi_test_{uuid.uuid4().hex[:12]}"


@pytest.fixture
def schema_name(postgres_server: str) -> Iterator[str]:
    """A schema name no other test uses; the schema is dropped after the test."""
    name = new_schema_name()
    yield name
    drop_schema(postgres_server, name)


@pytest.fixture(scope="module")
def module_url(postgres_server: str) -> Iterator[str]:
    """A ``postgresql://`` URL for a schema shared by the tests of one module, dropped
    after them."""
    name = new_schema_name()
    separator = "&" if "?" in postgres_server else "?"
    yield f"{postgres_server}{separator}schema={name}&pool_max=2"
    drop_schema(postgres_server, name)


@pytest.fixture
def postgres_url(postgres_server: str, schema_name: str) -> str:
    """A ``postgresql://`` URL for a fresh schema of its own."""
    separator = "&" if "?" in postgres_server else "?"
    return f"{postgres_server}{separator}schema={schema_name}&pool_max=4"
