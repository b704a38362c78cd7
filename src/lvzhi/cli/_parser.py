"""The argument parser in the user's language.

argparse's own words ("usage:", "positional arguments", "show this help message and exit",
its error messages) come from its module-level ``_``/``ngettext``; :func:`translate_argparse`
points those at lvzhi's catalog, falling back to what argparse would have said for anything
the catalog does not hold (and changing nothing in English).  :class:`ArgumentParser` wraps
help text by terminal columns, so Chinese help (two columns a character) fits the screen;
subcommand parsers inherit it.
"""

from __future__ import annotations

import argparse
import gettext
import re
import sys
from collections.abc import Iterable
from typing import Any

from lvzhi.i18n import ENGLISH, N_, catalog, display_width, language

__all__ = [
    "ARGPARSE_MESSAGES",
    "ArgumentParser",
    "HelpFormatter",
    "argparse_gettext",
    "argparse_ngettext",
    "translate_argparse",
    "wrap",
]

# What argparse passes through gettext (Python 3.11 to 3.13), for the catalog; argparse's
# plural messages are listed form by form (Chinese has one form).
ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("subcommands"),
    N_("%(heading)s:"),
    N_("show this help message and exit"),
    N_("show program's version number and exit"),
    N_(" (default: %(default)s)"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("%(prog)s: warning: %(message)s\n"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("expected %s argument"),
    N_("expected %s arguments"),
    N_("ignored explicit argument %r"),
    N_("not allowed with argument %s"),
    N_("one of the arguments %s is required"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
    N_("can't open '%(filename)s': %(error)s"),
    N_("unexpected option string: %s"),
    N_("argument '%(argument_name)s' is deprecated"),
    N_("option '%(option)s' is deprecated"),
    N_("command '%(parser_name)s' is deprecated"),
    N_("conflicting option string: %s"),
    N_("conflicting option strings: %s"),
    N_("conflicting subparser: %s"),
    N_("conflicting subparser alias: %s"),
    N_("cannot have multiple subparser arguments"),
    N_("cannot merge actions - two groups are named %r"),
    N_("dest= is required for options like %r"),
    N_("invalid conflict_resolution value: %r"),
    N_("invalid option string %(option)r: must start with a character %(prefix_chars)r"),
    N_("mutually exclusive arguments must be optional"),
    N_("'required' is an invalid argument for positionals"),
    N_('argument "-" with mode %r'),
    N_("%r is not callable"),
    N_(".__call__() not defined"),
)

_GETTEXT = gettext.gettext
_NGETTEXT = gettext.ngettext


def argparse_gettext(message: str) -> str:
    """argparse's ``_``: lvzhi's catalog in the current language, else argparse's own."""
    lang = language()
    if lang != ENGLISH:
        translated = catalog(lang).gettext(message)
        if translated != message:
            return translated
    return _GETTEXT(message)


def argparse_ngettext(singular: str, plural: str, n: int) -> str:
    """argparse's ``ngettext``: each English form is a message of lvzhi's catalog."""
    lang = language()
    if lang != ENGLISH:
        message = singular if n == 1 else plural
        translated = catalog(lang).gettext(message)
        if translated != message:
            return translated
    return _NGETTEXT(singular, plural, n)


def translate_argparse() -> None:
    """Make argparse's messages follow lvzhi's language (idempotent; process-wide, and
    English stays exactly what argparse says)."""
    namespace = vars(argparse)
    if "_" in namespace:
        namespace["_"] = argparse_gettext
    if "ngettext" in namespace:
        namespace["ngettext"] = argparse_ngettext


_SPACE = re.compile(r"\s+")
# What argparse keeps together in a usage line: a bracketed option, or a word.
_USAGE_PART = re.compile(r"\(.*?\)+(?=\s|$)|\[.*?\]+(?=\s|$)|\S+")
# A token: a run of narrow non-space characters (a word), a run of spaces, or one character.
_TOKEN = re.compile(
    r"[^\s\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\uffef]+|\s+|."
)
# Punctuation that may not begin a line, and that may not end one.
_NO_START = set("，。、；：？！）》」』】〕…%,.;:!?)]}")
_NO_END = set("（《「『【〔([{")


def wrap(text: str, width: int) -> list[str]:
    """``text`` (whitespace folded) in lines of at most ``width`` terminal columns: lines
    break at spaces and between Chinese characters, never inside a word, never before a
    closing or after an opening punctuation mark."""
    width = max(width, 11)
    lines: list[str] = []
    line = ""
    space = False
    for token in _TOKEN.findall(_SPACE.sub(" ", text).strip()):
        if token == " ":
            space = True
            continue
        piece = (" " if space and line else "") + token
        space = False
        fits = display_width(line + piece) <= width
        if fits or not line or token[0] in _NO_START:
            line += piece
            continue
        carry = ""
        while line and line[-1] in _NO_END:
            line, carry = line[:-1], line[-1] + carry
        if line:
            lines.append(line.rstrip())
        line = carry + token
    if line:
        lines.append(line)
    return lines


class HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, measuring and wrapping text by terminal columns (see
    :func:`wrap`), so that translated options and help line up; a translated section
    heading ends with a full-width colon."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._headings: list[str] = []

    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrap(text, width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(indent + line for line in wrap(text, width - len(indent)))

    def start_section(self, heading: str | None) -> None:
        if heading and not heading.isascii():
            self._headings.append(heading)
        super().start_section(heading)

    def format_help(self) -> str:
        text = super().format_help()
        for heading in self._headings:
            text = text.replace(f"{heading}:\n", f"{heading}：\n")
        return text

    def _format_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None,
    ) -> str:
        actions, groups = list(actions), list(groups)
        text = super()._format_usage(usage, actions, groups, prefix)
        if text.isascii():
            return text
        # Lay the usage out on one line, then wrap it by terminal columns.
        width, self._width = self._width, sys.maxsize // 2
        try:
            line = super()._format_usage(usage, actions, groups, prefix).rstrip("\n")
        finally:
            self._width = width
        lead = argparse_gettext("usage: ") if prefix is None else prefix
        lead += self._prog
        if not line.startswith(lead):
            return text
        indent = display_width(lead) + 1
        available = self._width - self._current_indent
        if indent > available * 3 // 4:
            indent = display_width(lead) - display_width(self._prog)
        lines = [lead]
        for part in _USAGE_PART.findall(line[len(lead) :]):
            if display_width(lines[-1]) + 1 + display_width(part) > available and (
                display_width(lines[-1]) > indent
            ):
                lines.append(" " * (indent - 1))
            lines[-1] += " " + part
        return "\n".join(lines) + "\n\n"

    def add_argument(self, action: argparse.Action) -> None:
        super().add_argument(action)
        if action.help is not argparse.SUPPRESS:
            invocation = self._format_action_invocation
            lengths = [display_width(invocation(action)) + self._current_indent]
            for sub in self._iter_indented_subactions(action):
                lengths.append(display_width(invocation(sub)) + self._current_indent)
            self._action_max_length = max(self._action_max_length, *lengths)

    def _format_action(self, action: argparse.Action) -> str:
        # argparse's layout of one option and its help, with widths in terminal columns.
        help_position = min(self._action_max_length + 2, self._max_help_position)
        help_width = max(self._width - help_position, 11)
        action_width = help_position - self._current_indent - 2
        header = self._format_action_invocation(action)
        indent = " " * self._current_indent
        first = help_position
        if not action.help:
            parts = [f"{indent}{header}\n"]
        elif display_width(header) <= action_width:
            padding = " " * (action_width - display_width(header))
            parts = [f"{indent}{header}{padding}  "]
            first = 0
        else:
            parts = [f"{indent}{header}\n"]
        text = self._expand_help(action) if action.help and action.help.strip() else ""
        lines = self._split_lines(text, help_width) if text else []
        if lines:
            parts.append(" " * first + lines[0] + "\n")
            parts += [" " * help_position + line + "\n" for line in lines[1:]]
        elif not parts[0].endswith("\n"):
            parts.append("\n")
        parts += [self._format_action(sub) for sub in self._iter_indented_subactions(action)]
        return self._join_parts(parts)


class ArgumentParser(argparse.ArgumentParser):
    """An argument parser whose help is wrapped by :class:`HelpFormatter`; subcommand
    parsers (``add_subparsers().add_parser``) are of this class too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)
