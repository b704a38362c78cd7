"""Helpers for testing lvzhi and its plugins (public API).

* Contract suites (in :mod:`lvzhi.testing.contracts`): pytest test classes a plugin
  subclasses, supplying a fixture, to prove it behaves — :class:`StorageContract`,
  :class:`ExporterContract`, :class:`NotifierContract`, :class:`SeatingContract` and
  :class:`AttendanceRuleContract`.
* ``make_*`` factories (in :mod:`lvzhi.testing.factories`): valid models with defaults.
* :mod:`lvzhi.testing.pytest_plugin`: opt-in fixtures (``memory_backend``,
  ``sqlite_backend``, ``fixed_clock``); enable with
  ``pytest_plugins = ["lvzhi.testing.pytest_plugin"]`` in a ``conftest.py``.

Importing this package does not import pytest; the contract suites load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lvzhi.testing.factories import (
    make_delegate,
    make_delegation,
    make_group,
    make_leave_request,
    make_notice,
    make_official,
    make_programme,
    make_scan,
    make_session,
    make_suggestion,
    make_venue,
)

if TYPE_CHECKING:
    from lvzhi.testing.contracts import (
        AttendanceRuleContract,
        ExporterContract,
        NotifierContract,
        SeatingContract,
        StorageContract,
    )

__all__ = [
    "AttendanceRuleContract",
    "ExporterContract",
    "NotifierContract",
    "SeatingContract",
    "StorageContract",
    "make_delegate",
    "make_delegation",
    "make_group",
    "make_leave_request",
    "make_notice",
    "make_official",
    "make_programme",
    "make_scan",
    "make_session",
    "make_suggestion",
    "make_venue",
]

_CONTRACTS = frozenset(
    {
        "AttendanceRuleContract",
        "ExporterContract",
        "NotifierContract",
        "SeatingContract",
        "StorageContract",
    }
)


def __getattr__(name: str) -> Any:
    if name in _CONTRACTS:
        from lvzhi.testing import contracts

        return getattr(contracts, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
