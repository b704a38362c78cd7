from __future__ import annotations

from collections.abc import Iterator

import pendulum
import pytest

import lvzhi
from lvzhi.clock import FixedClock
from lvzhi.i18n import use_language


@pytest.fixture(autouse=True)
def _english_messages(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Messages are English whatever the machine's locale, in this process and in the
    processes a test starts; a test that wants another language uses ``use_language``."""
    monkeypatch.setenv("LANGUAGE", "en")
    with use_language("en"):
        yield


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(pendulum.datetime(2022, 9, 1, 9, 0, tz="Asia/Shanghai"))


@pytest.fixture
def office(clock: FixedClock) -> Iterator[lvzhi.Secretariat]:
    """A secretariat on memory storage, built-in plugins only."""
    with lvzhi.open("memory://", clock=clock, load_entrypoints=False) as sec:
        yield sec
