"""``digest`` and ``find`` of the PostgreSQL scan log: for any scans, the digests are
exactly those of lvzhi's memory backend, the reference."""

from __future__ import annotations

from collections.abc import Iterator

import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lvzhi_postgres import PostgresStorage

from lvzhi.builtins.memory import MemoryStorage
from lvzhi.domain import Scan, ScanKind
from lvzhi.domain.attendance import ScanDigest
from lvzhi.serialization import format_instant
from lvzhi.testing import make_scan

T0 = pendulum.datetime(2022, 9, 6, 1, 0, tz="UTC")

# A few deputies, a few instants (so that ties between entries and exits happen), some
# microseconds so that "away" must be exact.
_scan = st.tuples(
    st.sampled_from(["c-1", "c-2", "c-3"]),
    st.sampled_from([ScanKind.ENTRY, ScanKind.EXIT]),
    st.integers(min_value=0, max_value=12),
    st.sampled_from([0, 1, 10, 120_000, 500_000, 999_999]),
)


@pytest.fixture(scope="module")
def module_backend(module_url: str) -> Iterator[PostgresStorage]:
    with PostgresStorage.from_url(module_url) as backend:
        yield backend


def _expected(session_id: str, scans: list[Scan]) -> list[ScanDigest]:
    with MemoryStorage() as reference:
        with reference.unit_of_work() as uow:
            uow.scans.extend(scans)
        with reference.unit_of_work(readonly=True) as uow:
            return uow.scans.digest(session_id)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(_scan, max_size=25))
def test_digest_matches_the_reference_fold(
    module_backend: PostgresStorage, drawn: list[tuple[str, ScanKind, int, int]]
) -> None:
    session_id = f"s-{abs(hash(tuple(drawn))) % 10**12}-{len(drawn)}"
    scans = [
        make_scan(
            id=f"{session_id}-{n}",
            session_id=session_id,
            certificate_no=cert,
            kind=kind,
            scanned_at=T0.add(minutes=minute, microseconds=micro),
        )
        for n, (cert, kind, minute, micro) in enumerate(drawn)
    ]
    with module_backend.unit_of_work() as uow:
        uow.scans.extend(scans)
        assert uow.scans.digest(session_id) == _expected(session_id, scans)  # uncommitted
    with module_backend.unit_of_work(readonly=True) as uow:
        assert uow.scans.digest(session_id) == _expected(session_id, scans)


def test_digest_of_a_step_out_and_back(module_backend: PostgresStorage) -> None:
    scans = [
        make_scan(id="so-1", session_id="so", certificate_no="c-1", kind="exit", scanned_at=T0),
        make_scan(id="so-2", session_id="so", certificate_no="c-1", scanned_at=T0.add(minutes=1)),
        make_scan(
            id="so-3",
            session_id="so",
            certificate_no="c-1",
            kind="exit",
            scanned_at=T0.add(minutes=30),
        ),
        make_scan(
            id="so-4",
            session_id="so",
            certificate_no="c-1",
            scanned_at=T0.add(minutes=40, microseconds=5),
        ),
        make_scan(
            id="so-5",
            session_id="so",
            certificate_no="c-1",
            kind="exit",
            scanned_at=T0.add(minutes=90),
        ),
    ]
    with module_backend.unit_of_work() as uow:
        uow.scans.extend(scans)
    with module_backend.unit_of_work(readonly=True) as uow:
        (digest,) = uow.scans.digest("so")
        assert uow.scans.find("so-3") == scans[2]
        assert uow.scans.find("no-such-scan") is None
    at = format_instant
    assert digest == ScanDigest(
        session_id="so",
        certificate_no="c-1",
        entries=2,
        exits=3,
        first_entry=at(T0.add(minutes=1)),
        last_entry=at(T0.add(minutes=40, microseconds=5)),
        first_exit=at(T0),
        last_exit=at(T0.add(minutes=90)),
        first_out=at(T0.add(minutes=30)),
        last_back=at(T0.add(minutes=40, microseconds=5)),
        left_at=at(T0.add(minutes=90)),
        spells=1,
        away=10 * 60 * 1_000_000 + 5,
    )


def test_the_server_date_style_does_not_matter(module_url: str) -> None:
    """A server whose default date style is not ISO gives the same digests."""
    scans = [
        make_scan(id="ds-1", session_id="ds", certificate_no="c-1", scanned_at=T0),
        make_scan(
            id="ds-2",
            session_id="ds",
            certificate_no="c-1",
            kind="exit",
            scanned_at=T0.add(minutes=1, microseconds=500_000),
        ),
    ]
    with PostgresStorage.from_url(module_url + "&options=-c%20DateStyle%3DSQL,DMY") as backend:
        with backend.unit_of_work() as uow:
            uow.scans.extend(scans)
            assert uow.connection.execute("SHOW DateStyle").fetchone() == ("SQL, DMY",)
        with backend.unit_of_work(readonly=True) as uow:
            assert uow.scans.digest("ds") == _expected("ds", scans)
