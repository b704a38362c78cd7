"""What an export may and may not do to files and to text: characters no format can hold are
replaced and reported, never a crash; files are written whole or not at all, only where a
file belongs."""

from __future__ import annotations

import io
import json
import logging
import os
import stat
import zipfile
from contextlib import closing
from pathlib import Path
from typing import Any

import attrs
import openpyxl
import pytest
import tablib
import yaml

import lvzhi
from lvzhi.builtins.exporters import exporters
from lvzhi.errors import ValidationError
from lvzhi.reports import Replacement, clean_text, prepare, prepare_export
from lvzhi.samples import make_course
from lvzhi.services import exports as export_service
from lvzhi.services.exports import write_atomically
from lvzhi.testing.contracts.exporter import read_workbook

FORMATS = ["csv", "xlsx", "ods", "json", "yaml", "html"]
#: Names a stored record may hold: BEL, NUL, a zero-width space, a right-to-left override,
#: a lone surrogate (an older database decoded with errors="surrogateescape"), U+FFFF.
BAD_NAMES = {
    "bel": ("王\x07毅", "王\ufffd毅"),
    "nul": ("王\x00毅", "王\ufffd毅"),
    "zwsp": ("王\u200b毅", "王毅"),
    "rlo": ("\u202e毅王", "毅王"),
    "surrogate": ("王\udc80毅", "王\ufffd毅"),
    "nonchar": ("王\uffff毅", "王\ufffd毅"),
}


def by_format() -> dict[str, Any]:
    return {e.format: e for e in exporters()}


# -- the characters ---------------------------------------------------------------------


@pytest.mark.parametrize(("given", "printed"), list(BAD_NAMES.values()), ids=list(BAD_NAMES))
def test_clean_text_replaces_controls_and_removes_invisible_characters(
    given: str, printed: str
) -> None:
    clean, codes = clean_text(given)
    assert clean == printed
    assert codes == tuple(ord(c) for c in given if c not in printed)
    assert clean_text(clean) == (clean, ())  # idempotent
    data, data_codes = clean_text(given, printed=False)  # json and yaml keep all they can
    if "\udc80" in given:
        assert (data, data_codes) == ("王\ufffd毅", (0xDC80,))
    else:
        assert (data, data_codes) == (given, ())


def test_clean_text_keeps_tabs_line_breaks_and_ordinary_text() -> None:
    text = "第一行\n第二行\t（备注）\r\n欧阳·明 é ①"
    assert clean_text(text) == (text, ())


def test_prepare_export_reports_sheet_row_column_and_code_points() -> None:
    data = tablib.Dataset(
        (1, "王\x07毅", "衡南县"),
        (2, "李娟", "驻衡\u200b部队\u202e"),
        headers=["序号", "姓\x00名", "选举单位"],
        title="名册\x1b",
    )
    prepared = prepare_export(data, spreadsheet=True, timezone="UTC", programme_title="班\x07")
    sheet = prepared.data
    assert sheet[0] == (1, "王\ufffd毅", "衡南县")
    assert sheet[1] == (2, "李娟", "驻衡部队")
    assert sheet.headers == ["序号", "姓\ufffd名", "选举单位"]
    assert sheet.title == "名册\ufffd"
    assert prepared.replacements == (
        Replacement(sheet="名册\ufffd", part="sheet name", code_points=(0x1B,)),
        Replacement(sheet="名册\ufffd", part="header", column="姓\ufffd名", code_points=(0,)),
        Replacement(sheet="名册\ufffd", part="cell", row=1, column="姓\ufffd名", code_points=(7,)),
        Replacement(
            sheet="名册\ufffd", part="cell", row=2, column="选举单位", code_points=(0x200B, 0x202E)
        ),
        Replacement(sheet="名册\ufffd", part="title row", code_points=(7, 0x1B)),
    )
    lines = [str(r) for r in prepared.replacements]
    assert lines[2] == "sheet '名册\ufffd', row 1, column '姓\ufffd名': U+0007 replaced by U+FFFD"
    assert lines[3] == "sheet '名册\ufffd', row 2, column '选举单位': U+200B, U+202E removed"
    assert lines[4].endswith("title row: U+0007, U+001B replaced by U+FFFD")
    again = prepare_export(sheet, spreadsheet=True, timezone="UTC")
    assert again.replacements == ()  # nothing is left to replace
    assert again.data[0] == sheet[0]


