"""The SQLite schema, one frozen step per version.

Every step is literal SQL, written once and never changed after a release: a database made
by any released lvzhi is upgraded by exactly the statements that made the databases of the
versions after it.  Nothing here is generated from the list of aggregates
(:data:`lvzhi.storage.schema.AGGREGATES`), which changes; instead a test checks that after
the last step every aggregate has its table, its ``key`` and ``data`` columns, one column
per index and every index (``ix_<table>_<column>``), so an aggregate added without a step
fails it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from typing import Final

import attrs

from lvzhi.builtins.sqlite.connections import retry_busy
from lvzhi.errors import StorageError
from lvzhi.i18n import _

__all__ = [
    "MIGRATIONS",
    "SCHEMA_TABLE",
    "Migration",
    "apply_migrations",
    "latest_version",
    "prepare",
    "sql",
    "stored_version",
]


@attrs.frozen
class Migration:
    """One step of the schema: ``apply(connection)`` runs inside the migration transaction
    and must not commit."""

    version: int
    description: str
    apply: Callable[[sqlite3.Connection], None]


def sql(*statements: str) -> Callable[[sqlite3.Connection], None]:
    """A step's ``apply`` that runs literal SQL statements in order."""

    def run(connection: sqlite3.Connection) -> None:
        for statement in statements:
            connection.execute(statement)

    return run


#: Schema version 1 (release 0.1): the ten original repositories and the scan log.
V1: Final[tuple[str, ...]] = (
    'CREATE TABLE "delegations" (key TEXT PRIMARY KEY, data TEXT NOT NULL)',
    'CREATE TABLE "delegates" (key TEXT PRIMARY KEY, data TEXT NOT NULL, delegation TEXT)',
    'CREATE INDEX "ix_delegates_delegation" ON "delegates" (delegation)',
    'CREATE TABLE "officials" (key TEXT PRIMARY KEY, data TEXT NOT NULL)',
    'CREATE TABLE "programmes" (key TEXT PRIMARY KEY, data TEXT NOT NULL)',
    'CREATE TABLE "sessions" (key TEXT PRIMARY KEY, data TEXT NOT NULL, programme_id TEXT)',
    'CREATE INDEX "ix_sessions_programme_id" ON "sessions" (programme_id)',
    'CREATE TABLE "venues" (key TEXT PRIMARY KEY, data TEXT NOT NULL)',
    'CREATE TABLE "discussion_groups" '
    "(key TEXT PRIMARY KEY, data TEXT NOT NULL, programme_id TEXT)",
    'CREATE INDEX "ix_discussion_groups_programme_id" ON "discussion_groups" (programme_id)',
    'CREATE TABLE "leave_requests" '
    "(key TEXT PRIMARY KEY, data TEXT NOT NULL, programme_id TEXT, certificate_no TEXT)",
    'CREATE INDEX "ix_leave_requests_programme_id" ON "leave_requests" (programme_id)',
    'CREATE INDEX "ix_leave_requests_certificate_no" ON "leave_requests" (certificate_no)',
    'CREATE TABLE "suggestions" (key TEXT PRIMARY KEY, data TEXT NOT NULL, programme_id TEXT)',
    'CREATE INDEX "ix_suggestions_programme_id" ON "suggestions" (programme_id)',
    'CREATE TABLE "notices" (key TEXT PRIMARY KEY, data TEXT NOT NULL, programme_id TEXT)',
    'CREATE INDEX "ix_notices_programme_id" ON "notices" (programme_id)',
    "CREATE TABLE scans (id TEXT PRIMARY KEY, session_id TEXT NOT NULL, "
    "certificate_no TEXT NOT NULL, kind TEXT NOT NULL, scanned_at TEXT NOT NULL, "
    "received_at TEXT, zone TEXT NOT NULL DEFAULT '', taker_id TEXT, "
    "device TEXT NOT NULL DEFAULT '', source TEXT NOT NULL, forced INTEGER NOT NULL DEFAULT 0)",
    "CREATE INDEX ix_scans_session_certificate ON scans (session_id, certificate_no, scanned_at)",
    "CREATE INDEX ix_scans_certificate ON scans (certificate_no, scanned_at)",
    "CREATE INDEX ix_scans_scanned_at ON scans (scanned_at, id)",
)

