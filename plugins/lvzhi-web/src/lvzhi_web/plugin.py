"""The hook implementations: the ``serve`` and ``web-link`` commands."""

from __future__ import annotations

import argparse
from typing import Any

from lvzhi.plugins import hookimpl


@hookimpl
def lvzhi_register_commands(subparsers: argparse._SubParsersAction[Any]) -> None:
    from lvzhi_web.cli import register

    register(subparsers)
