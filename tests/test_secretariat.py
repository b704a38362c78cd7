from __future__ import annotations

import html
from pathlib import Path

import pendulum
import pytest

import lvzhi
from lvzhi import hookimpl
from lvzhi.clock import FixedClock
from lvzhi.domain import (
    Delegate,
    Delegation,
    LeaveRequest,
    LeaveState,
    Notice,
    Programme,
    Scan,
    Session,
    Suggestion,
    Venue,
)
from lvzhi.errors import NotFound, PluginError, TransitionError, ValidationError
from lvzhi.samples.load import load_course
from lvzhi.testing.contracts.exporter import read_workbook

T = pendulum.datetime(2022, 9, 6, 9, 0, tz="Asia/Shanghai")


class Recorder:
    """A plugin that records every event it is told about."""

    def __init__(self) -> None:
        self.events: list[str] = []

    @hookimpl
    def lvzhi_handle_event(self, event: object, secretariat: lvzhi.Secretariat) -> None:
        assert isinstance(secretariat, lvzhi.Secretariat)
        self.events.append(event.name)  # type: ignore[attr-defined]


def setup_course(office: lvzhi.Secretariat) -> None:
    load_course(office)


def test_open_resolves_urls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LVZHI_DB", raising=False)
    with lvzhi.open(load_entrypoints=False) as office:
        assert office.url == "sqlite:///lvzhi.db"
    assert (tmp_path / "lvzhi.db").exists()
    monkeypatch.setenv("LVZHI_DB", "sqlite:///from-env.db")
    with lvzhi.open(load_entrypoints=False) as office:
        assert office.url == "sqlite:///from-env.db"
    with lvzhi.open("plain.db", load_entrypoints=False) as office:
        assert office.url == "sqlite:///plain.db"
    with pytest.raises(PluginError, match="postgresql"):
        lvzhi.open("postgresql://localhost/x", load_entrypoints=False)


def test_delegates_come_in_official_order(office: lvzhi.Secretariat) -> None:
    setup_course(office)
    people = office.delegates()
    assert len(people) == 346
    units = {d.code: d.order for d in office.people.delegations()}
    orders = [units[p.delegation] for p in people]
    assert orders == sorted(orders)
    first_unit = [p for p in people if p.delegation == "zhuhui"]
    keys = [office.collation.key(p.name) for p in first_unit]
    assert keys == sorted(keys)
    assert office.delegates(delegation="garrison")[0].delegation == "garrison"


def test_save_delegate_needs_its_delegation(office: lvzhi.Secretariat) -> None:
    with pytest.raises(NotFound, match="nowhere"):
        office.people.save_delegate(
            Delegate(certificate_no="c1", name="王毅", gender="男", delegation="nowhere")
        )
    office.people.save_delegation(Delegation(code="d1", name="衡南县"))
    office.people.save_delegate(
        Delegate(certificate_no="c1", name="王毅", gender="男", delegation="d1")
    )
    assert office.people.delegate("c1").name == "王毅"


def test_schedule_checks_dates_and_venues(office: lvzhi.Secretariat) -> None:
    setup_course(office)
    pid = office.programme.get().id
    outside = Session(
        id="x1",
        programme_id=pid,
        title="t",
        kind="lecture",
        starts_at=T.add(days=5),
        ends_at=T.add(days=5, hours=1),
    )
    with pytest.raises(ValidationError, match="outside the course dates"):
        office.programme.schedule([outside])
    nowhere = Session(
        id="x2",
        programme_id=pid,
        title="t",
        kind="lecture",
        starts_at=T,
        ends_at=T.add(hours=1),
        venue_id="moon",
    )
    with pytest.raises(NotFound, match="moon"):
        office.programme.schedule([nowhere])
    table = office.programme.timetable()
    assert len(table) == 9
    assert [s.starts_at for s in table] == sorted(s.starts_at for s in table)
    assert {s.id for s in table}.isdisjoint({"x1", "x2"})