#: Schema version 2: the transactional outbox and the notice deliveries.
V2: Final[tuple[str, ...]] = (
    'CREATE TABLE "outbox" (key TEXT PRIMARY KEY, data TEXT NOT NULL, state TEXT)',
    'CREATE INDEX "ix_outbox_state" ON "outbox" (state)',
    'CREATE TABLE "deliveries" '
    "(key TEXT PRIMARY KEY, data TEXT NOT NULL, notice_id TEXT, state TEXT)",
    'CREATE INDEX "ix_deliveries_notice_id" ON "deliveries" (notice_id)',
    'CREATE INDEX "ix_deliveries_state" ON "deliveries" (state)',
)

#: Schema version 3: halls, seat plans and attendance zones.
V3: Final[tuple[str, ...]] = (
    'CREATE TABLE "halls" (key TEXT PRIMARY KEY, data TEXT NOT NULL)',
    'CREATE TABLE "seat_plans" (key TEXT PRIMARY KEY, data TEXT NOT NULL, hall_id TEXT)',
    'CREATE INDEX "ix_seat_plans_hall_id" ON "seat_plans" (hall_id)',
    'CREATE TABLE "zones" (key TEXT PRIMARY KEY, data TEXT NOT NULL, hall_id TEXT)',
    'CREATE INDEX "ix_zones_hall_id" ON "zones" (hall_id)',
)

#: Schema version 4: corrections to the attendance log and spot checks.
V4: Final[tuple[str, ...]] = (
    'CREATE TABLE "attendance_corrections" '
    "(key TEXT PRIMARY KEY, data TEXT NOT NULL, session_id TEXT)",
    'CREATE INDEX "ix_attendance_corrections_session_id" ON "attendance_corrections" (session_id)',
    'CREATE TABLE "spot_checks" (key TEXT PRIMARY KEY, data TEXT NOT NULL, programme_id TEXT)',
    'CREATE INDEX "ix_spot_checks_programme_id" ON "spot_checks" (programme_id)',
)

#: Schema version 5: training plans, needs surveys and their responses, the work plan's
#: tasks and coordination meetings.
V5: Final[tuple[str, ...]] = (
    'CREATE TABLE "training_plans" (key TEXT PRIMARY KEY, data TEXT NOT NULL, kind TEXT)',
    'CREATE INDEX "ix_training_plans_kind" ON "training_plans" (kind)',
    'CREATE TABLE "surveys" (key TEXT PRIMARY KEY, data TEXT NOT NULL)',
    'CREATE TABLE "survey_responses" (key TEXT PRIMARY KEY, data TEXT NOT NULL, survey_id TEXT)',
    'CREATE INDEX "ix_survey_responses_survey_id" ON "survey_responses" (survey_id)',
    'CREATE TABLE "tasks" (key TEXT PRIMARY KEY, data TEXT NOT NULL, programme_id TEXT)',
    'CREATE INDEX "ix_tasks_programme_id" ON "tasks" (programme_id)',
    'CREATE TABLE "meetings" (key TEXT PRIMARY KEY, data TEXT NOT NULL, programme_id TEXT)',
    'CREATE INDEX "ix_meetings_programme_id" ON "meetings" (programme_id)',
)

#: Schema version 6: the course materials: handbooks, who speaks at which session, evaluation
#: questionnaires and their responses.
V6: Final[tuple[str, ...]] = (
    'CREATE TABLE "handbooks" (key TEXT PRIMARY KEY, data TEXT NOT NULL)',
    'CREATE TABLE "session_roles" (key TEXT PRIMARY KEY, data TEXT NOT NULL, programme_id TEXT)',
    'CREATE INDEX "ix_session_roles_programme_id" ON "session_roles" (programme_id)',
    'CREATE TABLE "questionnaires" (key TEXT PRIMARY KEY, data TEXT NOT NULL, programme_id TEXT)',
    'CREATE INDEX "ix_questionnaires_programme_id" ON "questionnaires" (programme_id)',
    'CREATE TABLE "questionnaire_responses" '
    "(key TEXT PRIMARY KEY, data TEXT NOT NULL, questionnaire_id TEXT)",
    'CREATE INDEX "ix_questionnaire_responses_questionnaire_id" '
    'ON "questionnaire_responses" (questionnaire_id)',
)

#: Schema version 7: the station passes of attendance takers.
V7: Final[tuple[str, ...]] = (
    'CREATE TABLE "station_passes" (key TEXT PRIMARY KEY, data TEXT NOT NULL, programme_id TEXT)',
    'CREATE INDEX "ix_station_passes_programme_id" ON "station_passes" (programme_id)',
)

