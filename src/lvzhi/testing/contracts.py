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

A backend whose units of work cannot be open at the same time (the SQLite backend, whose
units of work on one backend object run one after another) sets
``concurrent_units_of_work = False`` on the subclass; the isolation test is then skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import attrs
import pendulum
import pytest

from lvzhi.domain import (
    Audience,
    DelegationKind,
    Gender,
    LeaveStage,
    LeaveState,
    Reply,
    Satisfaction,
    Scan,
    ScanKind,
    ScanSource,
    ScanSummary,
    SessionKind,
)
from lvzhi.errors import Conflict, NotFound, StorageError, ValidationError
from lvzhi.ports import Repository, ScanLog, StorageBackend, UnitOfWork
from lvzhi.testing import factories as fx

__all__ = ["REPOSITORY_NAMES", "ExporterContract", "StorageContract", "sample_models"]

#: The repository attributes every unit of work has (the scan log aside).
REPOSITORY_NAMES: tuple[str, ...] = (
    "delegations",
    "delegates",
    "officials",
    "programmes",
    "sessions",
    "venues",
    "groups",
    "leave_requests",
    "suggestions",
    "notices",
)

# A text attribute of each model that ``put`` tests change.
_TEXT_FIELD: dict[str, str] = {
    "delegations": "name",
    "delegates": "name",
    "officials": "name",
    "programmes": "title",
    "sessions": "title",
    "venues": "name",
    "groups": "name",
    "leave_requests": "reason",
    "suggestions": "title",
    "notices": "title",
}

_T0 = fx.COURSE_START


def _at(minutes: int) -> pendulum.DateTime:
    return _T0.add(minutes=minutes)


def sample_models(repository: str) -> list[Any]:
    """Three models for ``repository`` with their keys out of order; between them they
    fill every optional and nested attribute of the model."""
    beijing = pendulum.datetime(2022, 9, 6, 14, 30, tz="Asia/Shanghai")
    makers: dict[str, Callable[[], list[Any]]] = {
        "delegations": lambda: [
            fx.make_delegation(code="d-3", name="驻军", kind=DelegationKind.GARRISON),
            fx.make_delegation(code="d-1", leader_id="o-1", staff_id="o-2", report_to="某县"),
            fx.make_delegation(code="d-2", kind="区"),
        ],
        "delegates": lambda: [
            fx.make_delegate(
                certificate_no="c-3", delegation="d-2", phone="0734-1234567", is_new=False
            ),
            fx.make_delegate(
                certificate_no="c-1",
                delegation="d-1",
                gender=Gender.MALE,
                is_new=True,
                email="c1@example.org",
                title="村党支部书记",
                ethnicity="瑶族",
            ),
            fx.make_delegate(
                certificate_no="c-2", delegation="d-1", gender=Gender.FEMALE, is_new=False
            ),
        ],
        "officials": lambda: [
            fx.make_official(id="o-2", delegation="d-1", role="工作人员"),
            fx.make_official(id="o-1", role="lecturer", title="教授", phone="13800000000"),
            fx.make_official(id="o-3"),
        ],
        "programmes": lambda: [
            fx.make_programme(id="p-2", timezone="UTC"),
            fx.make_programme(
                id="p-1",
                organiser="市人大常委会",
                policy=attrs.evolve(
                    fx.make_programme().policy, grace_minutes=10, require_written_leave=False
                ),
            ),
            fx.make_programme(id="p-3"),
        ],
        "sessions": lambda: [
            fx.make_session(id="s-3", programme_id="p-2", kind=SessionKind.GROUP_DISCUSSION),
            fx.make_session(
                id="s-1",
                programme_id="p-1",
                starts_at=beijing,
                venue_id="v-1",
                lecturer="省委党校讲师",
                host="主持人",
                audience=Audience(everyone=False, delegations={"d-2", "d-1"}, groups={"3"}),
                notes="请提前十分钟入场",
            ),
            fx.make_session(id="s-2", programme_id="p-1", audience=Audience(new_only=True)),
        ],
        "venues": lambda: [
            fx.make_venue(id="v-2", capacity=None, kind="hall", address="某路1号"),
            fx.make_venue(id="v-1"),
            fx.make_venue(id="v-3", kind="dining"),
        ],
        "groups": lambda: [
            fx.make_group(id="g-2", programme_id="p-1", number=2, members=("c-3",)),
            fx.make_group(
                id="g-1",
                programme_id="p-1",
                number=1,
                venue_id="v-1",
                convener_id="o-1",
                leader_ids=("o-2", "o-1"),
                members=("c-2", "c-1"),
            ),
            fx.make_group(id="g-3", programme_id="p-2", number=3),
        ],
        "leave_requests": lambda: [
            fx.make_leave_request(id="l-3", programme_id="p-2", certificate_no="c-3"),
            fx.make_leave_request(
                id="l-1", programme_id="p-1", certificate_no="c-1", starts_at=beijing
            )
            .decide(LeaveStage.DELEGATION, approver="某县人大常委会", approved=True, at=_at(1))[0]
            .decide(LeaveStage.ORGANISER, approver="会务组", approved=True, at=_at(2))[0],
            fx.make_leave_request(
                id="l-2", programme_id="p-1", certificate_no="c-2", written_application="请假条"
            ),
        ],
        "suggestions": lambda: [
            fx.make_suggestion(id="y-3", programme_id="p-2"),
            fx.make_suggestion(
                id="y-1",
                programme_id="p-1",
                proposers=("c-2", "c-1"),
                group_id="g-1",
                handling_unit="市财政局",
                deadline=pendulum.Date(2022, 10, 31),
                state="replied",
                reply=Reply(body="已采纳", replied_by="市财政局", replied_at=beijing),
                satisfaction=Satisfaction.BASICALLY,
            ),
            fx.make_suggestion(id="y-2", programme_id="p-1").assign("市教育局"),
        ],
        "notices": lambda: [
            fx.make_notice(id="n-3", programme_id="p-2", kind="report"),
            fx.make_notice(
                id="n-1", programme_id="p-1", recipients=("甲县人大常委会", "乙区人大常委会")
            ),
            fx.make_notice(id="n-2", programme_id="p-1", kind="bulletin", body=""),
        ],
    }
    return makers[repository]()


