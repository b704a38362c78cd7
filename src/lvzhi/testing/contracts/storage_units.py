"""The unit-of-work half of :class:`lvzhi.testing.StorageContract`: commit, rollback,
isolation and read-only units of work."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

import pytest

import lvzhi.testing.factories as fx
from lvzhi.domain import ScanKind
from lvzhi.errors import LvzhiError, StorageError
from lvzhi.ports import Repository, StorageBackend, UnitOfWork
from lvzhi.testing.contracts.storage_samples import (
    REPOSITORY_NAMES,
    at,
    changed,
    sample_models,
    scan,
)

__all__ = ["UnitOfWorkChecks"]

R = TypeVar("R")

#: Seconds a check waits for a unit of work opened in another thread before calling it stuck.
THREAD_TIMEOUT = 30.0


def in_thread(work: Callable[[], R]) -> R:
    """``work()`` run in another thread; its exception is raised here, and a thread that
    does not finish within :data:`THREAD_TIMEOUT` fails the test instead of hanging it."""
    outcome: list[Any] = []

    def run() -> None:
        try:
            outcome.append(("value", work()))
        except BaseException as exc:  # handed back to the test below
            outcome.append(("error", exc))

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(THREAD_TIMEOUT)
    if thread.is_alive():
        pytest.fail(f"a unit of work in another thread did not finish in {THREAD_TIMEOUT:g} s")
    kind, value = outcome[0]
    if kind == "error":
        raise value
    result: R = value
    return result


class UnitOfWorkChecks:
    """Commit, rollback, isolation and read-only units of work (part of the contract)."""

    #: Whether units of work of one backend may be open at once (in different threads).
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

    # -- commit and rollback ---------------------------------------------------------------
    def test_commit_on_clean_exit(self, storage_backend: StorageBackend) -> None:
        with storage_backend.unit_of_work() as uow:
            for name in REPOSITORY_NAMES:
                self.repo(uow, name).add(sample_models(name)[0])
            uow.scans.append(scan("x-1", "c-1", ScanKind.ENTRY, 0))
        with storage_backend.unit_of_work() as uow:
            for name in REPOSITORY_NAMES:
                assert self.repo(uow, name).count() == 1, name
            assert uow.scans.count() == 1

    @pytest.mark.parametrize("name", [*REPOSITORY_NAMES, "scans"])
    def test_rollback_on_exception(self, storage_backend: StorageBackend, name: str) -> None:
        if name == "scans":
            with storage_backend.unit_of_work() as uow:
                uow.scans.append(scan("kept", "c-1", ScanKind.ENTRY, 0))
            with (  # noqa: PT012
                pytest.raises(RuntimeError, match="boom"),
                storage_backend.unit_of_work() as uow,
            ):
                uow.scans.append(scan("lost", "c-1", ScanKind.EXIT, 90))
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
            repo.put(changed(name, kept))
            repo.remove(other.key)
            assert repo.count() == 2
            raise RuntimeError("boom")
        with storage_backend.unit_of_work() as uow:
            assert self.repo(uow, name).list() == sorted([kept, other], key=lambda i: i.key)

    def test_explicit_rollback_and_commit(self, storage_backend: StorageBackend) -> None:
        a, b, c = sample_models("delegates")
        with storage_backend.unit_of_work() as uow:
            uow.delegates.add(a)
            uow.scans.append(scan("r-1", a.key, ScanKind.ENTRY, 0))
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
        """A read-only unit of work opened in another thread while a writer is open sees
        only what was committed, and does not wait for the writer."""
        if not self.concurrent_units_of_work:
            pytest.skip("this backend runs units of work one after another")
        a, b, _ = sample_models("delegates")
        self.store(storage_backend, "delegates", [a])

        def read() -> tuple[list[Any], int, int, set[str]]:
            with storage_backend.unit_of_work(readonly=True) as reader:
                return (
                    reader.delegates.list(),
                    reader.delegates.count(),
                    reader.scans.count(),
                    reader.delegates.existing([a.key, b.key]),
                )

        with storage_backend.unit_of_work() as writer:
            writer.delegates.add(b)
            writer.delegates.remove(a.key)
            writer.scans.append(scan("iso-1", b.key, ScanKind.ENTRY, 0))
            assert in_thread(read) == ([a], 1, 0, {a.key})
            assert writer.delegates.list() == [b]
        assert in_thread(read) == ([b], 1, 1, {b.key})

    # -- read-only units of work -----------------------------------------------------------
    def test_units_of_work_are_read_write_unless_asked(
        self, storage_backend: StorageBackend
    ) -> None:
        with storage_backend.unit_of_work() as uow:
            assert uow.readonly is False
        with storage_backend.unit_of_work(readonly=True) as uow:
            assert uow.readonly is True

    @pytest.mark.parametrize("name", REPOSITORY_NAMES)
    def test_read_only_unit_of_work_refuses_writes(
        self, storage_backend: StorageBackend, name: str
    ) -> None:
        first, second, third = sample_models(name)
        self.store(storage_backend, name, [first])
        with storage_backend.unit_of_work(readonly=True) as uow:
            repo = self.repo(uow, name)
            writes: list[Callable[[], object]] = [
                lambda: repo.add(second),
                lambda: repo.put(changed(name, first)),
                lambda: repo.put_many([third]),
                lambda: repo.remove(first.key),
            ]
            for write in writes:
                with pytest.raises(StorageError, match="read-only"):
                    write()
            assert repo.list() == [first]
        with storage_backend.unit_of_work(readonly=True) as uow:
            assert self.repo(uow, name).list() == [first]

    def test_read_only_unit_of_work_refuses_scans(self, storage_backend: StorageBackend) -> None:
        with storage_backend.unit_of_work(readonly=True) as uow:
            with pytest.raises(StorageError, match="read-only"):
                uow.scans.append(scan("ro-1", "c-1", ScanKind.ENTRY, 0))
            with pytest.raises(StorageError, match="read-only"):
                uow.scans.extend([scan("ro-2", "c-1", ScanKind.ENTRY, 0)])
            assert uow.scans.count() == 0
        with storage_backend.unit_of_work() as uow:
            assert uow.scans.count() == 0

    def test_read_only_unit_of_work_sees_committed_data(
        self, storage_backend: StorageBackend
    ) -> None:
        delegates = sample_models("delegates")
        scans = [scan(f"rc-{n}", "c-1", ScanKind.ENTRY, n) for n in range(3)]
        with storage_backend.unit_of_work() as uow:
            uow.delegates.put_many(delegates)
            uow.scans.extend(scans)
        with storage_backend.unit_of_work(readonly=True) as uow:
            assert uow.delegates.list() == sorted(delegates, key=lambda d: d.key)
            assert uow.delegates.get("c-1") == delegates[1]
            assert [d.key for d in uow.delegates.select(delegation="d-1")] == ["c-1", "c-2"]
            assert uow.delegates.existing(["c-1", "c-9"]) == {"c-1"}
            assert uow.scans.list() == scans
            assert uow.scans.summarise("s-1")[0].first_entry == at(0)
            uow.commit()  # ending a read-only transaction early is harmless
            uow.rollback()
            assert uow.delegates.count() == 3
        with storage_backend.unit_of_work() as uow:
            uow.delegates.remove("c-3")
        with storage_backend.unit_of_work(readonly=True) as uow:
            assert [d.key for d in uow.delegates.list()] == ["c-1", "c-2"]

    # -- the schema ------------------------------------------------------------------------
    def test_repository_by_name(self, storage_backend: StorageBackend) -> None:
        """``uow.repository(name)`` and the attribute are the same repository, for every
        aggregate; an unknown name is an error naming it."""
        firsts = {name: sample_models(name)[0] for name in REPOSITORY_NAMES}
        with storage_backend.unit_of_work() as uow:
            for name, item in firsts.items():
                uow.repository(name).add(item)
        with storage_backend.unit_of_work() as uow:
            for name, item in firsts.items():
                assert self.repo(uow, name).list() == [item], name
            with pytest.raises((LvzhiError, LookupError), match="no_such_aggregate"):
                uow.repository("no_such_aggregate")

    def test_closed_backend_refuses_work(self, storage_backend: StorageBackend) -> None:
        storage_backend.close()
        with pytest.raises(StorageError), storage_backend.unit_of_work() as uow:
            uow.delegates.count()
        with pytest.raises(StorageError), storage_backend.unit_of_work(readonly=True) as uow:
            uow.delegates.count()
        storage_backend.close()  # closing twice is harmless

    def test_ended_unit_of_work_refuses_use(self, storage_backend: StorageBackend) -> None:
        with storage_backend.unit_of_work() as uow:
            uow.delegates.add(fx.make_delegate(certificate_no="end-1"))
        with pytest.raises(StorageError, match="ended"):
            uow.delegates.count()
