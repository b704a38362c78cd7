"""The PostgreSQL schema, one frozen step per lvzhi schema version.

Every step is literal SQL, written once and never changed after a release.  The steps name
no schema: they run with ``SET LOCAL search_path`` to the backend's schema, so one set of
statements serves every schema.  Version *n* creates exactly the aggregates declared with
``since=n`` in :data:`lvzhi.storage.schema.AGGREGATES` (and version 1 the scan log); a test
checks that, so an aggregate added without its step fails it.

Tables of aggregates are ``(key text COLLATE "C" PRIMARY KEY, data jsonb NOT NULL, …)`` with
one ``text COLLATE "C"`` column, indexed as ``ix_<table>_<column>``, per attribute named in
the aggregate's ``indexes``.  ``COLLATE "C"`` orders keys by code point, as the other
backends do, whatever the database's collation.  The scan log has real columns, its
instants ``timestamptz``.

All steps missing from a database are applied in one transaction, under an advisory lock,
so two processes opening a new database at once do not both migrate it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Final

import attrs
import psycopg

from lvzhi.errors import StorageError
from lvzhi_postgres.url import quote_identifier

__all__ = [
    "MIGRATIONS",
    "Migration",
    "apply_migrations",
    "latest_version",
    "lock_key",
    "stored_version",
]


@attrs.frozen
class Migration:
    """One step of the schema: literal SQL statements run in order, in the migration
    transaction."""

    version: int
    description: str
    statements: tuple[str, ...]


#: Version 1: the ten original aggregates and the scan log.
V1: Final[tuple[str, ...]] = (
    'CREATE TABLE delegations (key text COLLATE "C" PRIMARY KEY, data jsonb NOT NULL)',
    'CREATE TABLE delegates (key text COLLATE "C" PRIMARY KEY, data jsonb NOT NULL, '
    'delegation text COLLATE "C")',
    "CREATE INDEX ix_delegates_delegation ON delegates (delegation)",
    'CREATE TABLE officials (key text COLLATE "C" PRIMARY KEY, data jsonb NOT NULL)',
    'CREATE TABLE programmes (key text COLLATE "C" PRIMARY KEY, data jsonb NOT NULL)',
    'CREATE TABLE sessions (key text COLLATE "C" PRIMARY KEY, data jsonb NOT NULL, '
    'programme_id text COLLATE "C")',
    "CREATE INDEX ix_sessions_programme_id ON sessions (programme_id)",
    'CREATE TABLE venues (key text COLLATE "C" PRIMARY KEY, data jsonb NOT NULL)',
    'CREATE TABLE discussion_groups (key text COLLATE "C" PRIMARY KEY, '
    'data jsonb NOT NULL, programme_id text COLLATE "C")',
    "CREATE INDEX ix_discussion_groups_programme_id ON discussion_groups (programme_id)",
    'CREATE TABLE leave_requests (key text COLLATE "C" PRIMARY KEY, data jsonb NOT NULL, '
    'programme_id text COLLATE "C", certificate_no text COLLATE "C")',
    "CREATE INDEX ix_leave_requests_programme_id ON leave_requests (programme_id)",
    "CREATE INDEX ix_leave_requests_certificate_no ON leave_requests (certificate_no)",
    'CREATE TABLE suggestions (key text COLLATE "C" PRIMARY KEY, data jsonb NOT NULL, '
    'programme_id text COLLATE "C")',
    "CREATE INDEX ix_suggestions_programme_id ON suggestions (programme_id)",
    # A suggestion's number (编号) is unique within its course, even if two writers
    # allocated it at once.
    "CREATE UNIQUE INDEX ux_suggestions_number ON suggestions "
    "(programme_id, ((data ->> 'number')::integer)) WHERE data ->> 'number' IS NOT NULL",
    'CREATE TABLE notices (key text COLLATE "C" PRIMARY KEY, data jsonb NOT NULL, '
    'programme_id text COLLATE "C")',
    "CREATE INDEX ix_notices_programme_id ON notices (programme_id)",
    'CREATE TABLE scans (id text COLLATE "C" PRIMARY KEY, '
    'session_id text COLLATE "C" NOT NULL, certificate_no text COLLATE "C" NOT NULL, '
    "kind text NOT NULL, scanned_at timestamptz NOT NULL, received_at timestamptz, "
    "zone text NOT NULL DEFAULT '', taker_id text, device text NOT NULL DEFAULT '', "
    "source text NOT NULL, forced boolean NOT NULL DEFAULT false, "
    'scanned_text text COLLATE "C" NOT NULL)',
    # Covers the per-session digest and summary: an index-only scan after VACUUM.
    "CREATE INDEX ix_scans_session_certificate ON scans (session_id, certificate_no, scanned_at) "
    "INCLUDE (kind, scanned_text)",
    "CREATE INDEX ix_scans_certificate ON scans (certificate_no, scanned_at)",
    "CREATE INDEX ix_scans_scanned_at ON scans (scanned_at, id)",
)

#: Version 2: the transactional outbox and the notice deliveries.
V2: Final[tuple[str, ...]] = (
    'CREATE TABLE outbox (key text COLLATE "C" PRIMARY KEY, data jsonb NOT NULL, '
    'state text COLLATE "C")',
    "CREATE INDEX ix_outbox_state ON outbox (state)",
    'CREATE TABLE deliveries (key text COLLATE "C" PRIMARY KEY, data jsonb NOT NULL, '
    'notice_id text COLLATE "C", state text COLLATE "C")',
    "CREATE INDEX ix_deliveries_notice_id ON deliveries (notice_id)",
    "CREATE INDEX ix_deliveries_state ON deliveries (state)",
)

#: Version 3: halls, seat plans and attendance zones.
V3: Final[tuple[str, ...]] = (
    'CREATE TABLE halls (key text COLLATE "C" PRIMARY KEY, data jsonb NOT NULL)',
    'CREATE TABLE seat_plans (key text COLLATE "C" PRIMARY KEY, data jsonb NOT NULL, '
    'hall_id text COLLATE "C")',
    "CREATE INDEX ix_seat_plans_hall_id ON seat_plans (hall_id)",
    'CREATE TABLE zones (key text COLLATE "C" PRIMARY KEY, data jsonb NOT NULL, '
    'hall_id text COLLATE "C")',
    "CREATE INDEX ix_zones_hall_id ON zones (hall_id)",
)

#: Version 4: corrections to the attendance log and spot checks.
V4: Final[tuple[str, ...]] = (
    'CREATE TABLE attendance_corrections (key text COLLATE "C" PRIMARY KEY, '
    'data jsonb NOT NULL, session_id text COLLATE "C")',
    "CREATE INDEX ix_attendance_corrections_session_id ON attendance_corrections (session_id)",
    'CREATE TABLE spot_checks (key text COLLATE "C" PRIMARY KEY, data jsonb NOT NULL, '
    'programme_id text COLLATE "C")',
    "CREATE INDEX ix_spot_checks_programme_id ON spot_checks (programme_id)",
)

#: Version 5: training plans, needs surveys and their responses, tasks and meetings.
V5: Final[tuple[str, ...]] = (
    'CREATE TABLE training_plans (key text COLLATE "C" PRIMARY KEY, data jsonb NOT NULL, '
    'kind text COLLATE "C")',
    "CREATE INDEX ix_training_plans_kind ON training_plans (kind)",
    'CREATE TABLE surveys (key text COLLATE "C" PRIMARY KEY, data jsonb NOT NULL)',
    'CREATE TABLE survey_responses (key text COLLATE "C" PRIMARY KEY, data jsonb NOT NULL, '
    'survey_id text COLLATE "C")',
    "CREATE INDEX ix_survey_responses_survey_id ON survey_responses (survey_id)",
    'CREATE TABLE tasks (key text COLLATE "C" PRIMARY KEY, data jsonb NOT NULL, '
    'programme_id text COLLATE "C")',
    "CREATE INDEX ix_tasks_programme_id ON tasks (programme_id)",
    'CREATE TABLE meetings (key text COLLATE "C" PRIMARY KEY, data jsonb NOT NULL, '
    'programme_id text COLLATE "C")',
    "CREATE INDEX ix_meetings_programme_id ON meetings (programme_id)",
)

#: Version 6: handbooks, session roles, evaluation questionnaires and their responses.
V6: Final[tuple[str, ...]] = (
    'CREATE TABLE handbooks (key text COLLATE "C" PRIMARY KEY, data jsonb NOT NULL)',
    'CREATE TABLE session_roles (key text COLLATE "C" PRIMARY KEY, data jsonb NOT NULL, '
    'programme_id text COLLATE "C")',
    "CREATE INDEX ix_session_roles_programme_id ON session_roles (programme_id)",
    'CREATE TABLE questionnaires (key text COLLATE "C" PRIMARY KEY, data jsonb NOT NULL, '
    'programme_id text COLLATE "C")',
    "CREATE INDEX ix_questionnaires_programme_id ON questionnaires (programme_id)",
    'CREATE TABLE questionnaire_responses (key text COLLATE "C" PRIMARY KEY, '
    'data jsonb NOT NULL, questionnaire_id text COLLATE "C")',
    "CREATE INDEX ix_questionnaire_responses_questionnaire_id "
    "ON questionnaire_responses (questionnaire_id)",
)

#: Version 7: the station passes of attendance takers.
V7: Final[tuple[str, ...]] = (
    'CREATE TABLE station_passes (key text COLLATE "C" PRIMARY KEY, data jsonb NOT NULL, '
    'programme_id text COLLATE "C")',
    "CREATE INDEX ix_station_passes_programme_id ON station_passes (programme_id)",
)

#: Every step, oldest first.  Append new steps; never edit a released one.
MIGRATIONS: Final[tuple[Migration, ...]] = (
    Migration(1, "repositories and the scan log", V1),
    Migration(2, "outbox and deliveries", V2),
    Migration(3, "halls, seat plans and zones", V3),
    Migration(4, "attendance corrections and spot checks", V4),
    Migration(5, "training plans, surveys, tasks and meetings", V5),
    Migration(6, "handbooks, session roles, questionnaires and responses", V6),
    Migration(7, "station passes", V7),
)

_SCHEMA_TABLE: Final = (
    "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, "
    "applied_at timestamptz NOT NULL DEFAULT now(), description text NOT NULL DEFAULT '')"
)


def latest_version(migrations: Sequence[Migration] | None = None) -> int:
    """The version the given steps (by default :data:`MIGRATIONS`) lead to."""
    steps = MIGRATIONS if migrations is None else migrations
    return max((m.version for m in steps), default=0)


def lock_key(purpose: str, schema: str) -> int:
    """A stable signed 64-bit advisory-lock key for ``purpose`` in ``schema``."""
    digest = hashlib.blake2b(f"lvzhi:{purpose}:{schema}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def stored_version(connection: psycopg.Connection[tuple[object, ...]], schema: str) -> int:
    """The highest step recorded in ``schema``; 0 if it has no ``schema_migrations`` table."""
    table = f"{quote_identifier(schema)}.schema_migrations"
    row = connection.execute("SELECT to_regclass(%s) IS NOT NULL", (table,)).fetchone()
    if row is None or not row[0]:
        return 0
    found = connection.execute(f"SELECT max(version) FROM {table}").fetchone()
    return int(str(found[0])) if found is not None and found[0] is not None else 0


def _refuse_newer(where: str, current: int, latest: int) -> None:
    if current > latest:
        raise StorageError(
            f"PostgreSQL schema {where} has lvzhi schema version {current}, newer than this "
            f"lvzhi-postgres understands ({latest}); upgrade lvzhi and lvzhi-postgres to open it"
        )


def apply_migrations(
    connection: psycopg.Connection[tuple[object, ...]],
    schema: str,
    *,
    where: str,
    readonly: bool,
    migrations: Sequence[Migration] = MIGRATIONS,
) -> int:
    """Bring ``schema`` up to ``migrations`` and return the version reached.

    A schema already up to date is only read (so a read replica, or a role that may not
    create tables, can open it).  Otherwise the schema (if missing), the
    ``schema_migrations`` table and every missing step are created in one transaction
    under an advisory lock; a failing step leaves nothing behind.  A newer schema is
    refused, and so is an older one when ``readonly``.  ``connection`` is in autocommit
    mode and left outside any transaction."""
    latest = latest_version(migrations)
    current = stored_version(connection, schema)
    _refuse_newer(where, current, latest)
    if current == latest:
        return current
    if readonly:
        raise StorageError(
            f"PostgreSQL schema {where} has lvzhi schema version {current}, older than this "
            f"lvzhi's {latest}, and the backend is read-only (mode=ro): open it once "
            "without mode=ro (or run 'lvzhi init' on it) to upgrade it"
        )
    quoted = quote_identifier(schema)
    with connection.transaction():
        connection.execute("SELECT pg_advisory_xact_lock(%s)", (lock_key("migrate", schema),))
        connection.execute(f"CREATE SCHEMA IF NOT EXISTS {quoted}")
        connection.execute(f"SET LOCAL search_path TO {quoted}")
        connection.execute(_SCHEMA_TABLE)
        current = stored_version(connection, schema)  # another process may have migrated
        _refuse_newer(where, current, latest)
        for step in sorted(migrations, key=lambda m: m.version):
            if step.version <= current:
                continue
            for statement in step.statements:
                connection.execute(statement)
            connection.execute(
                "INSERT INTO schema_migrations (version, description) VALUES (%s, %s)",
                (step.version, step.description),
            )
            current = step.version
    return current