def _changed(repository: str, item: Any) -> Any:
    field = _TEXT_FIELD[repository]
    return attrs.evolve(item, **{field: f"{getattr(item, field)}（修改）"})


def _scan(
    scan_id: str,
    cert: str,
    kind: ScanKind,
    minutes: int,
    session_id: str = "s-1",
    **extra: Any,
) -> Scan:
    return fx.make_scan(
        id=scan_id,
        session_id=session_id,
        certificate_no=cert,
        kind=kind,
        scanned_at=_at(minutes),
        **extra,
    )


class StorageContract:
    """The behaviour every storage backend must show.  See the module documentation."""

    #: Whether two units of work of one backend may be open at once (in one thread).
    concurrent_units_of_work: ClassVar[bool] = True

    @pytest.fixture
    def storage_backend(self) -> StorageBackend:
        pytest.fail(
            "a StorageContract subclass must define a 'storage_backend' fixture "
            "yielding a fresh, empty backend"
        )

    # -- helpers ---------------------------------------------------------------------------
    @staticmethod
    def repo(uow: UnitOfWork, name: str) -> Repository[Any]:
        repository: Repository[Any] = getattr(uow, name)
        return repository

    def store(self, backend: StorageBackend, name: str, items: list[Any]) -> None:
        with backend.unit_of_work() as uow:
            for item in items:
                self.repo(uow, name).add(item)

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

    # -- units of work ---------------------------------------------------------------------
    def test_commit_on_clean_exit(self, storage_backend: StorageBackend) -> None:
        with storage_backend.unit_of_work() as uow:
            for name in REPOSITORY_NAMES:
                self.repo(uow, name).add(sample_models(name)[0])
            uow.scans.append(_scan("x-1", "c-1", ScanKind.ENTRY, 0))
        with storage_backend.unit_of_work() as uow:
            for name in REPOSITORY_NAMES:
                assert self.repo(uow, name).count() == 1, name
            assert uow.scans.count() == 1

    @pytest.mark.parametrize("name", [*REPOSITORY_NAMES, "scans"])
    def test_rollback_on_exception(self, storage_backend: StorageBackend, name: str) -> None:
        if name == "scans":
            with storage_backend.unit_of_work() as uow:
                uow.scans.append(_scan("kept", "c-1", ScanKind.ENTRY, 0))
            with (  # noqa: PT012
                pytest.raises(RuntimeError, match="boom"),
                storage_backend.unit_of_work() as uow,
            ):
                uow.scans.append(_scan("lost", "c-1", ScanKind.EXIT, 90))
                assert uow.scans.count() == 2
                raise RuntimeError("boom")
            with storage_backend.unit_of_work() as uow:
                assert [s.id for s in uow.scans.list()] == ["kept"]
            return
        kept, lost, other = sample_models(name)
        self.store(storage_backend, name, [kept, other])
        with (  # noqa: PT012
            pytest.raises(RuntimeError, match="boom"),
            storage_backend.unit_of_work() as uow,
        ):
            repo = self.repo(uow, name)
            repo.add(lost)
            repo.put(_changed(name, kept))
            repo.remove(other.key)
            assert repo.count() == 2
            raise RuntimeError("boom")
        with storage_backend.unit_of_work() as uow:
            assert self.repo(uow, name).list() == sorted([kept, other], key=lambda i: i.key)

    def test_explicit_rollback_and_commit(self, storage_backend: StorageBackend) -> None:
        a, b, c = sample_models("delegates")
        with storage_backend.unit_of_work() as uow:
            uow.delegates.add(a)
            uow.scans.append(_scan("r-1", a.key, ScanKind.ENTRY, 0))
            uow.rollback()
            assert uow.delegates.find(a.key) is None
            assert uow.scans.count() == 0
            uow.delegates.add(b)
            uow.commit()
            uow.delegates.add(c)
        with storage_backend.unit_of_work() as uow:
            assert [d.key for d in uow.delegates.list()] == sorted([b.key, c.key])
            assert uow.scans.count() == 0

    def test_earlier_commit_survives_a_later_exception(
        self, storage_backend: StorageBackend
    ) -> None:
        a, b, _ = sample_models("venues")
        with (  # noqa: PT012
            pytest.raises(RuntimeError, match="after the commit"),
            storage_backend.unit_of_work() as uow,
        ):
            uow.venues.add(a)
            uow.commit()
            uow.venues.add(b)
            raise RuntimeError("after the commit")
        with storage_backend.unit_of_work() as uow:
            assert uow.venues.list() == [a]

    def test_uncommitted_changes_are_isolated(self, storage_backend: StorageBackend) -> None:
        if not self.concurrent_units_of_work:
            pytest.skip("this backend runs units of work one after another")
        a, b, _ = sample_models("delegates")
        self.store(storage_backend, "delegates", [a])
        with storage_backend.unit_of_work() as writer:
            writer.delegates.add(b)
            writer.delegates.remove(a.key)
            writer.scans.append(_scan("iso-1", b.key, ScanKind.ENTRY, 0))
            with storage_backend.unit_of_work() as reader:
                assert reader.delegates.find(b.key) is None
                assert reader.delegates.get(a.key) == a
                assert reader.delegates.count() == 1
                assert reader.scans.count() == 0
        with storage_backend.unit_of_work() as uow:
            assert uow.delegates.list() == [b]
            assert uow.scans.count() == 1

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

    def test_closed_backend_refuses_work(self, storage_backend: StorageBackend) -> None:
        storage_backend.close()
        with pytest.raises(StorageError), storage_backend.unit_of_work() as uow:
            uow.delegates.count()
        storage_backend.close()  # closing twice is harmless


