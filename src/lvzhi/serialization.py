"""Turning domain models into plain data and back: one cattrs converter shared by every
storage backend.

The plain form is what JSON can hold:

* instants (tz-aware pendulum ``DateTime``) become fixed-width UTC text,
  ``2022-09-06T01:00:00.000000Z``: one format everywhere, and string order is time order;
* calendar dates (``pendulum.Date``) become ``YYYY-MM-DD``;
* enums become their value;
* tuples become lists, frozensets become *sorted* lists (so the output is deterministic);
* nested attrs classes become dictionaries keyed by attribute name.

Loading always goes through the model's constructor, so its converters and validators run
on stored data exactly as on user input.  Data that cannot be loaded raises
:class:`~lvzhi.errors.StorageError` naming the model and the problem.

The converter itself is private; use :func:`dump`, :func:`load`, :func:`dumps` and
:func:`loads`.
"""

from __future__ import annotations

import datetime as _dt
import enum
import functools
import json
from collections.abc import Hashable, Iterable, Set
from typing import Any, TypeVar, cast

import attrs
import cattrs
import pendulum

from lvzhi.domain._fields import stored_data
from lvzhi.errors import LvzhiError, StorageError, ValidationError

__all__ = [
    "converter",
    "dump",
    "dumps",
    "format_instant",
    "load",
    "loads",
    "make_converter",
    "parse_instant",
    "unstructure",
    "validate_attributes",
]

T = TypeVar("T")

_UTC = pendulum.UTC


def format_instant(value: _dt.datetime) -> str:
    """An aware datetime as fixed-width UTC text (``2022-09-06T01:00:00.000000Z``).

    Naive values are refused: they name no instant."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"naive datetime {value.isoformat()} has no time zone")
    utc = value.astimezone(_dt.UTC)
    return (
        f"{utc.year:04d}-{utc.month:02d}-{utc.day:02d}T"
        f"{utc.hour:02d}:{utc.minute:02d}:{utc.second:02d}.{utc.microsecond:06d}Z"
    )


def parse_instant(value: str) -> pendulum.DateTime:
    """ISO-8601 text with an offset (or ``Z``) as an aware pendulum ``DateTime`` in UTC."""
    if not isinstance(value, str):
        raise TypeError(f"expected ISO-8601 text, got {value!r}")
    parsed = _dt.datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError(f"{value!r} has no time zone offset")
    utc = parsed.astimezone(_dt.UTC)
    return pendulum.DateTime(
        utc.year,
        utc.month,
        utc.day,
        utc.hour,
        utc.minute,
        utc.second,
        utc.microsecond,
        tzinfo=_UTC,
    )


def _format_date(value: _dt.date) -> str:
    return value.isoformat()


def _parse_date(value: Any, _: Any) -> pendulum.Date:
    if not isinstance(value, str):
        raise TypeError(f"expected a YYYY-MM-DD date, got {value!r}")
    parsed = _dt.date.fromisoformat(value)
    return pendulum.Date(parsed.year, parsed.month, parsed.day)


def _passthrough(value: Any, _: Any) -> Any:
    # Leave primitive values as stored so the model's validators see (and name) bad ones,
    # instead of cattrs coercing ``"yes"`` into ``True`` or ``1`` into ``"1"``.
    return value


def make_converter() -> cattrs.Converter:
    """Build the converter (cached as :data:`converter`; call this only to customise)."""
    conv = cattrs.Converter(
        unstruct_collection_overrides={Set: sorted, tuple: list},
        forbid_extra_keys=True,
    )
    conv.register_unstructure_hook(pendulum.DateTime, format_instant)
    conv.register_unstructure_hook(_dt.datetime, format_instant)
    conv.register_structure_hook(pendulum.DateTime, lambda v, _: parse_instant(v))
    conv.register_unstructure_hook(pendulum.Date, _format_date)
    conv.register_structure_hook(pendulum.Date, _parse_date)
    conv.register_unstructure_hook(enum.Enum, lambda e: e.value)
    for primitive in (str, int, bool, float):
        conv.register_structure_hook(primitive, _passthrough)
    return conv


converter: cattrs.Converter = make_converter()


def dump(obj: Any) -> dict[str, Any]:
    """An attrs model as a JSON-ready dictionary."""
    data = converter.unstructure(obj)
    if not isinstance(data, dict):
        raise TypeError(f"{type(obj).__name__} is not an attrs model")
    return data


def unstructure(value: Any) -> Any:
    """Any value (model, enum, instant, date, collection) in its plain form; storage
    backends use this to compare query values with stored data."""
    return converter.unstructure(value)


def validate_attributes(cls: type[Any], names: Iterable[str]) -> None:
    """Refuse attribute names ``cls`` does not have (for ``Repository.select``) with a
    :class:`~lvzhi.errors.ValidationError` naming the first unknown one."""
    known = _attribute_names(cast(Hashable, cls))
    for name in names:
        if name not in known:
            raise ValidationError(
                f"{_name(cls)}.{name}",
                name,
                f"is not an attribute; choose from {', '.join(sorted(known))}",
            )


@functools.cache
def _attribute_names(cls: Any) -> frozenset[str]:
    return frozenset(a.name for a in attrs.fields(cls))


def load(cls: type[T], data: Any) -> T:
    """Build a ``cls`` from plain data; :class:`~lvzhi.errors.StorageError` if it does not
    fit (unknown or missing fields, wrong types, values the model refuses).

    Stored data was checked when it was written: rules about how names and phones are
    written are not applied again (``lvzhi.domain._fields.stored_data``), so a store
    written under looser rules still opens."""
    try:
        with stored_data():
            return converter.structure(data, cls)
    except Exception as exc:
        raise StorageError(f"stored {_name(cls)} cannot be loaded: {_describe(exc, cls)}") from exc


def dumps(obj: Any) -> str:
    """A model as compact JSON text (non-ASCII characters kept as they are)."""
    return _encoder(dump(obj))


def loads(cls: type[T], text: str | bytes) -> T:
    """Build a ``cls`` from JSON text made by :func:`dumps`."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise StorageError(f"stored {_name(cls)} is not valid JSON: {exc}") from exc
    return load(cls, data)


# One encoder, built once (json.dumps with options builds a new one on every call).
_encoder = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _name(cls: Any) -> str:
    return getattr(cls, "__name__", repr(cls))


def _describe(exc: BaseException, cls: Any) -> str:
    if isinstance(exc, cattrs.BaseValidationError):
        try:
            messages = cattrs.transform_error(exc, path=_name(cls))
        except Exception:  # pragma: no cover - defensive: never hide the original error
            messages = []
        nested = [
            str(e) for e in _leaves(exc) if isinstance(e, LvzhiError)
        ]  # model validators name the field themselves
        return "; ".join(nested or messages or [str(exc)])
    return str(exc) or type(exc).__name__


def _leaves(exc: BaseException) -> list[BaseException]:
    if isinstance(exc, BaseExceptionGroup):
        out: list[BaseException] = []
        for sub in exc.exceptions:
            out.extend(_leaves(sub))
        return out
    return [exc]