def test_cleaning_comes_before_neutralisation() -> None:
    # a zero-width space must not hide a formula from the neutralisation
    data = tablib.Dataset(("\u200b=HYPERLINK(1)", "\x07=1"), headers=["a", "b"])
    assert prepare(data, spreadsheet=True, timezone="UTC")[0] == ("'=HYPERLINK(1)", "\ufffd=1")


def test_data_formats_keep_every_character_they_can_encode() -> None:
    data = tablib.Dataset(("王\x07毅\u200b", "李\udc80"), headers=["a", "b"], title="t")
    prepared = prepare_export(data, spreadsheet=False, timezone="UTC")
    assert prepared.data[0] == ("王\x07毅\u200b", "李\ufffd")
    assert [(r.row, r.column, r.code_points) for r in prepared.replacements] == [
        (1, "b", (0xDC80,))
    ]


def _names(payload: bytes, fmt: str) -> str:
    """Every text of an export, for the formats read back as text."""
    if fmt in ("xlsx", "ods"):
        return "\n".join(
            f"{title}\n" + "\n".join(str(v) for row in rows for v in row)
            for title, rows in read_workbook(fmt, payload)
        )
    if fmt in ("json", "yaml"):
        text = payload.decode("utf-8")
        book = json.loads(text) if fmt == "json" else yaml.safe_load(text)
        return "\n".join(
            f"{sheet['title']}\n"
            + "\n".join(f"{k}\n{v}" for r in sheet["data"] for k, v in r.items())
            for sheet in book
        )
    return payload.decode("utf-8-sig")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("kind", list(BAD_NAMES))
def test_no_name_makes_an_export_fail(fmt: str, kind: str) -> None:
    given, printed = BAD_NAMES[kind]
    exporter = by_format()[fmt]
    book = tablib.Databook(
        [
            tablib.Dataset((1, given), headers=["序号", "姓名"], title=given),
            tablib.Dataset((1, "李娟"), headers=["序号", given], title="驻衡部队"),
        ]
    )
    prepared = prepare_export(
        book, spreadsheet=exporter.spreadsheet, timezone="UTC", programme_title=given
    )
    payload = exporter.export(prepared.data)
    text = _names(payload, fmt)
    expected = printed if exporter.spreadsheet else clean_text(given, printed=False)[0]
    assert expected in text
    if fmt in ("xlsx", "ods"):
        with zipfile.ZipFile(io.BytesIO(payload)) as archive:
            assert archive.testzip() is None
    if exporter.spreadsheet or kind == "surrogate":
        assert prepared.replacements
        assert {r.part for r in prepared.replacements} >= {"sheet name", "cell", "header"}
    else:
        assert prepared.replacements == ()


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_unprepared_tables_with_bad_names_still_export(fmt: str) -> None:
    # an exporter called directly (a plugin, a test) is its own safety net
    data = tablib.Dataset(("王\x07毅", "\udc80"), headers=["姓\x00名", "备注"], title="名\x07册")
    ((title, rows),) = read_workbook(fmt, by_format()[fmt].export(data))
    assert title == "名\ufffd册"
    assert rows == [["姓\ufffd名", "备注"], ["王\ufffd毅", "\ufffd"]]