def _sample_book() -> Any:
    import tablib

    people = tablib.Dataset(title="衡南县")
    people.headers = ["序号", "姓名", "手机"]
    people.append([1, "王毅", "138****5678"])
    people.append([2, "欧阳明", ""])
    other = tablib.Dataset(title="驻衡部队")
    other.headers = ["序号", "姓名", "手机"]
    other.append([1, "李希", "139****0000"])
    return tablib.Databook([people, other])


class ExporterContract:
    """The behaviour every exporter must show.

    Subclass it in a test module and supply one fixture::

        class TestMyFormat(ExporterContract):
            @pytest.fixture
            def exporter(self):
                return MyExporter()

    Text formats (``media_type`` ``text/*``, JSON or YAML) are decoded as UTF-8 and must
    contain the Chinese cell values they were given.
    """

    @pytest.fixture
    def exporter(self) -> Any:  # pragma: no cover - overridden by subclasses
        raise pytest.UsageError("supply an `exporter` fixture")

    @staticmethod
    def _is_text(exporter: Any) -> bool:
        media = str(exporter.media_type)
        return media.startswith("text/") or media.endswith(("json", "yaml"))

    def test_satisfies_the_protocol(self, exporter: Any) -> None:
        from lvzhi.ports import Exporter

        assert isinstance(exporter, Exporter)
        assert exporter.format
        assert exporter.format == exporter.format.strip().lower()
        assert exporter.extension
        assert not exporter.extension.startswith(".")
        assert "/" in exporter.media_type
        assert isinstance(exporter.spreadsheet, bool)
        assert isinstance(exporter.multi_sheet, bool)

    def test_exports_a_dataset(self, exporter: Any) -> None:
        sheet = _sample_book().sheets()[0]
        payload = exporter.export(sheet)
        assert isinstance(payload, bytes)
        assert payload
        if self._is_text(exporter):
            text = payload.decode("utf-8-sig")
            assert "王毅" in text
            assert "欧阳明" in text

    def test_exports_a_databook_with_every_sheet(self, exporter: Any) -> None:
        payload = exporter.export(_sample_book())
        assert isinstance(payload, bytes)
        assert payload
        if self._is_text(exporter):
            text = payload.decode("utf-8-sig")
            assert "王毅" in text
            assert "李希" in text

    def test_exports_headers_only(self, exporter: Any) -> None:
        import tablib

        empty = tablib.Dataset(title="空表")
        empty.headers = ["序号", "姓名"]
        payload = exporter.export(empty)
        assert isinstance(payload, bytes)
        if str(exporter.media_type).startswith("text/"):
            # Tabular text keeps the header row; record formats (JSON, YAML) may give [].
            assert "姓名" in payload.decode("utf-8-sig")

    def test_does_not_change_its_input(self, exporter: Any) -> None:
        book = _sample_book()
        before = [(s.title, s.headers, [tuple(r) for r in s]) for s in book.sheets()]
        exporter.export(book)
        after = [(s.title, s.headers, [tuple(r) for r in s]) for s in book.sheets()]
        assert before == after
