"""The seams of lvzhi: what a storage backend, a notifier, an exporter, a report, an
attendance rule, a seating or grouping strategy and a name collation must offer.

* :mod:`lvzhi.ports.storage` — repositories, the scan log, units of work, backends;
* :mod:`lvzhi.ports.delivery` — notifiers;
* :mod:`lvzhi.ports.export` — reports and exporters;
* :mod:`lvzhi.ports.policies` — attendance rules, seating and grouping strategies,
  collations.

Everything is importable from ``lvzhi.ports`` directly.  ``lvzhi.testing`` ships contract
test suites that check the behaviour.
"""

from lvzhi.ports.delivery import Notifier
from lvzhi.ports.export import Exporter, Report, ReportContext
from lvzhi.ports.policies import (
    AttendanceContext,
    AttendanceRule,
    Collation,
    GroupingContext,
    GroupingStrategy,
    SeatingContext,
    SeatingStrategy,
)
from lvzhi.ports.storage import Repository, ScanLog, StorageBackend, UnitOfWork

__all__ = [
    "AttendanceContext",
    "AttendanceRule",
    "Collation",
    "Exporter",
    "GroupingContext",
    "GroupingStrategy",
    "Notifier",
    "Report",
    "ReportContext",
    "Repository",
    "ScanLog",
    "SeatingContext",
    "SeatingStrategy",
    "StorageBackend",
    "UnitOfWork",
]