def test_form_groups_replaces_and_validates(office: lvzhi.Secretariat) -> None:
    setup_course(office)
    groups = office.groups.form(12, topic="依法履职")
    assert [g.number for g in groups] == list(range(1, 13))
    assert sum(len(g.members) for g in groups) == 346
    again = office.groups.form(13, strategy="by_delegation")
    assert len(office.groups.list()) == 13 == len(again)
    with pytest.raises(PluginError, match="unknown grouping strategy"):
        office.groups.form(3, strategy="astrology")
    with pytest.raises(ValidationError, match="count"):
        office.groups.form(0)


def test_leave_flow_and_events(clock: FixedClock) -> None:
    recorder = Recorder()
    with lvzhi.open("memory://", clock=clock, plugins=[recorder], load_entrypoints=False) as office:
        setup_course(office)
        cert = office.delegates()[0].key
        pid = office.programme.get().id
        office.leave.request(
            LeaveRequest(
                id="l1",
                programme_id=pid,
                certificate_no=cert,
                starts_at=T,
                ends_at=T.add(hours=8),
                reason="住院治疗",
                submitted_at=clock.now(),
                written_application="请假申请书.pdf",
            )
        )
        unit = office.delegates()[0].delegation
        with pytest.raises(TransitionError):
            office.leave.decide("l1", "organiser", approver="organiser-01", approved=True)
        office.leave.decide("l1", "delegation", approver=f"{unit}-leader", approved=True)
        final = office.leave.decide("l1", "organiser", approver="organiser-01", approved=True)
        assert final.state is LeaveState.APPROVED
        assert office.leave.list(certificate_no=cert) == [final]
    assert recorder.events.count("leave.decided") == 2
    assert "leave.requested" in recorder.events
    assert "timetable.changed" in recorder.events


def test_scans_are_idempotent_and_checked(office: lvzhi.Secretariat) -> None:
    setup_course(office)
    s = office.programme.timetable()[0]
    cert = office.delegates()[0].key
    scan = Scan(id="n1", session_id=s.id, certificate_no=cert, scanned_at=s.starts_at)
    assert office.attendance.record([scan]).recorded == 1
    assert office.attendance.record([scan]).ignored == 1
    stored = office.attendance.scans(session_id=s.id)
    assert len(stored) == 1
    assert stored[0].received_at == office.now()
    with pytest.raises(NotFound):
        office.attendance.record(
            [Scan(id="n2", session_id=s.id, certificate_no="ghost", scanned_at=s.starts_at)]
        )


def test_suggestions_and_notices(office: lvzhi.Secretariat, tmp_path: Path) -> None:
    setup_course(office)
    pid = office.programme.get().id
    cert = office.delegates()[0].key
    office.suggestions.submit(
        Suggestion(
            id="s1",
            programme_id=pid,
            title="关于交通的建议",
            proposers=[cert],
            category="代表工作机制",
            aspect="履职保障",
            submitted_at=office.now(),
        )
    )
    office.suggestions.assign("s1", "联工委")
    replied = office.suggestions.reply("s1", "已专题研究", replied_by="联工委")
    assert replied.reply is not None
    assert replied.reply.replied_at == office.now()
    with pytest.raises(ValidationError, match="proposers"):
        Suggestion(id="s2", programme_id=pid, title="t", proposers=[], submitted_at=T)

    notice_dir = tmp_path / "notices"
    with lvzhi.open(
        "memory://",
        load_entrypoints=False,
        settings=lvzhi.Settings(plugins={"notifiers": {"notice_dir": str(notice_dir)}}),
    ) as other:
        other.programme.save(
            Programme(id="p", title="培训班", start_date="2022-09-06", end_date="2022-09-08")
        )
        other.notices.issue(
            Notice(
                id="n1",
                programme_id="p",
                kind="advance",
                title="预告通知",
                body="请准时参加",
                recipients=("衡南县人大常委会",),
                issued_at=T,
            )
        )
        text = (notice_dir / "n1.file.1.txt").read_text(encoding="utf-8")
        assert "送：衡南县人大常委会" in text
        assert [n.id for n in other.notices.list()] == ["n1"]
    with pytest.raises(PluginError, match="unknown notifier 'carrier-pigeon'; registered: log"):
        lvzhi.open(
            "memory://",
            load_entrypoints=False,
            settings=lvzhi.Settings(notifiers=("carrier-pigeon",)),
        )


