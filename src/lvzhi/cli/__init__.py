"""The ``lvzhi`` command line: :mod:`lvzhi.cli.main` builds the parser; one module per
command group (``roster``: init/import, ``exports``, ``notices``, ``names``,
``plugins``: plugins/demo)."""

from lvzhi.cli.main import build_parser, main, run

__all__ = ["build_parser", "main", "run"]
