"""The getting-started code runs as printed, on memory:// and on SQLite."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[1] / "docs" / "getting-started.md"


def first_python_block() -> str:
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert blocks, "getting-started.md has no python block"
    return str(blocks[0])


@pytest.mark.parametrize("backend", ["memory", "sqlite"])
def test_getting_started_runs(
    backend: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    code = first_python_block()
    assert 'lvzhi.open("memory://")' in code
    if backend == "sqlite":
        code = code.replace('"memory://"', '"sqlite:///course.db"')
    exec(compile(code, str(DOC), "exec"), {})
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "['马一德', '王争', '王红']"
    assert out[1].startswith("2022-09-06 01:00:00+00:00") or out[1] == "2022-09-06T01:00:00+00:00"
    if backend == "sqlite":
        assert (tmp_path / "course.db").exists()
