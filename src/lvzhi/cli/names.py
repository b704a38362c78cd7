"""``lvzhi names``: put names in official order (strokes or pinyin)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from lvzhi.builtins.collations import load_overrides
from lvzhi.cli._common import os_error_reason
from lvzhi.errors import ValidationError
from lvzhi.i18n import _

__all__ = ["register"]


def _read_names(source: str | None) -> list[str]:
    if source is None or source == "-":
        data = sys.stdin.buffer.read()
        where = _("stdin")
    else:
        try:
            data = Path(source).read_bytes()
        except OSError as error:
            raise ValidationError(
                _("FILE"), source, _("cannot read: {reason}").format(reason=os_error_reason(error))
            ) from None
        where = source
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(
            where, error.object[error.start : error.end], _("not UTF-8")
        ) from None
    return [line.strip() for line in text.splitlines() if line.strip()]


def _collation(args: argparse.Namespace) -> Any:
    """The registered collation ``--by`` (a plugin's too), built with the options given."""
    from lvzhi.plugins import Hooks, make_plugin_manager
    from lvzhi.plugins.registry import guarded

    registry = Hooks(make_plugin_manager()).register_collations()
    entry = registry.entry(args.by)
    options: dict[str, Any] = {}
    if args.single_name is not None:
        options["single_name"] = args.single_name
    if args.overrides:
        options["overrides"] = load_overrides(args.overrides)
    with guarded(entry.plugin, _("collation {name!r}").format(name=args.by)):
        return entry.item(**options)


def _sort(args: argparse.Namespace) -> int:
    collation = _collation(args)
    names = collation.sort(_read_names(args.file))
    describe = getattr(collation, "describe", None)
    out = sys.stdout.buffer
    for name in names:
        key = describe(name) if describe is not None else repr(collation.key(name))
        line = f"{name}\t{key}" if args.with_key else name
        out.write((line + "\n").encode("utf-8"))
    out.flush()
    return 0


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add ``names sort`` to the lvzhi command line."""
    names = subparsers.add_parser(
        "names",
        help=_("put personal names in official order"),
        description=_("Work with lists of personal names (one per line)."),
    )
    names_sub = names.add_subparsers(dest="names_command", metavar=_("COMMAND"))
    names_sub.required = True
    sort = names_sub.add_parser(
        "sort",
        help=_("sort names by strokes (姓氏笔画) or pinyin"),
        description=_(
            "Read names, one per line, from FILE or standard input; print them sorted, "
            "UTF-8, one per line. Blank lines are ignored."
        ),
    )
    sort.add_argument(
        "--by",
        default="strokes",
        metavar=_("COLLATION"),
        help=_("a registered collation: strokes (default), pinyin, or one a plugin adds"),
    )
    sort.add_argument(
        "--single-name",
        choices=("compare", "blank"),
        default=None,
        help=_(
            "compare: a single given name is compared with the other name's second "
            "character (default, NPC lists); blank: single given names first within "
            "a surname (王毅 before 王沪宁)"
        ),
    )
    sort.add_argument(
        "--overrides",
        metavar=_("TABLE"),
        help=_('extra stroke data: a .toml ([chars] 亓 = "1132") or tab-separated file'),
    )
    sort.add_argument(
        "--with-key",
        action="store_true",
        help=_("print each name's key after a tab (count:sequence per character)"),
    )
    sort.add_argument("file", nargs="?", metavar=_("FILE"), help=_("names file (default: stdin)"))
    sort.set_defaults(func=_sort)
