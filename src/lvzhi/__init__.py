"""lvzhi (履职): run training courses for elected delegates.

Rosters and delegations, timetables, seating, zone-by-zone attendance, two-stage leave,
reports back to delegations, discussion groups, suggestions with formal replies.  Storage,
notification and export backends are pluggy plugins.

>>> import lvzhi
>>> office = lvzhi.open("memory://")
>>> office.people.delegates()
[]
"""

from lvzhi.__about__ import __version__
from lvzhi.bootstrap import open_secretariat as open
from lvzhi.clock import Clock, FixedClock, SystemClock
from lvzhi.errors import (
    Conflict,
    ImportProblem,
    LvzhiError,
    NotFound,
    NotRegistered,
    PermissionDenied,
    PluginError,
    PluginFailure,
    StorageError,
    TransitionError,
    ValidationError,
)
from lvzhi.plugins import hookimpl
from lvzhi.secretariat import Secretariat
from lvzhi.services.imports import ImportReport
from lvzhi.settings import Settings

__all__ = [
    "Clock",
    "Conflict",
    "FixedClock",
    "ImportProblem",
    "ImportReport",
    "LvzhiError",
    "NotFound",
    "NotRegistered",
    "PermissionDenied",
    "PluginError",
    "PluginFailure",
    "Secretariat",
    "Settings",
    "StorageError",
    "SystemClock",
    "TransitionError",
    "ValidationError",
    "__version__",
    "hookimpl",
    "open",
]
