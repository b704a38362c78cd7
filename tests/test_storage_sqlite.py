"""The SQLite backend against the storage contract, plus what only SQLite has: URLs, files,
connections, read-only units of work and the busy retry.  Migrations and read-only files
are in test_migrations.py, several processes at once in test_storage_concurrency.py."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pendulum
import pluggy
import pytest

from lvzhi.builtins import sqlite as sqlite_module
from lvzhi.builtins.sqlite import MIGRATIONS, SQLiteStorage, scanlog
from lvzhi.builtins.sqlite.connections import retry_busy
from lvzhi.builtins.sqlite.repository import EXISTING_BATCH, SQLiteRepository, index_value
from lvzhi.domain.outbox import OutboxEntry, OutboxState
from lvzhi.errors import Conflict, StorageError, ValidationError
from lvzhi.plugins import Hooks, hookspecs
from lvzhi.ports import StorageBackend
from lvzhi.serialization import format_instant
from lvzhi.storage.schema import AGGREGATES, Aggregate
from lvzhi.testing import StorageContract, make_delegate, make_scan
from lvzhi.testing.contracts import sample_models

pytest_plugins = ["lvzhi.testing.pytest_plugin"]


class TestSQLiteFile(StorageContract):
    @pytest.fixture
    def storage_backend(self, tmp_path: Path) -> Iterator[SQLiteStorage]:
        backend = SQLiteStorage.from_url(f"sqlite:///{tmp_path}/course.db")
        yield backend
        backend.close()


class TestSQLiteInMemory(StorageContract):
    concurrent_units_of_work = False  # one shared connection

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


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("sqlite://x.db", "not a SQLite URL"),
        ("postgresql://host/db", "not a SQLite URL"),
        ("sqlite:///", "names no file"),
        ("sqlite:///x.db?mode=rwc", "mode must be"),
        ("sqlite:///x.db?cache=shared", "unknown option 'cache'"),
        ("sqlite:///:memory:?mode=ro", "cannot be read-only"),
    ],
)
def test_bad_urls(url: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(StorageError, match=message):
        SQLiteStorage.from_url(url)
    assert not (tmp_path / "x.db").exists()


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
    with SQLiteStorage(path, busy_timeout=2.5) as backend, backend.unit_of_work() as uow:
        connection = uow.connection
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert connection.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert connection.execute("PRAGMA busy_timeout").fetchone()[0] == 2500
        assert connection.execute("PRAGMA query_only").fetchone()[0] == 0
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


# -- the schema list -------------------------------------------------------------------------


def test_repositories_come_from_the_schema(tmp_path: Path) -> None:
    assert not hasattr(sqlite_module, "TABLES")
    with SQLiteStorage(tmp_path / "c.db") as backend, backend.unit_of_work() as uow:
        for declared in AGGREGATES:
            repository = uow.repository(declared.name)
            assert isinstance(repository, SQLiteRepository)
            assert repository.aggregate is declared
            assert getattr(uow, declared.name) is repository
        with pytest.raises(StorageError, match="no aggregate 'nope'"):
            uow.repository("nope")


def test_index_columns_hold_plain_values(tmp_path: Path) -> None:
    """An index on an instant or an enum stores fixed-width UTC text or the enum's value,
    and ``select`` compares in the same form, whatever time zone the value is given in."""
    by_time = Aggregate(OutboxEntry, table="outbox_by_time", indexes=("occurred_at", "state"))
    when = pendulum.datetime(2022, 9, 6, 9, 30, tz="Asia/Shanghai")
    entry = OutboxEntry(id="e-1", event="x", occurred_at=when, state=OutboxState.DONE)
    other = OutboxEntry(id="e-2", event="x", occurred_at=when.add(seconds=1))
    with SQLiteStorage(tmp_path / "c.db") as backend, backend.unit_of_work() as uow:
        uow.connection.execute(
            "CREATE TABLE outbox_by_time "
            "(key TEXT PRIMARY KEY, data TEXT NOT NULL, occurred_at TEXT, state TEXT)"
        )
        repository = SQLiteRepository(by_time, uow)
        repository.put_many([entry, other])
        rows = uow.connection.execute(
            "SELECT key, occurred_at, state FROM outbox_by_time ORDER BY key"
        ).fetchall()
        assert rows == [
            ("e-1", "2022-09-06T01:30:00.000000Z", "done"),
            ("e-2", "2022-09-06T01:30:01.000000Z", "pending"),
        ]
        assert repository.select(occurred_at=when.in_timezone("UTC")) == [entry]
        assert repository.select(occurred_at=when, state="done") == [entry]
        assert repository.select(state=OutboxState.PENDING) == [other]
        assert repository.select(occurred_at=when, state="pending") == []
    assert index_value(when) == format_instant(when)
    assert index_value(OutboxState.DONE) == "done"
    assert index_value(("a", "b")) == '["a","b"]'
    assert index_value(None) is None


def test_select_uses_indexed_columns(tmp_path: Path) -> None:
    with SQLiteStorage(tmp_path / "c.db") as backend, backend.unit_of_work() as uow:
        uow.delegates.put_many(sample_models("delegates"))
        uow.deliveries.put_many(sample_models("deliveries"))
        for sql, index in [
            ("SELECT data FROM delegates WHERE delegation = ?", "ix_delegates_delegation"),
            ("SELECT data FROM deliveries WHERE state = ?", "ix_deliveries_state"),
            ("SELECT data FROM deliveries WHERE notice_id = ?", "ix_deliveries_notice_id"),
            ("SELECT data FROM outbox WHERE state = ?", "ix_outbox_state"),
        ]:
            plan = uow.connection.execute(f"EXPLAIN QUERY PLAN {sql}", ("x",)).fetchall()
            assert any(index in str(row) for row in plan), plan
        assert [d.key for d in uow.delegates.select(delegation="d-1")] == ["c-1", "c-2"]
        stored = uow.connection.execute("SELECT state FROM deliveries ORDER BY key").fetchall()
        assert stored == [("sent",), ("pending",), ("failed",)]


def test_existing_asks_in_batches(tmp_path: Path) -> None:
    statements: list[str] = []
    stored = [make_delegate(certificate_no=f"b{n:05d}") for n in range(0, 1300, 3)]
    with SQLiteStorage(tmp_path / "c.db") as backend:
        with backend.unit_of_work() as uow:
            uow.delegates.put_many(stored)
        with backend.unit_of_work(readonly=True) as uow:
            uow.connection.set_trace_callback(statements.append)
            found = uow.delegates.existing(f"b{n:05d}" for n in range(1300))
            uow.connection.set_trace_callback(None)
    assert found == {d.key for d in stored}
    asked = [s for s in statements if s.startswith("SELECT key FROM")]
    assert len(asked) == 3  # 1300 keys in batches of at most 500
    assert all(s.count("'b") <= EXISTING_BATCH for s in asked)


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


def test_scan_rows_are_plain_values(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fast row builder gives what ``format_instant`` gives, for every second and time
    zone, also once its cache of formatted seconds has been emptied."""
    monkeypatch.setattr(scanlog, "_CACHE_LIMIT", 3)
    start = pendulum.datetime(2022, 9, 6, 23, 59, 58, 999_999, tz="UTC")
    instants = [start.add(microseconds=n * 250_001) for n in range(12)]
    scans = [
        make_scan(id=f"r-{n}", scanned_at=when, forced=n % 2 == 0, source="manual")
        for n, when in enumerate(instants)
    ]
    beijing = pendulum.datetime(2022, 9, 7, 8, 0, 0, 7, tz="Asia/Shanghai")
    scans.append(make_scan(id="r-bj", scanned_at=beijing, received_at=beijing.add(seconds=1)))
    rows = list(scanlog.scan_rows(scans, "R"))
    for scan, row in zip(scans, rows, strict=True):
        assert row[4] == format_instant(scan.scanned_at)
        assert all(type(value) in (str, int, type(None)) for value in row)
    assert [row[5] for row in rows[:-1]] == ["R"] * 12
    assert rows[-1][5] == "2022-09-07T00:00:01.000007Z"
    assert rows[0][3:] == (
        "entry",
        "2022-09-06T23:59:58.999999Z",
        "R",
        "A区",
        None,
        "",
        "manual",
        1,
    )
    assert rows[1][-1] == 0
    with pytest.raises(TypeError, match="Delegate"):
        list(scanlog.scan_rows([make_delegate()]))  # type: ignore[list-item]


