"""``lvzhi copy SRC_URL DST_URL``: move a whole course from one store to another."""

from __future__ import annotations

import argparse
from typing import Any

from lvzhi.cli._common import Progress
from lvzhi.i18n import _

__all__ = ["register"]


def _open(url: str, *, must_exist: bool) -> Any:
    import lvzhi
    from lvzhi.bootstrap import scheme_of
    from lvzhi.cli._common import _sqlite_path
    from lvzhi.errors import StorageError

    if not scheme_of(url):
        url = f"sqlite:///{url}"
    path = _sqlite_path(url)
    if must_exist and path is not None and not path.exists():
        raise StorageError(_("no lvzhi database at {path}; check the URL").format(path=path))
    return lvzhi.open(url)


def _copy(args: argparse.Namespace) -> int:
    from lvzhi.storage.copy import copy_course

    progress = Progress(_("copying"))
    with (
        _open(args.source, must_exist=True) as source,
        _open(args.destination, must_exist=False) as destination,
    ):
        try:
            report = copy_course(
                source.storage, destination.storage, force=args.force, progress=progress.step
            )
        finally:
            progress.done()
    width = max(len(c.name) for c in report.counts)
    print("\t".join([_("table").ljust(width), _("source"), _("destination")]))
    for count in report.counts:
        print(f"{count.name.ljust(width)}\t{count.source}\t{count.destination}")
    print(
        _("copied {total} rows from {source} to {destination}; counts checked").format(
            total=report.total, source=args.source, destination=args.destination
        )
    )
    return 0


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser(
        "copy",
        help=_("copy a whole course from one store to another"),
        description=_(
            "Copy every table and the scan log from SRC_URL to DST_URL, keeping every id, "
            "in one transaction of the destination, and check the counts before committing. "
            "The destination must be empty unless --force is given; then models with the "
            "same key are replaced, others kept, and scans already stored are kept."
        ),
    )
    parser.add_argument("source", metavar="SRC_URL", help=_("the store to copy from"))
    parser.add_argument("destination", metavar="DST_URL", help=_("the store to copy into"))
    parser.add_argument(
        "--force",
        action="store_true",
        help=_("copy into a destination that is not empty, merging the course into it"),
    )
    parser.set_defaults(func=_copy)
