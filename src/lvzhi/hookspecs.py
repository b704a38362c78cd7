"""Hook specifications: the contract between lvzhi and its plugins.

Every hook is prefixed ``lvzhi_``.  Registration hooks return lists (pluggy gathers one list
per plugin; the core flattens them).  Names must be unique across plugins: two plugins
registering the same exporter format or backend scheme is a :class:`~lvzhi.errors.PluginError`
unless one of them is blocked.  Implementations may accept any subset of the arguments.

The docstring of each hook is its contract; ``docs/hooks.md`` repeats the signatures and a
test keeps the two in step.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from lvzhi.domain.events import Event
    from lvzhi.ports import (
        AttendanceRule,
        Collation,
        Exporter,
        GroupingStrategy,
        Notifier,
        SeatingStrategy,
        StorageBackend,
    )
    from lvzhi.secretariat import Secretariat

PROJECT = "lvzhi"
hookspec = pluggy.HookspecMarker(PROJECT)


@hookspec
def lvzhi_register_storage_backends() -> list[type[StorageBackend]]:  # type: ignore[empty-body]
    """Return storage backend classes.

    Each class has ``name`` and ``schemes`` class attributes and a ``from_url(url)``
    classmethod; :func:`lvzhi.open` picks the backend whose ``schemes`` contain the URL's
    scheme.  Two backends claiming one scheme is an error.
    """


@hookspec
def lvzhi_register_exporters() -> list[Exporter]:  # type: ignore[empty-body]
    """Return exporter instances, each with a unique ``format`` name (``"csv"``, ``"xlsx"``…).

    :meth:`Secretariat.export` looks the format up by name.
    """


@hookspec
def lvzhi_register_notifiers(settings: Mapping[str, Any]) -> list[Notifier]:  # type: ignore[empty-body]
    """Return notifier instances, each with a unique ``name``.

    ``settings`` are the secretariat's plugin settings (``Secretariat.settings.plugins``); a
    notifier that needs configuration it did not get returns nothing rather than failing.
    """


@hookspec
def lvzhi_register_attendance_rules() -> list[AttendanceRule]:  # type: ignore[empty-body]
    """Return attendance rules, each with a unique ``name``.

    Rules are asked in registration order (plugins registered later are asked first, as in
    pluggy); the first rule that returns a status code decides.
    """


@hookspec
def lvzhi_register_seating_strategies() -> list[SeatingStrategy]:  # type: ignore[empty-body]
    """Return seating strategies, each with a unique ``name``."""


@hookspec
def lvzhi_register_grouping_strategies() -> list[GroupingStrategy]:  # type: ignore[empty-body]
    """Return strategies that split deputies into discussion groups, each with a unique
    ``name`` (built in: ``"balanced"`` and ``"by_delegation"``)."""


@hookspec
def lvzhi_register_collations() -> list[type[Collation]]:  # type: ignore[empty-body]
    """Return name collation classes (constructed with keyword options), each with a unique
    ``name`` class attribute (built in: ``"strokes"`` and ``"pinyin"``)."""


@hookspec
def lvzhi_register_commands(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add subcommands to the ``lvzhi`` command line.

    Call ``subparsers.add_parser(name, help=...)`` and ``set_defaults(func=handler)`` where
    ``handler(args) -> int`` returns the exit code.  Called once when the CLI starts, with the
    plugins that the environment allows.
    """


@hookspec
def lvzhi_handle_event(event: Event, secretariat: Secretariat) -> None:
    """Told about every domain event after the change that caused it has been committed.

    ``event.name`` is a stable dotted string (``"roster.imported"``).  An exception raised
    here propagates to the caller; the committed change stays.
    """
