"""Values checked as an office would: names, phone numbers, certificate numbers, and
problems that are reported once each, however many rows share them."""

from __future__ import annotations

import csv
import importlib
import io
import json
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

import lvzhi
from lvzhi.cli import main
from lvzhi.domain import Delegate, Delegation, Official
from lvzhi.errors import ImportProblem, RowProblem, ValidationError
from lvzhi.importing import parse_roster, write_problems

openpyxl = importlib.import_module("openpyxl")  # no type stubs


def deputy(**values: Any) -> Delegate:
    base: dict[str, Any] = {
        "certificate_no": "C1",
        "name": "王毅",
        "gender": "男",
        "delegation": "d01",
    }
    base.update(values)
    return Delegate(**base)


# --------------------------------------------------------------------------- phones


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("13800138000", "13800138000"),
        ("138 0013 8000", "13800138000"),
        ("138-0013-8000", "13800138000"),
        ("138.0013.8000", "13800138000"),
        ("+86 138-0013-8000", "13800138000"),
        ("+86 13800138000", "13800138000"),
        ("(+86) 138 0013 8000", "13800138000"),
        ("0086 13800138000", "13800138000"),
        ("86 13800138000", "13800138000"),
        ("8613800138000", "13800138000"),
        ("１３８００１３８０００", "13800138000"),
        ("１３８－００１３－８０００", "13800138000"),
        ("19912345678", "19912345678"),
        ("0734-8123456", "0734-8123456"),
        ("07348123456", "0734-8123456"),
        ("0734 8123456", "0734-8123456"),
        ("(0734)8123456", "0734-8123456"),
        ("（0734）8123456", "0734-8123456"),
        ("0734-8123456-123", "0734-8123456-123"),
        ("0734-8123456转123", "0734-8123456-123"),
        ("0734-8123456 ext 123", "0734-8123456-123"),
        ("0734-8123456 x123", "0734-8123456-123"),
        ("010-62345678", "010-62345678"),
        ("01062345678", "010-62345678"),
        ("021 6123 4567", "021-61234567"),
        ("+86 734 8123456", "0734-8123456"),
        ("+86 10 6234 5678", "010-62345678"),
        ("", ""),
        ("  ", ""),
    ],
)
def test_phone_numbers_in_the_forms_people_type(typed: str, stored: str) -> None:
    assert deputy(phone=typed).phone == stored
    assert deputy(phone=stored).phone == stored  # a stored number reads back unchanged


@pytest.mark.parametrize(
    "typed",
    [
        "12345",
        "1380013800",  # 10 digits
        "138001380001",  # 12 digits
        "12800138000",  # no mobile range starts 12
        "8123456",  # a landline without its area code
        "0734-81234",  # too short
        "0734-812345678",  # too long
        "7348123456",  # the area code lost its 0
        "+1 415 555 0100",  # not a mainland number
        "13800138000转12",  # a mobile has no extension
        "call me",
        "138001380OO",
    ],
)
def test_what_is_not_a_phone_number(typed: str) -> None:
    with pytest.raises(ValidationError) as info:
        deputy(phone=typed)
    assert info.value.field == "Delegate.phone"
    assert info.value.value == typed.strip()
    with pytest.raises(ValidationError, match="Official.phone"):
        Official(id="o1", name="赵军", role="带队领导", phone=typed)


# --------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    "dot", ["\u00b7", "\u2022", "\u30fb", "\u2027", "\uff65", "\u2219", "\u22c5"]
)
def test_middle_dots_become_u00b7(dot: str) -> None:
    assert deputy(name=f"阿依古丽{dot}买买提").name == "阿依古丽·买买提"
    assert deputy(name=f"阿依古丽 {dot} 买买提").name == "阿依古丽·买买提"


