"""The in-memory backend against the storage contract."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pluggy
import pytest

from lvzhi.builtins import memory
from lvzhi.builtins.memory import MemoryStorage
from lvzhi.clock import FixedClock
from lvzhi.errors import StorageError
from lvzhi.plugins import Hooks, hookspecs
from lvzhi.ports import StorageBackend
from lvzhi.storage.schema import AGGREGATES
from lvzhi.testing import StorageContract, make_delegate

pytest_plugins = ["lvzhi.testing.pytest_plugin"]


class TestMemoryStorage(StorageContract):
    @pytest.fixture
    def storage_backend(self) -> Iterator[MemoryStorage]:
        backend = MemoryStorage.from_url("memory://")
        yield backend
        backend.close()


def test_each_url_opens_a_fresh_store() -> None:
    first = MemoryStorage.from_url("memory://")
    with first.unit_of_work() as uow:
        uow.delegates.add(make_delegate())
    second = MemoryStorage.from_url("memory://")
    with second.unit_of_work() as uow:
        assert uow.delegates.count() == 0


def test_other_schemes_are_refused() -> None:
    with pytest.raises(StorageError, match="memory"):
        MemoryStorage.from_url("sqlite:///x.db")


def test_repositories_come_from_the_schema() -> None:
    backend = MemoryStorage()
    assert set(backend._tables) == {a.name for a in AGGREGATES}
    with backend.unit_of_work() as uow:
        for declared in AGGREGATES:
            repository = uow.repository(declared.name)
            assert repository.model is declared.model
            assert getattr(uow, declared.name) is repository
        with pytest.raises(StorageError, match="no aggregate 'nope'"):
            uow.repository("nope")
    assert not hasattr(memory, "REPOSITORIES")


def test_read_only_unit_of_work_inside_a_writer_sees_committed_data() -> None:
    backend = MemoryStorage()
    with backend.unit_of_work() as writer:
        writer.delegates.add(make_delegate(certificate_no="m-1"))
        with backend.unit_of_work(readonly=True) as reader:
            assert reader.delegates.count() == 0
            with pytest.raises(StorageError, match="read-only"):
                reader.delegates.add(make_delegate(certificate_no="m-2"))
    with backend.unit_of_work(readonly=True) as reader:
        assert reader.delegates.existing(["m-1", "m-2"]) == {"m-1"}


def test_registered_as_a_plugin() -> None:
    assert memory.lvzhi_register_storage_backends() == [MemoryStorage]
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    pm.register(memory)
    backends = Hooks(pm).register_storage_backends()
    assert list(backends) == ["memory"]
    assert backends["memory"] is MemoryStorage


def test_pytest_plugin_fixtures(memory_backend: MemoryStorage, fixed_clock: FixedClock) -> None:
    assert memory_backend.schema_version() == 0
    assert fixed_clock.now().timezone_name == "UTC"
    assert fixed_clock.now().in_timezone("Asia/Shanghai").hour == 8


def test_backend_satisfies_the_protocol_statically() -> None:
    backend: StorageBackend = MemoryStorage()
    kind: type[StorageBackend] = MemoryStorage
    assert isinstance(backend, kind)


def test_importing_lvzhi_testing_does_not_import_pytest() -> None:
    code = (
        "import sys, lvzhi.testing; assert 'pytest' not in sys.modules; "
        "lvzhi.testing.make_delegate()"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
