"""``lvzhi seat`` and ``lvzhi groups`` on a SQLite store holding the sample course."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

import lvzhi
from lvzhi.cli import main
from lvzhi.samples import make_course
from lvzhi.samples.load import load_course

HALL_FILE = str(resources.files("lvzhi.samples").joinpath("hall.toml"))


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'course.db'}"
    course = make_course()
    with lvzhi.open(url, load_entrypoints=False) as office:
        load_course(office, course, schedule=False)
    return url


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(args)
    out, err = capsys.readouterr()
    return status, out, err


def stored_plan(db: str) -> dict[str, str]:
    with lvzhi.open(db, load_entrypoints=False) as office:
        return dict(office.seating.plan_for("main-hall").assignments)


def test_assign_move_show(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(
        [
            "seat",
            "assign",
            "main-hall",
            "--strategy",
            "delegation_blocks",
            "--hall-file",
            HALL_FILE,
            "--db",
            db,
        ],
        capsys,
    )
    assert status == 0, err
    assert out.startswith("346 deputies seated in 会议中心礼堂: 0 moved, 346 newly seated")
    plan = stored_plan(db)
    assert len(plan) == 346 and len(set(plan.values())) == 346

    status, out, _err = run(["seat", "assign", "main-hall", "--db", db], capsys)
    assert status == 0 and ": 0 moved, 0 newly seated, 0 withdrawn" in out
    assert stored_plan(db) == plan

    first, second = list(plan)[:2]
    status, _out, err = run(["seat", "move", "main-hall", first, "20排19号", "--db", db], capsys)
    assert status == 1 and "20排19号" in err and "blocked" in err and len(err.splitlines()) == 1
    with lvzhi.open(db, load_entrypoints=False) as office:
        taken = office.halls.hall("main-hall").seat(plan[second]).label
        free = next(
            s.label for s in office.halls.hall("main-hall").walk() if s.id not in plan.values()
        )
    status, _out, err = run(["seat", "move", "main-hall", first, taken, "--db", db], capsys)
    assert status == 1 and "taken by" in err and second in err
    status, out, _err = run(["seat", "move", "main-hall", first, free, "--db", db], capsys)
    assert status == 0 and out.strip().endswith(f"-> {free}")
    after = stored_plan(db)
    assert {c: s for c, s in after.items() if c != first} == {
        c: s for c, s in plan.items() if c != first
    }

    status, out, _err = run(["seat", "show", "main-hall", "--cert", first, "--db", db], capsys)
    assert status == 0 and out.startswith(f"{free}\t") and first in out
    status, out, _err = run(["seat", "show", "main-hall", "--db", db], capsys)
    assert status == 0 and len(out.splitlines()) == 346


def test_hall_file_for_another_hall_is_refused(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    status, _out, err = run(
        ["seat", "assign", "other", "--hall-file", HALL_FILE, "--db", db], capsys
    )
    assert status == 1 and "main-hall" in err and len(err.splitlines()) == 1


def test_zones_and_taker(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    run(["seat", "assign", "main-hall", "--hall-file", HALL_FILE, "--db", db], capsys)
    status, out, _err = run(
        [
            "seat",
            "zones",
            "main-hall",
            "--count",
            "4",
            "--names",
            "一区,二区,三区,四区",
            "--db",
            db,
        ],
        capsys,
    )
    assert status == 0
    lines = out.splitlines()
    assert [line.split("\t")[1] for line in lines] == ["一区", "二区", "三区", "四区"]
    zone = lines[0].split("\t")[0]
    status, out, _err = run(["seat", "taker", zone, "attendance_taker-01", "--db", db], capsys)
    assert status == 0 and out.startswith("一区: ")
    with lvzhi.open(db, load_entrypoints=False) as office:
        assert office.seating.zones("main-hall")[0].taker_id == "attendance_taker-01"
    status, _out, err = run(["seat", "taker", zone, "nobody", "--db", db], capsys)
    assert status == 1 and "nobody" in err


def test_groups_commands(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _err = run(["groups", "form", "12", "--db", db], capsys)
    assert status == 0 and out.strip() == "formed 12 groups of 28-29 deputies"
    with lvzhi.open(db, load_entrypoints=False) as office:
        group = office.groups.list()[0].id
    status, out, err = run(
        [
            "groups",
            "assign",
            group,
            "--convener",
            "group_convener-01",
            "--recorder",
            "recorder-01",
            "--leaders",
            "leader-01,leader-02",
            "--room",
            "room-01",
            "--db",
            db,
        ],
        capsys,
    )
    assert status == 0, err
    with lvzhi.open(db, load_entrypoints=False) as office:
        stored = office.groups.list()[0]
    assert (stored.convener_id, stored.recorder_id, stored.leader_ids, stored.venue_id) == (
        "group_convener-01",
        "recorder-01",
        ("leader-01", "leader-02"),
        "room-01",
    )
    status, out, _err = run(["groups", "balance", "--db", db], capsys)
    assert status == 0 and "new deputies 1" in out and "delegation 1" in out
    status, out, _err = run(["groups", "list", "--db", db], capsys)
    assert status == 0 and len(out.splitlines()) == 12 and "第1讨论室" in out.splitlines()[0]
    status, _out, err = run(["groups", "assign", group, "--convener", "nobody", "--db", db], capsys)
    assert status == 1 and "nobody" in err and len(err.splitlines()) == 1
