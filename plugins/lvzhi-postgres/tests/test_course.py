"""The sample course through PostgreSQL: loaded, attended, reported on, and copied from
SQLite to PostgreSQL and back with every id and count intact."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pendulum
import pytest
from lvzhi_postgres import PostgresStorage

import lvzhi
from lvzhi.builtins.sqlite import SQLiteStorage
from lvzhi.clock import FixedClock
from lvzhi.errors import StorageError
from lvzhi.ports import StorageBackend
from lvzhi.samples.attendance import simulate_attendance
from lvzhi.samples.load import load_course
from lvzhi.storage.copy import copy_course
from lvzhi.storage.schema import AGGREGATES

CLOCK = FixedClock(pendulum.datetime(2022, 9, 1, 9, 0, tz="Asia/Shanghai"))
ONLY_POSTGRES = {"LVZHI_PLUGINS": "postgres"}


def _everything(backend: StorageBackend) -> dict[str, list[Any]]:
    with backend.unit_of_work(readonly=True) as uow:
        found = {a.name: uow.repository(a.name).list() for a in AGGREGATES}
        found["scans"] = uow.scans.list()
    return found


def test_the_sample_course_runs_on_postgres(postgres_url: str, tmp_path: Path) -> None:
    with lvzhi.open(postgres_url, clock=CLOCK, environ=ONLY_POSTGRES) as office:
        course = load_course(office)
        demo = simulate_attendance(office)
        statuses = office.attendance.evaluate_all()
        roster = json.loads(office.export("roster", "json"))
        timetable = json.loads(office.export("timetable", "json"))
        delegations = json.loads(office.export("delegations", "json"))
    with lvzhi.open("memory://", clock=CLOCK, load_entrypoints=False) as reference:
        load_course(reference)
        simulate_attendance(reference)
        assert reference.attendance.evaluate_all() == statuses
        assert json.loads(reference.export("roster", "json")) == roster
        assert json.loads(reference.export("timetable", "json")) == timetable
    assert len(course.delegates) == 346
    assert len(roster) == 346
    assert len(timetable) == len(course.sessions)
    assert len(delegations) == len(course.delegations)
    assert sum(len(v) for v in statuses.values()) > 0
    assert demo is not None


def test_copy_sqlite_to_postgres_and_back(postgres_url: str, tmp_path: Path) -> None:
    source_path = tmp_path / "course.db"
    with lvzhi.open(f"sqlite:///{source_path}", clock=CLOCK, load_entrypoints=False) as office:
        load_course(office)
        simulate_attendance(office)
    with SQLiteStorage(source_path) as source, PostgresStorage.from_url(postgres_url) as pg:
        before = _everything(source)
        there = copy_course(source, pg)
        assert _everything(pg) == before
        back_path = tmp_path / "back.db"
        with SQLiteStorage(back_path) as back:
            again = copy_course(pg, back)
            assert _everything(back) == before
        with pytest.raises(StorageError, match="not empty"):
            copy_course(source, pg)
    assert there.counts == again.counts
    assert there.count("delegates").destination == 346
    assert there.count("scans").destination == len(before["scans"]) > 1000


def test_cli_copy_into_postgres(
    postgres_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from lvzhi.cli import main

    source_path = tmp_path / "course.db"
    with lvzhi.open(f"sqlite:///{source_path}", clock=CLOCK, load_entrypoints=False) as office:
        load_course(office, schedule=False)
    monkeypatch.setenv("LVZHI_PLUGINS", "postgres")
    assert main(["copy", f"sqlite:///{source_path}", postgres_url]) == 0
    out = capsys.readouterr().out
    assert any(line.split("\t")[1:] == ["346", "346"] for line in out.splitlines())
