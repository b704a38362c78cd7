"""Opt-in pytest fixtures for code built on lvzhi.

Enable them in a ``conftest.py``::

    pytest_plugins = ["lvzhi.testing.pytest_plugin"]

``memory_backend``
    A fresh, empty in-memory storage backend.
``sqlite_backend``
    A fresh SQLite database in the test's temporary directory, closed afterwards.
``fixed_clock``
    A :class:`~lvzhi.clock.FixedClock` standing at 2022-09-06 08:00 Beijing time.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pendulum
import pytest

from lvzhi.builtins.memory import MemoryStorage
from lvzhi.builtins.sqlite import SQLiteStorage
from lvzhi.clock import FixedClock

__all__ = ["fixed_clock", "memory_backend", "sqlite_backend"]


@pytest.fixture
def memory_backend() -> Iterator[MemoryStorage]:
    backend = MemoryStorage.from_url("memory://")
    yield backend
    backend.close()


@pytest.fixture
def sqlite_backend(tmp_path: Path) -> Iterator[SQLiteStorage]:
    backend = SQLiteStorage(tmp_path / "lvzhi.db")
    yield backend
    backend.close()


@pytest.fixture
def fixed_clock() -> FixedClock:
    return FixedClock(pendulum.datetime(2022, 9, 6, 8, 0, tz="Asia/Shanghai"))