# -- units of work and connections -----------------------------------------------------------


def test_read_only_unit_of_work_uses_query_only(tmp_path: Path) -> None:
    with SQLiteStorage(tmp_path / "c.db", pool_size=1) as backend:
        with backend.unit_of_work(readonly=True) as uow:
            connection = uow.connection
            assert connection.execute("PRAGMA query_only").fetchone()[0] == 1
            assert connection.in_transaction
            with pytest.raises(sqlite3.OperationalError, match="readonly"):
                connection.execute("DELETE FROM delegates")
        with backend.unit_of_work() as uow:
            assert uow.connection is connection  # the pooled connection, reset
            assert connection.execute("PRAGMA query_only").fetchone()[0] == 0
            uow.delegates.add(make_delegate())


def test_read_only_unit_of_work_takes_no_write_lock(tmp_path: Path) -> None:
    """Another process (here: another backend object) holding the write lock does not
    delay a read-only unit of work."""
    path = tmp_path / "c.db"
    with SQLiteStorage(path) as writer_side, SQLiteStorage(path, busy_timeout=0.05) as other:
        with writer_side.unit_of_work() as writer:
            writer.delegates.add(make_delegate(certificate_no="w-1"))
            started = time.monotonic()
            with other.unit_of_work(readonly=True) as reader:
                assert reader.delegates.count() == 0
            assert time.monotonic() - started < 1.0


