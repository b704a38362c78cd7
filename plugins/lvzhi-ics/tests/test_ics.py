"""The ics formats and the personal timetable, read back with icalendar."""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import io
import zipfile
import zoneinfo
from pathlib import Path

import pendulum
import pytest
import tablib
from icalendar import Calendar
from lvzhi_ics import IcsExporter, personal_calendar, write_personal_calendars

import lvzhi
from lvzhi.domain import Audience, Session
from lvzhi.errors import NotFound, ValidationError
from lvzhi.plugins import Hooks, make_plugin_manager
from lvzhi.ports import Exporter, Report
from lvzhi.samples import Course
from lvzhi.testing import make_delegate, make_delegation, make_programme, make_session, make_venue

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
#: Only this plugin among the installed ones (the entry point is still what finds it).
ENVIRON = {"LVZHI_PLUGINS": "ics"}


def parse(payload: bytes) -> Calendar:
    calendar = Calendar.from_ical(payload)
    assert calendar.name == "VCALENDAR"
    return calendar


def events(calendar: Calendar) -> dict[str, object]:
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def wall_clock(instant: pendulum.DateTime, zone: str) -> dt.datetime:
    local = instant.in_timezone(zone)
    return dt.datetime(local.year, local.month, local.day, local.hour, local.minute)


def check_times(event: object, session: Session, zone: str) -> None:
    start = event["DTSTART"]  # type: ignore[index]
    end = event["DTEND"]  # type: ignore[index]
    assert start.params["TZID"] == zone
    assert end.params["TZID"] == zone
    assert start.dt.tzinfo is not None
    assert str(start.dt.tzinfo) == zone
    assert start.dt.replace(tzinfo=None) == wall_clock(session.starts_at, zone)
    assert end.dt.replace(tzinfo=None) == wall_clock(session.ends_at, zone)
    # the same instants, too
    assert start.dt.timestamp() == session.starts_at.timestamp()
    assert end.dt.timestamp() == session.ends_at.timestamp()


