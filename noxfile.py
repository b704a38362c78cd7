"""Development sessions: ``nox`` runs tests, lint, typecheck, docs and plugins.

``nox -s tests-3.12`` runs one Python; a Python that is not installed is skipped (an error
when ``CI=true``), never downloaded.  ``nox -s plugins`` installs each plugin under
``plugins/`` (not editable) beside the core and runs its tests; ``nox -s bench`` runs the
benchmarks (not part of the default run).  Arguments after ``--`` go to pytest.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import nox

ROOT = Path(__file__).parent
PYTHONS = ["3.11", "3.12", "3.13"]
MAIN_PYTHON = PYTHONS[0]
PLUGINS = sorted(
    path.name for path in (ROOT / "plugins").glob("*") if (path / "pyproject.toml").is_file()
)
PYTEST = ["pytest", "-p", "no:cacheprovider"]

nox.needs_version = ">=2024.3.2"
nox.options.default_venv_backend = "uv|virtualenv"
nox.options.sessions = ["tests", "lint", "typecheck", "docs", "plugins"]

# A Python that is not installed is skipped, with a line saying so; on CI (CI=true) it is an
# error, so that CI runs every version.  Nox never downloads an interpreter: neither nox
# itself (--download-python, in the nox versions that have it) nor uv, which creates the
# virtual environments.
ON_CI = os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")
nox.options.error_on_missing_interpreters = ON_CI
with contextlib.suppress(AttributeError):  # older nox versions do not download Pythons
    nox.options.download_python = "never"
os.environ["UV_PYTHON_DOWNLOADS"] = "never"

# No bytecode in the work tree: a run leaves nothing behind but .nox/.
os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """The core test suite against an installed (not editable) copy of lvzhi."""
    session.install(".[testing]")
    session.run(*PYTEST, *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff: lint rules and formatting."""
    session.install("ruff")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session(python=MAIN_PYTHON)
def typecheck(session: nox.Session) -> None:
    """mypy --strict over the library (lvzhi.testing imports pytest, so it is installed)."""
    session.install(".[testing]", "mypy", "types-openpyxl")
    session.run("mypy", "--strict", "src")


@nox.session(python=MAIN_PYTHON)
def docs(session: nox.Session) -> None:
    """Build the HTML documentation; every warning is an error, and every cross-reference
    must resolve (``-n``): the API pages are generated from the installed package."""
    session.install(".[testing]", "sphinx>=7", "myst-parser>=3")
    session.run(
        "sphinx-build", "-E", "-n", "-W", "--keep-going", "-b", "html", "docs", "docs/_build/html"
    )


@nox.session(python=MAIN_PYTHON)
@nox.parametrize("name", PLUGINS, ids=PLUGINS)
def plugins(session: nox.Session, name: str) -> None:
    """One plugin, installed (not editable) beside the core, tested on its own."""
    session.install(".", f"./plugins/{name}[test]")
    session.run(*PYTEST, f"plugins/{name}/tests", *session.posargs)


@nox.session(python=MAIN_PYTHON, default=False)
def bench(session: nox.Session) -> None:
    """Benchmarks; they print JSON with ratios against a baseline measured in the same run."""
    session.install(".")
    session.run("python", "benchmarks/run.py", *session.posargs)