def test_names_are_nfc_normalised() -> None:
    decomposed = "Jose\u0301 Li"
    assert deputy(name=decomposed).name == "Jos\u00e9 Li"


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("李\u200b娟", "U+200B (ZERO WIDTH SPACE)"),
        ("李娟\u0007", "U+0007"),
        ("李\u0000娟", "U+0000"),
        ("\u202e娟李", "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
        ("李\ufeff娟", "U+FEFF (ZERO WIDTH NO-BREAK SPACE)"),
        ("李\ue000娟", "U+E000"),
    ],
)
def test_invisible_and_control_characters_are_refused(name: str, shown: str) -> None:
    with pytest.raises(ValidationError) as info:
        deputy(name=name)
    assert info.value.field == "Delegate.name"
    assert f"contains {shown}" in info.value.reason
    with pytest.raises(ValidationError, match="Official.name"):
        Official(id="o1", name=name, role="带队领导")


def test_names_have_a_maximum_length() -> None:
    assert deputy(name="阿" * 30).name == "阿" * 30
    with pytest.raises(ValidationError) as info:
        deputy(name="注：1. 代表证号以常委会颁发的代表证为准；2. 手机号码仅供会务联系。")
    assert "30" in info.value.reason


# --------------------------------------------------------------------------- certificates


def test_certificate_numbers_keep_their_leading_zeros(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["姓名", "性别", "代表证号", "选举单位"])
    sheet.append(["王毅", "男", "00123", "衡南县"])  # typed as text
    sheet.append(["李强", "男", 123.0, "衡南县"])  # a number
    sheet.append(["赵六", "男", 124, "衡南县"])
    path = tmp_path / "c.xlsx"
    book.save(path)
    certs = [d.certificate_no for d in parse_roster(path).delegates]
    assert certs == ["00123", "123", "124"]


# --------------------------------------------------------------------------- duplicates