def _cell(value: object) -> str:
    """A cell as text, the way a spreadsheet reads it back (1.0 is 1, empty is "")."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "ods", "json", "yaml", "html"])
def test_every_table_exports_in_every_format(
    office: lvzhi.Secretariat, fmt: str, tmp_path: Path
) -> None:
    setup_course(office)
    office.groups.form(12)
    for table in ("roster", "timetable", "delegations", "groups", "suggestions"):
        target = tmp_path / f"{table}.{fmt}"
        payload = office.export(table, fmt, target)
        assert target.read_bytes() == payload
        expected = office.reports.table(table)
        sheets = expected.sheets() if hasattr(expected, "sheets") else [expected]
        rows = [[*s.headers] for s in sheets] + [list(r) for s in sheets for r in s]
        if table != "suggestions":  # the course has none yet
            assert len(rows) > len(sheets)  # a real course, not empty tables
        if fmt in ("xlsx", "ods"):
            book = read_workbook(fmt, payload)  # leaves out each sheet's printed title row
            got = [r[0] for _, r in book] + [r for _, sheet in book for r in sheet[1:]]
            width = len(rows[0])
            got = [r + [""] * (width - len(r)) for r in got]  # trailing empty cells
            assert [[_cell(c) for c in r] for r in got] == [[_cell(c) for c in r] for r in rows]
        else:
            text = html.unescape(payload.decode("utf-8-sig"))
            cells = [_cell(c) for s in sheets for r in s for c in r]
            if fmt not in ("json", "yaml"):  # records formats write no header for no rows
                cells += [h for s in sheets for h in s.headers]
            missing = sorted({c for c in cells if c and c not in text})
            assert not missing, missing[:5]
    with pytest.raises(PluginError, match="unknown export format 'docx'; registered: csv, html"):
        office.export("roster", "docx")
    with pytest.raises(
        PluginError, match="unknown report 'menu'; registered: attendance, attendance-records"
    ):
        office.export("menu", "csv")


def test_roster_export_masks_phones_unless_asked(office: lvzhi.Secretariat) -> None:
    setup_course(office)
    phone = office.delegates()[0].phone
    masked = office.export("roster", "csv").decode("utf-8-sig")
    assert phone not in masked
    assert phone[:3] + "****" + phone[-4:] in masked
    assert phone in office.export("roster", "csv", reveal_phones=True).decode("utf-8-sig")


def test_unknown_collation_is_a_plugin_error() -> None:
    with lvzhi.open(
        "memory://", load_entrypoints=False, settings=lvzhi.Settings(collation="alphabet-soup")
    ) as office:
        with pytest.raises(PluginError, match="unknown collation"):
            office.collation.key("王毅")


def test_pinyin_setting_changes_order(clock: FixedClock) -> None:
    names = ["张伟", "王毅", "曾强", "单军"]
    with lvzhi.open(
        "memory://", load_entrypoints=False, settings=lvzhi.Settings(collation="pinyin")
    ) as office:
        assert sorted(names, key=office.collation.key)[0] == "单军"  # shàn < wáng < zēng < zhāng
    with lvzhi.open("memory://", load_entrypoints=False) as office:
        assert sorted(names, key=office.collation.key)[0] == "王毅"  # 4 strokes first


def test_fixed_clock_advances() -> None:
    c = FixedClock(pendulum.datetime(2022, 9, 6, 9, tz="Asia/Shanghai"))
    assert c.now().timezone_name == "UTC"
    assert c.advance(minutes=5) == pendulum.datetime(2022, 9, 6, 1, 5, tz="UTC")
    with pytest.raises(ValueError, match="naive"):
        c.set(pendulum.naive(2022, 9, 6))


def test_venues_round_trip(office: lvzhi.Secretariat) -> None:
    office.programme.save_venue(Venue(id="hall", name="报告厅", capacity=400))
    assert [v.name for v in office.programme.venues()] == ["报告厅"]