def test_read_only_inside_a_writer_in_one_thread(tmp_path: Path) -> None:
    with SQLiteStorage(tmp_path / "c.db") as backend:
        with backend.unit_of_work() as writer:
            writer.delegates.add(make_delegate(certificate_no="n-1"))
            with backend.unit_of_work(readonly=True) as reader:
                assert reader.delegates.existing(["n-1"]) == set()  # not yet committed
            writer.commit()
            with backend.unit_of_work(readonly=True) as reader:
                assert reader.delegates.existing(["n-1"]) == {"n-1"}
            with pytest.raises(StorageError, match="already open"), backend.unit_of_work():
                pass  # pragma: no cover
        with backend.unit_of_work() as uow:
            assert uow.delegates.count() == 1


def test_in_memory_units_of_work_cannot_nest(tmp_path: Path) -> None:
    with SQLiteStorage(":memory:") as backend, backend.unit_of_work() as outer:
        outer.delegates.add(make_delegate())
        with pytest.raises(StorageError, match="single connection"):
            with backend.unit_of_work(readonly=True):
                pass  # pragma: no cover
        assert outer.delegates.count() == 1


def test_writers_from_threads_run_one_after_another(tmp_path: Path) -> None:
    errors: list[BaseException] = []
    with SQLiteStorage(tmp_path / "c.db") as backend:

        def work(n: int) -> None:
            try:
                for i in range(20):
                    with backend.unit_of_work() as uow:
                        uow.scans.append(make_scan(id=f"t{n}-{i}"))
                        uow.delegates.put(make_delegate(certificate_no=f"t{n}-{i}"))
                    with backend.unit_of_work(readonly=True) as uow:
                        assert uow.delegates.count() == uow.scans.count()
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


def test_pool_reuses_and_closes_connections(tmp_path: Path) -> None:
    backend = SQLiteStorage(tmp_path / "c.db", pool_size=2)
    seen: list[sqlite3.Connection] = []
    for _ in range(3):
        with backend.unit_of_work(readonly=True) as uow:
            seen.append(uow.connection)
    assert seen[0] is seen[1] is seen[2]  # one at a time: the same idle connection
    with (
        backend.unit_of_work(readonly=True) as a,
        backend.unit_of_work(readonly=True) as b,
        backend.unit_of_work() as c,
    ):
        opened = {id(a.connection), id(b.connection), id(c.connection)}
        assert len(opened) == 3  # one connection per open unit of work
    idle = list(backend._pool._idle)
    assert len(idle) == 2  # at most pool_size kept
    backend.close()
    for connection in [*idle, seen[0]]:
        with pytest.raises(sqlite3.ProgrammingError):
            connection.execute("SELECT 1")
    with pytest.raises(StorageError, match="closed"):
        backend.unit_of_work(readonly=True)


