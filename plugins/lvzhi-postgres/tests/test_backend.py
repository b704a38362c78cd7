"""What only the PostgreSQL backend has: its URL, discovery through the entry point, the
writer lock that keeps allocations safe across processes, read-only transactions enforced
by the server, and the bulk scan path."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pendulum
import psycopg
import pytest
from lvzhi_postgres import PostgresStorage, parse_postgres_url

import lvzhi
from lvzhi.clock import FixedClock
from lvzhi.errors import PluginError, StorageError
from lvzhi.samples.load import load_course
from lvzhi.testing import make_delegate, make_delegation, make_scan

CLOCK = FixedClock(pendulum.datetime(2022, 9, 1, 9, 0, tz="Asia/Shanghai"))
#: Only this plugin of those installed, so that other plugins in a shared environment
#: cannot disturb these tests; it is still found through its entry point.
ONLY_POSTGRES = {"LVZHI_PLUGINS": "postgres"}


@pytest.fixture
def backend(postgres_url: str) -> Iterator[PostgresStorage]:
    with PostgresStorage.from_url(postgres_url) as opened:
        yield opened


# -- the URL --------------------------------------------------------------------------------


def test_url_options_are_read_and_the_rest_goes_to_libpq() -> None:
    parsed = parse_postgres_url(
        "postgres://me:secret@db.example:6432/course?schema=hy16&sslmode=require"
        "&pool_min=2&pool_max=20&pool_timeout=5&lock_timeout=1.5&prepare_threshold=none"
        "&application_name=lvzhi&options=-c%20DateStyle%3DSQL"
    )
    assert parsed.conninfo == (
        "postgresql://me:secret@db.example:6432/course?sslmode=require&application_name=lvzhi"
        "&options=-c%20DateStyle%3DSQL"
    )
    assert (parsed.schema, parsed.pool_min, parsed.pool_max) == ("hy16", 2, 20)
    assert (parsed.pool_timeout, parsed.lock_timeout) == (5.0, 1.5)
    assert parsed.prepare_threshold is None
    assert parsed.readonly is False
    assert parsed.display == "postgresql://me@db.example:6432/course"
    defaults = parse_postgres_url("postgresql://localhost/test")
    assert (defaults.schema, defaults.pool_min, defaults.pool_max) == ("public", 1, 10)
    assert defaults.prepare_threshold == 5


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("sqlite:///x.db", "not a PostgreSQL URL"),
        ("postgresql://h/db?schema=bad-name", "schema must be a plain identifier"),
        ("postgresql://h/db?schema=x;drop", "schema must be a plain identifier"),
        ("postgresql://h/db?pool_max=0", "pool_max must be a whole number >= 1, not '0'"),
        ("postgresql://h/db?pool_min=5&pool_max=2", r"pool_max \(2\) is below pool_min \(5\)"),
        ("postgresql://h/db?lock_timeout=soon", "lock_timeout must be a number"),
        ("postgresql://h/db?mode=rwc", "mode must be 'ro' or 'rw', not 'rwc'"),
    ],
)
def test_bad_urls_are_named(url: str, message: str) -> None:
    with pytest.raises(StorageError, match=message):
        parse_postgres_url(url)


def test_an_unreachable_server_is_a_storage_error() -> None:
    with pytest.raises(
        StorageError, match=r"no connection to postgresql://nobody@127\.0\.0\.1:1/x"
    ):
        PostgresStorage.from_url("postgresql://nobody@127.0.0.1:1/x?pool_timeout=1")


# -- discovery ------------------------------------------------------------------------------


def test_lvzhi_open_finds_the_plugin_through_its_entry_point(
    postgres_url: str, schema_name: str
) -> None:
    with lvzhi.open(postgres_url, clock=CLOCK, environ=ONLY_POSTGRES) as office:
        assert type(office.storage).__name__ == "PostgresStorage"
        assert office.registries.storage.plugin_of("postgresql") == "postgres"
        assert "postgres" in office.registries.storage
        office.people.save_delegation(make_delegation(code="d-ep"))  # writes work
        office.people.save_delegate(make_delegate(certificate_no="ep-1", delegation="d-ep"))
        assert [d.key for d in office.delegates()] == ["ep-1"]
    with PostgresStorage.from_url(postgres_url) as backend:
        assert schema_name in repr(backend)


def test_disabling_the_plugin_names_the_scheme(postgres_url: str) -> None:
    with pytest.raises(PluginError, match="no storage backend for 'postgresql' URLs") as caught:
        lvzhi.open(postgres_url, environ={**ONLY_POSTGRES, "LVZHI_DISABLE_PLUGINS": "postgres"})
    assert "sqlite://" in str(caught.value)
    assert "postgresql://" not in str(caught.value).split("installed:")[1]


# -- transactions ---------------------------------------------------------------------------


def test_read_only_units_of_work_are_read_only_on_the_server(backend: PostgresStorage) -> None:
    with backend.unit_of_work(readonly=True) as uow:
        connection = uow.connection
        assert connection.execute("SHOW transaction_read_only").fetchone() == ("on",)
        assert connection.execute("SHOW transaction_isolation").fetchone() == ("repeatable read",)
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            connection.execute(f'DELETE FROM "{backend.schema}".delegates')


def test_one_writer_at_a_time_across_backends(postgres_url: str) -> None:
    """Two backend objects (as two processes would have): the second writer waits for the
    first to commit, then sees its rows — while readers are never blocked."""
    first = PostgresStorage.from_url(postgres_url)
    second = PostgresStorage.from_url(postgres_url)
    order: list[str] = []
    try:
        with first.unit_of_work() as uow:
            uow.delegates.add(make_delegate(certificate_no="w-1"))

            def write() -> None:
                with second.unit_of_work() as other:
                    order.append("second writer began")
                    order.append(f"it sees {sorted(other.delegates.existing(['w-1']))}")

            thread = threading.Thread(target=write)
            thread.start()
            time.sleep(0.5)
            with second.unit_of_work(readonly=True) as reader:  # not blocked
                assert reader.delegates.count() == 0
            order.append("first writer commits")
        thread.join(30)
        assert order == ["first writer commits", "second writer began", "it sees ['w-1']"]
    finally:
        first.close()
        second.close()


def test_a_writer_waits_at_most_lock_timeout(postgres_url: str) -> None:
    holder = PostgresStorage.from_url(postgres_url)
    waiter = PostgresStorage.from_url(postgres_url + "&lock_timeout=0.3")
    try:
        with holder.unit_of_work():
            started = time.monotonic()
            with pytest.raises(StorageError, match=r"waited 0.3 s for another unit of work"):
                waiter.unit_of_work().__enter__()
            assert time.monotonic() - started < 5
        with waiter.unit_of_work() as uow:  # free again
            assert uow.delegates.count() == 0
    finally:
        holder.close()
        waiter.close()


def test_a_second_writer_in_the_same_thread_is_refused(backend: PostgresStorage) -> None:
    with backend.unit_of_work():
        with pytest.raises(StorageError, match="already open on this PostgreSQL backend"):
            backend.unit_of_work().__enter__()
        with backend.unit_of_work(readonly=True) as reader:
            assert reader.delegates.count() == 0


def test_concurrent_suggestions_get_distinct_numbers(postgres_url: str) -> None:
    """Numbers allocated from the rows read (max + 1) stay unique when secretariats in
    several threads (each its own backend, as separate processes) submit at once."""
    with lvzhi.open(postgres_url, clock=CLOCK, environ=ONLY_POSTGRES) as office:
        course = load_course(office, schedule=False)
        proposer = course.delegates[0].certificate_no
    offices = [lvzhi.open(postgres_url, clock=CLOCK, environ=ONLY_POSTGRES) for _ in range(4)]
    errors: list[BaseException] = []

    def submit(office: lvzhi.Secretariat, n: int) -> None:
        try:
            for k in range(5):
                office.suggestions.submit(title=f"建议 {n}-{k}", body="…", proposers=[proposer])
        except BaseException as exc:  # collected for the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=submit, args=(o, n)) for n, o in enumerate(offices)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    for office in offices:
        office.close()
    assert errors == []
    with PostgresStorage.from_url(postgres_url) as backend, backend.unit_of_work() as uow:
        numbers = sorted(s.number or 0 for s in uow.suggestions.list())
    assert numbers == list(range(1, 21))


def test_the_suggestion_number_is_unique_per_course_in_the_table(backend: PostgresStorage) -> None:
    from lvzhi.errors import Conflict
    from lvzhi.testing import make_suggestion

    with backend.unit_of_work() as uow:
        uow.suggestions.add(make_suggestion(id="n-1", programme_id="p-1", number=1))
        uow.suggestions.add(make_suggestion(id="n-2", programme_id="p-2", number=1))
    with pytest.raises(Conflict, match="ux_suggestions_number"), backend.unit_of_work() as uow:
        uow.suggestions.put(make_suggestion(id="n-3", programme_id="p-1", number=1))


# -- scans ----------------------------------------------------------------------------------


def test_extend_is_idempotent_across_and_within_batches(backend: PostgresStorage) -> None:
    scans = [
        make_scan(id=f"b-{n:05d}", session_id="s-1", certificate_no="c-1") for n in range(25_000)
    ]
    with backend.unit_of_work() as uow:
        assert uow.scans.extend(scans[:12_000]) == 12_000
    received = pendulum.datetime(2022, 9, 6, 12, 0, tz="UTC")
    repeated = [*scans[11_000:], scans[20_000], scans[5]]  # stored ones and a duplicate
    with backend.unit_of_work() as uow:
        assert uow.scans.extend(repeated, received_at=received) == 13_000
        assert uow.scans.extend(repeated) == 0
        assert uow.scans.append(scans[0]) is False
    with backend.unit_of_work(readonly=True) as uow:
        assert uow.scans.count() == 25_000
        stored = {s.id: s for s in uow.scans.list()}
    assert stored["b-00000"] == scans[0]
    assert stored["b-00000"].received_at is None
    assert stored["b-20000"].received_at == received


def test_extend_rolls_back_with_the_unit_of_work(backend: PostgresStorage) -> None:
    scans = [make_scan(id=f"r-{n}", session_id="s-1", certificate_no="c-1") for n in range(100)]
    with pytest.raises(RuntimeError), backend.unit_of_work() as uow:  # noqa: PT012
        uow.scans.extend(scans)
        raise RuntimeError("boom")
    with backend.unit_of_work(readonly=True) as uow:
        assert uow.scans.count() == 0
