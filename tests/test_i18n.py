"""Messages a clerk reads are Chinese when the locale is Chinese and English otherwise, never
half one and half the other; the catalog holds every message of the code, translated, and
the compiled catalog shipped beside it is up to date."""

from __future__ import annotations

import argparse
import ast
import importlib.metadata
import importlib.util
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import lvzhi
import lvzhi.plugins.manager
from lvzhi import hookimpl
from lvzhi.cli import main
from lvzhi.cli._parser import ARGPARSE_MESSAGES, wrap
from lvzhi.domain import Delegation
from lvzhi.errors import NotFound, ValidationError
from lvzhi.i18n import (
    CHINESE,
    ENGLISH,
    N_,
    _,
    catalog,
    display_width,
    language,
    language_from_environment,
    ngettext,
    use_language,
)
from lvzhi.samples.demo import DemoSummary

ROOT = Path(__file__).resolve().parents[1]
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

# ASCII words a Chinese message may hold: command, report, format and collation names,
# choices, and names of things that are not translated.
COMMANDS = {"lvzhi", "init", "import", "export", "notices", "send", "list", "names", "sort"}
COMMANDS |= {"halls", "check", "plugins", "demo", "seat", "groups", "leave", "checks"}
COMMANDS |= {"scan", "attendance", "suggestions", "plan", "tasks", "materials", "copy"}
REPORTS = {"roster", "timetable", "delegations", "groups", "suggestions"}
FORMATS = {"csv", "xlsx", "ods", "json", "yaml", "html", "md", "toml", "txt"}
NAMES = {"strokes", "pinyin", "compare", "blank", "chars", "URL", "UTF", "GB", "SQLite"}
ALLOWED = COMMANDS | REPORTS | FORMATS | NAMES

_NOT_WORDS = re.compile(
    r"""'[^']*'|"[^"]*"|`[^`]*`"""  # quoted values and commands
    r"|\S+://\S*"  # URLs
    r"|(?<![\w-])--?[A-Za-z][\w-]*"  # options
    r"|\$?[A-Z][A-Z0-9]*_[A-Z0-9_]*(=\S*)?"  # environment variables
    r"|[\w.-]*[\w][/._][\w./-]*"  # file names, paths, dotted and snake_case identifiers
    r"|\{[^}]*\}"  # choices
    r"|U\+[0-9A-F]+"  # code points
)


def english_words(text: str, *also: str) -> list[str]:
    """The ASCII words of ``text`` that are not names, values, options or paths."""
    return [
        word
        for word in re.findall(r"[A-Za-z]+", _NOT_WORDS.sub(" ", text))
        if word not in ALLOWED and word not in also
    ]


def assert_chinese(text: str, *also: str) -> None:
    assert re.search(r"[\u4e00-\u9fff]", text), text
    assert english_words(text, *also) == [], text


@pytest.fixture
def chinese() -> Iterator[None]:
    with use_language("zh_CN"):
        yield


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """The language follows the environment (the test sets the variables)."""
    for variable in LOCALE_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    with use_language(None):
        yield monkeypatch


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        status = main(argv)
    except SystemExit as exit:
        status = int(exit.code or 0)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


