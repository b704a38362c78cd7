"""Contract test suites for plugin authors: pytest classes a plugin subclasses, supplying
a fixture, to prove that its backend, exporter, notifier, seating strategy or attendance
rule behaves as lvzhi expects.

* :class:`StorageContract` — fixture ``storage_backend`` (a fresh, empty backend);
* :class:`ExporterContract` — fixture ``exporter``;
* :class:`NotifierContract` — fixtures ``notifier`` and ``received`` (what reached the
  channel);
* :class:`SeatingContract` — fixture ``strategy``;
* :class:`AttendanceRuleContract` — fixture ``rule``.

The subclass's name must start with ``Test`` for pytest to collect it.
"""

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