def test_unit_of_work_outside_with_is_refused(tmp_path: Path) -> None:
    with SQLiteStorage(tmp_path / "c.db") as backend:
        uow = backend.unit_of_work()
        with pytest.raises(StorageError, match="with"):
            uow.delegates.count()
        with uow:
            pass
        with pytest.raises(StorageError, match="ended"):
            uow.delegates.count()


# -- a busy database -------------------------------------------------------------------------


def _hold_write_lock(path: Path, seconds: float, held: threading.Event) -> threading.Thread:
    def hold() -> None:
        with SQLiteStorage(path) as other, other.unit_of_work() as uow:
            uow.venues.add(sample_models("venues")[0])
            held.set()
            time.sleep(seconds)

    thread = threading.Thread(target=hold)
    thread.start()
    assert held.wait(10)
    return thread


def test_writer_waits_out_a_busy_database(tmp_path: Path) -> None:
    """SQLite's own wait (busy_timeout) is far shorter than the lock is held: the retry
    with back-off carries the writer through."""
    path = tmp_path / "c.db"
    SQLiteStorage(path).close()
    with SQLiteStorage(path, busy_timeout=0.02, busy_deadline=30) as backend:
        started = time.monotonic()
        thread = _hold_write_lock(path, 0.8, threading.Event())
        with backend.unit_of_work() as uow:
            uow.delegates.add(make_delegate(certificate_no="late"))
            assert uow.venues.count() == 1  # began after the other writer committed
        thread.join()
        assert time.monotonic() - started >= 0.7


def test_busy_beyond_the_deadline_is_a_storage_error(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    SQLiteStorage(path).close()
    with SQLiteStorage(path, busy_timeout=0.02, busy_deadline=0.2) as backend:
        thread = _hold_write_lock(path, 1.5, threading.Event())
        try:
            with pytest.raises(StorageError, match=r"stayed busy for 0\.2 s") as caught:
                with backend.unit_of_work():
                    pass  # pragma: no cover
            assert str(path) in str(caught.value)
            assert isinstance(caught.value.__cause__, sqlite3.OperationalError)
            backend.busy_deadline = 30  # settable: now it waits long enough
            with backend.unit_of_work() as uow:
                uow.delegates.add(make_delegate())
        finally:
            thread.join()


def test_retry_backs_off_exponentially_with_jitter() -> None:
    now = [0.0]
    sleeps: list[float] = []
    calls = [0]

    def busy() -> str:
        calls[0] += 1
        if calls[0] < 8:
            raise sqlite3.OperationalError("database is locked")
        return "done"

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        now[0] += seconds

    assert retry_busy(busy, deadline=60, what="x", path="p", sleep=sleep, clock=lambda: now[0])
    assert len(sleeps) == 7
    first = 0.005
    for n, slept in enumerate(sleeps):
        assert first * 2**n * 0.5 <= slept <= first * 2**n * 1.5
    with pytest.raises(sqlite3.OperationalError, match="no such table"):
        retry_busy(
            lambda: (_ for _ in ()).throw(sqlite3.OperationalError("no such table: x")),
            deadline=60,
            what="x",
            path="p",
            sleep=sleep,
        )


# -- plugins and fixtures --------------------------------------------------------------------


def test_bulk_import_of_ten_thousand(tmp_path: Path) -> None:
    """Sanity only (no timing): 10,000 puts in one unit of work, then read back."""
    delegates = [make_delegate(certificate_no=f"k{n:05d}") for n in range(10_000)]
    with SQLiteStorage(tmp_path / "c.db") as backend:
        with backend.unit_of_work() as uow:
            for delegate in delegates[:5000]:
                uow.delegates.put(delegate)
            uow.delegates.put_many(delegates[5000:])
        with backend.unit_of_work(readonly=True) as uow:
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
