"""Cell cleaners of a roster: a cell as text, numbers a spreadsheet program mangled
(certificate and phone numbers; the model's converter then reads the phone), yes/no flags,
genders, the kind of a delegation, blank rows, and a memo that cleans each distinct text
once per file."""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from lvzhi.domain import DelegationKind, Gender
from lvzhi.domain._fields import clean_text, to_enum

T = TypeVar("T")

_SCIENTIFIC = re.compile(r"^[0-9]+(\.[0-9]+)?[eE][+]?[0-9]+$")
_INTEGRAL_FLOAT = re.compile(r"^([0-9]+)\.0+$")


def _text(value: Any) -> str:
    """A cell as text: numbers Excel stored as floats lose their ``.0``."""
    if type(value) is str:
        return str(clean_text(value))
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, _dt.datetime | _dt.date | _dt.time):
        return value.isoformat()
    return str(clean_text(str(value)))


def _digits(value: Any) -> str:
    """Repair a number a spreadsheet stored as a float (``13812345678.0``,
    ``1.3812345678E10``) or as text of one; other text is only trimmed."""
    if type(value) is str and value.isdigit() and value.isascii():
        return value  # plain digits: nothing to repair (the common case, taken quickly)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = _text(value)
    compact = unicodedata.normalize("NFKC", text).strip()
    match = _INTEGRAL_FLOAT.match(compact)
    if match:
        return match.group(1)
    if _SCIENTIFIC.match(compact):
        try:
            number = Decimal(compact)
        except InvalidOperation:
            return text
        if number == number.to_integral_value():
            return str(int(number))
    return text


_TRUE = {"是", "y", "yes", "true", "t", "1", "新任", "新", "✓", "✔", "√", "x"}
_FALSE = {"否", "n", "no", "false", "f", "0", "连任", "留任", "", "✗", "×", "-"}


def _flag(value: Any) -> bool | None:
    """是/否, Y/N, yes/no, true/false, 1/0, 新任/连任, ✓; blank is ``False``; ``None``
    for anything else."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    key = unicodedata.normalize("NFKC", _text(value)).strip().lower()
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    return None


_GENDER_WORDS = {"男性": "男", "女性": "女"}


def _gender(value: Any) -> Any:
    if isinstance(value, Gender):
        return value
    text = _text(value)
    return _GENDER_WORDS.get(text, text)


def _kind(name: str) -> DelegationKind:
    if any(word in name for word in ("部队", "驻军", "军分区", "警备区")):
        return DelegationKind.GARRISON
    if name.endswith("区"):
        return DelegationKind.DISTRICT
    if name.endswith("县"):
        return DelegationKind.COUNTY
    if name.endswith("市"):
        return DelegationKind.CITY
    return DelegationKind.OTHER


def _blank_row(row: Sequence[Any]) -> bool:
    """Whether every cell of ``row`` is blank (see ``_is_blank``)."""
    for cell in row:
        if cell is not None and (not isinstance(cell, str) or cell.strip()):
            return False
    return True


def _gender_value(value: Any) -> Any:
    """A gender cell as the model's converter turns it: a :class:`Gender`, or the text it
    does not recognise (which the model's validator then refuses)."""
    return to_enum(Gender, _gender(value))


def _unit_name(value: Any) -> str:
    return str(clean_text(_text(value)))


class _Memo(dict[str, T]):
    """A pure cleaning function whose results on text cells are kept for one file:
    ``memo[text]`` cleans each distinct text once; ``memo.clean(value)`` cleans any value
    (numbers are not kept: ``1``, ``1.0`` and ``True`` are equal keys but read differently)."""

    def __init__(self, clean: Callable[[Any], T]) -> None:
        super().__init__()
        self.clean = clean

    def __missing__(self, key: str) -> T:
        value = self[key] = self.clean(key)
        return value
