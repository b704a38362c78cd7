"""Statuses of whole sessions from the scan log's digest (``StandardRule.evaluate_digests``)
are those the rule gives deputy by deputy on the scans, on both built-in backends; voiding
a scan finds it by id."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pendulum
import pytest

import lvzhi
from lvzhi.builtins.attendance import StandardRule
from lvzhi.clock import FixedClock
from lvzhi.domain import LeaveStage, Official, Scan
from lvzhi.domain.programme import Audience
from lvzhi.errors import NotFound
from lvzhi.plugins import hookimpl
from lvzhi.ports import AttendanceContext, AttendanceRule
from lvzhi.settings import Settings
from lvzhi.testing.factories import (
    make_delegate,
    make_delegation,
    make_leave_request,
    make_programme,
    make_session,
)

START = pendulum.datetime(2022, 9, 6, 1, 0, tz="UTC")
DEPUTIES = [f"c{n:02d}" for n in range(60)]


class OneByOne:
    """The standard rule without its whole-session method: the scans decide, deputy by
    deputy, whenever the older summary cannot."""

    name = "one_by_one"
    needs_scans = False

    def __init__(self) -> None:
        self._rule = StandardRule()

    def wants_scans(self, context: AttendanceContext) -> bool:
        return self._rule.wants_scans(context)

    def evaluate(self, context: AttendanceContext) -> str:
        return self._rule.evaluate(context)


class OneByOnePlugin:
    @hookimpl
    def lvzhi_register_attendance_rules(self) -> list[AttendanceRule]:
        return [OneByOne()]


def _approved(cert: str, start: int, end: int) -> object:
    request = make_leave_request(
        id=f"L-{cert}",
        programme_id="p",
        certificate_no=cert,
        starts_at=START.add(minutes=start),
        ends_at=START.add(minutes=end),
    )
    at = pendulum.datetime(2022, 9, 1, tz="UTC")
    request, _ = request.decide(LeaveStage.DELEGATION, approver="县", approved=True, at=at)
    request, _ = request.decide(LeaveStage.ORGANISER, approver="市", approved=True, at=at)
    return request


def _random_scans(rng: random.Random, session: str, base: pendulum.DateTime) -> list[Scan]:
    scans = []
    for cert in DEPUTIES:
        shape = rng.random()
        times: list[tuple[int, str]] = []
        if shape < 0.5:  # in and out, perhaps read twice at the door
            times = [(rng.randint(-20, 10), "entry"), (rng.randint(140, 170), "exit")]
            if rng.random() < 0.5:
                times.append((times[0][0], "entry"))
        elif shape < 0.8:  # out and back (perhaps before the start, after the end)
            out = rng.randint(-10, 160)
            times = [
                (rng.randint(-40, 5), "entry"),
                (out, "exit"),
                (out + rng.randint(0, 30), "entry"),
                (rng.choice([out, 150, 185]), "exit"),
            ]
        elif shape < 0.95:  # anything at all
            times = [
                (rng.randint(-60, 200), rng.choice(["entry", "exit"]))
                for _ in range(rng.randint(1, 6))
            ]
        for n, (minutes, kind) in enumerate(times):
            scans.append(
                Scan(
                    id=f"{session}.{cert}.{n}",
                    session_id=session,
                    certificate_no=cert,
                    kind=kind,
                    scanned_at=base.add(minutes=minutes, seconds=rng.choice([0, 0, 30])),
                )
            )
    return scans


def _course(office: lvzhi.Secretariat, seed: int) -> None:
    rng = random.Random(seed)
    with office.unit_of_work() as uow:
        uow.programmes.put(make_programme(id="p"))
        uow.delegations.put(make_delegation(code="a", name="甲县", order=1))
        uow.delegates.put_many(
            make_delegate(certificate_no=cert, delegation="a", is_new=n % 2 == 0)
            for n, cert in enumerate(DEPUTIES)
        )
        uow.officials.put(Official(id="o1", name="赵甲", role="organiser"))
        for n in range(3):
            uow.sessions.put(
                make_session(
                    id=f"s{n}",
                    programme_id="p",
                    starts_at=START.add(hours=4 * n),
                    audience=Audience(new_only=n == 2),
                )
            )
        for cert in rng.sample(DEPUTIES, 6):
            uow.leave_requests.put(_approved(cert, rng.randint(-60, 100), rng.randint(101, 300)))
    scans = [s for n in range(3) for s in _random_scans(rng, f"s{n}", START.add(hours=4 * n))]
    office.attendance.record(scans)
    for scan in rng.sample(scans, 12):
        office.attendance.void_scan(scan.id, by="o1", reason="重复刷卡")
    for cert in rng.sample(DEPUTIES, 4):
        office.attendance.set_status("s1", cert, "exempt", by="o1", reason="会务工作")


@pytest.fixture(params=["memory", "sqlite"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return "memory://" if request.param == "memory" else f"sqlite:///{tmp_path / 'course.db'}"


@pytest.fixture
def office(url: str) -> Iterator[lvzhi.Secretariat]:
    with lvzhi.open(
        url,
        load_entrypoints=False,
        clock=FixedClock(START.add(days=2)),
        plugins=[OneByOnePlugin()],
        settings=Settings(attendance_overrides={"s1": {"early_leave_minutes": 10}}),
    ) as office:
        yield office


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_whole_sessions_give_the_statuses_of_the_scans(
    office: lvzhi.Secretariat, seed: int
) -> None:
    _course(office, seed)
    fast = office.attendance.evaluate_all()
    slow = office.attendance.evaluate_all(rule="one_by_one")
    assert list(fast) == list(slow) == ["s0", "s1", "s2"]
    for sid in fast:
        assert [(s.certificate_no, s.code) for s in fast[sid]] == [
            (s.certificate_no, s.code) for s in slow[sid]
        ]
        assert [(s.first_entry, s.last_exit) for s in fast[sid]] == [
            (s.first_entry, s.last_exit) for s in slow[sid]
        ]
    assert len(fast["s2"]) == len(DEPUTIES) // 2  # new deputies only
    codes = {s.code for rows in fast.values() for s in rows}
    assert {"present", "late", "left_early", "absent", "on_leave", "exempt"} <= codes
    for sid in fast:
        assert fast[sid] == office.attendance.evaluate(sid)


def test_status_rows_give_times_as_instants(office: lvzhi.Secretariat) -> None:
    _course(office, 4)
    rows = office.attendance.evaluate("s0")
    by_cert = {s.certificate_no: s for s in rows}
    scans = office.attendance.scans(session_id="s0")
    for cert, status in by_cert.items():
        entries = [s.scanned_at for s in scans if s.certificate_no == cert and s.kind == "entry"]
        exits = [s.scanned_at for s in scans if s.certificate_no == cert and s.kind == "exit"]
        assert status.first_entry == min(entries, default=None)
        assert status.last_exit == max(exits, default=None)
        if status.first_entry is not None:
            assert isinstance(status.first_entry, pendulum.DateTime)
            assert status.first_entry.tzinfo is not None


def test_void_scan_finds_the_scan_in_any_session(office: lvzhi.Secretariat) -> None:
    _course(office, 5)
    scan = office.attendance.scans(session_id="s2")[0]
    correction = office.attendance.void_scan(scan.id, by="o1", reason="设备故障")
    assert (correction.session_id, correction.certificate_no) == (
        scan.session_id,
        scan.certificate_no,
    )
    assert correction.scan_id == scan.id
    with pytest.raises(NotFound, match="nope"):
        office.attendance.void_scan("nope", by="o1", reason="x")
    with pytest.raises(NotFound, match=scan.id):  # named with another session
        office.attendance.void_scan(scan.id, by="o1", reason="x", session_id="s0")
