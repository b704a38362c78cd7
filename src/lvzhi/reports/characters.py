"""Characters an export cannot hold, what takes their place, and the record of each cell
that was changed (:class:`Replacement`).

Strings are never a reason for an export to fail: stored data, a plugin's report or an older
database may hold characters that a format forbids or that mislead a reader of the printed
form.  For the formats a spreadsheet program opens (csv, xlsx, ods, html)
:func:`~lvzhi.reports.prepare` therefore

* **replaces** by U+FFFD (``�``, the replacement character) what XML 1.0 or UTF-8 cannot
  hold, so that the place of a lost character stays visible: the C0 control characters
  other than tab, line feed and carriage return (NUL, BEL…), DEL and the C1 controls,
  lone surrogates, and the non-characters U+FFFE and U+FFFF;
* **removes** the characters that print as nothing but change what a reader sees: the
  zero-width characters (U+200B–U+200D, U+2060–U+2064, U+FEFF) and the bidirectional
  controls (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069) — a right-to-left
  override would print a name backwards.

json and yaml are data for programs and keep every character they can encode: only lone
surrogates (which UTF-8 cannot encode) are replaced there.
"""

from __future__ import annotations

import re

import attrs

from lvzhi.i18n import _

__all__ = ["REPLACEMENT_CHARACTER", "Replacement", "clean_text", "unsafe_pattern"]

#: What takes the place of a character a format cannot hold.
REPLACEMENT_CHARACTER = "\ufffd"

_UNENCODABLE = "\ud800-\udfff"
_UNPRINTABLE = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f" + _UNENCODABLE + "\ufffe\uffff"
_INVISIBLE = "\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"

_PRINTED = re.compile(f"[{_UNPRINTABLE}{_INVISIBLE}]")
_DATA = re.compile(f"[{_UNENCODABLE}]")
_REMOVED = re.compile(f"[{_INVISIBLE}]")


def clean_text(text: str, *, printed: bool = True) -> tuple[str, tuple[int, ...]]:
    """``text`` without the characters an export cannot hold, and the code points that were
    replaced or removed, in order (empty when nothing was).

    ``printed`` (the default) is the rule for formats a spreadsheet program opens: controls,
    lone surrogates and U+FFFE/U+FFFF become U+FFFD, zero-width characters and bidirectional
    controls are removed.  With ``printed=False`` only lone surrogates are replaced.
    ``clean_text("王\\a毅\\u200b")`` is ``("王\\ufffd毅", (7, 8203))``.
    """
    pattern = unsafe_pattern(printed=printed)
    if pattern.search(text) is None:
        return text, ()
    found = tuple(ord(m.group()) for m in pattern.finditer(text))
    return pattern.sub(_substitute, text), found


def unsafe_pattern(*, printed: bool = True) -> re.Pattern[str]:
    """The characters :func:`clean_text` replaces or removes, as one character class (to
    search a text for them before cleaning it)."""
    return _PRINTED if printed else _DATA


def _substitute(match: re.Match[str]) -> str:
    return "" if _REMOVED.fullmatch(match.group()) else REPLACEMENT_CHARACTER


def _code_point(number: int) -> str:
    return f"U+{number:04X}"


@attrs.frozen(kw_only=True)
class Replacement:
    """One text of a table in which characters were replaced or removed.

    ``sheet`` is the sheet's title as exported; ``part`` says which text it was:
    ``"cell"`` (then ``row`` is the 1-based row of the table below its header and
    ``column`` the column's header, or ``#3`` for the third column of a table without
    one), ``"header"`` (``column`` is the header as exported), ``"sheet name"`` or
    ``"title row"``.  ``code_points`` are the characters in the order they were found.
    ``str()`` of it is one line for a log or a terminal.
    """

    sheet: str
    part: str
    row: int | None = None
    column: str | None = None
    code_points: tuple[int, ...] = ()

    @property
    def removed(self) -> tuple[int, ...]:
        """The code points that were removed (zero-width and bidirectional controls)."""
        return tuple(c for c in self.code_points if _REMOVED.fullmatch(chr(c)))

    @property
    def replaced(self) -> tuple[int, ...]:
        """The code points that U+FFFD took the place of."""
        return tuple(c for c in self.code_points if not _REMOVED.fullmatch(chr(c)))

    def __str__(self) -> str:
        if self.part == "cell":
            where = _("sheet {sheet!r}, row {row}, column {column!r}").format(
                sheet=self.sheet, row=self.row, column=self.column
            )
        elif self.part == "header":
            where = _("sheet {sheet!r}, header {column!r}").format(
                sheet=self.sheet, column=self.column
            )
        elif self.part == "sheet name":
            where = _("sheet {sheet!r}, sheet name").format(sheet=self.sheet)
        else:
            where = _("sheet {sheet!r}, title row").format(sheet=self.sheet)
        changes = []
        if self.replaced:
            codes = ", ".join(_code_point(c) for c in self.replaced)
            changes.append(
                _("{codes} replaced by {replacement}").format(
                    codes=codes, replacement=_code_point(ord(REPLACEMENT_CHARACTER))
                )
            )
        if self.removed:
            codes = ", ".join(_code_point(c) for c in self.removed)
            changes.append(_("{codes} removed").format(codes=codes))
        return _("{where}: {changes}").format(where=where, changes="; ".join(changes))
