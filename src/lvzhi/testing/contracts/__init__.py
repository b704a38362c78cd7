"""Contract test suites for plugin authors: pytest classes a plugin subclasses, supplying
a fixture, to prove that its backend, exporter, notifier, seating strategy or attendance
rule behaves as lvzhi expects.

* :class:`~lvzhi.testing.contracts.storage.StorageContract` — fixture ``storage_backend``
  (a fresh, empty backend);
* :class:`~lvzhi.testing.contracts.exporter.ExporterContract` — fixture ``exporter``;
* :class:`~lvzhi.testing.contracts.notifier.NotifierContract` — fixtures ``notifier`` and
  ``received`` (what reached the channel);
* :class:`~lvzhi.testing.contracts.seating.SeatingContract` — fixture ``strategy``;
* :class:`~lvzhi.testing.contracts.attendance.AttendanceRuleContract` — fixture ``rule``.

The subclass's name must start with ``Test`` for pytest to collect it.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lvzhi.testing.contracts.attendance import AttendanceRuleContract
    from lvzhi.testing.contracts.exporter import ExporterContract
    from lvzhi.testing.contracts.notifier import NotifierContract
    from lvzhi.testing.contracts.seating import SeatingContract
    from lvzhi.testing.contracts.storage import REPOSITORY_NAMES, StorageContract, sample_models

__all__ = [
    "REPOSITORY_NAMES",
    "AttendanceRuleContract",
    "ExporterContract",
    "NotifierContract",
    "SeatingContract",
    "StorageContract",
    "sample_models",
]

# Each suite loads on first use, so that a plugin that subclasses one of them needs only
# what that one needs (the attendance suite uses hypothesis; the exporter suite does not).
_HOMES = {
    "AttendanceRuleContract": "attendance",
    "ExporterContract": "exporter",
    "NotifierContract": "notifier",
    "SeatingContract": "seating",
    "StorageContract": "storage",
    "REPOSITORY_NAMES": "storage",
    "sample_models": "storage",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{home}"), name)
