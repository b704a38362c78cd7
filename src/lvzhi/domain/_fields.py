"""Validators and converters shared by the domain models.

Every validator raises :class:`lvzhi.errors.ValidationError` naming the field as
``Class.attribute`` and the offending value, so a bad value is easy to find in a
spreadsheet or a form.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import attrs
import pendulum

from lvzhi.errors import ValidationError

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


def clean_name(value: Any) -> Any:
    """A person's name: like :func:`clean_text`, but padding spaces between CJK
    characters (王　毅, 王 毅) are removed; spaces in Latin names stay single."""
    value = clean_text(value)
    if not isinstance(value, str) or " " not in value:
        return value
    return _CJK_PADDING.sub("", value)


def text(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Any string (may be empty)."""
    if not isinstance(value, str):
        fail(instance, attribute, value, "must be text")


def non_empty(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        fail(instance, attribute, value, "must be non-empty text")


def identifier(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Keys: letters, digits and ``. _ : -``, at most 64 characters."""
    if not isinstance(value, str) or not _ID_RE.match(value):
        fail(
            instance,
            attribute,
            value,
            "must be 1-64 characters of letters, digits, '.', '_', ':' or '-'",
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
            fail(instance, attribute, value, f"must be {names}")
        if not isinstance(value, kind):
            fail(instance, attribute, value, f"must be {names}")

    return check


def non_negative_int(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        fail(instance, attribute, value, "must be a whole number >= 0")


def positive_int(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        fail(instance, attribute, value, "must be a whole number >= 1")


def aware(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """A tz-aware pendulum DateTime (stored in UTC by :func:`utc`)."""
    if not isinstance(value, pendulum.DateTime) or value.tzinfo is None:
        fail(instance, attribute, value, "must be a time-zone-aware date and time")


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
        fail(instance, attribute, value, "must be a date (YYYY-MM-DD)")


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
        fail(instance, attribute, value, "must be an IANA time zone name such as 'Asia/Shanghai'")


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
                allowed += f" (or {', '.join(aliases)})"
            fail(instance, attribute, value, f"must be one of {allowed}")

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
