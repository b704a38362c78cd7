"""``lvzhi halls``: check a hall file (TOML or YAML) and show its capacity."""

from __future__ import annotations

import argparse
import sys

from lvzhi.hallfiles import check_hall_file
from lvzhi.i18n import _

__all__ = ["register"]


def _check(args: argparse.Namespace) -> int:
    sys.stdout.write(check_hall_file(args.file))
    sys.stdout.flush()
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``halls check`` to the lvzhi command line."""
    halls = subparsers.add_parser(
        "halls",
        help=_("check hall files (sections, rows, seats)"),
        description=_("Work with hall files: a hall's sections, rows and seats."),
    )
    halls_sub = halls.add_subparsers(dest="halls_command", metavar=_("COMMAND"))
    halls_sub.required = True
    check = halls_sub.add_parser(
        "check",
        help=_("read a hall file and print the capacity of each section and the total"),
        description=_(
            "Read a hall file (.toml, .yaml or .yml) and print, per section, its rows, "
            "seats, blocked and reserved seats and capacity, then the totals and the "
            "rostrum. A bad file is named with its line and the problem."
        ),
    )
    check.add_argument("file", metavar=_("FILE"), help=_("the hall file"))
    check.set_defaults(func=_check)
