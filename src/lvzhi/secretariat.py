"""The secretariat (会务组 / 秘书处): the object a user holds.

It ties together a storage backend, the plugin hooks, a clock and the settings, and offers
the use cases of running a course.  Every use case that changes more than one row does so in
one unit of work (one transaction); domain events are told to plugins after the commit.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import attrs
import pendulum
import pluggy

from lvzhi.clock import Clock, SystemClock
from lvzhi.domain import (
    Delegate,
    Delegation,
    DiscussionGroup,
    LeaveRequest,
    LeaveStage,
    Notice,
    Official,
    Programme,
    Reply,
    Scan,
    Session,
    Suggestion,
    Venue,
)
from lvzhi.domain.events import (
    DelegateSaved,
    Event,
    ExportWritten,
    GroupsFormed,
    LeaveRequested,
    NoticeIssued,
    ProgrammeSaved,
    RosterImported,
    ScanRecorded,
    SuggestionSubmitted,
    TimetableChanged,
)
from lvzhi.errors import NotFound, PluginError, ValidationError
from lvzhi.plugins import Hooks, make_plugin_manager
from lvzhi.ports import Collation, Exporter, GroupingContext, Notifier, StorageBackend, UnitOfWork

if TYPE_CHECKING:
    import tablib

__all__ = ["DEFAULT_URL", "ImportReport", "Secretariat", "Settings", "open_secretariat"]

DEFAULT_URL = "sqlite:///lvzhi.db"

Progress = Callable[[int, int], None]
"""``progress(done, total)`` is called as long work advances (imports, exports)."""

TABLES = ("roster", "timetable", "delegations", "groups", "suggestions")


@attrs.frozen(kw_only=True)
class Settings:
    """How a secretariat behaves.

    ``collation`` names the order of every list of names (``"strokes"``: 姓氏笔画, the
    official order; ``"pinyin"``); ``collation_options`` are passed to it (for strokes:
    ``single_name="compare"`` or ``"blank"``).  ``notifiers`` limits which registered
    notifiers deliver notices (empty: all).  ``plugins`` holds settings for plugins, passed to
    ``lvzhi_register_notifiers``.
    """

    collation: str = "strokes"
    collation_options: Mapping[str, Any] = attrs.field(factory=dict)
    notifiers: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    plugins: Mapping[str, Any] = attrs.field(factory=dict)


@attrs.frozen(kw_only=True)
class ImportReport:
    """What :meth:`Secretariat.import_roster` did."""

    source: str
    delegates: int
    created: int
    updated: int
    delegations_created: tuple[str, ...]
    ignored_columns: tuple[str, ...]


def _scheme(url: str) -> str:
    return url.split(":", 1)[0].lower() if "://" in url or url.startswith("sqlite:") else ""


class Secretariat:
    """Runs a course.  Build one with :func:`lvzhi.open`."""

    def __init__(
        self,
        storage: StorageBackend,
        *,
        pm: pluggy.PluginManager,
        clock: Clock | None = None,
        settings: Settings | None = None,
        url: str = "",
    ) -> None:
        self.storage = storage
        self.pm = pm
        self.hooks = Hooks(pm)
        self.clock: Clock = clock or SystemClock()
        self.settings = settings or Settings()
        self.url = url
        self._collation: Collation | None = None
        self._exporters: dict[str, Exporter] | None = None

    # -- lifecycle -----------------------------------------------------------------------

    def close(self) -> None:
        self.storage.close()

    def __enter__(self) -> Secretariat:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Secretariat {self.url or type(self.storage).__name__}>"

    def unit_of_work(self) -> UnitOfWork:
        """A transaction over every repository (see :class:`lvzhi.ports.UnitOfWork`)."""
        return self.storage.unit_of_work()

    def now(self) -> pendulum.DateTime:
        return self.clock.now()

    def _publish(self, events: Iterable[Event]) -> None:
        for event in events:
            self.hooks.handle_event(event, self)

    # -- plugins -------------------------------------------------------------------------

    @property
    def collation(self) -> Collation:
        """The collation every list of names is sorted with (``settings.collation``)."""
        if self._collation is None:
            collations = self.hooks.register_collations()
            try:
                factory = collations[self.settings.collation]
            except KeyError:
                raise PluginError(
                    f"unknown collation {self.settings.collation!r}; "
                    f"registered: {', '.join(sorted(collations)) or 'none'}"
                ) from None
            self._collation = factory(**dict(self.settings.collation_options))
        return self._collation

    def name_key(self, name: str) -> Any:
        return self.collation.key(name)

    def exporters(self) -> dict[str, Exporter]:
        if self._exporters is None:
            self._exporters = self.hooks.register_exporters()
        return self._exporters

    def notifiers(self) -> dict[str, Notifier]:
        registered = self.hooks.register_notifiers(dict(self.settings.plugins))
        if not self.settings.notifiers:
            return registered
        missing = [n for n in self.settings.notifiers if n not in registered]
        if missing:
            raise PluginError(
                f"unknown notifier(s) {', '.join(missing)}; registered: "
                f"{', '.join(sorted(registered)) or 'none'}"
            )
        return {n: registered[n] for n in self.settings.notifiers}

    # -- people --------------------------------------------------------------------------

    def save_delegation(self, delegation: Delegation) -> Delegation:
        with self.unit_of_work() as uow:
            uow.delegations.put(delegation)
        return delegation

    def delegations(self) -> list[Delegation]:
        """Delegations in official order (``order``, then code)."""
        with self.unit_of_work() as uow:
            items = uow.delegations.list()
        return sorted(items, key=lambda d: (d.order, d.code))

    def save_official(self, official: Official) -> Official:
        with self.unit_of_work() as uow:
            uow.officials.put(official)
        return official

    def officials(self, role: str | None = None) -> list[Official]:
        with self.unit_of_work() as uow:
            items = uow.officials.select(role=role) if role else uow.officials.list()
        return sorted(items, key=lambda o: (self.name_key(o.name), o.id))

    def save_delegate(self, delegate: Delegate) -> Delegate:
        with self.unit_of_work() as uow:
            uow.delegations.get(delegate.delegation)
            uow.delegates.put(delegate)
        self._publish([DelegateSaved(occurred_at=self.now(), certificate_no=delegate.key)])
        return delegate

    def delegate(self, certificate_no: str) -> Delegate:
        with self.unit_of_work() as uow:
            return uow.delegates.get(certificate_no)

    def delegates(self, *, delegation: str | None = None) -> list[Delegate]:
        """Deputies in official order: by delegation order, then by name in the secretariat's
        collation (姓氏笔画 by default), then certificate number."""
        with self.unit_of_work() as uow:
            items = (
                uow.delegates.select(delegation=delegation) if delegation else uow.delegates.list()
            )
            units = {d.code: d for d in uow.delegations.list()}
        return self._official_order(items, units)

    def _official_order(
        self, items: Iterable[Delegate], units: Mapping[str, Delegation]
    ) -> list[Delegate]:
        def key(d: Delegate) -> tuple[Any, ...]:
            unit = units.get(d.delegation)
            return (unit.order if unit else 1 << 30, d.delegation, self.name_key(d.name), d.key)

        return sorted(items, key=key)

    def roster_by_name(self) -> list[Delegate]:
        """Every deputy ordered by name alone (the whole-course list)."""
        with self.unit_of_work() as uow:
            items = uow.delegates.list()
        return sorted(items, key=lambda d: (self.name_key(d.name), d.key))

    def import_roster(
        self,
        source: str | os.PathLike[str] | bytes | BinaryIO,
        *,
        format: str | None = None,
        source_name: str | None = None,
        progress: Progress | None = None,
    ) -> ImportReport:
        """Import a roster (xlsx, csv or ods).  Deputies are created or updated by certificate
        number; delegations are matched by name and created when new.  Either every row is
        written or, on any problem, none: :class:`~lvzhi.errors.ImportProblem` lists every
        bad row and column at once."""
        from lvzhi.importing import parse_roster

        name = source_name or (
            str(source) if isinstance(source, (str, os.PathLike)) else "<roster>"
        )
        with self.unit_of_work() as uow:
            existing_units = uow.delegations.list()
        codes = {d.name: d.code for d in existing_units}
        readable = Path(source) if isinstance(source, os.PathLike) else source
        parsed = parse_roster(readable, format=format, delegation_codes=codes, source_name=name)
        total = len(parsed.delegates)
        created = updated = 0
        new_units: list[str] = []
        with self.unit_of_work() as uow:
            next_order = max((d.order for d in existing_units), default=0) + 1
            for unit in parsed.delegations:
                if uow.delegations.find(unit.code) is None:
                    if unit.order == 0:
                        unit = attrs.evolve(unit, order=next_order)
                        next_order += 1
                    uow.delegations.add(unit)
                    new_units.append(unit.code)
            for done, delegate in enumerate(parsed.delegates, 1):
                if uow.delegates.find(delegate.key) is None:
                    created += 1
                else:
                    updated += 1
                uow.delegates.put(delegate)
                if progress and (done % 500 == 0 or done == total):
                    progress(done, total)
        report = ImportReport(
            source=name,
            delegates=total,
            created=created,
            updated=updated,
            delegations_created=tuple(new_units),
            ignored_columns=tuple(parsed.ignored_columns),
        )
        self._publish(
            [
                RosterImported(
                    occurred_at=self.now(),
                    source=name,
                    delegates=total,
                    delegations=len(parsed.delegations),
                    created=created,
                    updated=updated,
                )
            ]
        )
        return report

    # -- programme and timetable ---------------------------------------------------------

    def save_programme(self, programme: Programme) -> Programme:
        with self.unit_of_work() as uow:
            uow.programmes.put(programme)
        self._publish([ProgrammeSaved(occurred_at=self.now(), programme_id=programme.id)])
        return programme

    def programme(self, programme_id: str | None = None) -> Programme:
        """A programme by id; with no id, the only (or latest-starting) programme."""
        with self.unit_of_work() as uow:
            if programme_id is not None:
                return uow.programmes.get(programme_id)
            items = uow.programmes.list()
        if not items:
            raise NotFound("Programme", "(any)")
        return max(items, key=lambda p: (p.start_date, p.id))

    def save_venue(self, venue: Venue) -> Venue:
        with self.unit_of_work() as uow:
            uow.venues.put(venue)
        return venue

    def venues(self) -> list[Venue]:
        with self.unit_of_work() as uow:
            return uow.venues.list()

    def schedule(self, sessions: Iterable[Session]) -> list[Session]:
        """Add or replace timetable sessions, in one transaction.  Each session must belong to
        a stored programme, fall within its dates (local time) and use a stored venue."""
        items = list(sessions)
        with self.unit_of_work() as uow:
            for s in items:
                programme = uow.programmes.get(s.programme_id)
                for field, instant in (("starts_at", s.starts_at), ("ends_at", s.ends_at)):
                    day = programme.local(instant).date()
                    if not programme.start_date <= day <= programme.end_date:
                        raise ValidationError(
                            f"Session.{field}",
                            programme.local(instant).to_datetime_string(),
                            f"is outside the course dates {programme.start_date}"
                            f"..{programme.end_date} (session {s.id!r})",
                        )
                if s.venue_id is not None:
                    uow.venues.get(s.venue_id)
                uow.sessions.put(s)
        by_programme: dict[str, list[str]] = {}
        for s in items:
            by_programme.setdefault(s.programme_id, []).append(s.id)
        self._publish(
            TimetableChanged(occurred_at=self.now(), programme_id=p, session_ids=tuple(ids))
            for p, ids in by_programme.items()
        )
        return items

    def timetable(self, programme_id: str | None = None) -> list[Session]:
        """The sessions of a programme in time order."""
        pid = self.programme(programme_id).id
        with self.unit_of_work() as uow:
            items = uow.sessions.select(programme_id=pid)
        return sorted(items, key=lambda s: (s.starts_at, s.id))

    # -- discussion groups ---------------------------------------------------------------

    def form_groups(
        self,
        count: int,
        *,
        programme_id: str | None = None,
        strategy: str = "balanced",
        topic: str = "",
        venue_ids: Sequence[str] = (),
        options: Mapping[str, Any] | None = None,
    ) -> list[DiscussionGroup]:
        """Split every deputy into ``count`` discussion groups with a registered grouping
        strategy (``"balanced"`` mixes delegations, sectors, genders and new deputies;
        ``"by_delegation"`` keeps delegations whole).  Replaces the programme's groups."""
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise ValidationError("count", count, "must be a whole number >= 1")
        programme = self.programme(programme_id)
        strategies = self.hooks.register_grouping_strategies()
        if strategy not in strategies:
            raise PluginError(
                f"unknown grouping strategy {strategy!r}; registered: "
                f"{', '.join(sorted(strategies)) or 'none'}"
            )
        delegates = self.delegates()
        if count > len(delegates):
            raise ValidationError(
                "count", count, f"is more than the {len(delegates)} deputies on the roster"
            )
        context = GroupingContext(
            delegates=tuple(delegates),
            delegations=tuple(self.delegations()),
            groups=count,
            options=dict(options or {}),
        )
        parts = [list(p) for p in strategies[strategy].partition(context)]
        placed = [c for p in parts for c in p]
        if len(parts) != count or sorted(placed) != sorted(d.key for d in delegates):
            raise PluginError(
                f"grouping strategy {strategy!r} did not place every deputy exactly once "
                f"into {count} groups"
            )
        by_key = {d.key: d for d in delegates}
        groups = [
            DiscussionGroup(
                id=f"{programme.id}-g{n:02d}",
                programme_id=programme.id,
                number=n,
                name=f"第{n}组",
                topic=topic,
                venue_id=venue_ids[n - 1] if n - 1 < len(venue_ids) else None,
                members=tuple(sorted(part, key=lambda c: (self.name_key(by_key[c].name), c))),
            )
            for n, part in enumerate(parts, 1)
        ]
        with self.unit_of_work() as uow:
            for old in uow.groups.select(programme_id=programme.id):
                uow.groups.remove(old.id)
            for g in groups:
                uow.groups.add(g)
        self._publish(
            [
                GroupsFormed(
                    occurred_at=self.now(),
                    programme_id=programme.id,
                    strategy=strategy,
                    group_ids=tuple(g.id for g in groups),
                )
            ]
        )
        return groups

    def save_group(self, group: DiscussionGroup) -> DiscussionGroup:
        with self.unit_of_work() as uow:
            uow.programmes.get(group.programme_id)
            for member in group.members:
                uow.delegates.get(member)
            uow.groups.put(group)
        return group

    def groups(self, programme_id: str | None = None) -> list[DiscussionGroup]:
        pid = self.programme(programme_id).id
        with self.unit_of_work() as uow:
            items = uow.groups.select(programme_id=pid)
        return sorted(items, key=lambda g: g.number)

    # -- attendance log ------------------------------------------------------------------

    def record_scans(self, scans: Iterable[Scan]) -> int:
        """Append scans to the attendance log (idempotent by scan id); returns how many were
        new.  Each scan must name a stored session and deputy."""
        items = list(scans)
        received = self.now()
        new: list[Scan] = []
        with self.unit_of_work() as uow:
            for scan in items:
                uow.sessions.get(scan.session_id)
                uow.delegates.get(scan.certificate_no)
                if scan.received_at is None:
                    scan = attrs.evolve(scan, received_at=received)
                if uow.scans.append(scan):
                    new.append(scan)
        self._publish(
            ScanRecorded(
                occurred_at=received,
                scan_id=s.id,
                session_id=s.session_id,
                certificate_no=s.certificate_no,
            )
            for s in new
        )
        return len(new)

    def scans(self, *, session_id: str | None = None) -> list[Scan]:
        with self.unit_of_work() as uow:
            return uow.scans.list(session_id=session_id)

    # -- leave ---------------------------------------------------------------------------

    def request_leave(self, request: LeaveRequest) -> LeaveRequest:
        """File a written leave application (it then needs two approvals)."""
        with self.unit_of_work() as uow:
            uow.programmes.get(request.programme_id)
            uow.delegates.get(request.certificate_no)
            uow.leave_requests.add(request)
        self._publish(
            [
                LeaveRequested(
                    occurred_at=self.now(),
                    request_id=request.id,
                    certificate_no=request.certificate_no,
                )
            ]
        )
        return request

    def decide_leave(
        self,
        request_id: str,
        stage: LeaveStage | str,
        *,
        approver: str,
        approved: bool,
        note: str = "",
    ) -> LeaveRequest:
        """Record the delegation's (first) or the organiser's (second) decision."""
        stage = LeaveStage(stage)
        with self.unit_of_work() as uow:
            current = uow.leave_requests.get(request_id)
            new, events = current.decide(
                stage, approver=approver, approved=approved, at=self.now(), note=note
            )
            uow.leave_requests.put(new)
        self._publish(events)
        return new

    def leave_requests(self, *, certificate_no: str | None = None) -> list[LeaveRequest]:
        with self.unit_of_work() as uow:
            if certificate_no:
                return uow.leave_requests.select(certificate_no=certificate_no)
            return uow.leave_requests.list()

    # -- suggestions ---------------------------------------------------------------------

    def submit_suggestion(self, suggestion: Suggestion) -> Suggestion:
        with self.unit_of_work() as uow:
            uow.programmes.get(suggestion.programme_id)
            for proposer in suggestion.proposers:
                uow.delegates.get(proposer)
            uow.suggestions.add(suggestion)
        self._publish([SuggestionSubmitted(occurred_at=self.now(), suggestion_id=suggestion.id)])
        return suggestion

    def reply_to_suggestion(self, suggestion_id: str, body: str, *, replied_by: str) -> Suggestion:
        """Give the formal reply (专门答复) to a suggestion."""
        with self.unit_of_work() as uow:
            current = uow.suggestions.get(suggestion_id)
            new, events = current.answer(
                Reply(body=body, replied_by=replied_by, replied_at=self.now())
            )
            uow.suggestions.put(new)
        self._publish(events)
        return new

    def suggestions(self, programme_id: str | None = None) -> list[Suggestion]:
        pid = self.programme(programme_id).id
        with self.unit_of_work() as uow:
            return uow.suggestions.select(programme_id=pid)

    # -- notices -------------------------------------------------------------------------

    def issue_notice(self, notice: Notice, *, addresses: Mapping[str, str] | None = None) -> Notice:
        """Store a notice and hand it to the notifiers (``settings.notifiers``)."""
        with self.unit_of_work() as uow:
            uow.programmes.get(notice.programme_id)
            uow.notices.add(notice)
        for notifier in self.notifiers().values():
            notifier.send(notice, dict(addresses or {}))
        self._publish(
            [
                NoticeIssued(
                    occurred_at=self.now(), notice_id=notice.id, recipients=notice.recipients
                )
            ]
        )
        return notice

    def notices(self, programme_id: str | None = None) -> list[Notice]:
        pid = self.programme(programme_id).id
        with self.unit_of_work() as uow:
            return sorted(uow.notices.select(programme_id=pid), key=lambda n: n.issued_at)

    # -- tables and exports --------------------------------------------------------------

    def table(
        self,
        name: str,
        *,
        programme_id: str | None = None,
        reveal_phones: bool = False,
    ) -> tablib.Dataset | tablib.Databook:
        """A printable table: ``roster`` (花名册), ``timetable`` (日程安排表),
        ``delegations`` (one sheet per delegation), ``groups`` (one sheet per discussion
        group) or ``suggestions``."""
        from lvzhi import reports

        if name == "roster":
            return reports.roster_table(
                self.delegates(), self.delegations(), reveal_phones=reveal_phones
            )
        if name == "timetable":
            programme = self.programme(programme_id)
            return reports.timetable_table(programme, self.timetable(programme.id), self.venues())
        if name == "delegations":
            return reports.delegation_tables(
                self.delegates(),
                self.delegations(),
                self.officials(),
                reveal_phones=reveal_phones,
            )
        if name == "groups":
            with self.unit_of_work() as uow:
                units = uow.delegations.list()
                people = uow.delegates.list()
            return reports.group_tables(self.groups(programme_id), people, units)
        if name == "suggestions":
            programme = self.programme(programme_id)
            with self.unit_of_work() as uow:
                people = uow.delegates.list()
            return reports.suggestion_table(
                self.suggestions(programme.id),
                people,
                groups=self.groups(programme.id),
                timezone=programme.timezone,
            )
        raise ValidationError("table", name, f"must be one of {', '.join(TABLES)}")

    def export(
        self,
        name: str,
        format: str,
        target: str | os.PathLike[str] | None = None,
        *,
        programme_id: str | None = None,
        reveal_phones: bool = False,
    ) -> bytes:
        """Render a table (see :meth:`table`) in a registered format and, if ``target`` is
        given, write it there.  Spreadsheet formats are neutralised against formula
        injection; phone numbers are masked unless ``reveal_phones``."""
        from lvzhi.builtins.exporters import neutralise

        exporters = self.exporters()
        if format not in exporters:
            raise ValidationError(
                "format", format, f"must be one of {', '.join(sorted(exporters))}"
            )
        exporter = exporters[format]
        data = self.table(name, programme_id=programme_id, reveal_phones=reveal_phones)
        if exporter.spreadsheet:
            data = neutralise(data)
        payload = exporter.export(data)
        rows = _row_count(data)
        where = "<memory>"
        if target is not None:
            path = Path(target)
            tmp = path.with_name(path.name + ".part")
            tmp.write_bytes(payload)
            tmp.replace(path)
            where = str(path)
        self._publish(
            [
                ExportWritten(
                    occurred_at=self.now(), table=name, format=format, target=where, rows=rows
                )
            ]
        )
        return payload


