"""The ``lvzhi`` command: the parser, and errors printed as one line.

Every subcommand has ``--help``.  Errors are printed as ``lvzhi: error: …`` (an import
problem adds one line per bad cell) with exit status 1 — never a traceback, unless
``--traceback`` is given or ``LVZHI_DEBUG=1`` is set.  An exception raised inside a plugin
is named with the plugin and the hook.  Long work shows progress on a terminal and stays
quiet otherwise.  Everything printed is in the user's language (``lvzhi.i18n``): Chinese
when the locale is Chinese, else English.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from typing import Any

from lvzhi.__about__ import __version__
from lvzhi.cli import attendance as attendance_commands
from lvzhi.cli import checks, copy, exports, halls, leave, names, notices, plugins, roster, seat
from lvzhi.cli import groups as group_commands
from lvzhi.cli import materials as material_commands
from lvzhi.cli import plan as plan_commands
from lvzhi.cli import suggestions as suggestion_commands
from lvzhi.cli import tasks as task_commands
from lvzhi.cli._common import describe_os_error
from lvzhi.cli._parser import ArgumentParser, translate_argparse
from lvzhi.errors import LvzhiError
from lvzhi.i18n import _

__all__ = ["EXIT_ERROR", "EXIT_USAGE", "build_parser", "main", "run"]

EXIT_ERROR = 1
EXIT_USAGE = 2


def build_parser(*, with_plugins: bool = True) -> argparse.ArgumentParser:
    """The argument parser, including subcommands that plugins add, in the user's
    language (argparse's own messages too)."""
    translate_argparse()
    parser = ArgumentParser(
        prog="lvzhi",
        description=_("Run training courses for elected delegates (履职培训)."),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"lvzhi {__version__}",
        help=_("show program's version number and exit"),
    )
    parser.add_argument(
        "--traceback",
        action="store_true",
        help=_("on an error, print the Python traceback too (also: LVZHI_DEBUG=1)"),
    )
    # Subcommand parsers are lvzhi's ArgumentParser; register() takes any argparse parser.
    sub: argparse._SubParsersAction[Any] = parser.add_subparsers(
        dest="command", metavar=_("COMMAND")
    )
    roster.register(sub)
    exports.register(sub)
    notices.register(sub)
    names.register(sub)
    halls.register(sub)
    seat.register(sub)
    group_commands.register(sub)
    suggestion_commands.register(sub)
    plan_commands.register(sub)
    task_commands.register(sub)
    material_commands.register(sub)
    leave.register(sub)
    checks.register(sub)
    attendance_commands.register(sub)
    copy.register(sub)
    plugins.register(sub)
    if with_plugins:
        from lvzhi.plugins import Hooks, make_plugin_manager

        Hooks(make_plugin_manager()).register_commands(sub)
    return parser


def _debug(argv: Sequence[str]) -> bool:
    return "--traceback" in argv or os.environ.get("LVZHI_DEBUG", "") not in ("", "0")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``lvzhi`` command; returns the exit status."""
    given = list(sys.argv[1:] if argv is None else argv)
    try:
        parser = build_parser()
        args = parser.parse_args(given)
        func: Callable[[argparse.Namespace], int] | None = getattr(args, "func", None)
        if func is None:
            parser.print_help()
            return EXIT_USAGE
        return func(args)
    except (LvzhiError, OSError, UnicodeError) as exc:
        if _debug(given):
            traceback.print_exception(exc)
        message = describe_os_error(exc) if isinstance(exc, OSError) else str(exc)
        print(_("lvzhi: error: {message}").format(message=message), file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print(_("lvzhi: interrupted"), file=sys.stderr)
        return 130


def run() -> None:  # pragma: no cover - console script shim
    """Console-script entry: exit with :func:`main`'s status."""
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
