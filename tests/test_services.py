"""The services behind the facade: one unit of work per use case, reads read-only; the
command line's new commands."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

import lvzhi
from lvzhi import hookimpl
from lvzhi.cli import main
from lvzhi.cli.names import register
from lvzhi.clock import FixedClock
from lvzhi.domain.outbox import DeliveryState
from lvzhi.samples import make_course
from lvzhi.samples.load import load_course
from lvzhi.testing import make_notice


class CountingStorage:
    """Wraps a backend and records every unit of work opened through it."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.opened: list[bool] = []

    def unit_of_work(self, *, readonly: bool = False) -> Any:
        self.opened.append(readonly)
        return self.inner.unit_of_work(readonly=readonly)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


@pytest.fixture
def counted(clock: FixedClock) -> Iterator[tuple[lvzhi.Secretariat, CountingStorage]]:
    with lvzhi.open("memory://", clock=clock, load_entrypoints=False) as office:
        load_course(office)
        office.groups.form(12)
        counting = CountingStorage(office.storage)
        office._context.storage = counting  # type: ignore[assignment]
        office._context.bus.storage = counting  # type: ignore[assignment]
        yield office, counting


@pytest.mark.parametrize("report", ["roster", "timetable", "delegations", "groups", "suggestions"])
def test_a_report_is_one_read_only_snapshot(
    counted: tuple[lvzhi.Secretariat, CountingStorage], report: str
) -> None:
    office, counting = counted
    office.reports.table(report)
    assert counting.opened == [True]
    office.export(report, "csv")
    assert counting.opened == [True, True]


def test_reads_are_read_only_and_changes_are_one_transaction(
    counted: tuple[lvzhi.Secretariat, CountingStorage],
) -> None:
    office, counting = counted
    office.people.delegates()
    office.people.officials()
    office.programme.timetable()
    office.groups.list()
    assert counting.opened == [True, True, True, True]
    counting.opened.clear()
    office.groups.form(6)
    assert counting.opened == [False]


class Backwards:
    name = "backwards"

    def key(self, name: str) -> Any:
        return name[::-1]

    def sort(self, names: Any) -> list[str]:
        return sorted(names, key=self.key)


class BackwardsPlugin:
    @hookimpl
    def lvzhi_register_collations(self) -> list[Any]:
        return [Backwards]


def test_names_sort_accepts_a_plugin_collation(
    monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    import argparse
    import sys

    import lvzhi.plugins.manager as manager

    real = manager.make_plugin_manager

    def with_plugin(**kwargs: Any) -> Any:
        pm = real(**kwargs)
        pm.register(BackwardsPlugin(), name="backwards-collation")
        return pm

    monkeypatch.setattr(manager, "make_plugin_manager", with_plugin)
    monkeypatch.setattr("lvzhi.plugins.make_plugin_manager", with_plugin)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("王毅\n王一\n丁毅\n".encode())))
    parser = argparse.ArgumentParser(prog="lvzhi")
    register(parser.add_subparsers())
    args = parser.parse_args(["names", "sort", "--by", "backwards"])
    assert args.func(args) == 0
    # By the last character first: 一 < 毅, then 丁 < 王 (code points).
    assert capsysbinary.readouterr().out.decode() == "王一\n丁毅\n王毅\n"


def test_names_sort_unknown_collation_lists_the_registered(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["names", "sort", "--by", "astrology", "/dev/null"]) == 1
    assert "unknown collation 'astrology'; registered: pinyin, strokes" in capsys.readouterr().err


def test_commands_that_read_refuse_a_missing_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    typo = tmp_path / "typo.db"
    for argv in (["export", "roster"], ["notices", "send"], ["notices", "list"]):
        assert main([*argv, "--db", f"sqlite:///{typo}"]) == 1
        err = capsys.readouterr().err
        assert f"no lvzhi database at {typo}; run `lvzhi init` or check --db" in err
    assert not typo.exists()


def test_notices_send_delivers_what_is_pending(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "course.db"
    settings = lvzhi.Settings(deliver_immediately=False)
    with lvzhi.open(f"sqlite:///{db}", load_entrypoints=False, settings=settings) as office:
        course = make_course()
        office.programme.save(course.programme)
        office.notices.issue(
            make_notice(
                programme_id=course.programme.id,
                id="n1",
                recipients=("衡南县人大常委会", "驻衡部队"),
            )
        )
    assert main(["notices", "list", "--db", f"sqlite:///{db}"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[:4] for line in listed] == [
        ["n1.log.1", "log", "衡南县人大常委会", "pending"],
        ["n1.log.2", "log", "驻衡部队", "pending"],
    ]
    assert main(["notices", "send", "--db", f"sqlite:///{db}"]) == 0
    assert capsys.readouterr().out.startswith("sent 2, failed 0")
    assert main(["notices", "send", "--db", f"sqlite:///{db}"]) == 0
    assert capsys.readouterr().out.startswith("sent 0, failed 0")


def test_notices_retry_sends_failed_deliveries_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "course.db"
    settings = lvzhi.Settings(deliver_immediately=False)
    with lvzhi.open(f"sqlite:///{db}", load_entrypoints=False, settings=settings) as office:
        course = make_course()
        office.programme.save(course.programme)
        office.notices.issue(make_notice(programme_id=course.programme.id, id="n1"))
        with office.unit_of_work() as uow:
            (delivery,) = uow.deliveries.list()
            uow.deliveries.put(
                attrs.evolve(delivery, state=DeliveryState.FAILED, attempts=5, last_error="550")
            )
    assert main(["notices", "retry", "--db", f"sqlite:///{db}"]) == 0
    assert capsys.readouterr().out.startswith("sent 1, failed 0")
    assert main(["notices", "retry", "n1.log.1", "--db", f"sqlite:///{db}"]) == 1
    assert "cannot go to 'pending' (retry)" in capsys.readouterr().err
