"""Contract test suites for plugin authors.

:class:`StorageContract` checks that a storage backend behaves as lvzhi expects.  Subclass it
in a test module (the subclass's name must start with ``Test`` for pytest to collect it) and
supply one fixture, ``storage_backend``, yielding a fresh, empty backend::

    import pytest
    from lvzhi.testing import StorageContract

    from my_plugin import MyStorage


    class TestMyStorage(StorageContract):
        @pytest.fixture
        def storage_backend(self, tmp_path):
            backend = MyStorage.from_url(f"my://{tmp_path}/course")
            yield backend
            backend.close()

Every aggregate of :data:`lvzhi.storage.schema.AGGREGATES` is checked, so a new aggregate
is covered as soon as it is declared (and :func:`sample_models` has samples for it).

A backend whose units of work cannot be open at the same time (the SQLite backend on
``sqlite:///:memory:``, which has a single connection) sets
``concurrent_units_of_work = False`` on the subclass; the isolation test is then skipped.
"""

from __future__ import annotations

from typing import Any

import attrs
import pendulum
import pytest

import lvzhi.testing.factories as fx
from lvzhi.domain import Gender, LeaveState, ScanKind, ScanSource, ScanSummary, SessionKind
from lvzhi.domain.outbox import DeliveryState, OutboxState
from lvzhi.errors import Conflict, NotFound, ValidationError
from lvzhi.ports import Repository, ScanLog, StorageBackend, UnitOfWork
from lvzhi.testing.contracts.storage_samples import REPOSITORY_NAMES, sample_models
from lvzhi.testing.contracts.storage_samples import at as _at
from lvzhi.testing.contracts.storage_samples import changed as _changed
from lvzhi.testing.contracts.storage_samples import scan as _scan
from lvzhi.testing.contracts.storage_scans import ScanLogChecks
from lvzhi.testing.contracts.storage_units import UnitOfWorkChecks

__all__ = ["REPOSITORY_NAMES", "StorageContract", "sample_models"]


