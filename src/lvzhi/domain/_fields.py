"""Validators and converters shared by the domain models.

Every validator raises :class:`lvzhi.errors.ValidationError` naming the field as
``Class.attribute`` and the offending value, so a bad value is easy to find in a
spreadsheet or a form.
"""

from __future__ import annotations

import contextlib
import contextvars
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

import attrs
import pendulum

from lvzhi.errors import ValidationError
from lvzhi.i18n import _

T = TypeVar("T")

_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:\-]{0,63}$")


def field_name(instance: Any, attribute: attrs.Attribute[Any]) -> str:
    return f"{type(instance).__name__}.{attribute.name}"


def fail(instance: Any, attribute: attrs.Attribute[Any], value: Any, reason: str) -> None:
    raise ValidationError(field_name(instance, attribute), value, reason)


def clean_text(value: Any) -> Any:
    """Trim, NFC-normalise and fold runs of whitespace (incl. full-width) to one space."""
    if not isinstance(value, str) or not value:
        return value
    value = unicodedata.normalize("NFC", value).replace("\u3000", " ")
    return " ".join(value.split())


_CJK_PADDING = re.compile(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])")

# What folds to one space in a name: real whitespace only.  Control characters that Python
# also counts as whitespace (U+001C-U+001F, U+0085) are left for the validator to refuse.
_NAME_SPACE = re.compile(r"[ \t\n\r\f\v\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")

#: The characters typed for the middle dot of ethnic-minority names (阿依古丽·买买提); all
#: become U+00B7, the one GB 18030 and the national standards use.
MIDDLE_DOTS = "\u00b7\u0387\u2022\u2027\u2219\u22c5\u2e31\u30fb\uff65"
_DOT_CHARS = re.compile(f"[{MIDDLE_DOTS}]")
_DOTS = re.compile(f" ?[{MIDDLE_DOTS}] ?")

#: The longest name a deputy or official may have, in characters.
NAME_MAX_LENGTH = 30


def clean_name(value: Any) -> Any:
    """A person's name: NFC-normalised, trimmed, runs of whitespace folded to one space,
    padding spaces between CJK characters removed (王　毅, 王 毅 → 王毅; spaces in Latin
    names stay single) and every middle-dot variant made U+00B7 (木沙•买买提 → 木沙·买买提)."""
    if not isinstance(value, str) or not value:
        return value
    value = _NAME_SPACE.sub(" ", unicodedata.normalize("NFC", value)).strip(" ")
    if _DOT_CHARS.search(value):
        value = _DOTS.sub("\u00b7", value)
    if " " in value:
        value = _CJK_PADDING.sub("", value)
    return value


def describe_character(char: str) -> str:
    """``U+200B (ZERO WIDTH SPACE)``; characters without a Unicode name by their kind."""
    name = unicodedata.name(char, "")
    if not name:
        name = {
            "Cc": _("control character"),
            "Co": _("private-use character"),
            "Cs": _("surrogate"),
        }.get(unicodedata.category(char), _("unnamed character"))
    return f"U+{ord(char):04X} ({name})"


_INVISIBLE = frozenset(("Cc", "Cf", "Co", "Cs"))


_STORED: contextvars.ContextVar[bool] = contextvars.ContextVar("lvzhi_stored", default=False)


@contextlib.contextmanager
def stored_data() -> Iterator[None]:
    """Within this block models are being loaded from storage: the rules about how names and
    phones are *written* (characters, length, phone shape) are not applied again, so a
    database written under older, looser rules still opens.  Structural rules (types,
    identifiers, required values, time zones) still are."""
    token = _STORED.set(True)
    try:
        yield
    finally:
        _STORED.reset(token)


