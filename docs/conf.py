"""Sphinx configuration of the lvzhi documentation (Markdown pages through MyST)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _version() -> str:
    """``__version__`` from ``lvzhi/__about__.py``, read without importing the package."""
    namespace: dict[str, object] = {}
    about = ROOT / "src" / "lvzhi" / "__about__.py"
    exec(about.read_text(encoding="utf-8"), namespace)
    return str(namespace["__version__"])


project = "lvzhi"
author = "lvzhi developers"
copyright = "lvzhi developers"
release = _version()
version = ".".join(release.split(".")[:2])

extensions = ["myst_parser", "sphinx.ext.autodoc"]
autodoc_typehints = "none"  # signatures stay readable; types are in the source and stubs
autodoc_member_order = "bysource"
source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]

myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

language = "en"
html_theme = "alabaster"
html_title = f"lvzhi {release}"
html_theme_options = {
    "description": "Run training courses for elected delegates (履职培训)",
    "fixed_sidebar": True,
}
