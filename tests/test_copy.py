"""``lvzhi copy`` and :func:`lvzhi.storage.copy.copy_course`: a whole course from one store
to another, ids kept, one destination transaction, counts checked (memory and SQLite here;
the PostgreSQL plugin's tests copy SQLite → PostgreSQL → SQLite)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pendulum
import pytest

import lvzhi
from lvzhi.builtins.memory import MemoryStorage
from lvzhi.builtins.sqlite import SQLiteStorage
from lvzhi.cli import main
from lvzhi.clock import FixedClock
from lvzhi.errors import StorageError
from lvzhi.ports import StorageBackend
from lvzhi.samples.attendance import simulate_attendance
from lvzhi.samples.load import load_course
from lvzhi.storage.copy import copy_course
from lvzhi.storage.schema import AGGREGATES
from lvzhi.testing import make_delegate, make_scan
from lvzhi.testing.contracts import sample_models

CLOCK = FixedClock(pendulum.datetime(2022, 9, 1, 9, 0, tz="Asia/Shanghai"))


def _everything(backend: StorageBackend) -> dict[str, list[Any]]:
    with backend.unit_of_work(readonly=True) as uow:
        found = {a.name: uow.repository(a.name).list() for a in AGGREGATES}
        found["scans"] = uow.scans.list()
    return found


@pytest.fixture(scope="module")
def course_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file holding the sample course with its attendance and a leave request."""
    path = tmp_path_factory.mktemp("course") / "course.db"
    with lvzhi.open(f"sqlite:///{path}", clock=CLOCK, load_entrypoints=False) as office:
        load_course(office)
        simulate_attendance(office)
    return path


@pytest.fixture
def sampled() -> Iterator[MemoryStorage]:
    """A memory store with three samples of every aggregate and a few scans."""
    backend = MemoryStorage()
    with backend.unit_of_work() as uow:
        for declared in AGGREGATES:
            uow.repository(declared.name).put_many(sample_models(declared.name))
        uow.scans.extend(
            [make_scan(id=f"scan-{n}", session_id="s-1", certificate_no="c-1") for n in range(5)]
        )
    yield backend
    backend.close()


def test_memory_to_sqlite_and_back_keeps_everything(sampled: MemoryStorage, tmp_path: Path) -> None:
    before = _everything(sampled)
    with SQLiteStorage(tmp_path / "copy.db") as sqlite_backend:
        report = copy_course(sampled, sqlite_backend)
        assert _everything(sqlite_backend) == before
        back = MemoryStorage()
        again = copy_course(sqlite_backend, back)
    assert _everything(back) == before
    assert [c.name for c in report.counts] == [*(a.name for a in AGGREGATES), "scans"]
    for entry in report.counts:
        expected = len(before[entry.name])
        assert (entry.source, entry.destination) == (expected, expected), entry
    assert report.count("scans").source == 5
    assert report.total == sum(len(v) for v in before.values())
    assert again.counts == report.counts
    assert report.merged is False


def test_sample_course_round_trip(course_db: Path, tmp_path: Path) -> None:
    with SQLiteStorage(course_db) as source, SQLiteStorage(tmp_path / "to.db") as target:
        before = _everything(source)
        report = copy_course(source, target)
        assert _everything(target) == before
    assert report.count("delegates").destination == 346
    assert report.count("scans").source == len(before["scans"]) > 1000


def test_a_non_empty_destination_is_refused(sampled: MemoryStorage, tmp_path: Path) -> None:
    with SQLiteStorage(tmp_path / "taken.db") as target:
        with target.unit_of_work() as uow:
            uow.delegates.add(make_delegate(certificate_no="kept-1"))
            uow.scans.append(make_scan(id="kept-scan", session_id="s-1", certificate_no="c-1"))
        with pytest.raises(StorageError, match=r"not empty \(it holds delegates, scans\)"):
            copy_course(sampled, target)
        with target.unit_of_work(readonly=True) as uow:  # nothing was written
            assert [d.key for d in uow.delegates.list()] == ["kept-1"]
            assert uow.venues.count() == 0


