"""``lvzhi names sort`` built on a private parser (independent of the main CLI)."""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

import pytest

from lvzhi.cli.names import register
from lvzhi.errors import LvzhiError, UnknownCharacter


def run(
    argv: list[str], stdin: str | None = None, monkeypatch: pytest.MonkeyPatch | None = None
) -> int:
    parser = argparse.ArgumentParser(prog="lvzhi")
    sub = parser.add_subparsers()
    register(sub)
    if stdin is not None and monkeypatch is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8"))))
    args = parser.parse_args(argv)
    result: int = args.func(args)
    return result


def test_sort_file_by_strokes(tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    names = tmp_path / "names.txt"
    names.write_text("孙\n\n邢\n  刘 \n王\n", encoding="utf-8")
    assert run(["names", "sort", str(names)]) == 0
    assert capsysbinary.readouterr().out.decode("utf-8") == "王\n邢\n刘\n孙\n"


def test_sort_stdin_single_name_modes(
    monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    run(["names", "sort"], "王沪宁\n王毅\n", monkeypatch)
    assert capsysbinary.readouterr().out.decode() == "王沪宁\n王毅\n"
    run(["names", "sort", "--single-name", "blank"], "王沪宁\n王毅\n", monkeypatch)
    assert capsysbinary.readouterr().out.decode() == "王毅\n王沪宁\n"


def test_with_key(
    monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    run(["names", "sort", "--with-key"], "王红\n王争\n", monkeypatch)
    out = capsysbinary.readouterr().out.decode()
    assert out.splitlines()[0].startswith("王争\t4:1121|6:3")
    assert out.splitlines()[1].startswith("王红\t4:1121|6:5")


def test_pinyin(
    monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    run(["names", "sort", "--by", "pinyin", "--with-key"], "张三\n曾伟\n", monkeypatch)
    out = capsysbinary.readouterr().out.decode().splitlines()
    assert [line.split("\t")[0] for line in out] == ["曾伟", "张三"]
    assert out[0].split("\t")[1].startswith("zeng1 wei3 ")


def test_overrides_and_unknown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    with pytest.raises(UnknownCharacter, match="U\\+31350"):
        run(["names", "sort"], "王\n李\U00031350\n", monkeypatch)
    table = tmp_path / "extra.tsv"
    table.write_text("\U00031350\t1\n", encoding="utf-8")
    run(["names", "sort", "--overrides", str(table)], "王\n李\U00031350\n", monkeypatch)
    assert capsysbinary.readouterr().out.decode() == "王\n李\U00031350\n"


def test_user_errors_are_lvzhi_errors(tmp_path: Path) -> None:
    with pytest.raises(LvzhiError, match="cannot read"):
        run(["names", "sort", str(tmp_path / "missing.txt")])
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("Müller\n".encode("latin-1"))
    with pytest.raises(LvzhiError, match="not UTF-8"):
        run(["names", "sort", str(bad)])


def test_help_texts(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        run(["names", "sort", "--help"])
    assert "--single-name" in capsys.readouterr().out