def _row_count(data: Any) -> int:
    sheets = data.sheets() if hasattr(data, "sheets") else [data]
    return sum(s.height for s in sheets)


def open_secretariat(
    url: str | None = None,
    *,
    plugins: Iterable[object] = (),
    clock: Clock | None = None,
    settings: Settings | None = None,
    load_entrypoints: bool = True,
    environ: Mapping[str, str] | None = None,
) -> Secretariat:
    """Open a secretariat on the store at ``url``.

    With no URL, ``$LVZHI_DB`` is used, else ``sqlite:///lvzhi.db`` (a SQLite file in the
    current directory).  ``memory://`` keeps everything in memory.  A plain file path is
    taken as a SQLite file.  Other schemes (``postgresql://``) need the plugin that registers
    them.
    """
    env = os.environ if environ is None else environ
    url = url or env.get("LVZHI_DB") or DEFAULT_URL
    if not _scheme(url):
        url = f"sqlite:///{url}"
    pm = make_plugin_manager(load_entrypoints=load_entrypoints, plugins=plugins, environ=env)
    backends = Hooks(pm).register_storage_backends()
    scheme = _scheme(url)
    if scheme not in backends:
        raise PluginError(
            f"no storage backend for {scheme!r} URLs ({url}); installed: "
            f"{', '.join(s + '://' for s in sorted(backends)) or 'none'}"
        )
    storage = backends[scheme].from_url(url)
    return Secretariat(storage, pm=pm, clock=clock, settings=settings, url=url)