def _course_with(office: lvzhi.Secretariat, name: str) -> None:
    """The sample course, its first deputy and first delegation named with ``name``: stored
    as an older database or another program may have stored them, past today's checks."""
    course = make_course()
    office.programme.save(course.programme)
    for venue in course.venues:
        office.programme.save_venue(venue)
    with attrs.validators.disabled():
        first = attrs.evolve(course.delegates[0], name=name)
        unit = attrs.evolve(course.delegations[0], name=f"珠晖{name}")
    with office.unit_of_work() as uow:
        uow.delegations.put_many([unit, *course.delegations[1:]])
        uow.officials.put_many(course.officials)
        uow.delegates.put_many([first, *course.delegates[1:]])
    office.programme.schedule(course.sessions)
    office.groups.form(12)


@pytest.mark.parametrize("kind", list(BAD_NAMES))
def test_export_logs_each_replaced_cell(
    kind: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    given, printed = BAD_NAMES[kind]
    with lvzhi.open("memory://", load_entrypoints=False) as office:
        _course_with(office, given)
        for report in ("roster", "delegations", "groups"):
            caplog.clear()
            with caplog.at_level(logging.WARNING, logger="lvzhi.exports"):
                office.reports.export(report, "xlsx", tmp_path / f"{report}.xlsx")
            messages = [r.getMessage() for r in caplog.records if r.name == "lvzhi.exports"]
            assert messages, report
            assert all(m.startswith(f"export {report} (xlsx): sheet ") for m in messages)
            code = f"U+{ord(next(c for c in given if c not in printed)):04X}"
            assert all(code in m for m in messages)
            assert any(", column '姓名': " in m for m in messages)
            book = openpyxl.load_workbook(tmp_path / f"{report}.xlsx")
            cells = {c.value for ws in book.worksheets for row in ws.iter_rows() for c in row}
            assert printed in cells
        roster = [m for m in messages if "row" in m]
        assert roster  # the groups report names the deputy's row too


def test_export_of_clean_text_logs_nothing(caplog: pytest.LogCaptureFixture) -> None:
    with lvzhi.open("memory://", load_entrypoints=False) as office:
        _course_with(office, "王毅")
        with caplog.at_level(logging.WARNING, logger="lvzhi.exports"):
            office.reports.export("roster", "xlsx")
    assert [r for r in caplog.records if r.name == "lvzhi.exports"] == []


# -- safe writes ------------------------------------------------------------------------


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_writes_a_new_file_readable_as_a_new_file_would_be(tmp_path: Path) -> None:
    target = tmp_path / "roster.xlsx"
    assert write_atomically(target, b"new") == target
    assert target.read_bytes() == b"new"
    umask = os.umask(0o022)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask
    assert leftovers(tmp_path) == []


def test_replaces_a_file_whole_and_keeps_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "roster.xlsx"
    target.write_bytes(b"old contents, longer than the new ones")
    target.chmod(0o640)
    write_atomically(target, b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_a_symlink_is_written_through_and_stays_a_link(tmp_path: Path) -> None:
    real = tmp_path / "shared" / "roster.xlsx"
    real.parent.mkdir()
    real.write_bytes(b"old")
    link = tmp_path / "roster.xlsx"
    link.symlink_to(real)
    assert write_atomically(link, b"new") == real
    assert link.is_symlink()
    assert os.readlink(link) == str(real)
    assert real.read_bytes() == b"new"
    assert leftovers(tmp_path) == leftovers(real.parent) == []


def test_a_dangling_symlink_creates_the_file_it_names(tmp_path: Path) -> None:
    real = tmp_path / "out.xlsx"
    link = tmp_path / "link.xlsx"
    link.symlink_to(real)
    write_atomically(link, b"new")
    assert link.is_symlink()
    assert real.read_bytes() == b"new"


@pytest.mark.parametrize("device", ["/dev/null", "fifo", "link-to-null"])
def test_a_device_or_fifo_is_refused_and_left_alone(device: str, tmp_path: Path) -> None:
    if device == "fifo":
        target = tmp_path / "pipe"
        os.mkfifo(target)
    elif device == "link-to-null":
        target = tmp_path / "null.xlsx"
        target.symlink_to("/dev/null")
    else:
        target = Path(device)
    with pytest.raises(ValidationError, match="not a regular file") as caught:
        write_atomically(target, b"data")
    assert caught.value.value == str(target)
    assert str(target) in str(caught.value)
    if device == "fifo":
        assert stat.S_ISFIFO(target.stat().st_mode)
        assert leftovers(tmp_path) == []
    assert Path("/dev/null").is_char_device()


def test_a_directory_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "keep.txt").write_text("x")
    with pytest.raises(ValidationError, match="is a directory") as caught:
        write_atomically(folder, b"data")
    assert str(folder) in str(caught.value)
    assert (folder / "keep.txt").read_text() == "x"


def test_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "roster.xlsx"
    with pytest.raises(ValidationError, match="does not exist") as caught:
        write_atomically(target, b"data")
    assert str(target) in str(caught.value)
    assert str(target.parent) in str(caught.value)
    assert not (tmp_path / "no").exists()


def test_a_symlink_loop_is_a_clear_error(tmp_path: Path) -> None:
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    a.symlink_to(b)
    b.symlink_to(a)
    with pytest.raises(ValidationError, match="symlink") as caught:
        write_atomically(a, b"data")
    assert str(a) in str(caught.value)


def test_a_failure_in_the_middle_leaves_the_old_file_and_no_temporary_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "roster.xlsx"
    target.write_bytes(b"old")

    def broken_replace(src: Any, dst: Any) -> None:
        assert Path(src).read_bytes() == b"new"  # the whole payload was on disk
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export_service.os, "replace", broken_replace)
    with pytest.raises(OSError, match="No space left"):
        write_atomically(target, b"new")
    assert target.read_bytes() == b"old"
    assert leftovers(tmp_path) == []