class StorageContract(ScanLogChecks, UnitOfWorkChecks):
    """The behaviour every storage backend must show.  See the module documentation."""

    # -- shape -----------------------------------------------------------------------------
    def test_backend_implements_the_protocols(self, storage_backend: StorageBackend) -> None:
        assert isinstance(storage_backend, StorageBackend)
        assert isinstance(type(storage_backend).name, str)
        assert type(storage_backend).name
        assert isinstance(type(storage_backend).schemes, tuple)
        assert all(isinstance(s, str) and s for s in type(storage_backend).schemes)
        with storage_backend.unit_of_work() as uow:
            assert isinstance(uow, UnitOfWork)
            for name in REPOSITORY_NAMES:
                assert isinstance(self.repo(uow, name), Repository), name
            assert isinstance(uow.scans, ScanLog)

    def test_schema_version_is_a_whole_number(self, storage_backend: StorageBackend) -> None:
        version = storage_backend.schema_version()
        assert isinstance(version, int)
        assert version >= 0

    def test_starts_empty(self, storage_backend: StorageBackend) -> None:
        with storage_backend.unit_of_work() as uow:
            for name in REPOSITORY_NAMES:
                assert self.repo(uow, name).count() == 0, name
                assert self.repo(uow, name).list() == [], name
            assert uow.scans.count() == 0
            assert uow.scans.list() == []

    # -- repositories ----------------------------------------------------------------------
    @pytest.mark.parametrize("name", REPOSITORY_NAMES)
    def test_round_trip(self, storage_backend: StorageBackend, name: str) -> None:
        items = sample_models(name)
        self.store(storage_backend, name, items)
        with storage_backend.unit_of_work() as uow:
            repo = self.repo(uow, name)
            for item in items:
                got = repo.get(item.key)
                assert got == item
                assert type(got) is type(item)
                assert repo.find(item.key) == item
            assert repo.list() == sorted(items, key=lambda i: i.key)
            assert repo.count() == len(items)

    @pytest.mark.parametrize("name", REPOSITORY_NAMES)
    def test_missing_key(self, storage_backend: StorageBackend, name: str) -> None:
        self.store(storage_backend, name, sample_models(name)[:1])
        with storage_backend.unit_of_work() as uow:
            repo = self.repo(uow, name)
            assert repo.find("no-such-key") is None
            with pytest.raises(NotFound) as caught:
                repo.get("no-such-key")
            assert caught.value.key == "no-such-key"
            with pytest.raises(NotFound):
                repo.remove("no-such-key")

    @pytest.mark.parametrize("name", REPOSITORY_NAMES)
    def test_add_refuses_a_taken_key(self, storage_backend: StorageBackend, name: str) -> None:
        first = sample_models(name)[0]
        self.store(storage_backend, name, [first])
        with storage_backend.unit_of_work() as uow:
            with pytest.raises(Conflict):
                self.repo(uow, name).add(_changed(name, first))
            assert self.repo(uow, name).get(first.key) == first
        with storage_backend.unit_of_work() as uow:
            other = sample_models(name)[1]
            self.repo(uow, name).add(other)
            with pytest.raises(Conflict):
                self.repo(uow, name).add(other)
        with storage_backend.unit_of_work() as uow:
            assert self.repo(uow, name).count() == 2

    @pytest.mark.parametrize("name", REPOSITORY_NAMES)
    def test_put_inserts_and_replaces(self, storage_backend: StorageBackend, name: str) -> None:
        item = sample_models(name)[0]
        changed = _changed(name, item)
        with storage_backend.unit_of_work() as uow:
            self.repo(uow, name).put(item)
            assert self.repo(uow, name).get(item.key) == item
            self.repo(uow, name).put(changed)
            assert self.repo(uow, name).get(item.key) == changed
        with storage_backend.unit_of_work() as uow:
            assert self.repo(uow, name).get(item.key) == changed
            assert self.repo(uow, name).count() == 1

    @pytest.mark.parametrize("name", REPOSITORY_NAMES)
    def test_remove(self, storage_backend: StorageBackend, name: str) -> None:
        items = sample_models(name)
        self.store(storage_backend, name, items)
        with storage_backend.unit_of_work() as uow:
            self.repo(uow, name).remove(items[0].key)
            assert self.repo(uow, name).find(items[0].key) is None
            assert self.repo(uow, name).count() == len(items) - 1
        with storage_backend.unit_of_work() as uow:
            assert self.repo(uow, name).find(items[0].key) is None
            assert [i.key for i in self.repo(uow, name).list()] == sorted(i.key for i in items[1:])
            self.repo(uow, name).add(items[0])  # a removed key can be used again
        with storage_backend.unit_of_work() as uow:
            assert self.repo(uow, name).get(items[0].key) == items[0]

    @pytest.mark.parametrize("name", REPOSITORY_NAMES)
    def test_put_many(self, storage_backend: StorageBackend, name: str) -> None:
        items = sample_models(name)
        with storage_backend.unit_of_work() as uow:
            assert self.repo(uow, name).put_many(items) == len(items)
            assert self.repo(uow, name).put_many([]) == 0
        changed = _changed(name, items[1])
        with storage_backend.unit_of_work() as uow:
            assert self.repo(uow, name).put_many([changed]) == 1
        with storage_backend.unit_of_work() as uow:
            expected = sorted([items[0], changed, items[2]], key=lambda i: i.key)
            assert self.repo(uow, name).list() == expected

    @pytest.mark.parametrize("name", REPOSITORY_NAMES)
    def test_existing(self, storage_backend: StorageBackend, name: str) -> None:
        first, second, third = sample_models(name)
        self.store(storage_backend, name, [first, second])
        with storage_backend.unit_of_work() as uow:
            repo = self.repo(uow, name)
            assert repo.existing([]) == set()
            asked = [third.key, first.key, "no-such-key", first.key]
            assert repo.existing(asked) == {first.key}
            assert repo.existing(iter([second.key, first.key])) == {first.key, second.key}
            repo.add(third)  # its own uncommitted changes count
            repo.remove(first.key)
            assert repo.existing([first.key, second.key, third.key]) == {second.key, third.key}

    def test_existing_in_large_batches(self, storage_backend: StorageBackend) -> None:
        stored = [fx.make_delegate(certificate_no=f"ex-{n:05d}") for n in range(0, 2400, 2)]
        with storage_backend.unit_of_work() as uow:
            uow.delegates.put_many(stored)
        asked = [f"ex-{n:05d}" for n in range(2400)]
        with storage_backend.unit_of_work(readonly=True) as uow:
            found = uow.delegates.existing(asked)
        assert found == {d.key for d in stored}
        assert len(found) == 1200

    def test_put_many_imports_a_large_roster(self, storage_backend: StorageBackend) -> None:
        delegates = [fx.make_delegate(certificate_no=f"bulk-{n:05d}") for n in range(2000)]
        with storage_backend.unit_of_work() as uow:
            assert uow.delegates.put_many(reversed(delegates)) == len(delegates)
        with storage_backend.unit_of_work() as uow:
            assert uow.delegates.count() == len(delegates)
            assert uow.delegates.list() == delegates

    def test_select(self, storage_backend: StorageBackend) -> None:
        delegates = sample_models("delegates")
        sessions = sample_models("sessions")
        groups = sample_models("groups")
        leave = sample_models("leave_requests")
        suggestions = sample_models("suggestions")
        with storage_backend.unit_of_work() as uow:
            uow.delegates.put_many(delegates)
            uow.sessions.put_many(sessions)
            uow.groups.put_many(groups)
            uow.leave_requests.put_many(leave)
            uow.suggestions.put_many(suggestions)
        by_key = {m.key: m for m in [*delegates, *sessions, *groups, *leave, *suggestions]}

        def keys(found: list[Any]) -> list[str]:
            assert all(by_key[m.key] == m for m in found)
            return [m.key for m in found]

        with storage_backend.unit_of_work() as uow:
            assert keys(uow.delegates.select(delegation="d-1")) == ["c-1", "c-2"]
            assert keys(uow.delegates.select(gender=Gender.MALE, delegation="d-1")) == ["c-1"]
            assert keys(uow.delegates.select(gender="female", delegation="d-1")) == ["c-2"]
            assert keys(uow.delegates.select(is_new=True)) == ["c-1"]
            assert keys(uow.delegates.select(ethnicity="瑶族")) == ["c-1"]
            assert keys(uow.delegates.select(delegation="d-9")) == []
            assert keys(uow.delegates.select()) == ["c-1", "c-2", "c-3"]
            assert keys(uow.sessions.select(programme_id="p-1")) == ["s-1", "s-2"]
            assert keys(uow.sessions.select(kind=SessionKind.GROUP_DISCUSSION)) == ["s-3"]
            assert keys(uow.sessions.select(venue_id=None, programme_id="p-1")) == ["s-2"]
            s1 = by_key["s-1"]
            assert keys(uow.sessions.select(starts_at=s1.starts_at)) == ["s-1"]
            assert keys(uow.sessions.select(audience=s1.audience)) == ["s-1"]
            assert keys(uow.groups.select(programme_id="p-1", number=2)) == ["g-2"]
            assert keys(uow.groups.select(members=("c-2", "c-1"))) == ["g-1"]
            assert keys(uow.leave_requests.select(certificate_no="c-1")) == ["l-1"]
            assert keys(uow.leave_requests.select(state=LeaveState.SUBMITTED)) == ["l-2", "l-3"]
            assert keys(uow.suggestions.select(satisfaction=None)) == ["y-2", "y-3"]
            assert keys(uow.suggestions.select(deadline=pendulum.Date(2022, 10, 31))) == ["y-1"]
            assert keys(uow.suggestions.select(state="assigned", programme_id="p-1")) == ["y-2"]
            with pytest.raises(ValidationError, match="no_such_attribute"):
                uow.delegates.select(no_such_attribute="x")

    def test_select_on_indexed_enums_and_instants(self, storage_backend: StorageBackend) -> None:
        outbox = sample_models("outbox")
        deliveries = sample_models("deliveries")
        with storage_backend.unit_of_work() as uow:
            uow.outbox.put_many(outbox)
            uow.deliveries.put_many(deliveries)

        def keys(found: list[Any]) -> list[str]:
            return [m.key for m in found]

        with storage_backend.unit_of_work(readonly=True) as uow:
            assert keys(uow.outbox.select(state=OutboxState.PENDING)) == ["e-1", "e-3"]
            assert keys(uow.outbox.select(state="done")) == ["e-2"]
            assert keys(uow.outbox.select(state=OutboxState.FAILED)) == []
            assert keys(uow.outbox.select(next_attempt_at=_at(30))) == ["e-1"]
            beijing = _at(30).in_timezone("Asia/Shanghai")  # the same instant elsewhere
            assert keys(uow.outbox.select(next_attempt_at=beijing)) == ["e-1"]
            assert keys(uow.outbox.select(occurred_at=_at(1), state="done")) == ["e-2"]
            assert keys(uow.deliveries.select(notice_id="n-1")) == ["dl-1", "dl-2"]
            assert keys(uow.deliveries.select(notice_id="n-1", state=DeliveryState.SENT)) == [
                "dl-1"
            ]
            assert keys(uow.deliveries.select(state="pending", sent_at=None)) == ["dl-2"]
            assert keys(uow.deliveries.select(state=DeliveryState.FAILED)) == ["dl-3"]

    # -- values ----------------------------------------------------------------------------
    def test_time_zones_round_trip(self, storage_backend: StorageBackend) -> None:
        start = pendulum.datetime(2022, 9, 6, 8, 30, 15, 250, tz="Asia/Shanghai")
        session = fx.make_session(id="tz-1", starts_at=start)
        scan = fx.make_scan(
            id="tz-scan", session_id="tz-1", scanned_at=start, received_at=start.add(seconds=3)
        )
        with storage_backend.unit_of_work() as uow:
            uow.sessions.add(session)
            uow.scans.append(scan)
        with storage_backend.unit_of_work() as uow:
            got = uow.sessions.get("tz-1")
            (got_scan,) = uow.scans.list(session_id="tz-1")
        assert got.starts_at == start
        assert got.starts_at.tzinfo is not None
        assert got.starts_at.in_timezone("Asia/Shanghai").hour == 8
        assert got.starts_at.microsecond == 250
        assert got_scan == scan
        assert got_scan.scanned_at == start
        assert got_scan.scanned_at.tzinfo is not None
        assert got_scan.received_at == start.add(seconds=3)

    def test_chinese_text_round_trips(self, storage_backend: StorageBackend) -> None:
        name = "𠮷祥龘"  # includes a character outside the Basic Multilingual Plane
        delegate = fx.make_delegate(certificate_no="zh-1", name=name, sector="少数民族界别")
        notice = fx.make_notice(
            id="zh-n",
            title="关于“代表之家”建设情况的通报",
            body="各县（市、区）人大常委会：\n\n　　现将有关情况通报如下——👍",
            recipients=("各县（市、区）人大常委会", "驻军"),
        )
        with storage_backend.unit_of_work() as uow:
            uow.delegates.add(delegate)
            uow.notices.add(notice)
        with storage_backend.unit_of_work() as uow:
            assert uow.delegates.get("zh-1") == delegate
            assert uow.delegates.get("zh-1").name == name
            assert uow.delegates.select(name=name) == [delegate]
            assert uow.notices.get("zh-n").body == notice.body

    # -- scans -----------------------------------------------------------------------------
    def test_scan_append_is_idempotent(self, storage_backend: StorageBackend) -> None:
        scan = _scan("dup", "c-1", ScanKind.ENTRY, 0, zone="B区", device="门禁1")
        with storage_backend.unit_of_work() as uow:
            assert uow.scans.append(scan) is True
            assert uow.scans.append(scan) is False
            assert uow.scans.count() == 1
        with storage_backend.unit_of_work() as uow:
            # a retry with the same id is ignored even if its content differs
            assert uow.scans.append(attrs.evolve(scan, kind=ScanKind.EXIT)) is False
            assert uow.scans.list() == [scan]

    def test_scan_extend_counts_new_scans(self, storage_backend: StorageBackend) -> None:
        first = [_scan(f"e-{n}", "c-1", ScanKind.ENTRY, n) for n in range(3)]
        with storage_backend.unit_of_work() as uow:
            assert uow.scans.extend(first) == 3
        batch = [first[0], _scan("e-9", "c-2", ScanKind.ENTRY, 5), first[2]]
        with storage_backend.unit_of_work() as uow:
            assert uow.scans.extend(batch) == 1
            assert uow.scans.extend(iter(batch)) == 0
            assert uow.scans.extend([]) == 0
            assert uow.scans.count() == 4

    def test_scan_extend_fills_received_at(self, storage_backend: StorageBackend) -> None:
        arrived = pendulum.datetime(2022, 9, 6, 12, 0, 30, 125, tz="Asia/Shanghai")
        own = _at(200)
        batch = [
            _scan("ra-1", "c-1", ScanKind.ENTRY, 0),
            _scan("ra-2", "c-2", ScanKind.ENTRY, 1, received_at=own),
            _scan("ra-3", "c-3", ScanKind.EXIT, 2),
        ]
        with storage_backend.unit_of_work() as uow:
            assert uow.scans.extend(iter(batch), received_at=arrived) == 3
            assert uow.scans.extend(batch[:1], received_at=own) == 0  # already stored
        with storage_backend.unit_of_work(readonly=True) as uow:
            stored = {s.id: s for s in uow.scans.list()}
        assert stored["ra-1"] == attrs.evolve(batch[0], received_at=arrived)
        assert stored["ra-1"].received_at == arrived
        assert stored["ra-2"] == batch[1]  # its own received_at is kept
        assert stored["ra-3"].received_at == arrived
        assert stored["ra-3"].scanned_at == _at(2)
        with storage_backend.unit_of_work() as uow:
            naive = pendulum.naive(2022, 9, 6, 12)
            with pytest.raises(ValidationError, match="received_at"):
                uow.scans.extend([_scan("ra-4", "c-4", ScanKind.ENTRY, 3)], received_at=naive)

    def test_scan_list_order_and_filters(self, storage_backend: StorageBackend) -> None:
        scans = [
            _scan("b", "c-2", ScanKind.ENTRY, 5),
            _scan("a", "c-1", ScanKind.ENTRY, 5),  # same instant: by id
            _scan("c", "c-1", ScanKind.EXIT, 150),
            _scan("d", "c-1", ScanKind.ENTRY, -20, session_id="s-2"),
            _scan("e", "c-2", ScanKind.ENTRY, -30),  # arrives last, happened first
            _scan(
                "f",
                "c-3",
                ScanKind.ENTRY,
                1,
                source=ScanSource.MANUAL,
                taker_id="o-1",
                forced=True,
                received_at=_at(200),
            ),
        ]
        with storage_backend.unit_of_work() as uow:
            uow.scans.extend(scans)
        by_id = {s.id: s for s in scans}
        with storage_backend.unit_of_work() as uow:
            all_scans = uow.scans.list()
            assert [s.id for s in all_scans] == ["e", "d", "f", "a", "b", "c"]
            assert all(by_id[s.id] == s for s in all_scans)
            assert [s.id for s in uow.scans.list(session_id="s-1")] == ["e", "f", "a", "b", "c"]
            assert [s.id for s in uow.scans.list(certificate_no="c-1")] == ["d", "a", "c"]
            assert [s.id for s in uow.scans.list(session_id="s-1", certificate_no="c-1")] == [
                "a",
                "c",
            ]
            assert uow.scans.list(session_id="s-9") == []

    def test_summarise(self, storage_backend: StorageBackend) -> None:
        scans = [
            _scan("1", "c-1", ScanKind.ENTRY, -5),
            _scan("2", "c-1", ScanKind.EXIT, 140),
            _scan("3", "c-1", ScanKind.ENTRY, -15),  # uploaded late: the real first entry
            _scan("4", "c-1", ScanKind.EXIT, 151),
            _scan("5", "c-1", ScanKind.EXIT, 120),
            _scan("6", "c-3", ScanKind.EXIT, 150),  # exit only
            _scan("7", "c-2", ScanKind.ENTRY, 10),  # entry only
            _scan("8", "c-2", ScanKind.ENTRY, 12),
            _scan("9", "c-1", ScanKind.ENTRY, -60, session_id="s-2"),  # another session
        ]
        with storage_backend.unit_of_work() as uow:
            uow.scans.extend(scans[:4])
        with storage_backend.unit_of_work() as uow:
            uow.scans.extend(reversed(scans[4:]))
            summary = uow.scans.summarise("s-1")
        assert summary == [
            ScanSummary(
                session_id="s-1",
                certificate_no="c-1",
                first_entry=_at(-15),
                last_exit=_at(151),
                scans=5,
            ),
            ScanSummary(
                session_id="s-1", certificate_no="c-2", first_entry=_at(10), last_exit=None, scans=2
            ),
            ScanSummary(
                session_id="s-1",
                certificate_no="c-3",
                first_entry=None,
                last_exit=_at(150),
                scans=1,
            ),
        ]
        assert all(s.first_entry is None or s.first_entry.tzinfo is not None for s in summary)
        with storage_backend.unit_of_work() as uow:
            assert uow.scans.summarise("s-2") == [
                ScanSummary(
                    session_id="s-2",
                    certificate_no="c-1",
                    first_entry=_at(-60),
                    last_exit=None,
                    scans=1,
                )
            ]
            assert uow.scans.summarise("s-9") == []