def person_name(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """A name: non-empty, at most :data:`NAME_MAX_LENGTH` characters, without control
    (Cc), format (Cf: zero-width, bidi), private-use (Co) or surrogate characters."""
    if not isinstance(value, str) or not value.strip():
        fail(instance, attribute, value, _("must be non-empty text"))
    if _STORED.get():
        return
    if not value.isprintable():  # quick for the common case; also true of unassigned chars
        bad = dict.fromkeys(c for c in value if unicodedata.category(c) in _INVISIBLE)
        if bad:
            listed = ", ".join(describe_character(c) for c in bad)
            fail(instance, attribute, value, _("contains {characters}").format(characters=listed))
    if len(value) > NAME_MAX_LENGTH:
        reason = _("is longer than {limit} characters ({length})")
        fail(instance, attribute, value, reason.format(limit=NAME_MAX_LENGTH, length=len(value)))


# --------------------------------------------------------------------------- phones

_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_LANDLINE = re.compile(r"0(?:[12][0-9]|[3-9][0-9]{2})-[0-9]{7,8}(?:-[0-9]{1,6})?")
_EXTENSION = re.compile(r"(?:转|分机|ext\.?|x|#)\s*([0-9]{1,6})$")
_HYPHEN_EXTENSION = re.compile(r"(\(?0[0-9]{2,3}\)?[ -]?[0-9]{7,8})-([0-9]{1,6})")
_PHONE_SEPARATORS = re.compile(r"[\s\-.()\u2010-\u2015\u2212]+")


def phone_number(value: Any) -> Any:
    """Converter: a mainland phone number as people type it, stored in one form.

    Mobiles (``1[3-9]`` and nine digits) become ``13800138000``; landlines (``0``, a two-
    or three-digit area code, a seven- or eight-digit number) ``0734-8123456``, with an
    extension (``转``, ``-``, ``ext``, ``x``) ``0734-8123456-123``.  Spaces, hyphens, dots,
    brackets, full-width digits and a ``+86``/``0086``/``86`` prefix are understood.
    Anything else is returned trimmed, for the validator to refuse."""
    if type(value) is str and _MOBILE.fullmatch(value):
        return value  # already a mobile number: the common case, taken quickly
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return value
    text = clean_text(value)
    if not text:
        return text
    return _normalise_phone(text) or text


def _normalise_phone(text: str) -> str | None:
    typed = unicodedata.normalize("NFKC", text).lower()
    extension = ""
    match = _EXTENSION.search(typed)
    if match:
        extension, typed = match.group(1), typed[: match.start()]
    else:
        match = _HYPHEN_EXTENSION.fullmatch(typed)
        if match:
            typed, extension = match.group(1), match.group(2)
    digits = _PHONE_SEPARATORS.sub("", typed)
    international = digits.startswith(("+86", "0086"))
    if international:
        digits = digits.removeprefix("+86").removeprefix("0086")
    if not (digits.isdigit() and digits.isascii()):
        return None
    if len(digits) == 13 and digits.startswith("86") and _MOBILE.fullmatch(digits[2:]):
        digits = digits[2:]
    if _MOBILE.fullmatch(digits):
        return None if extension else digits
    if international and not digits.startswith("0"):
        digits = "0" + digits  # +86 734 8123456: the trunk 0 is dropped abroad
    if not digits.startswith("0") or len(digits) < 3:
        return None
    split = 3 if digits[1] in "12" else 4  # 010 and 02x are the two-digit area codes
    number = f"{digits[:split]}-{digits[split:]}" + (f"-{extension}" if extension else "")
    return number if _LANDLINE.fullmatch(number) else None


def phone(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Empty, a mobile number or a landline as :func:`phone_number` stores them."""
    if value == "" or (_STORED.get() and isinstance(value, str)):
        return
    if not isinstance(value, str) or not (_MOBILE.fullmatch(value) or _LANDLINE.fullmatch(value)):
        fail(
            instance,
            attribute,
            value,
            _(
                "must be a mobile number (11 digits, 13800138000) or a landline with its "
                "area code (0734-8123456)"
            ),
        )


def text(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Any string (may be empty)."""
    if not isinstance(value, str):
        fail(instance, attribute, value, _("must be text"))


def non_empty(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        fail(instance, attribute, value, _("must be non-empty text"))


def identifier(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Keys: letters, digits and ``. _ : -``, at most 64 characters."""
    if not isinstance(value, str) or not _ID_RE.match(value):
        fail(
            instance,
            attribute,
            value,
            _("must be 1-64 characters of letters, digits, '.', '_', ':' or '-'"),
        )


def optional_identifier(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None:
        identifier(instance, attribute, value)


def identifiers(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    for item in value:
        identifier(instance, attribute, item)


def instance_of(kind: type | tuple[type, ...]) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
    refuse_bool = bool not in (kind if isinstance(kind, tuple) else (kind,))

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if refuse_bool and isinstance(value, bool):
            fail(instance, attribute, value, _("must be {kind}").format(kind=names))
        if not isinstance(value, kind):
            fail(instance, attribute, value, _("must be {kind}").format(kind=names))

    return check


def non_negative_int(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        fail(instance, attribute, value, _("must be a whole number >= 0"))


def positive_int(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        fail(instance, attribute, value, _("must be a whole number >= 1"))


def aware(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """A tz-aware pendulum DateTime (stored in UTC by :func:`utc`)."""
    if not isinstance(value, pendulum.DateTime) or value.tzinfo is None:
        fail(instance, attribute, value, _("must be a time-zone-aware date and time"))


def optional_aware(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None:
        aware(instance, attribute, value)


def utc(value: Any) -> Any:
    """Converter: aware datetimes (stdlib or pendulum) become pendulum UTC; others pass to the
    validator untouched so that it can name the field."""
    if isinstance(value, pendulum.DateTime):
        return value.in_timezone("UTC") if value.tzinfo is not None else value
    import datetime as _dt

    if isinstance(value, _dt.datetime) and value.tzinfo is not None:
        return pendulum.instance(value).in_timezone("UTC")
    if isinstance(value, str):
        try:
            parsed = pendulum.parse(value)
        except Exception:
            return value
        if (
            isinstance(parsed, pendulum.DateTime)
            and parsed.tzinfo is not None
            and _has_offset(value)
        ):
            return parsed.in_timezone("UTC")
    return value


def _has_offset(value: str) -> bool:
    return bool(re.search(r"(Z|[+-]\d\d:?\d\d)$", value.strip()))


def optional_utc(value: Any) -> Any:
    return None if value is None else utc(value)


def date(value: Any) -> Any:
    """Converter to ``pendulum.Date`` from a date, ``YYYY-MM-DD`` text or a datetime."""
    import datetime as _dt

    if isinstance(value, pendulum.Date) and not isinstance(value, pendulum.DateTime):
        return value
    if isinstance(value, _dt.datetime):
        return value
    if isinstance(value, _dt.date):
        return pendulum.Date(value.year, value.month, value.day)
    if isinstance(value, str):
        try:
            parsed = pendulum.parse(value, exact=True)
        except Exception:
            return value
        if isinstance(parsed, pendulum.Date) and not isinstance(parsed, pendulum.DateTime):
            return parsed
    return value


def is_date(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    import datetime as _dt

    if not isinstance(value, _dt.date) or isinstance(value, _dt.datetime):
        fail(instance, attribute, value, _("must be a date (YYYY-MM-DD)"))


def optional_date(value: Any) -> Any:
    return None if value is None else date(value)


def is_optional_date(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None:
        is_date(instance, attribute, value)


def timezone_name(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """An IANA zone name such as ``Asia/Shanghai``."""
    try:
        pendulum.timezone(value)
    except Exception:
        fail(
            instance,
            attribute,
            value,
            _("must be an IANA time zone name such as 'Asia/Shanghai'"),
        )


def to_enum(enum_type: type[T], value: Any) -> Any:
    """Converter body: accept an enum member, its value, or one of its ``aliases()``; leave
    anything else for the validator (which names the field).  Used as
    ``converter=lambda v: to_enum(Gender, v)``."""
    if isinstance(value, enum_type):
        return value
    if isinstance(value, str):
        key = clean_text(value)
        aliases: dict[str, Any] = getattr(enum_type, "aliases", dict)()
        for candidate in (key, key.lower()):
            if candidate in aliases:
                return aliases[candidate]
            try:
                return enum_type(candidate)  # type: ignore[call-arg]
            except ValueError:
                continue
    return value


def enum_member(enum_type: type[Any]) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, enum_type):
            allowed = ", ".join(repr(m.value) for m in enum_type)
            aliases: dict[str, Any] = getattr(enum_type, "aliases", dict)()
            if aliases:
                allowed += _(" (or {aliases})").format(aliases=", ".join(aliases))
            fail(instance, attribute, value, _("must be one of {allowed}").format(allowed=allowed))

    return check


def str_tuple(value: Iterable[Any] | None) -> tuple[Any, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def str_frozenset(value: Iterable[Any] | None) -> frozenset[Any]:
    if value is None:
        return frozenset()
    if isinstance(value, str):
        return frozenset((value,))
    return frozenset(value)