def test_an_interrupted_write_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(export_service.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomically(tmp_path / "roster.xlsx", b"new")
    assert list(tmp_path.iterdir()) == []


def test_a_folder_that_cannot_be_written_is_a_clear_error(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("this user writes in any folder (root)")
        with pytest.raises(ValidationError, match="cannot be written"):
            write_atomically(folder / "roster.xlsx", b"data")
    finally:
        folder.chmod(0o700)


def test_the_service_refuses_a_device_before_writing_anything(
    office: lvzhi.Secretariat, tmp_path: Path
) -> None:
    _course_with(office, "王毅")
    with pytest.raises(ValidationError, match="/dev/null"):
        office.reports.export("roster", "xlsx", "/dev/null")
    with pytest.raises(ValidationError, match="does not exist"):
        office.reports.export("roster", "csv", tmp_path / "missing" / "roster.csv")
    payload = office.reports.export("roster", "csv", tmp_path / "roster.csv")
    assert (tmp_path / "roster.csv").read_bytes() == payload
    assert leftovers(tmp_path) == []


def test_cli_prints_one_warning_line_per_replaced_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A stored name holding a BEL is replaced in the xlsx, and the CLI says so."""
    import json
    import sqlite3

    import lvzhi
    from lvzhi.cli import main
    from lvzhi.domain import Delegation
    from lvzhi.testing import make_delegate

    db = tmp_path / "course.db"
    with lvzhi.open(f"sqlite:///{db}", load_entrypoints=False) as office:
        office.people.save_delegation(Delegation(code="d1", name="衡南县"))
        office.people.save_delegate(make_delegate(certificate_no="c1", delegation="d1"))
    with (
        closing(sqlite3.connect(db)) as con,
        con,
    ):  # written by an older release, before names were checked
        (data,) = con.execute("select data from delegates").fetchone()
        row = json.loads(data)
        row["name"] = "王\a毅"
        con.execute("update delegates set data = ?", (json.dumps(row),))
    target = tmp_path / "roster.xlsx"
    assert main(["export", "roster", "-o", str(target), "--db", f"sqlite:///{db}"]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith("lvzhi: warning: export roster (xlsx): sheet ")
    assert err[0].endswith("column '姓名': U+0007 replaced by U+FFFD")
