"""The SQLite backend against the storage contract, plus what only SQLite has."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pluggy
import pytest

from lvzhi import hookspecs
from lvzhi.builtins import sqlite as sqlite_module
from lvzhi.builtins.sqlite import MIGRATIONS, Migration, SQLiteStorage
from lvzhi.errors import Conflict, StorageError, ValidationError
from lvzhi.plugins import Hooks
from lvzhi.ports import StorageBackend
from lvzhi.testing import StorageContract, make_delegate, make_scan
from lvzhi.testing.contracts import sample_models

pytest_plugins = ["lvzhi.testing.pytest_plugin"]


class TestSQLiteFile(StorageContract):
    concurrent_units_of_work = False

    @pytest.fixture
    def storage_backend(self, tmp_path: Path) -> Iterator[SQLiteStorage]:
        backend = SQLiteStorage.from_url(f"sqlite:///{tmp_path}/course.db")
        yield backend
        backend.close()


class TestSQLiteInMemory(StorageContract):
    concurrent_units_of_work = False

    @pytest.fixture
    def storage_backend(self) -> Iterator[SQLiteStorage]:
        with SQLiteStorage.from_url("sqlite:///:memory:") as backend:
            yield backend


def _pragma(path: Path, name: str) -> object:
    connection = sqlite3.connect(path)
    try:
        return connection.execute(f"PRAGMA {name}").fetchone()[0]
    finally:
        connection.close()


# -- URLs and files --------------------------------------------------------------------------


def test_relative_and_absolute_urls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with SQLiteStorage.from_url("sqlite:///relative.db") as backend:
        assert backend.path == "relative.db"
    assert (tmp_path / "relative.db").exists()
    absolute = tmp_path / "absolute.db"
    with SQLiteStorage.from_url(f"sqlite:///{absolute}") as backend:
        assert Path(backend.path) == absolute
    assert absolute.exists()


@pytest.mark.parametrize("url", ["sqlite://x.db", "postgresql://host/db", "sqlite:///"])
def test_bad_urls(url: str) -> None:
    with pytest.raises(StorageError):
        SQLiteStorage.from_url(url)


def test_missing_directory_is_a_storage_error(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "dir" / "course.db"
    with pytest.raises(StorageError, match="does not exist") as caught:
        SQLiteStorage.from_url(f"sqlite:///{missing}")
    assert str(missing.parent) in str(caught.value)
    assert not missing.parent.exists()


def test_not_a_database_is_a_storage_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"this is not a database file at all, just text" * 20)
    with pytest.raises(StorageError, match=r"notes\.db"):
        SQLiteStorage(path)


def test_wal_mode_and_pragmas(tmp_path: Path) -> None:
    path = tmp_path / "course.db"
    with SQLiteStorage(path) as backend:
        connection = backend._connection()
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert connection.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert connection.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    assert _pragma(path, "journal_mode") == "wal"  # WAL is persistent


def test_data_persists_across_reopen(tmp_path: Path) -> None:
    path = tmp_path / "course.db"
    delegate = make_delegate(name="测试代表")
    scan = make_scan()
    with SQLiteStorage(path) as backend, backend.unit_of_work() as uow:
        uow.delegates.add(delegate)
        uow.scans.append(scan)
    with SQLiteStorage(path) as backend, backend.unit_of_work() as uow:
        assert uow.delegates.list() == [delegate]
        assert uow.scans.list() == [scan]
        assert uow.scans.append(scan) is False


def test_two_backends_share_a_file(tmp_path: Path) -> None:
    path = tmp_path / "course.db"
    delegate = make_delegate()
    with SQLiteStorage(path) as first, SQLiteStorage(path) as second:
        with first.unit_of_work() as uow:
            uow.delegates.add(delegate)
        with second.unit_of_work() as uow:
            assert uow.delegates.list() == [delegate]
            with pytest.raises(Conflict):
                uow.delegates.add(delegate)


# -- migrations ------------------------------------------------------------------------------


def test_migrates_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    with SQLiteStorage(path) as backend:
        assert backend.schema_version() == MIGRATIONS[-1].version >= 1
    connection = sqlite3.connect(path)
    try:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        versions = connection.execute(
            "SELECT version, applied_at FROM schema_migrations ORDER BY version"
        ).fetchall()
    finally:
        connection.close()
    assert {"schema_migrations", "delegates", "discussion_groups", "scans"} <= tables
    assert {"ix_delegates_delegation", "ix_scans_session_certificate"} <= tables
    assert [v for v, _ in versions] == [m.version for m in MIGRATIONS]
    assert all(at.endswith("Z") for _, at in versions)


def test_applies_missing_migrations_in_order(tmp_path: Path) -> None:
    path = tmp_path / "course.db"
    delegate = make_delegate()
    with SQLiteStorage(path) as backend, backend.unit_of_work() as uow:
        uow.delegates.add(delegate)
    calls: list[int] = []

    def step(version: int) -> Migration:
        def apply(connection: sqlite3.Connection) -> None:
            calls.append(version)
            connection.execute(f"CREATE TABLE extra_{version} (x TEXT)")

        return Migration(version, f"step {version}", apply)

    newer = (*MIGRATIONS, step(MIGRATIONS[-1].version + 2), step(MIGRATIONS[-1].version + 1))
    with SQLiteStorage(path, migrations=newer) as backend:
        assert backend.schema_version() == MIGRATIONS[-1].version + 2
        with backend.unit_of_work() as uow:
            assert uow.delegates.list() == [delegate]
    assert calls == [MIGRATIONS[-1].version + 1, MIGRATIONS[-1].version + 2]
    with SQLiteStorage(path, migrations=newer):
        pass
    assert len(calls) == 2  # nothing applied twice


def test_a_failing_migration_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "course.db"
    SQLiteStorage(path).close()

    def broken(connection: sqlite3.Connection) -> None:
        connection.execute("CREATE TABLE half_done (x TEXT)")
        connection.execute("THIS IS NOT SQL")

    newer = (*MIGRATIONS, Migration(MIGRATIONS[-1].version + 1, "broken", broken))
    with pytest.raises(StorageError):
        SQLiteStorage(path, migrations=newer)
    with SQLiteStorage(path) as backend:
        assert backend.schema_version() == MIGRATIONS[-1].version
        tables = {r[0] for r in backend._connection().execute("SELECT name FROM sqlite_master")}
        assert "half_done" not in tables


def test_refuses_a_newer_schema(tmp_path: Path) -> None:
    path = tmp_path / "course.db"
    SQLiteStorage(path).close()
    connection = sqlite3.connect(path)
    with connection:
        connection.execute(
            "INSERT INTO schema_migrations (version, applied_at) VALUES (999, 'later')"
        )
    connection.close()
    with pytest.raises(StorageError, match="999"):
        SQLiteStorage(path)


# -- behaviour -------------------------------------------------------------------------------


def test_select_uses_indexed_columns(tmp_path: Path) -> None:
    with SQLiteStorage(tmp_path / "c.db") as backend, backend.unit_of_work() as uow:
        uow.delegates.put_many(sample_models("delegates"))
        plan = uow.connection.execute(
            "EXPLAIN QUERY PLAN SELECT data FROM delegates WHERE delegation = ? ORDER BY key",
            ("d-1",),
        ).fetchall()
        assert any("ix_delegates_delegation" in str(row) for row in plan)
        assert [d.key for d in uow.delegates.select(delegation="d-1")] == ["c-1", "c-2"]


def test_select_refuses_unknown_attribute(tmp_path: Path) -> None:
    with SQLiteStorage(tmp_path / "c.db") as backend, backend.unit_of_work() as uow:
        with pytest.raises(ValidationError, match="nickname") as caught:
            uow.delegates.select(nickname="x")
        assert isinstance(caught.value, ValueError)
        with pytest.raises(ValidationError):
            uow.delegates.select(**{"name') OR 1=1 --": "x"})


def test_corrupt_stored_row_is_a_storage_error(tmp_path: Path) -> None:
    with SQLiteStorage(tmp_path / "c.db") as backend:
        with backend.unit_of_work() as uow:
            uow.connection.execute(
                "INSERT INTO delegates (key, data) VALUES ('bad', '{\"certificate_no\": 1}')"
            )
        with backend.unit_of_work() as uow, pytest.raises(StorageError, match="Delegate"):
            uow.delegates.get("bad")


def test_nested_unit_of_work_in_one_thread_is_refused(tmp_path: Path) -> None:
    with SQLiteStorage(tmp_path / "c.db") as backend:
        with backend.unit_of_work() as outer:
            outer.delegates.add(make_delegate())
            with pytest.raises(StorageError, match="already open"), backend.unit_of_work():
                pass  # pragma: no cover
        with backend.unit_of_work() as uow:
            assert uow.delegates.count() == 1


def test_units_of_work_from_threads_run_one_after_another(tmp_path: Path) -> None:
    errors: list[BaseException] = []
    with SQLiteStorage(tmp_path / "c.db") as backend:

        def work(n: int) -> None:
            try:
                for i in range(20):
                    with backend.unit_of_work() as uow:
                        uow.scans.append(make_scan(id=f"t{n}-{i}"))
                        uow.delegates.put(make_delegate(certificate_no=f"t{n}-{i}"))
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        with backend.unit_of_work() as uow:
            assert uow.scans.count() == 80
            assert uow.delegates.count() == 80


def test_unit_of_work_outside_with_is_refused(tmp_path: Path) -> None:
    with SQLiteStorage(tmp_path / "c.db") as backend:
        uow = backend.unit_of_work()
        with pytest.raises(StorageError, match="with"):
            uow.delegates.count()
        with uow:
            pass
        with pytest.raises(StorageError, match="ended"):
            uow.delegates.count()


def test_bulk_import_of_ten_thousand(tmp_path: Path) -> None:
    """Sanity only (no timing): 10,000 puts in one unit of work, then read back."""
    delegates = [make_delegate(certificate_no=f"k{n:05d}") for n in range(10_000)]
    with SQLiteStorage(tmp_path / "c.db") as backend:
        with backend.unit_of_work() as uow:
            for delegate in delegates[:5000]:
                uow.delegates.put(delegate)
            uow.delegates.put_many(delegates[5000:])
        with backend.unit_of_work() as uow:
            assert uow.delegates.count() == 10_000
            assert uow.delegates.list() == delegates


def test_registered_as_a_plugin() -> None:
    assert sqlite_module.lvzhi_register_storage_backends() == [SQLiteStorage]
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    pm.register(sqlite_module)
    backends = Hooks(pm).register_storage_backends()
    assert list(backends) == ["sqlite"]
    assert backends["sqlite"] is SQLiteStorage


def test_pytest_plugin_fixture(sqlite_backend: SQLiteStorage) -> None:
    assert sqlite_backend.schema_version() == MIGRATIONS[-1].version


def test_backend_satisfies_the_protocol_statically() -> None:
    kind: type[StorageBackend] = SQLiteStorage
    with SQLiteStorage(":memory:") as concrete:
        backend: StorageBackend = concrete
        assert isinstance(backend, kind)
