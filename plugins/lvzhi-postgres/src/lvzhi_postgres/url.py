"""``postgresql://`` URLs: the connection, and the options lvzhi reads itself.

``postgresql://user:password@host:port/dbname?schema=course&pool_max=10`` — everything but
the options below is handed to libpq unchanged (``sslmode``, ``application_name``,
``connect_timeout``, ``target_session_attrs``…), so any connection URI libpq understands
works.  ``postgres://`` is accepted as well.

lvzhi's own options, removed before the URL reaches libpq:

``schema``
    The schema holding lvzhi's tables (default ``public``), created if missing.
``pool_min`` / ``pool_max``
    Connections the pool keeps open at least (default 1) and at most (default 10).
``pool_timeout``
    Seconds a unit of work waits for a free connection (default 30).
``lock_timeout``
    Seconds a unit of work that writes waits for the writer lock (default 60).
``prepare_threshold``
    Executions of a statement after which psycopg prepares it on the server (default 5);
    ``none`` never prepares (for a connection pooler in transaction mode).
``mode``
    ``rw`` (default) or ``ro``: a read-only backend never migrates and refuses units of
    work that write (a hot standby, a read replica).
"""

from __future__ import annotations

import re
from typing import Final
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import attrs

from lvzhi.errors import StorageError

__all__ = ["SCHEMES", "PostgresURL", "parse_postgres_url", "quote_identifier"]

#: The URL schemes the backend answers.
SCHEMES: Final = ("postgresql", "postgres")

_IDENTIFIER: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")
_OPTIONS: Final = (
    "schema",
    "pool_min",
    "pool_max",
    "pool_timeout",
    "lock_timeout",
    "prepare_threshold",
    "mode",
)


def quote_identifier(name: str) -> str:
    """``name`` as a quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


@attrs.frozen(kw_only=True)
class PostgresURL:
    """A parsed ``postgresql://`` URL: ``conninfo`` for libpq, and lvzhi's options."""

    conninfo: str
    schema: str = "public"
    pool_min: int = 1
    pool_max: int = 10
    pool_timeout: float = 30.0
    lock_timeout: float = 60.0
    prepare_threshold: int | None = 5
    readonly: bool = False

    @property
    def display(self) -> str:
        """The URL without its password, for messages."""
        parts = urlsplit(self.conninfo)
        netloc = parts.netloc
        if "@" in netloc:
            userinfo, _sep, host = netloc.rpartition("@")
            user = userinfo.partition(":")[0]
            netloc = f"{user}@{host}" if user else host
        return urlunsplit(parts._replace(netloc=netloc, query=""))


def _number(url: str, name: str, value: str, *, minimum: float, whole: bool) -> float:
    try:
        number = int(value) if whole else float(value)
    except ValueError:
        number = minimum - 1
    if number < minimum:
        kind = "a whole number" if whole else "a number"
        raise StorageError(
            f"PostgreSQL URL {url!r}: {name} must be {kind} >= {minimum:g}, not {value!r}"
        )
    return number


def parse_postgres_url(url: str) -> PostgresURL:
    """Split a ``postgresql://`` URL into the libpq connection URI and lvzhi's options; an
    unknown scheme, a bad schema name or a bad option value is a
    :class:`~lvzhi.errors.StorageError` naming it."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in SCHEMES:
        raise StorageError(
            f"not a PostgreSQL URL: {url!r} (use 'postgresql://user@host:port/dbname')"
        )
    found: dict[str, str] = {}
    passed: list[tuple[str, str]] = []
    for name, value in parse_qsl(parts.query, keep_blank_values=True):
        if name in _OPTIONS:
            found[name] = value
        else:
            passed.append((name, value))
    # libpq decodes %-escapes but not "+" for a space: quote, not quote_plus.
    query = urlencode(passed, quote_via=quote)
    conninfo = urlunsplit(parts._replace(scheme="postgresql", query=query))
    schema = found.get("schema", "public")
    if not _IDENTIFIER.fullmatch(schema):
        raise StorageError(
            f"PostgreSQL URL {url!r}: schema must be a plain identifier (letters, digits, "
            f"underscores, at most 63), not {schema!r}"
        )
    mode = found.get("mode", "rw")
    if mode not in ("ro", "rw"):
        raise StorageError(f"PostgreSQL URL {url!r}: mode must be 'ro' or 'rw', not {mode!r}")
    pool_min = int(_number(url, "pool_min", found.get("pool_min", "1"), minimum=0, whole=True))
    pool_max = int(_number(url, "pool_max", found.get("pool_max", "10"), minimum=1, whole=True))
    if pool_max < pool_min:
        raise StorageError(
            f"PostgreSQL URL {url!r}: pool_max ({pool_max}) is below pool_min ({pool_min})"
        )
    threshold_text = found.get("prepare_threshold", "5")
    threshold: int | None = None
    if threshold_text.lower() != "none":
        threshold = int(_number(url, "prepare_threshold", threshold_text, minimum=0, whole=True))
    return PostgresURL(
        conninfo=conninfo,
        schema=schema,
        pool_min=pool_min,
        pool_max=pool_max,
        pool_timeout=_number(
            url, "pool_timeout", found.get("pool_timeout", "30"), minimum=0, whole=False
        ),
        lock_timeout=_number(
            url, "lock_timeout", found.get("lock_timeout", "60"), minimum=0, whole=False
        ),
        prepare_threshold=threshold,
        readonly=mode == "ro",
    )