# -- choosing the language -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, ENGLISH),
        ({"LANG": "zh_CN.UTF-8"}, CHINESE),
        ({"LANG": "zh_TW.UTF-8"}, CHINESE),
        ({"LANG": "C"}, ENGLISH),
        ({"LANG": "C.UTF-8"}, ENGLISH),
        ({"LANG": "en_US.UTF-8"}, ENGLISH),
        ({"LANG": "de_DE.UTF-8"}, ENGLISH),
        ({"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "C"}, CHINESE),
        ({"LC_ALL": "zh_CN.GB18030", "LANG": "en_US.UTF-8"}, CHINESE),
        ({"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}, ENGLISH),
        ({"LANGUAGE": "zh_CN:en", "LANG": "C"}, CHINESE),
        ({"LANGUAGE": "fr:zh_CN", "LANG": "C"}, CHINESE),
        ({"LANGUAGE": "fr:de", "LANG": "zh_CN.UTF-8"}, CHINESE),
        ({"LANGUAGE": "en", "LANG": "zh_CN.UTF-8"}, ENGLISH),
        ({"LANGUAGE": "", "LC_ALL": "", "LANG": "zh_CN.UTF-8"}, CHINESE),
    ],
)
def test_language_follows_the_environment(environ: dict[str, str], expected: str) -> None:
    assert language_from_environment(environ) == expected


def test_language_is_read_when_a_message_is_translated(
    environment: pytest.MonkeyPatch,
) -> None:
    environment.setenv("LANG", "C")
    assert language() == ENGLISH
    assert _("wrote {file}") == "wrote {file}"
    environment.setenv("LANG", "zh_CN.UTF-8")
    assert language() == CHINESE
    assert _("wrote {file}") == "已写入 {file}"


def test_use_language_nests_and_restores(environment: pytest.MonkeyPatch) -> None:
    environment.setenv("LANG", "zh_CN.UTF-8")
    with use_language("en") as outer:
        assert outer == ENGLISH == language()
        with use_language("zh") as inner:
            assert inner == CHINESE == language()
            with use_language(None):
                assert language() == CHINESE  # the environment again
        assert language() == ENGLISH
    assert language() == CHINESE


def test_translations_and_marks(chinese: None) -> None:
    assert _("usage: ") == "用法："
    assert _("a message lvzhi does not have") == "a message lvzhi does not have"
    assert N_("wrote {file}") == "wrote {file}"
    assert ngettext("one {n} thing", "{n} things", 2) == "{n} things"
    assert catalog(CHINESE) is catalog(CHINESE)  # loaded once
    with use_language("en"):
        assert _("usage: ") == "usage: "
        assert ngettext("expected %s argument", "expected %s arguments", 1) == (
            "expected %s argument"
        )


def test_display_width_counts_columns() -> None:
    assert display_width("lvzhi") == 5
    assert display_width("代表名册") == 8
    assert display_width("王，毅") == 6
    assert display_width("e\u0301") == 1


def test_wrap_breaks_by_columns_and_keeps_words_and_punctuation() -> None:
    text = "以已注册的格式（csv、xlsx、ods）导出已注册的报表。除非指定 --reveal-phones，手机号码中间四位以星号代替。"
    lines = wrap(text, 24)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(display_width(line) <= 26 for line in lines)  # a closing mark may hang
    assert all(line[0] not in "，。、；：）" for line in lines)
    assert all(not line.endswith("（") for line in lines)
    assert any("--reveal-phones" in line for line in lines)  # never split
    assert wrap("plain English words stay whole", 12) == ["plain", "English", "words stay", "whole"]


# -- the command line in Chinese -----------------------------------------------------------


@pytest.mark.parametrize("argv", [[], ["import"]], ids=["lvzhi", "import"])
def test_help_is_chinese(
    argv: list[str], chinese: None, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _err = run([*argv, "--help"], capsys)
    assert status == 0
    assert out.startswith(" ".join(["用法：lvzhi", *argv]) + " ")
    assert "选项：" in out and "显示本帮助信息并退出" in out
    assert_chinese(out)


@pytest.mark.parametrize("argv", [["export"], ["names", "sort"], ["notices", "send"], ["demo"]])
def test_other_help_is_chinese_and_fits_the_terminal(
    argv: list[str],
    chinese: None,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    status, out, _err = run([*argv, "--help"], capsys)
    assert status == 0
    assert_chinese(out)
    assert max(display_width(line) for line in out.splitlines()) <= 80
    # the help of every option starts in one column, the option's line or the next
    options = out.split("选项：\n", 1)[1].splitlines()
    columns = set()
    for line in options:
        same_line = re.match(r"(  -\S.*?\S  +)\S", line)
        if same_line:
            columns.add(display_width(same_line.group(1)))
        elif line.startswith("   "):
            columns.add(len(line) - len(line.lstrip()))
    assert len(columns) == 1, out


def test_missing_database_error_is_chinese(
    chinese: None,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    status, _out, err = run(["export", "roster", "--db", "sqlite:///missing.db"], capsys)
    assert status == 1
    assert (
        err == "lvzhi：错误：missing.db 处没有 lvzhi 数据库；请先运行 `lvzhi init`，或检查 --db\n"
    )
    assert_chinese(err)


def test_unknown_format_error_is_chinese(chinese: None, capsys: pytest.CaptureFixture[str]) -> None:
    status, _out, err = run(["export", "roster", "-f", "docx", "--db", "memory://"], capsys)
    assert status == 1
    assert err.startswith("lvzhi：错误：未知的导出格式 'docx'；已注册的有：csv、html、json、")
    assert_chinese(err)


def test_os_errors_are_chinese(
    chinese: None, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    missing = tmp_path / "names.txt"
    status, _out, err = run(["names", "sort", str(missing)], capsys)
    assert status == 1
    assert err == f"lvzhi：错误：文件：无法读取：文件或文件夹不存在（实际为 {str(missing)!r}）\n"
    assert_chinese(err)
    status, _out, err = run(["names", "sort", str(tmp_path)], capsys)
    assert "无法读取：这是一个文件夹" in err


def test_usage_errors_are_chinese(chinese: None, capsys: pytest.CaptureFixture[str]) -> None:
    status, _out, err = run(["export"], capsys)
    assert status == 2
    assert err.startswith("用法：lvzhi export ")
    assert "lvzhi export：错误：缺少必需的参数：报表" in err
    assert_chinese(err)
    status, _out, err = run(["exprot"], capsys)
    assert status == 2
    assert "无效的取值：'exprot'" in err
    assert_chinese(err)


class BrokenRegistration:
    @hookimpl
    def lvzhi_register_exporters(self) -> list[Any]:
        raise KeyError("oops")


def test_plugin_failure_is_chinese(
    chinese: None,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    module = ModuleType("lvzhi_test_i18n_plugin")
    module.lvzhi_register_exporters = BrokenRegistration().lvzhi_register_exporters  # type: ignore[attr-defined]
    ep = importlib.metadata.EntryPoint(name="shaky", value=module.__name__, group="lvzhi")
    monkeypatch.setitem(sys.modules, module.__name__, module)
    monkeypatch.setattr(lvzhi.plugins.manager, "_entry_points", lambda: [ep])
    status, _out, err = run(["init", "--db", f"sqlite:///{tmp_path / 'c.db'}"], capsys)
    assert status == 1
    assert err == (
        "lvzhi：错误：插件 'shaky' 在 lvzhi_register_exporters 中出错：KeyError：'oops'"
        "（可设置 LVZHI_DISABLE_PLUGINS=shaky 停用该插件）\n"
    )
    assert_chinese(err, "KeyError")


def test_plugins_listing_is_chinese(chinese: None, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _err = run(["plugins"], capsys)
    assert status == 0
    assert "lvzhi.builtins.sqlite\tlvzhi " in out and "（内置）" in out
    labels = [line for line in out.splitlines() if "：" in line and "\t" not in line]
    assert [line.split("：")[0] for line in labels][:3] == ["存储方式", "报表", "导出格式"]
    values = {display_width(re.match(r"\S+：\s+", line).group(0)) for line in labels}  # type: ignore[union-attr]
    assert values == {18}  # as in English, lined up


def summary() -> DemoSummary:
    return DemoSummary(
        database="sqlite:///demo/lvzhi-demo.db",
        out_dir=Path("demo"),
        programme="衡阳市第十六届人大代表（新任代表）履职培训班",
        deputies=346,
        delegations=13,
        sessions=9,
        groups=12,
        group_sizes=(28, 29),
        scans=6154,
        duplicate_scans_ignored=200,
        suggestions=96,
        replied=96,
        notices=1,
        leave={"approved": 2, "delegation_approved": 1, "rejected": 1},
        files=(Path("demo/a.xlsx"),) * 22,
        first_names=("丁言乐", "万明冠"),
    )


def test_demo_summary_is_chinese_and_lined_up(chinese: None) -> None:
    lines = summary().lines()
    assert lines[0] == "lvzhi 演示：衡阳市第十六届人大代表（新任代表）履职培训班"
    assert lines[1] == "  名册   代表 346 名，分属 13 个代表团（导入自 demo/input/roster.xlsx）"
    assert "  请假   已批准 2 件、选举单位已同意 1 件、未批准 1 件" in lines
    starts = {display_width(re.match(r"  \S+ +", line).group(0)) for line in lines[1:]}  # type: ignore[union-attr]
    assert starts == {9}
    for line in lines:
        assert_chinese(line, "Asia", "Shanghai")


def test_demo_summary_in_english_is_unchanged() -> None:
    lines = summary().lines()
    assert (
        lines[1]
        == "  roster      346 deputies in 13 delegations (imported from demo/input/roster.xlsx)"
    )
    assert "  leave       approved 2, delegation_approved 1, rejected 1" in lines
    assert lines[-1] == "  files       22 written under demo"


def test_demo_progress_steps_are_translated(
    chinese: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lvzhi.samples import demo

    seen: list[str] = []
    real = demo.run_demo

    def recording(*args: Any, progress: Any = None, **kwargs: Any) -> DemoSummary:
        def step(message: str) -> None:
            seen.append(message)
            progress(message)

        return real(*args, progress=step, **kwargs)

    monkeypatch.setattr(demo, "run_demo", recording)
    shown: list[str] = []
    monkeypatch.setattr("lvzhi.cli._common.Progress.step", lambda self, m: shown.append(m))
    assert main(["demo", "--out", str(tmp_path / "demo")]) == 0
    assert seen and len(shown) == len(seen)
    for message in shown:
        assert_chinese(message)


def test_library_errors_are_chinese(chinese: None) -> None:
    assert str(NotFound("Delegate", "C1")) == "未找到代表 'C1'"
    with pytest.raises(ValidationError) as info:
        Delegation(code="", name="衡南县")
    assert_chinese(str(info.value))
    error = ValidationError("Delegate.name", "", _("must be non-empty text"))
    assert str(error) == "Delegate.name：必须是非空文本（实际为 ''）"


# -- the command line in English -----------------------------------------------------------


def test_c_locale_is_english(
    environment: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    environment.setenv("LANG", "C")
    status, out, _err = run(["--help"], capsys)
    assert status == 0 and out.startswith("usage: lvzhi ")
    assert "positional arguments" in out and "show this help message and exit" in out
    assert not re.search(r"[\u4e00-\u9fff]", out.replace("履职培训", ""))
    status, _out, err = run(["export", "roster", "-f", "pdf", "--db", "memory://"], capsys)
    assert err.startswith("lvzhi: error: unknown export format 'pdf'; registered: csv, ")
    status, _out, err = run(["export"], capsys)
    assert "lvzhi export: error: the following arguments are required: REPORT" in err


def _python_env(**variables: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in LOCALE_VARIABLES}
    env.update(variables)
    return env


def test_python_m_lvzhi_follows_lang() -> None:
    command = [sys.executable, "-m", "lvzhi", "--help"]
    chinese = subprocess.run(
        command, env=_python_env(LANG="zh_CN.UTF-8"), capture_output=True, check=True
    )
    text = chinese.stdout.decode("utf-8")
    assert text.startswith("用法：lvzhi ") and "显示本帮助信息并退出" in text
    english = subprocess.run(command, env=_python_env(LANG="C"), capture_output=True, check=True)
    assert english.stdout.decode("utf-8").startswith("usage: lvzhi ")


# -- the catalogs --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tools() -> ModuleType:
    """``tools/i18n.py`` (needs Babel, a test dependency)."""
    pytest.importorskip("babel")
    spec = importlib.util.spec_from_file_location("lvzhi_i18n_tools", ROOT / "tools" / "i18n.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_message_is_in_the_catalog_translated_and_compiled(tools: ModuleType) -> None:
    """What ``python tools/i18n.py check`` checks: a message of the code missing from the
    catalog, an untranslated or fuzzy one, or a stale ``.mo`` is a failure."""
    assert tools.problems(CHINESE) == [], "run tools/i18n.py update, translate, compile"
    catalog = tools.read_catalog(tools.po_path(CHINESE), CHINESE)
    assert {m.id for m in tools.extract() if m.id} <= {m.id for m in catalog if m.id}
    from babel.messages.mofile import read_mo

    with tools.mo_path(CHINESE).open("rb") as file:
        compiled = tools.translated_messages(read_mo(file))
    source = tools.translated_messages(catalog)
    assert compiled == source
    assert len(source) == len([m for m in catalog if m.id]) > 100  # all of them translated


_PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\([a-z_]+\)[a-z]|%[a-z]")


def test_translations_keep_the_placeholders(tools: ModuleType) -> None:
    catalog = tools.read_catalog(tools.po_path(CHINESE), CHINESE)
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = sorted(_PLACEHOLDER.findall(ids[-1]))
        for string in filter(None, strings):  # untranslated ones fail another test
            assert sorted(_PLACEHOLDER.findall(string)) == wanted, message.id


def test_argparse_messages_are_in_the_catalog() -> None:
    """What this Python's argparse translates is listed for the catalog (a new Python
    adding a message fails here)."""
    tree = ast.parse(Path(argparse.__file__).read_text(encoding="utf-8"))
    used: set[str] = set()
    for node in ast.walk(tree):
        called = (
            node.func.id if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) else ""
        )
        if isinstance(node, ast.Call) and called in ("_", "ngettext"):
            count = 1 if called == "_" else 2
            used |= {
                arg.value
                for arg in node.args[:count]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
            }
    assert used - set(ARGPARSE_MESSAGES) == set()
    with use_language("zh_CN"):
        assert all(_(message) != message for message in used)


def test_catalog_is_in_the_package() -> None:
    root = Path(lvzhi.__file__).parent / "locale" / "zh_CN" / "LC_MESSAGES"
    assert (root / "lvzhi.mo").is_file() and (root / "lvzhi.po").is_file()
