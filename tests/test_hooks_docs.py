"""The hook reference (docs/hooks.md), the hookspecs and the ``Hooks`` facade agree."""

from __future__ import annotations

import ast
import inspect
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from lvzhi.plugins import Hooks, hookspecs

HOOKS_MD = Path(__file__).resolve().parent.parent / "docs" / "hooks.md"
PREFIX = "lvzhi_"

pytestmark = pytest.mark.skipif(not HOOKS_MD.is_file(), reason="docs/ is not in this tree")


def _specs() -> dict[str, Callable[..., Any]]:
    marker = f"{hookspecs.PROJECT}_spec"
    return {
        name: fn
        for name, fn in vars(hookspecs).items()
        if name.startswith(PREFIX) and callable(fn) and hasattr(fn, marker)
    }


def _annotation(annotation: Any) -> str:
    # With ``from __future__ import annotations`` every annotation is the source text.
    return annotation if isinstance(annotation, str) else inspect.formatannotation(annotation)


def signature_text(name: str, fn: Callable[..., Any]) -> str:
    """``def name(arg: type, ...) -> ret`` as written in hookspecs.py."""
    sig = inspect.signature(fn)
    params = sig.replace(
        parameters=[
            p.replace(annotation=_Raw(_annotation(p.annotation)))
            if p.annotation is not p.empty
            else p
            for p in sig.parameters.values()
        ],
        return_annotation=(
            _Raw(_annotation(sig.return_annotation))
            if sig.return_annotation is not sig.empty
            else sig.empty
        ),
    )
    return f"def {name}{params}"


class _Raw:
    """An annotation that prints as its text, without quotes."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


def _documented() -> dict[str, list[str]]:
    """Signature lines in code blocks: ``def lvzhi_x(...) -> ret`` with no colon at the end
    (examples of implementations end with a colon and are not signatures)."""
    text = HOOKS_MD.read_text(encoding="utf-8")
    found: dict[str, list[str]] = {}
    for block in re.findall(r"^```[^\n]*\n(.*?)^```", text, flags=re.M | re.S):
        for match in re.finditer(rf"^def ({PREFIX}\w+)\(.*[^:\s]\s*$", block, flags=re.M):
            found.setdefault(match.group(1), []).append(match.group(0).rstrip())
    return found


def _headings() -> set[str]:
    text = HOOKS_MD.read_text(encoding="utf-8")
    return set(re.findall(rf"^#+ +`?({PREFIX}\w+)`?\s*$", text, flags=re.M))


def test_there_are_hookspecs() -> None:
    assert len(_specs()) >= 9


def test_signature_text_matches_the_source() -> None:
    """The text built from ``inspect.signature`` is the text of hookspecs.py."""
    tree = ast.parse(inspect.getsource(hookspecs))
    from_source = {
        node.name: f"def {node.name}({ast.unparse(node.args)})"
        + (f" -> {ast.unparse(node.returns)}" if node.returns else "")
        for node in tree.body
        if isinstance(node, ast.FunctionDef)
    }
    for name, fn in _specs().items():
        assert signature_text(name, fn) == from_source[name]


@pytest.mark.parametrize("name", sorted(_specs()))
def test_every_hook_is_documented_with_its_exact_signature(name: str) -> None:
    expected = signature_text(name, _specs()[name])
    documented = _documented()
    assert name in documented, f"docs/hooks.md has no code block with `def {name}(...)`"
    assert documented[name] == [expected], f"docs/hooks.md should say:\n{expected}"


@pytest.mark.parametrize("name", sorted(_specs()))
def test_every_hook_has_a_section(name: str) -> None:
    assert name in _headings(), f"docs/hooks.md has no heading for {name}"


def test_no_documented_hook_is_missing_from_the_specs() -> None:
    unknown = (set(_documented()) | _headings()) - set(_specs())
    assert not unknown, f"documented but not in hookspecs.py: {sorted(unknown)}"


@pytest.mark.parametrize("name", sorted(_specs()))
def test_facade_covers_every_hook(name: str) -> None:
    method = getattr(Hooks, name.removeprefix(PREFIX), None)
    assert callable(method), f"Hooks has no method {name.removeprefix(PREFIX)}()"
    spec_params = list(inspect.signature(_specs()[name]).parameters)
    params = list(inspect.signature(method).parameters.values())[1:]  # without self
    positional = [p.name for p in params if p.kind is not inspect.Parameter.KEYWORD_ONLY]
    assert positional == spec_params  # the facade may add keyword-only options