def test_force_merges_into_a_non_empty_destination(sampled: MemoryStorage) -> None:
    target = MemoryStorage()
    first = _everything(sampled)["venues"][0]
    with target.unit_of_work() as uow:
        uow.delegates.add(make_delegate(certificate_no="kept-1"))
        uow.venues.put(first.__class__(**{**_fields(first), "name": "renamed"}))
        uow.scans.append(make_scan(id="scan-0", session_id="s-9", certificate_no="c-9"))
    report = copy_course(sampled, target, force=True)
    assert report.merged is True
    with target.unit_of_work(readonly=True) as uow:
        assert uow.venues.get(first.key) == first  # replaced by the source's
        assert uow.delegates.find("kept-1") is not None  # kept
        assert uow.delegates.count() == 4
        (kept_scan,) = [s for s in uow.scans.list() if s.id == "scan-0"]
        assert kept_scan.session_id == "s-9"  # the stored scan stays as it was
        assert uow.scans.count() == 5
    assert report.count("delegates").source == 3
    assert report.count("delegates").destination == 4
    assert report.count("scans").destination == 5


def _fields(item: Any) -> dict[str, Any]:
    import attrs

    return attrs.asdict(item, recurse=False)


def test_a_failed_count_check_commits_nothing(sampled: MemoryStorage) -> None:
    class Lossy(MemoryStorage):
        """Loses the last scan of every batch it is given."""

        def unit_of_work(self, *, readonly: bool = False) -> Any:
            uow = super().unit_of_work(readonly=readonly)
            extend = uow.scans.extend

            def lossy(scans: Any, **kw: Any) -> int:
                return int(extend(list(scans)[:-1], **kw))

            uow.scans.extend = lossy  # type: ignore[method-assign]
            return uow

    target = Lossy()
    with pytest.raises(StorageError, match="count check for scans: 5 in the source, 4"):
        copy_course(sampled, target)
    assert _everything(target) == {**{a.name: [] for a in AGGREGATES}, "scans": []}


def test_a_store_cannot_be_copied_onto_itself(sampled: MemoryStorage) -> None:
    with pytest.raises(StorageError, match="onto itself"):
        copy_course(sampled, sampled)


def test_cli_copies_and_prints_the_counts(
    course_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "copy.db"
    assert main(["copy", f"sqlite:///{course_db}", f"sqlite:///{target}"]) == 0
    out = capsys.readouterr().out.splitlines()
    rows = {line.split("\t")[0].strip(): line.split("\t")[1:] for line in out[1:-1]}
    assert rows["delegates"] == ["346", "346"]
    assert set(rows) == {*(a.name for a in AGGREGATES), "scans"}
    assert rows["scans"][0] == rows["scans"][1] != "0"
    assert out[-1].startswith("copied ") and out[-1].endswith("counts checked")
    with SQLiteStorage(course_db) as source, SQLiteStorage(target) as copied:
        assert _everything(copied) == _everything(source)
    # Again into the same file: refused, unless --force.
    assert main(["copy", f"sqlite:///{course_db}", f"sqlite:///{target}"]) == 1
    err = capsys.readouterr().err
    assert "not empty" in err and "--force" in err
    assert main(["copy", "--force", str(course_db), str(target)]) == 0


def test_cli_refuses_a_missing_source(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing.db"
    assert main(["copy", f"sqlite:///{missing}", f"sqlite:///{tmp_path / 'to.db'}"]) == 1
    assert "no lvzhi database" in capsys.readouterr().err
    assert not missing.exists()
    assert not (tmp_path / "to.db").exists()


def test_cli_copy_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["copy", "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: lvzhi copy")
    assert "--force" in out and "SRC_URL" in out and "DST_URL" in out
