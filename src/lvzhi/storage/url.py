"""Storage URLs: the scheme that picks a backend, and the parts of a ``sqlite:///`` URL.

``sqlite:///relative/path.db`` (three slashes, then a path relative to the working
directory), ``sqlite:////abs/path.db`` (four slashes: an absolute path) and
``sqlite:///:memory:`` (a private in-memory database).  ``?mode=ro`` opens a file
read-only; ``?mode=rw`` (the default) opens it for reading and writing, creating it if it is
missing.  Percent-escapes in the path are decoded.
"""

from __future__ import annotations

from typing import Final
from urllib.parse import parse_qsl, unquote

import attrs

from lvzhi.errors import StorageError
from lvzhi.i18n import _

__all__ = ["MEMORY", "SQLiteURL", "parse_sqlite_url", "scheme"]

#: The path of SQLite's private in-memory database.
MEMORY: Final = ":memory:"

_SQLITE_PREFIX: Final = "sqlite:///"
_MODES: Final = ("ro", "rw")


def scheme(url: str) -> str:
    """The scheme of a storage URL in lower case (``"sqlite"`` for ``sqlite:///x.db``);
    :class:`~lvzhi.errors.StorageError` if there is none."""
    name, sep, _rest = url.partition(":")
    if not sep or not name or not name.replace("+", "").replace("-", "").isalnum():
        raise StorageError(_("not a storage URL: {url!r} (expected 'scheme://…')").format(url=url))
    return name.lower()


@attrs.frozen
class SQLiteURL:
    """A parsed ``sqlite:///`` URL: the database ``path`` and whether ``?mode=ro`` asked for
    a read-only connection."""

    path: str
    readonly: bool = False

    @property
    def memory(self) -> bool:
        """Whether this is the private in-memory database."""
        return self.path == MEMORY


def parse_sqlite_url(url: str) -> SQLiteURL:
    """Split a ``sqlite:///`` URL into its path and options; a malformed URL, an unknown
    option or an unknown mode is a :class:`~lvzhi.errors.StorageError` naming it."""
    if not url.lower().startswith(_SQLITE_PREFIX):
        raise StorageError(
            _(
                "not a SQLite URL: {url!r} (use 'sqlite:///relative.db', "
                "'sqlite:////absolute.db' or 'sqlite:///:memory:')"
            ).format(url=url)
        )
    rest = url[len(_SQLITE_PREFIX) :]
    raw_path, _sep, query = rest.partition("?")
    path = unquote(raw_path)
    if not path:
        raise StorageError(_("SQLite URL {url!r} names no file").format(url=url))
    readonly = False
    for name, value in parse_qsl(query, keep_blank_values=True):
        if name != "mode":
            raise StorageError(
                _("SQLite URL {url!r}: unknown option {name!r} (known: mode)").format(
                    url=url, name=name
                )
            )
        if value not in _MODES:
            raise StorageError(
                _("SQLite URL {url!r}: mode must be 'ro' or 'rw', not {value!r}").format(
                    url=url, value=value
                )
            )
        readonly = value == "ro"
    if readonly and path == MEMORY:
        raise StorageError(
            _("SQLite URL {url!r}: an in-memory database cannot be read-only").format(url=url)
        )
    return SQLiteURL(path, readonly)
