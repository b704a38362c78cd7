"""``lvzhi names``: put names in official order (strokes or pinyin)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lvzhi.domain.collation import get_collation, load_overrides
from lvzhi.errors import ValidationError

__all__ = ["register"]


def _read_names(source: str | None) -> list[str]:
    if source is None or source == "-":
        data = sys.stdin.buffer.read()
        where = "stdin"
    else:
        try:
            data = Path(source).read_bytes()
        except OSError as error:
            raise ValidationError("FILE", source, f"cannot read: {error.strerror}") from None
        where = source
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(where, error.object[error.start : error.end], "not UTF-8") from None
    return [line.strip() for line in text.splitlines() if line.strip()]


def _sort(args: argparse.Namespace) -> int:
    overrides = load_overrides(args.overrides) if args.overrides else None
    collation = get_collation(args.by, single_name=args.single_name, overrides=overrides)
    names = collation.sort(_read_names(args.file))
    out = sys.stdout.buffer
    for name in names:
        line = f"{name}\t{collation.describe(name)}" if args.with_key else name
        out.write((line + "\n").encode("utf-8"))
    out.flush()
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``names sort`` to the lvzhi command line."""
    names = subparsers.add_parser(
        "names",
        help="put personal names in official order",
        description="Work with lists of personal names (one per line).",
    )
    names_sub = names.add_subparsers(dest="names_command", metavar="COMMAND")
    names_sub.required = True
    sort = names_sub.add_parser(
        "sort",
        help="sort names by strokes (姓氏笔画) or pinyin",
        description=(
            "Read names, one per line, from FILE or standard input; print them sorted, "
            "UTF-8, one per line. Blank lines are ignored."
        ),
    )
    sort.add_argument(
        "--by",
        choices=("strokes", "pinyin"),
        default="strokes",
        help="collation (default: strokes)",
    )
    sort.add_argument(
        "--single-name",
        choices=("compare", "blank"),
        default="compare",
        help=(
            "compare: a single given name is compared with the other name's second "
            "character (default, NPC lists); blank: single given names first within "
            "a surname (王毅 before 王沪宁)"
        ),
    )
    sort.add_argument(
        "--overrides",
        metavar="TABLE",
        help='extra stroke data: a .toml ([chars] 亓 = "1132") or tab-separated file',
    )
    sort.add_argument(
        "--with-key",
        action="store_true",
        help="print each name's key after a tab (count:sequence per character)",
    )
    sort.add_argument("file", nargs="?", metavar="FILE", help="names file (default: stdin)")
    sort.set_defaults(func=_sort)