def timezones(calendar: Calendar) -> list[str]:
    return [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")]


# -- the whole course ------------------------------------------------------------------------


def test_timetable_as_ics(seated: tuple[lvzhi.Secretariat, Course]) -> None:
    office, course = seated
    calendar = parse(office.export("timetable", "ics"))
    assert timezones(calendar) == ["Asia/Shanghai"]
    assert str(calendar["X-WR-TIMEZONE"]) == "Asia/Shanghai"
    assert course.programme.title in str(calendar["X-WR-CALNAME"])
    found = events(calendar)
    venues = {v.id: v.name for v in course.venues}
    assert len(found) == len(course.sessions) == 9
    for session in course.sessions:
        event = found[f"{session.id}.{session.programme_id}@lvzhi"]
        check_times(event, session, "Asia/Shanghai")
        assert str(event["SUMMARY"]) == session.title  # type: ignore[index]
        location = str(event.get("LOCATION", ""))  # type: ignore[attr-defined]
        assert location == (venues[session.venue_id] if session.venue_id else "")
        stamp = event["DTSTAMP"].dt  # type: ignore[index]
        assert stamp.utcoffset() == dt.timedelta(0)
    opening = found[f"{course.sessions[0].id}.{course.programme.id}@lvzhi"]
    assert str(opening["DTSTART"].dt) == "2022-09-06 09:00:00+08:00"  # type: ignore[index]
    assert "参加人员：全体代表" in str(opening["DESCRIPTION"])  # type: ignore[index]


def test_uid_is_stable_when_a_session_moves(tmp_path: Path) -> None:
    with lvzhi.open(f"sqlite:///{tmp_path / 'c.db'}", environ=ENVIRON) as office:
        programme = office.programme.save(make_programme(id="p1"))
        office.programme.save_venue(make_venue(id="hall", name="报告厅"))
        first = make_session(
            id="s1",
            programme_id="p1",
            venue_id="hall",
            starts_at=pendulum.datetime(2022, 9, 6, 9, tz="Asia/Shanghai"),
        )
        office.programme.schedule([first])
        before = events(parse(office.export("timetable", "ics")))
        moved = make_session(
            id="s1",
            programme_id="p1",
            venue_id="hall",
            title="改期后的专题辅导",
            starts_at=pendulum.datetime(2022, 9, 6, 14, 30, tz="Asia/Shanghai"),
        )
        office.programme.schedule([moved])
        after = events(parse(office.export("timetable", "ics")))
    assert list(before) == list(after) == [f"s1.{programme.id}@lvzhi"]
    (event,) = after.values()
    check_times(event, moved, "Asia/Shanghai")
    assert str(event["SUMMARY"]) == "改期后的专题辅导"  # type: ignore[index]


def test_a_programme_in_another_zone_with_summer_time() -> None:
    with lvzhi.open("memory://", environ=ENVIRON) as office:
        office.programme.save(
            make_programme(
                id="berlin",
                timezone="Europe/Berlin",
                start_date=pendulum.date(2022, 10, 29),
                end_date=pendulum.date(2022, 10, 31),
            )
        )
        before = make_session(  # the last morning of summer time (UTC+2)
            id="sat",
            programme_id="berlin",
            starts_at=pendulum.datetime(2022, 10, 29, 9, tz="Europe/Berlin"),
        )
        after = make_session(  # the first morning of winter time (UTC+1)
            id="mon",
            programme_id="berlin",
            starts_at=pendulum.datetime(2022, 10, 31, 9, tz="Europe/Berlin"),
        )
        office.programme.schedule([before, after])
        calendar = parse(office.export("timetable", "ics"))
    assert timezones(calendar) == ["Europe/Berlin"]
    (vtimezone,) = calendar.walk("VTIMEZONE")
    assert {c.name for c in vtimezone.subcomponents} == {"STANDARD", "DAYLIGHT"}
    found = events(calendar)
    check_times(found["sat.berlin@lvzhi"], before, "Europe/Berlin")
    check_times(found["mon.berlin@lvzhi"], after, "Europe/Berlin")
    assert found["sat.berlin@lvzhi"]["DTSTART"].dt.hour == 9  # type: ignore[index]
    assert found["mon.berlin@lvzhi"]["DTSTART"].dt.hour == 9  # type: ignore[index]


def test_a_report_that_is_not_made_of_sessions_is_refused(
    seated: tuple[lvzhi.Secretariat, Course],
) -> None:
    office, _ = seated
    with pytest.raises(ValidationError, match="renders only reports made of sessions"):
        office.export("roster", "ics")


def test_the_exporter_refuses_a_plain_table() -> None:
    data = tablib.Dataset(
        ["2022年9月6日", "09:00-10:00", "开班式"], headers=["日期", "时间", "内容"]
    )
    with pytest.raises(ValidationError, match="format"):
        IcsExporter().export(data)


# -- one deputy ------------------------------------------------------------------------------


def test_personal_calendar_has_hall_and_seat(seated: tuple[lvzhi.Secretariat, Course]) -> None:
    office, course = seated
    deputy = course.delegates[17]
    calendar = parse(personal_calendar(office, deputy.certificate_no))
    assert timezones(calendar) == ["Asia/Shanghai"]
    assert deputy.name in str(calendar["X-WR-CALNAME"])
    found = events(calendar)
    assert len(found) == len(course.sessions)  # every session is for everyone
    seat = office.seating.seat_of(deputy.certificate_no, "hall")
    zone = office.seating.zone_of(deputy.certificate_no, "hall")
    assert seat is not None
    assert zone is not None
    group = next(g for g in office.groups.list() if deputy.certificate_no in g.members)
    rooms = {v.id: v.name for v in course.venues}
    for session in course.sessions:
        event = found[f"{session.id}.{deputy.certificate_no}.{session.programme_id}@lvzhi"]
        check_times(event, session, "Asia/Shanghai")
        location = str(event["LOCATION"])  # type: ignore[index]
        if session.venue_id == "hall":
            assert location == f"市人大常委会机关报告厅　{zone.name}　{seat.label}"
        else:  # the group discussion: the deputy's own group room
            assert group.venue_id is not None
            assert location == rooms[group.venue_id]
            assert group.name in str(event["DESCRIPTION"])  # type: ignore[index]


def test_personal_timetable_follows_the_audience() -> None:
    with lvzhi.open("memory://", environ=ENVIRON) as office:
        office.programme.save(make_programme(id="p1"))
        office.programme.save_venue(make_venue(id="hall", name="报告厅"))
        with office.unit_of_work() as uow:
            uow.delegations.put_many(
                [make_delegation(code="a", name="甲县"), make_delegation(code="b", name="乙县")]
            )
            uow.delegates.put_many(
                [
                    make_delegate(certificate_no="A1", name="王一", delegation="a", is_new=True),
                    make_delegate(certificate_no="B1", name="李二", delegation="b", is_new=False),
                ]
            )
        day = pendulum.datetime(2022, 9, 6, 9, tz="Asia/Shanghai")
        office.programme.schedule(
            [
                make_session(id="all", programme_id="p1", starts_at=day),
                make_session(
                    id="only-a",
                    programme_id="p1",
                    starts_at=day.add(hours=3),
                    audience=Audience(everyone=False, delegations={"a"}),
                ),
                make_session(
                    id="new",
                    programme_id="p1",
                    starts_at=day.add(hours=6),
                    audience=Audience(new_only=True),
                ),
            ]
        )
        a = events(parse(personal_calendar(office, "A1")))
        b = events(parse(personal_calendar(office, "B1")))
        with pytest.raises(NotFound, match="NOBODY"):
            personal_calendar(office, "NOBODY")
    assert sorted(a) == ["all.A1.p1@lvzhi", "new.A1.p1@lvzhi", "only-a.A1.p1@lvzhi"]
    assert sorted(b) == ["all.B1.p1@lvzhi"]
    assert "LOCATION" not in b["all.B1.p1@lvzhi"]  # no venue, no seat: nothing invented  # type: ignore[operator]


def test_several_deputies_in_one_ics_are_refused(seated: tuple[lvzhi.Secretariat, Course]) -> None:
    office, _ = seated
    with pytest.raises(ValidationError, match="ics-zip"):
        office.export("personal-timetable", "ics")


# -- every deputy ----------------------------------------------------------------------------


def test_ics_zip_has_one_calendar_per_deputy(seated: tuple[lvzhi.Secretariat, Course]) -> None:
    office, course = seated
    payload = office.export("personal-timetable", "ics-zip")
    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        names = archive.namelist()
        assert sorted(names) == sorted(f"{d.certificate_no}.ics" for d in course.delegates)
        deputy = course.delegates[100]
        from_zip = parse(archive.read(f"{deputy.certificate_no}.ics"))
    alone = parse(personal_calendar(office, deputy.certificate_no))
    assert events(from_zip).keys() == events(alone).keys()
    for uid, event in events(from_zip).items():
        assert str(event["LOCATION"]) == str(events(alone)[uid]["LOCATION"])  # type: ignore[index]


def test_write_personal_calendars_into_a_folder(
    seated: tuple[lvzhi.Secretariat, Course], tmp_path: Path
) -> None:
    office, course = seated
    written = write_personal_calendars(office, tmp_path / "calendars")
    assert len(written) == len(course.delegates) == 346
    for path in written[:5]:
        assert path.parent == tmp_path / "calendars"
        assert len(events(parse(path.read_bytes()))) == len(course.sessions)


def test_timetable_as_ics_zip(seated: tuple[lvzhi.Secretariat, Course]) -> None:
    office, course = seated
    with zipfile.ZipFile(io.BytesIO(office.export("timetable", "ics-zip"))) as archive:
        assert archive.namelist() == ["timetable.ics"]
        assert len(events(parse(archive.read("timetable.ics")))) == len(course.sessions)


def test_personal_timetable_prints_as_a_table(seated: tuple[lvzhi.Secretariat, Course]) -> None:
    office, course = seated
    deputy = course.delegates[0]
    table = office.reports.table("personal-timetable", options={"deputy": deputy.certificate_no})
    assert isinstance(table, tablib.Dataset)
    assert table.height == len(course.sessions)
    assert table.headers[:2] == ["代表证号", "姓名"]
    assert table[0][:5] == (
        deputy.certificate_no,
        deputy.name,
        "2022年9月6日（星期二）",
        "09:00-09:40",
        "开班式",
    )
    csv = office.export("personal-timetable", "csv", options={"deputy": deputy.certificate_no})
    assert "开班式" in csv.decode("utf-8-sig")


# -- the command line --------------------------------------------------------------------------


def test_lvzhi_export_timetable_as_ics(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from lvzhi.cli.main import main

    url = f"sqlite:///{tmp_path / 'course.db'}"
    with lvzhi.open(url, environ=ENVIRON) as office:
        from lvzhi.samples.load import load_course

        course = load_course(office)
    monkeypatch.setenv("LVZHI_PLUGINS", "ics")
    target = tmp_path / "out.ics"
    assert main(["export", "timetable", "-f", "ics", "--db", url, "-o", str(target)]) == 0
    found = events(parse(target.read_bytes()))
    assert len(found) == len(course.sessions)
    deputy = course.delegates[3].certificate_no
    mine = tmp_path / "mine.ics"
    argv = ["export", "personal-timetable", "-f", "ics", "--db", url, "-o", str(mine)]
    assert main([*argv, "--option", f"deputy={deputy}"]) == 0
    assert len(events(parse(mine.read_bytes()))) == len(course.sessions)


# -- wiring ----------------------------------------------------------------------------------


def test_entry_point_is_advertised() -> None:
    eps = importlib.metadata.entry_points(group="lvzhi")
    assert {ep.name: ep.value for ep in eps}["ics"] == "lvzhi_ics.plugin"


def test_entry_point_is_discovered() -> None:
    # The allow-list keeps other installed plugins out; the entry point is still what finds it.
    pm = make_plugin_manager(environ=ENVIRON)
    assert pm.get_plugin("ics") is not None
    hooks = Hooks(pm)
    assert {"ics", "ics-zip"} <= set(hooks.register_exporters().names())
    assert "personal-timetable" in hooks.register_reports().names()
    with lvzhi.open("memory://", environ=ENVIRON) as office:
        assert office.registries.exporters.plugin_of("ics") == "ics"
        assert isinstance(office.registries.exporters.get("ics"), Exporter)
        assert isinstance(office.registries.reports.get("personal-timetable"), Report)


def test_disabled_plugin_is_absent() -> None:
    with lvzhi.open("memory://", environ={**ENVIRON, "LVZHI_DISABLE_PLUGINS": "ics"}) as office:
        assert "ics" not in office.registries.exporters.names()
        assert "personal-timetable" not in office.registries.reports.names()