def roster_csv(path: Path, certificates: list[str]) -> Path:
    lines = ["姓名,性别,代表证号,选举单位"]
    lines += [f"代表{n},男,{c},衡南县" for n, c in enumerate(certificates)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_duplicate_group_is_one_problem_naming_all_its_rows(tmp_path: Path) -> None:
    certs = ["0012", "0013", "0014", "0015", "0016", "0017", "0012", "0018", "0019"]
    certs += ["0020", "0021", "0022", "0023", "0012", "0014"]
    path = roster_csv(tmp_path / "d.csv", certs)
    with pytest.raises(ImportProblem) as info:
        parse_roster(path)
    assert info.value.problems == (
        RowProblem(2, "代表证号", "0012", "certificate number 0012 is on rows 2, 8 and 15"),
        RowProblem(4, "代表证号", "0014", "certificate number 0014 is on rows 4 and 16"),
    )


def test_problems_are_in_row_order_whatever_their_kind(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text(
        "姓名,性别,代表证号,选举单位\n王毅,男,C1,衡南县\n李强,未知,C2,衡南县\n赵六,男,C1,衡南县\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportProblem) as info:
        parse_roster(path)
    assert [(p.row, p.column) for p in info.value.problems] == [(2, "代表证号"), (3, "性别")]


def test_thirty_thousand_duplicated_rows_stay_linear(tmp_path: Path) -> None:
    size = 30_000
    path = roster_csv(tmp_path / "d.csv", [f"C{n // 2}" for n in range(size)])
    with lvzhi.open("memory://", load_entrypoints=False) as office:
        with pytest.raises(ImportProblem) as info:
            office.imports.roster(path)
        assert office.people.delegates() == []
    error = info.value
    assert len(error.problems) == size // 2
    # Each problem names its own rows only: the text grows with the rows, not their square.
    assert sum(len(p.reason) for p in error.problems) < 60 * size
    assert (
        error.problems[-1].reason
        == f"certificate number C{size // 2 - 1} is on rows {size} and {size + 1}"
    )
    message = str(error)
    assert len(message.splitlines()) == 52  # the summary, 50 problems, "… and N more"
    assert message.splitlines()[-1].strip() == f"… and {size // 2 - 50} more"


def test_problems_file_lists_every_problem(tmp_path: Path) -> None:
    path = roster_csv(tmp_path / "d.csv", [f"C{n // 2}" for n in range(200)] + ["bad number!"])
    with pytest.raises(ImportProblem) as info:
        parse_roster(path)
    target = write_problems(info.value, tmp_path / "problems.csv")
    with target.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    assert rows[0] == ["row", "sheet", "column", "value", "reason"]
    assert len(rows) == 1 + 101
    assert rows[-1][0] == "202" and rows[-1][3] == "bad number!"


def test_problems_file_makes_invisible_characters_visible(tmp_path: Path) -> None:
    error = ImportProblem("r.csv", [RowProblem(3, "姓名", "李\u200b娟\u0007", "contains …")])
    book = openpyxl.load_workbook(write_problems(error, tmp_path / "p.xlsx"))
    cells = [[c.value for c in row] for row in book.active.iter_rows()]
    assert cells[1] == [3, None, "姓名", "李<U+200B>娟<U+0007>", "contains …"]


def test_cli_writes_the_problems_file_when_the_import_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    certs = [f"C{n // 2}" for n in range(300)]
    path = roster_csv(tmp_path / "名册.csv", certs)
    db = tmp_path / "c.db"
    report = tmp_path / "问题.xlsx"
    assert main(["import", str(path), "--db", f"sqlite:///{db}", "--problems", str(report)]) == 1
    captured = capsys.readouterr()
    assert "150 problem(s)" in captured.err
    assert "… and 100 more" in captured.err
    assert str(report) in captured.err + captured.out
    book = openpyxl.load_workbook(report)
    rows = list(book.active.iter_rows(values_only=True))
    assert len(rows) == 151
    assert rows[1] == (2, None, "代表证号", "C0", "certificate number C0 is on rows 2 and 3")
    with closing(sqlite3.connect(db)) as con:
        assert con.execute("select count(*) from delegates").fetchone() == (0,)
    # a csv problems file, and none on success
    listing = tmp_path / "p.csv"
    assert main(["import", str(path), "--db", f"sqlite:///{db}", "--problems", str(listing)]) == 1
    assert len(listing.read_text(encoding="utf-8-sig").splitlines()) == 151
    good = roster_csv(tmp_path / "good.csv", ["C1", "C2"])
    assert main(["import", str(good), "--db", f"sqlite:///{db}", "--problems", str(listing)]) == 0
    assert listing.read_text(encoding="utf-8-sig").splitlines() == ["row,sheet,column,value,reason"]


def test_the_message_says_how_to_get_every_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = roster_csv(tmp_path / "r.csv", [f"C{n // 2}" for n in range(120)])
    assert main(["import", str(path), "--db", f"sqlite:///{tmp_path / 'c.db'}"]) == 1
    err = capsys.readouterr().err
    assert "--problems" in err


def test_row_problem_names_its_sheet() -> None:
    assert str(RowProblem(5, "手机", "12345", "bad", sheet="衡南县")) == (
        "sheet “衡南县”, row 5, column “手机”: bad (got '12345')"
    )
    assert str(RowProblem(0, None, None, "no header", sheet="说明")) == "sheet “说明”: no header"


def test_problems_stream_target(tmp_path: Path) -> None:
    error = ImportProblem("r.csv", [RowProblem(2, "性别", "X", "bad")])
    buffer = io.BytesIO()
    write_problems(error.problems, buffer, format="csv")
    assert buffer.getvalue().decode("utf-8-sig").splitlines()[1] == "2,,性别,X,bad"


def test_a_store_written_under_looser_rules_still_opens(tmp_path: Path) -> None:
    """Phones and names stored before the stricter rules load back as they were."""
    from lvzhi.testing import make_delegate

    url = f"sqlite:///{tmp_path / 'old.db'}"
    with lvzhi.open(url, load_entrypoints=False) as office:
        office.people.save_delegation(Delegation(code="d1", name="衡南县"))
        office.people.save_delegate(make_delegate(certificate_no="c1", delegation="d1"))
    with closing(sqlite3.connect(tmp_path / "old.db")) as con, con:
        (data,) = con.execute("select data from delegates where key = 'c1'").fetchone()
        old = json.loads(data)
        old["phone"], old["name"] = "12345", "王\u200b毅"
        con.execute("update delegates set data = ? where key = 'c1'", (json.dumps(old),))
    with lvzhi.open(url, load_entrypoints=False) as office:
        stored = office.people.delegate("c1")
        assert (stored.phone, stored.name) == ("12345", "王\u200b毅")
        with pytest.raises(lvzhi.ValidationError, match="phone"):
            make_delegate(certificate_no="c2", delegation="d1", phone="12345")
