"""Hall files (TOML and YAML): the sample hall, the format, errors naming the line, and
``lvzhi halls check``."""

from __future__ import annotations

from pathlib import Path

import pytest

import lvzhi
from lvzhi.cli.main import main
from lvzhi.domain.halls import Rostrum
from lvzhi.errors import ValidationError
from lvzhi.hallfiles import check_hall_file, load_hall, parse_hall

SAMPLE = Path(lvzhi.__file__).parent / "samples" / "hall.toml"

SAMPLE_YAML = """\
id: main-hall
name: 会议中心礼堂
numbering: odd-even
odd_side: left
blocked: ["20排19号", "20排17号"]
rostrum:
  name: 主席台
  rows: [7, 9]
sections:
  - {id: front-left, name: 左前区, column: 1, rows: 10, seats: 10}
  - {id: front-right, name: 右前区, column: 2, rows: 10, seats: 10}
  - id: back-left
    name: 左后区
    column: 1
    first_row: 11
    rows: 10
    seats: 10
    row: {20: {reserved: true}}
  - id: back-right
    name: 右后区
    column: 2
    first_row: 11
    rows: 10
    seats: 10
    row:
      20:
        reserved: true
"""


def test_the_sample_hall() -> None:
    hall = load_hall(SAMPLE)
    assert len(hall.seats) == 400
    assert hall.capacity == 380
    assert [s.id for s in hall.sections] == ["front-left", "front-right", "back-left", "back-right"]
    assert hall.rostrum == Rostrum(rows=(7, 9), name="主席台")
    assert hall.seat("1排1号").section == "front-left"
    assert hall.seat("11排2号").section == "back-right"
    assert hall.seat("20排19号").blocked
    assert hall.seat("20排2号").reserved
    assert [s.capacity for s in hall.sections] == [100, 100, 90, 90]


def test_yaml_describes_the_same_hall(tmp_path: Path) -> None:
    path = tmp_path / "hall.yaml"
    path.write_text(SAMPLE_YAML, "utf-8")
    assert load_hall(path) == load_hall(SAMPLE)


def test_rows_as_a_list_and_per_row_overrides() -> None:
    hall = parse_hall(
        """
id = "room"
name = "小会议室"
[[sections]]
id = "a"
name = "A区"
rows = [4, 4, 6]
align = "left"
row = { 1 = 3, 3 = { offset = 0.5, first = 11, blocked = true } }
"""
    )
    rows = hall.section("a").rows
    assert [len(r.seats) for r in rows] == [3, 4, 6]
    assert [s.number for s in rows[2].seats] == [11, 12, 13, 14, 15, 16]
    assert rows[2].seats[0].x == 0.5
    assert all(s.blocked for s in rows[2].seats)
    assert hall.capacity == 7


def test_check_prints_capacity_per_section_and_total() -> None:
    text = check_hall_file(SAMPLE)
    lines = text.splitlines()
    assert lines[0] == "会议中心礼堂 (main-hall)"
    assert lines[2].split() == ["front-left", "左前区", "1", "1-10", "100", "0", "0", "100"]
    assert lines[4].split() == ["back-left", "左后区", "1", "11-20", "100", "2", "8", "90"]
    assert lines[6].split() == ["total", "400", "2", "18", "380"]
    assert lines[7] == "主席台: 2 rows, 7 + 9 seats"


def test_the_command(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["halls", "check", str(SAMPLE)]) == 0
    assert "380" in capsys.readouterr().out.splitlines()[6]
    bad = tmp_path / "bad.toml"
    bad.write_text('id = "x"\nname = "礼堂"\n[[sections]]\nid = "a"\nname = "A"\nrows = 0\n')
    assert main(["halls", "check", str(bad)]) == 1
    assert f"{bad}:6: sections[1].rows: must be a whole number >= 1" in capsys.readouterr().err


HEAD = 'id = "h"\nname = "礼堂"\n'
SECTION = '[[sections]]\nid = "a"\nname = "A区"\nrows = 2\nseats = 4\n'


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (HEAD + "colour = 'red'\n" + SECTION, 3, "colour: unknown key"),
        (HEAD + 'numbering = "zigzag"\n' + SECTION, 3, "numbering: must be one of"),
        (HEAD + SECTION + "seats2 = 1\n", 8, r"sections\[1\].seats2: unknown key"),
        (HEAD + SECTION.replace("seats = 4", "seats = 'four'"), 7, r"sections\[1\].seats: must be"),
        (HEAD + SECTION.replace("seats = 4\n", ""), 3, "needs seats"),
        (HEAD + SECTION + SECTION.replace('"a"', '"a b"'), 9, r"sections\[2\].id: must be letters"),
        (HEAD + SECTION + SECTION, 8, "section 'a'.*used twice"),
        (HEAD + 'blocked = ["9排9号"]\n' + SECTION, 3, "blocked: no such seat.*9排9号"),
        (HEAD + SECTION + 'blocked = [\n  "1排1号",\n  "5排1号",\n]\n', 10, "5排1号"),
        (
            HEAD + SECTION + "row = { 7 = 3 }\n",
            8,
            r"row.7: no such row in the section \(rows 1-2\)",
        ),
        (HEAD + SECTION + "row = { 1 = { colour = 1 } }\n", 8, "colour: unknown key"),
        (HEAD + 'rostrum = [7, "x"]\n' + SECTION, 3, "rostrum.rows: must be a whole number"),
        (HEAD + SECTION + "[sections.row.2]\nseats = -1\n", 9, r"row.2.seats: must be"),
        (HEAD + "[[sections]\n", 3, "not valid TOML"),
    ],
)
def test_toml_errors_name_the_line(text: str, line: int, message: str) -> None:
    with pytest.raises(ValidationError, match=rf"^hall\.toml:{line}: .*{message}"):
        parse_hall(text, source="hall.toml")


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("id: h\nname: 礼堂\nsections:\n  - id: a\n    name: A\n    rows: 0\n", 6, "rows: must be"),
        (
            "id: h\nname: 礼堂\nblocked:\n  - 1排1号\n  - 8排8号\nsections:\n"
            "  - {id: a, name: A, rows: 2, seats: 3}\n",
            5,
            "8排8号",
        ),
        (
            "id: h\nname: 礼堂\nsections:\n  - {id: a, name: A, rows: 1, seats: 2, row: {1: {x: 1}}}\n",
            4,
            "x: unknown",
        ),
        ("id: h\nname: [\n", 3, "not valid YAML"),
        ("- just\n- a list\n", 1, "must be a table"),
    ],
)
def test_yaml_errors_name_the_line(tmp_path: Path, text: str, line: int, message: str) -> None:
    path = tmp_path / "hall.yml"
    path.write_text(text, "utf-8")
    with pytest.raises(ValidationError, match=rf"hall\.yml:{line}: .*{message}"):
        load_hall(path)


def test_a_file_without_sections() -> None:
    with pytest.raises(ValidationError, match=r"^hall\.toml: a hall file needs sections"):
        parse_hall(HEAD, source="hall.toml")


def test_files_that_cannot_be_read(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match=r"\.toml, \.yaml or \.yml"):
        load_hall(tmp_path / "hall.txt")
    with pytest.raises(ValidationError, match="cannot read"):
        load_hall(tmp_path / "missing.toml")
