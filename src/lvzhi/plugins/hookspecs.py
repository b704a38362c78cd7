"""Hook specifications: the contract between lvzhi and its plugins.

Every hook is prefixed ``lvzhi_``.  Registration hooks return lists (pluggy gathers one list
per plugin; the core puts them into registries keyed by name).  Names must be unique across
plugins: two plugins registering the same exporter format or backend scheme is a
:class:`~lvzhi.errors.PluginError` unless one of them is blocked.  Implementations may
accept any subset of the arguments.

Policies (collations, grouping and seating strategies, attendance rules) are chosen by
name in :class:`lvzhi.Settings`, never by the order in which pluggy calls plugins.

An exception raised by a plugin is reported as a :class:`~lvzhi.errors.PluginFailure`
naming the plugin and the hook.

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
        Report,
        SeatingStrategy,
        StorageBackend,
    )

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

    Every exporter renders every registered report.
    """


@hookspec
def lvzhi_register_reports() -> list[Report]:  # type: ignore[empty-body]
    """Return printable reports, each with a unique ``name`` (built in: ``"roster"``,
    ``"timetable"``, ``"delegations"``, ``"groups"``, ``"suggestions"``).

    ``office.export(name, format)`` builds the report from one read-only snapshot and
    renders it with the exporter registered for ``format``.
    """


@hookspec
def lvzhi_register_notifiers(settings: Mapping[str, Any]) -> list[Notifier]:  # type: ignore[empty-body]
    """Return notifier instances, each with a unique ``name`` (its channel).

    ``settings`` is this plugin's own part of the secretariat's plugin settings,
    ``Settings.plugins[<plugin name>]`` (an empty mapping when there is none).  A notifier
    that needs configuration it did not get returns nothing rather than failing.
    """


@hookspec
def lvzhi_register_attendance_rules() -> list[AttendanceRule]:  # type: ignore[empty-body]
    """Return attendance rules, each with a unique ``name`` (built in: ``"standard"``).

    The rule named in ``Settings.attendance_rule`` derives every status alone.
    """


@hookspec
def lvzhi_register_seating_strategies() -> list[SeatingStrategy]:  # type: ignore[empty-body]
    """Return seating strategies, each with a unique ``name`` (built in: ``"in_order"``).

    The strategy named in ``Settings.seating_strategy`` (or passed to
    ``office.seating.plan``) is used.
    """


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
def lvzhi_handle_event(event: Event, secretariat: Any) -> None:
    """Told about every domain event after the change that caused it has been committed.

    ``event.name`` is a stable dotted string (``"roster.imported"``); ``secretariat`` is the
    :class:`lvzhi.Secretariat` the change was made through.  Events are written to the
    outbox in the same transaction as the change, so none is lost if the process dies.
    Each plugin's handler is called on its own: an exception is recorded on the outbox
    entry (attempts, last error, next try) and the handler is called again with back-off by
    ``office.deliver_pending()``; it never reaches the caller of the change.  Handlers must
    therefore tolerate seeing an event more than once.
    """
