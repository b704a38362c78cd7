"""A seated sample course in SQLite with the opening session about to start, one deputy of
zone 一区 on approved leave, one station pass per zone; the web app over it."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pendulum
import pytest
from lvzhi_web.app import create_app
from lvzhi_web.model import zone_deputies
from lvzhi_web.signing import Signer
from starlette.testclient import TestClient

import lvzhi
from lvzhi.clock import FixedClock
from lvzhi.domain import SessionKind
from lvzhi.samples.demo_seating import HALL_ID, ZONE_NAMES, seat_deputies
from lvzhi.samples.load import load_course

SECRET = b"a test secret of enough length!!"
BEFORE = pendulum.datetime(2022, 9, 1, 9, 0, tz="Asia/Shanghai")
ORGANISER = "organiser-01"


@attrs.frozen
class Course:
    path: Path
    session_id: str
    passes: dict[str, str]  # zone name -> pass id
    on_leave: str  # a deputy of 一区 on approved leave for the opening session
    leave_id: str
    pending_leave: str  # a request of another delegation, not yet decided
    pending_unit: str


def _build(path: Path) -> Course:
    clock = FixedClock(BEFORE)
    with lvzhi.open(f"sqlite:///{path}", clock=clock, load_entrypoints=False) as office:
        load_course(office)
        for n, official in enumerate(office.people.officials(role="delegation_staff")):
            office.people.save_official(attrs.evolve(official, phone=f"139{n:08d}"))
        opening = next(s for s in office.programme.timetable() if s.kind is SessionKind.OPENING)
        seat_deputies(office, opening.id)
        first_zone = zone_deputies(office, HALL_ID, ZONE_NAMES[0])
        absent = first_zone[3].certificate_no
        deputy = office.people.delegate(absent)
        unit = next(d for d in office.people.delegations() if d.code == deputy.delegation)
        request = office.leave.submit(
            absent,
            starts_at=opening.starts_at.subtract(hours=1),
            ends_at=opening.ends_at.add(hours=1),
            category="因公",
            reason="出差",
            application="书面请假申请",
        )
        office.leave.decide(request.id, "delegation", approver=unit.leader_id or "", approved=True)
        office.leave.decide(request.id, "organiser", approver=ORGANISER, approved=True)
        other = next(d for d in office.people.delegates() if d.delegation != deputy.delegation)
        pending = office.leave.submit(
            other.certificate_no,
            starts_at=opening.starts_at.add(days=1),
            ends_at=opening.starts_at.add(days=1, hours=2),
            category="因病",
            reason="住院",
            application="书面请假申请",
        )
        passes = {}
        for zone in office.seating.zones(HALL_ID):
            item = office.stations.issue(zone.taker_id or "", HALL_ID, zone.name, by=ORGANISER)
            passes[zone.name] = item.id
        return Course(
            path=path,
            session_id=opening.id,
            passes=passes,
            on_leave=absent,
            leave_id=request.id,
            pending_leave=pending.id,
            pending_unit=other.delegation,
        )


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Course:
    return _build(tmp_path_factory.mktemp("template") / "course.db")


@pytest.fixture
def course(template: Course, tmp_path: Path) -> Course:
    path = tmp_path / "course.db"
    shutil.copyfile(template.path, path)
    return attrs.evolve(template, path=path)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(pendulum.datetime(2022, 9, 6, 8, 50, tz="Asia/Shanghai"))


@pytest.fixture
def office(course: Course, clock: FixedClock) -> Iterator[lvzhi.Secretariat]:
    with lvzhi.open(f"sqlite:///{course.path}", clock=clock, load_entrypoints=False) as office:
        yield office


@pytest.fixture
def signer() -> Signer:
    return Signer(SECRET)


@pytest.fixture
def app(office: lvzhi.Secretariat, signer: Signer) -> Any:
    return create_app(office, signer)


@pytest.fixture
def client(app: Any) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """uvicorn in a thread on 127.0.0.1 and a free port."""

    def __init__(self, app: Any) -> None:
        import uvicorn

        self.port = free_port()
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Server:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture
def server(app: Any) -> Iterator[Server]:
    with Server(app) as running:
        yield running