#: Every schema step, oldest first.  Append new steps; never edit a released one.
MIGRATIONS: Final[tuple[Migration, ...]] = (
    Migration(1, "repositories and the scan log", sql(*V1)),
    Migration(2, "outbox and deliveries", sql(*V2)),
    Migration(3, "halls, seat plans and zones", sql(*V3)),
    Migration(4, "attendance corrections and spot checks", sql(*V4)),
    Migration(5, "training plans, surveys, tasks and meetings", sql(*V5)),
    Migration(6, "handbooks, session roles, questionnaires and responses", sql(*V6)),
    Migration(7, "station passes", sql(*V7)),
)

#: The table recording which steps have been applied.
SCHEMA_TABLE: Final = (
    "CREATE TABLE IF NOT EXISTS schema_migrations "
    "(version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL, "
    "description TEXT NOT NULL DEFAULT '')"
)

_RECORD: Final = (
    "INSERT INTO schema_migrations (version, applied_at, description) "
    "VALUES (?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?)"
)


def latest_version(migrations: Sequence[Migration] | None = None) -> int:
    """The version the given steps (by default :data:`MIGRATIONS`) lead to."""
    steps = MIGRATIONS if migrations is None else migrations
    return max((m.version for m in steps), default=0)


def stored_version(connection: sqlite3.Connection) -> int:
    """The highest step recorded in the database; 0 for a database without the table."""
    found = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
    ).fetchone()
    if found is None:
        return 0
    row = connection.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
    return int(row[0]) if row is not None and row[0] is not None else 0


def apply_migrations(connection: sqlite3.Connection, migrations: Sequence[Migration]) -> int:
    """Apply, in version order, the steps newer than the stored version and record each;
    returns the version reached.  Runs inside the caller's transaction and does not commit.
    The caller has already refused a database newer than ``migrations``."""
    connection.execute(SCHEMA_TABLE)
    current = stored_version(connection)
    for step in sorted(migrations, key=lambda m: m.version):
        if step.version > current:
            step.apply(connection)
            connection.execute(_RECORD, (step.version, step.description))
            current = step.version
    return current


def _refuse_newer(path: str, current: int, latest: int) -> None:
    if current > latest:
        raise StorageError(
            _(
                "SQLite database {path!r} has schema version {current}, newer than "
                "this lvzhi understands ({latest}); upgrade lvzhi to open it"
            ).format(path=path, current=current, latest=latest)
        )


def prepare(
    connection: sqlite3.Connection,
    path: str,
    *,
    readonly: bool,
    wal: bool,
    migrations: Sequence[Migration],
    deadline: float,
) -> None:
    """Make a newly opened database ready: WAL journal mode for a writable file, then the
    schema brought up to ``migrations`` in one ``BEGIN IMMEDIATE`` transaction (waiting out
    a busy database for up to ``deadline`` seconds).  A newer schema is refused; a
    read-only file with an older one is refused without being touched."""

    def retry(action: Callable[[], object], what: str) -> object:
        return retry_busy(action, deadline=deadline, what=what, path=path)

    if wal and not readonly:
        mode = retry(
            lambda: connection.execute("PRAGMA journal_mode = WAL").fetchone()[0],
            _("switch to WAL journal mode"),
        )
        if str(mode).lower() != "wal":
            raise StorageError(
                _(
                    "cannot switch SQLite database {path!r} to WAL journal mode (got {mode!r})"
                ).format(path=path, mode=mode)
            )
        connection.execute("PRAGMA synchronous = NORMAL")
    latest = latest_version(migrations)
    current = retry_busy(
        lambda: stored_version(connection),
        deadline=deadline,
        what=_("read the schema version"),
        path=path,
    )
    _refuse_newer(path, current, latest)
    if current == latest:
        return
    if readonly:
        raise StorageError(
            _(
                "SQLite database {path!r} is read-only and has schema version {current}, "
                "older than this lvzhi's {latest}; it cannot be upgraded here: have someone "
                "who can write it run 'lvzhi init' on it"
            ).format(path=path, current=current, latest=latest)
        )
    retry(lambda: connection.execute("BEGIN IMMEDIATE"), _("migrate the schema"))
    try:
        _refuse_newer(path, stored_version(connection), latest)  # another process won
        apply_migrations(connection, migrations)
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise
