"""The SQLite schema: frozen migrations, upgrading a file made by release 0.1, and database
files opened read-only."""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

from lvzhi.builtins.sqlite import MIGRATIONS, Migration, SQLiteStorage
from lvzhi.builtins.sqlite.migrations import apply_migrations
from lvzhi.domain import ScanKind
from lvzhi.domain.outbox import DeliveryState, OutboxState
from lvzhi.errors import StorageError
from lvzhi.storage.schema import AGGREGATES, SCAN_COLUMNS
from lvzhi.testing import factories
from lvzhi.testing.contracts import sample_models
from lvzhi.testing.contracts.storage import _scan

DATA = Path(__file__).parent / "data"
RELEASE_0_1 = DATA / "schema-v1.db"  # made by release 0.1; never modify it
LATEST = MIGRATIONS[-1].version
V1_AGGREGATES = [a.name for a in AGGREGATES if a.since == 1]


def _schema(connection: sqlite3.Connection) -> set[tuple[str, str, str, str | None]]:
    rows = connection.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    return {tuple(row) for row in rows}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def migrated(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    path = tmp_path / "empty.db"
    path.touch()
    SQLiteStorage(path).close()
    connection = sqlite3.connect(path)
    yield connection
    connection.close()


# -- the schema ------------------------------------------------------------------------------


@pytest.mark.parametrize("declared", AGGREGATES, ids=lambda a: a.name)
def test_every_aggregate_has_its_table(migrated: sqlite3.Connection, declared: object) -> None:
    """Adding an aggregate without a migration step fails here."""
    from lvzhi.storage.schema import Aggregate

    assert isinstance(declared, Aggregate)
    columns = migrated.execute(f'PRAGMA table_info("{declared.table}")').fetchall()
    names = [c[1] for c in columns]
    assert names == ["key", "data", *declared.indexes], declared.table
    primary = [c[1] for c in columns if c[5]]
    assert primary == ["key"]
    indexes = {row[1] for row in migrated.execute(f'PRAGMA index_list("{declared.table}")')}
    for column in declared.indexes:
        name = f"ix_{declared.table}_{column}"
        assert name in indexes, name
        indexed = [r[2] for r in migrated.execute(f'PRAGMA index_info("{name}")')]
        assert indexed == [column]


def test_scan_table_has_its_columns(migrated: sqlite3.Connection) -> None:
    columns = [c[1] for c in migrated.execute("PRAGMA table_info(scans)")]
    assert tuple(columns) == SCAN_COLUMNS


@pytest.mark.parametrize("declared", AGGREGATES, ids=lambda a: a.name)
def test_each_aggregate_arrives_in_its_version(declared: object) -> None:
    from lvzhi.storage.schema import Aggregate

    assert isinstance(declared, Aggregate)

    def tables(version: int) -> set[str]:
        connection = sqlite3.connect(":memory:")
        try:
            apply_migrations(connection, [m for m in MIGRATIONS if m.version <= version])
            return {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
        finally:
            connection.close()

    assert declared.table not in tables(declared.since - 1)
    assert declared.table in tables(declared.since)


def test_version_1_is_the_released_schema() -> None:
    fresh = sqlite3.connect(":memory:")
    released = sqlite3.connect(RELEASE_0_1)
    try:
        apply_migrations(fresh, MIGRATIONS[:1])
        assert _schema(fresh) == _schema(released)
    finally:
        fresh.close()
        released.close()


def test_versions_are_consecutive() -> None:
    assert [m.version for m in MIGRATIONS] == list(range(1, LATEST + 1))
    assert max(a.since for a in AGGREGATES) <= LATEST


# -- upgrading -------------------------------------------------------------------------------


def test_upgrades_the_release_0_1_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = _digest(RELEASE_0_1)
    path = tmp_path / "course.db"
    shutil.copyfile(RELEASE_0_1, path)
    # The file holds sample_models(name) of the ten original aggregates, made in this order
    # from a fresh counter, and three scans.
    monkeypatch.setattr(factories, "_counter", itertools.count(1))
    expected = {name: sample_models(name) for name in V1_AGGREGATES}
    # Release 0.1 kept no history of a leave request's moves: it loads with an empty one.
    expected["leave_requests"] = [attrs.evolve(r, history=()) for r in expected["leave_requests"]]
    # Nor the number and trail of a suggestion, nor a reply's unit, signer and template.
    expected["suggestions"] = [
        attrs.evolve(
            s,
            number=None,
            transitions=(),
            reply=None
            if s.reply is None
            else attrs.evolve(s.reply, unit="", signer="", template=""),
        )
        for s in expected["suggestions"]
    ]
    scans = [
        _scan("s1", "c-1", ScanKind.ENTRY, 0),
        _scan("s2", "c-1", ScanKind.EXIT, 5),
        _scan("s3", "c-2", ScanKind.ENTRY, 3),
    ]
    with SQLiteStorage.from_url(f"sqlite:///{path}") as backend:
        assert backend.schema_version() == LATEST
        with backend.unit_of_work(readonly=True) as uow:
            for name, models in expected.items():
                assert uow.repository(name).list() == sorted(models, key=lambda m: m.key), name
            assert uow.scans.list() == sorted(scans, key=lambda s: (s.scanned_at, s.id))
        with backend.unit_of_work() as uow:
            uow.outbox.put_many(sample_models("outbox"))
            uow.deliveries.put_many(sample_models("deliveries"))
        with backend.unit_of_work(readonly=True) as uow:
            assert [e.key for e in uow.outbox.select(state=OutboxState.PENDING)] == ["e-1", "e-3"]
            assert [d.key for d in uow.deliveries.select(state=DeliveryState.SENT)] == ["dl-1"]
            assert uow.deliveries.existing(["dl-1", "dl-9"]) == {"dl-1"}
    connection = sqlite3.connect(path)
    try:
        versions = connection.execute("SELECT version FROM schema_migrations").fetchall()
    finally:
        connection.close()
    assert versions == [(1,), (2,), (3,), (4,), (5,), (6,), (7,)]
    assert _digest(RELEASE_0_1) == before


def test_migrates_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    with SQLiteStorage(path) as backend:
        assert backend.schema_version() == LATEST
    connection = sqlite3.connect(path)
    try:
        versions = connection.execute(
            "SELECT version, applied_at FROM schema_migrations ORDER BY version"
        ).fetchall()
    finally:
        connection.close()
    assert [v for v, _ in versions] == [m.version for m in MIGRATIONS]
    assert all(at.endswith("Z") for _, at in versions)


def test_applies_missing_migrations_in_order(tmp_path: Path) -> None:
    path = tmp_path / "course.db"
    delegate = factories.make_delegate()
    with SQLiteStorage(path) as backend, backend.unit_of_work() as uow:
        uow.delegates.add(delegate)
    calls: list[int] = []

    def step(version: int) -> Migration:
        def apply(connection: sqlite3.Connection) -> None:
            calls.append(version)
            connection.execute(f"CREATE TABLE extra_{version} (x TEXT)")

        return Migration(version, f"step {version}", apply)

    newer = (*MIGRATIONS, step(LATEST + 2), step(LATEST + 1))
    with SQLiteStorage(path, migrations=newer) as backend:
        assert backend.schema_version() == LATEST + 2
        with backend.unit_of_work() as uow:
            assert uow.delegates.list() == [delegate]
    assert calls == [LATEST + 1, LATEST + 2]
    with SQLiteStorage(path, migrations=newer):
        pass
    assert len(calls) == 2  # nothing applied twice


def test_a_failing_migration_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "course.db"
    SQLiteStorage(path).close()

    def broken(connection: sqlite3.Connection) -> None:
        connection.execute("CREATE TABLE half_done (x TEXT)")
        connection.execute("THIS IS NOT SQL")

    newer = (*MIGRATIONS, Migration(LATEST + 1, "broken", broken))
    with pytest.raises(StorageError, match=r"course\.db"):
        SQLiteStorage(path, migrations=newer)
    with SQLiteStorage(path) as backend:
        assert backend.schema_version() == LATEST
        with backend.unit_of_work(readonly=True) as uow:
            tables = {r[0] for r in uow.connection.execute("SELECT name FROM sqlite_master")}
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
    with pytest.raises(StorageError, match="999") as caught:
        SQLiteStorage(path)
    assert "upgrade lvzhi" in str(caught.value)
    with pytest.raises(StorageError, match="newer"):
        SQLiteStorage.from_url(f"sqlite:///{path}?mode=ro")


# -- read-only files -------------------------------------------------------------------------


def _make_course(path: Path) -> None:
    with SQLiteStorage(path) as backend, backend.unit_of_work() as uow:
        uow.delegates.put_many(sample_models("delegates"))
        uow.scans.append(_scan("r1", "c-1", ScanKind.ENTRY, 0))


def test_mode_ro_opens_read_only(tmp_path: Path) -> None:
    path = tmp_path / "course.db"
    _make_course(path)
    before = _digest(path)
    with SQLiteStorage.from_url(f"sqlite:///{path}?mode=ro") as backend:
        assert backend.readonly
        with backend.unit_of_work(readonly=True) as uow:
            assert [d.key for d in uow.delegates.list()] == ["c-1", "c-2", "c-3"]
            assert uow.scans.count() == 1
        with pytest.raises(StorageError, match="read-only") as caught:
            backend.unit_of_work()
        assert str(path) in str(caught.value)
    assert _digest(path) == before


def test_read_only_file_with_an_older_schema_is_not_migrated(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    shutil.copyfile(RELEASE_0_1, path)
    with pytest.raises(StorageError, match="read-only") as caught:
        SQLiteStorage.from_url(f"sqlite:///{path}?mode=ro")
    assert "lvzhi init" in str(caught.value)
    assert str(path) in str(caught.value)
    assert _digest(path) == _digest(RELEASE_0_1)


def test_missing_file_cannot_be_opened_read_only(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="no such file"):
        SQLiteStorage.from_url(f"sqlite:///{tmp_path}/missing.db?mode=ro")
    assert not (tmp_path / "missing.db").exists()


# Run in a child process: as root it first imports and warms up everything it needs, then
# drops to uid/gid 65534 (root ignores file permissions), then opens the files by plain URL.
_READER = """
import json, os, sys
from lvzhi.builtins.sqlite import SQLiteStorage
from lvzhi.errors import StorageError
from lvzhi.testing import make_delegate, make_scan

with SQLiteStorage(":memory:") as warm:
    with warm.unit_of_work() as uow:
        uow.delegates.add(make_delegate())
        uow.scans.append(make_scan())
    with warm.unit_of_work(readonly=True) as uow:
        uow.delegates.list(), uow.scans.list()
if os.geteuid() == 0:
    try:
        os.setgroups([])
        os.setgid(65534)
        os.setuid(65534)
    except OSError as exc:
        print(json.dumps({"cannot_drop": str(exc)}))
        sys.exit(0)
path, old = sys.argv[1], sys.argv[2]
out = {"uid": os.geteuid(), "writable": os.access(path, os.W_OK)}
with SQLiteStorage.from_url("sqlite:///" + path) as backend:
    out["readonly"] = backend.readonly
    with backend.unit_of_work(readonly=True) as uow:
        out["delegates"] = [d.key for d in uow.delegates.list()]
        out["scans"] = [s.id for s in uow.scans.list()]
    try:
        backend.unit_of_work()
    except StorageError as exc:
        out["write_error"] = str(exc)
try:
    SQLiteStorage.from_url("sqlite:///" + old)
except StorageError as exc:
    out["old_error"] = str(exc)
print(json.dumps(out))
"""


def test_a_file_this_process_cannot_write_opens_read_only() -> None:
    base = Path(tempfile.mkdtemp(dir="/tmp"))  # outside the private pytest directory
    folder = base / "ro"
    try:
        base.chmod(0o755)
        folder.mkdir()
        path, old = folder / "course.db", folder / "old.db"
        _make_course(path)
        shutil.copyfile(RELEASE_0_1, old)
        assert not Path(f"{path}-wal").exists()
        before = _digest(path), _digest(old)
        for file in (path, old):
            file.chmod(0o444)
        folder.chmod(0o555)
        if os.geteuid() != 0 and os.access(path, os.W_OK):
            pytest.skip("this file system ignores permissions")
        child = subprocess.run(
            [sys.executable, "-c", _READER, str(path), str(old)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert child.returncode == 0, child.stderr
        out = json.loads(child.stdout)
        if "cannot_drop" in out:
            pytest.skip(f"cannot drop root's privileges here: {out['cannot_drop']}")
        assert out["uid"] != 0
        assert out["writable"] is False
        assert out["readonly"] is True
        assert out["delegates"] == ["c-1", "c-2", "c-3"]
        assert out["scans"] == ["r1"]
        assert "read-only" in out["write_error"]
        assert str(path) in out["write_error"]
        assert "read-only" in out["old_error"]
        assert "lvzhi init" in out["old_error"]
        assert (_digest(path), _digest(old)) == before
        assert sorted(p.name for p in folder.iterdir()) == ["course.db", "old.db"]
    finally:
        if folder.exists():
            folder.chmod(0o755)
        shutil.rmtree(base)
