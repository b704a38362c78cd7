from __future__ import annotations

import csv
import io
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from lvzhi.cli import build_parser, main

SUBCOMMANDS = [
    ["init"],
    ["import"],
    ["export"],
    ["demo"],
    ["plugins"],
    ["names"],
    ["names", "sort"],
    ["copy"],
    ["plan"],
    ["tasks"],
    ["materials"],
]


@pytest.mark.parametrize("argv", SUBCOMMANDS, ids=" ".join)
def test_every_subcommand_has_help(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main([*argv, "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: lvzhi " + " ".join(argv))


def test_parser_lists_the_subcommands() -> None:
    text = build_parser(with_plugins=False).format_help()
    for name in ("init", "import", "export", "demo", "names", "plugins"):
        assert name in text


def test_no_command_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "usage: lvzhi" in capsys.readouterr().out


def test_errors_are_one_line_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'x.db'}"
    assert main(["import", str(tmp_path / "missing.xlsx"), "--db", db]) == 1
    err = capsys.readouterr().err
    assert err.startswith("lvzhi: error:")
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert main(["export", "roster", "--db", "nosuch://x"]) == 1
    err = capsys.readouterr().err
    assert "no storage backend" in err and "Traceback" not in err


def test_import_problem_lists_every_bad_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "姓名,性别,代表证号,选举单位\n王毅,男,C1,衡南县\n李强,未知,C2,衡南县\n,女,C3,衡南县\n",
        encoding="utf-8",
    )
    db = tmp_path / "x.db"
    assert main(["import", str(roster), "--db", f"sqlite:///{db}"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "row 3" in err and "未知" in err
    assert "row 4" in err
    with closing(sqlite3.connect(db)) as con:
        assert con.execute("select count(*) from delegates").fetchone() == (0,)


def test_init_import_export_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = f"sqlite:///{tmp_path / 'course.db'}"
    assert main(["init", "--db", db]) == 0
    assert "schema version" in capsys.readouterr().out
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "衡阳市第十六届人大代表名册,,,,\n姓名,性别,代表证号,选举单位,手机\n"
        "王　毅,男,C1,衡南县,13812345678\n欧阳明,女,C2,祁东县,1.3912345678E10\n",
        encoding="utf-8",
    )
    assert main(["import", str(roster), "--db", db]) == 0
    assert "imported 2 deputies" in capsys.readouterr().out
    out_csv = tmp_path / "out.csv"
    assert main(["export", "roster", "-f", "csv", "-o", str(out_csv), "--db", db]) == 0
    rows = list(csv.reader(io.StringIO(out_csv.read_text(encoding="utf-8-sig"))))
    flat = [cell for row in rows for cell in row]
    assert "王毅" in flat and "欧阳明" in flat
    assert "139****5678" in flat
    assert main(["export", "roster", "-f", "json", "-o", "-", "--db", db]) == 0
    assert "王毅" in capsys.readouterr().out


def test_plugins_command_lists_builtins(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plugins"]) == 0
    out = capsys.readouterr().out
    assert "lvzhi.builtins.sqlite" in out
    assert "sqlite" in out and "xlsx" in out and "strokes" in out


class FakeTTY:
    def __init__(self) -> None:
        self.text = ""

    def isatty(self) -> bool:
        return True

    def write(self, s: str) -> int:
        self.text += s
        return len(s)

    def flush(self) -> None:
        pass


def test_progress_only_on_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    from lvzhi.cli._common import Progress as _Progress

    tty = FakeTTY()
    shown = _Progress("importing", stream=tty)  # type: ignore[arg-type]
    shown(500, 1000)
    shown.done()
    assert "importing: 500/1000" in tty.text
    quiet = _Progress("importing")  # stderr is captured, not a terminal
    quiet(500, 1000)
    quiet.done()
    assert capsys.readouterr().err == ""
