"""The secretariat (会务组 / 秘书处): the one object a user holds.

It composes the capability services, each owning its use cases and opening one unit of work
per use case (reads included):

======================  ====================================================
``office.people``       delegations, deputies, officials, official order
``office.imports``      rosters from spreadsheets
``office.programme``    the course, venues, timetable
``office.groups``       discussion groups
``office.halls``        halls, their seats and rostrums
``office.seating``      seat plans, attendance zones, the rostrum order
``office.attendance``   the scan log and statuses
``office.leave``        two-stage leave
``office.discipline``   spot checks, 通报, each deputy's record
``office.suggestions``  suggestions and replies
``office.materials``    handbook, covers, speakers, lecturers, evaluation
``office.plans``        training plans, the needs survey, courses set up from plans
``office.tasks``        the work plan: tasks, owners, dependencies, meetings
``office.notices``      notices and their deliveries
``office.reports``      printable reports in every registered format
``office.stations``     station passes of attendance takers
======================  ====================================================

Build one with :func:`lvzhi.open`.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, BinaryIO

import pendulum

from lvzhi.bus import DeliveryReport
from lvzhi.services.attendance import AttendanceService
from lvzhi.services.context import Context, Registries
from lvzhi.services.discipline import DisciplineService
from lvzhi.services.exports import ExportsService
from lvzhi.services.groups import GroupsService
from lvzhi.services.halls import HallsService
from lvzhi.services.imports import ImportReport, ImportsService, Progress
from lvzhi.services.leave import LeaveService
from lvzhi.services.materials import MaterialsService
from lvzhi.services.notices import NoticesService
from lvzhi.services.people import PeopleService
from lvzhi.services.plans import PlansService
from lvzhi.services.programme import ProgrammeService
from lvzhi.services.seating import SeatingService
from lvzhi.services.stations import StationsService
from lvzhi.services.suggestions import SuggestionsService
from lvzhi.services.tasks import TasksService
from lvzhi.settings import Settings

if TYPE_CHECKING:
    from lvzhi.domain import Delegate
    from lvzhi.ports import Collation, StorageBackend, UnitOfWork

__all__ = ["Secretariat"]


class Secretariat:
    """Runs a course.  Build one with :func:`lvzhi.open`; see the module documentation
    for the services it holds."""

    def __init__(self, context: Context, *, url: str = "") -> None:
        self._context = context
        self.url = url
        self.people = PeopleService(context)
        self.imports = ImportsService(context)
        self.programme = ProgrammeService(context)
        self.groups = GroupsService(context)
        self.halls = HallsService(context)
        self.seating = SeatingService(context)
        self.attendance = AttendanceService(context)
        self.leave = LeaveService(context)
        self.discipline = DisciplineService(context)
        self.suggestions = SuggestionsService(context)
        self.materials = MaterialsService(context)
        self.plans = PlansService(context)
        self.tasks = TasksService(context)
        self.notices = NoticesService(context)
        self.reports = ExportsService(context)
        self.stations = StationsService(context)

    # -- what it is made of -----------------------------------------------------------------
    @property
    def storage(self) -> StorageBackend:
        return self._context.storage

    @property
    def settings(self) -> Settings:
        return self._context.settings

    @property
    def registries(self) -> Registries:
        """Everything plugins registered, by kind and name."""
        return self._context.registries

    @property
    def collation(self) -> Collation:
        """The collation every list of names is sorted with (``settings.collation``)."""
        return self._context.collation

    def unit_of_work(self, *, readonly: bool = False) -> UnitOfWork:
        """A transaction over every repository, for work no service offers."""
        return self._context.storage.unit_of_work(readonly=readonly)

    def now(self) -> pendulum.DateTime:
        return self._context.now()

    def deliver_pending(self) -> DeliveryReport:
        """Send the notice deliveries and retry the event handlers that are due."""
        return self._context.bus.deliver_pending()

    # -- the three everyday calls ------------------------------------------------------------
    def import_roster(
        self,
        source: str | os.PathLike[str] | bytes | BinaryIO,
        *,
        format: str | None = None,
        sheet: str | None = None,
        source_name: str | None = None,
        progress: Progress | None = None,
    ) -> ImportReport:
        """Shortcut for :meth:`ImportsService.roster
        <lvzhi.services.imports.ImportsService.roster>` (``office.imports.roster``)."""
        return self.imports.roster(
            source, format=format, sheet=sheet, source_name=source_name, progress=progress
        )

    def delegates(self, *, delegation: str | None = None) -> list[Delegate]:
        """Shortcut for :meth:`PeopleService.delegates
        <lvzhi.services.people.PeopleService.delegates>` (``office.people.delegates``)."""
        return self.people.delegates(delegation=delegation)

    def export(self, name: str, format: str, target: Any = None, **options: Any) -> bytes:
        """Shortcut for :meth:`ExportsService.export
        <lvzhi.services.exports.ExportsService.export>` (``office.reports.export``)."""
        return self.reports.export(name, format, target, **options)

    # -- lifecycle ----------------------------------------------------------------------------
    def close(self) -> None:
        self._context.storage.close()

    def __enter__(self) -> Secretariat:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Secretariat {self.url or type(self._context.storage).__name__}>"
