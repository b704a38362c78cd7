"""The house rules of the code: small modules, no import cycles (type-checking imports
count too), a pure domain (it may use the errors and the message catalogs, nothing else)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
MAX_LINES = 500


def _modules() -> dict[str, Path]:
    out: dict[str, Path] = {}
    for path in sorted((SRC / "lvzhi").rglob("*.py")):
        if "data" in path.relative_to(SRC).parts:
            continue  # generated data tables
        name = ".".join(path.relative_to(SRC).with_suffix("").parts).removesuffix(".__init__")
        out[name] = path
    return out


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """Project modules imported by ``path``, resolved to the deepest known module."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        for name in names:
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name:
                found.add(name)
    return found


def test_no_module_is_too_long() -> None:
    long = {
        name: n
        for name, path in _modules().items()
        if (n := len(path.read_text("utf-8").splitlines())) > MAX_LINES
    }
    assert not long, f"modules over {MAX_LINES} lines: {long}"


def test_there_is_no_import_cycle() -> None:
    modules = _modules()
    graph = {}
    for name, path in modules.items():
        package = name.rpartition(".")[0]
        graph[name] = {
            m for m in _imports(path, modules) if m not in (name, package) and m != "lvzhi"
        }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    cycles: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            part = []
            while True:
                w = stack.pop()
                on.discard(w)
                part.append(w)
                if w == v:
                    break
            if len(part) > 1:
                cycles.append(sorted(part))

    for v in graph:
        if v not in index:
            visit(v)
    assert not cycles, f"import cycles: {cycles}"


@pytest.mark.parametrize("name", sorted(n for n in _modules() if n.startswith("lvzhi.domain")))
def test_domain_imports_only_domain_and_errors(name: str) -> None:
    modules = _modules()
    outside = {
        m
        for m in _imports(modules[name], modules)
        if not m.startswith("lvzhi.domain") and m not in ("lvzhi.errors", "lvzhi.i18n")
    }
    assert not outside, f"{name} imports {sorted(outside)}"


@pytest.mark.parametrize("name", ["lvzhi.errors", "lvzhi.i18n"])
def test_what_the_domain_may_import_is_a_leaf(name: str) -> None:
    """The errors and the message catalogs import no other lvzhi module but each other."""
    modules = _modules()
    assert _imports(modules[name], modules) <= {"lvzhi.errors", "lvzhi.i18n"}
