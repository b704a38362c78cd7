"""Capability services: each owns its use cases and opens one unit of work per use case.

A :class:`~lvzhi.Secretariat` composes them (``office.people``, ``office.attendance`` …).
"""

from lvzhi.services.attendance import AttendanceService, Status
from lvzhi.services.context import Context, Registries, Service
from lvzhi.services.exports import ExportsService, write_atomically
from lvzhi.services.groups import GroupsService
from lvzhi.services.imports import ImportReport, ImportsService
from lvzhi.services.leave import LeaveService
from lvzhi.services.notices import NoticesService
from lvzhi.services.people import PeopleService
from lvzhi.services.programme import ProgrammeService
from lvzhi.services.seating import SeatingService, check_assignment
from lvzhi.services.suggestions import SuggestionsService

__all__ = [
    "AttendanceService",
    "Context",
    "ExportsService",
    "GroupsService",
    "ImportReport",
    "ImportsService",
    "LeaveService",
    "NoticesService",
    "PeopleService",
    "ProgrammeService",
    "Registries",
    "SeatingService",
    "Service",
    "Status",
    "SuggestionsService",
    "check_assignment",
    "write_atomically",
]
