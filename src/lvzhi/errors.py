"""The exception hierarchy of lvzhi.

Every error the library raises on purpose derives from :class:`LvzhiError`, so a
caller can catch one class.  Each error carries enough context to say *what*
was wrong (the field, row, column or value) in one line: ``str(error)`` is the
message the CLI prints.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from lvzhi.i18n import N_, _

__all__ = [
    "Conflict",
    "ImportProblem",
    "LvzhiError",
    "NotFound",
    "NotRegistered",
    "PermissionDenied",
    "PluginError",
    "PluginFailure",
    "RowProblem",
    "StorageError",
    "TransitionError",
    "UnknownCharacter",
    "ValidationError",
]


# Kinds of things named in messages (model names, registry kinds, collation data), so that
# ``_(kind)`` finds them in the catalog; a kind not listed is shown as given.
KINDS = (
    N_("Delegate"),
    N_("Delegation"),
    N_("Official"),
    N_("Programme"),
    N_("Session"),
    N_("Venue"),
    N_("DiscussionGroup"),
    N_("LeaveRequest"),
    N_("Suggestion"),
    N_("Notice"),
    N_("OutboxEntry"),
    N_("Delivery"),
    N_("storage scheme"),
    N_("export format"),
    N_("report"),
    N_("notifier"),
    N_("attendance rule"),
    N_("seating strategy"),
    N_("grouping strategy"),
    N_("collation"),
    N_("stroke"),
    N_("pinyin"),
    N_("Scan"),
    N_("Task"),
    N_("TrainingPlan"),
    N_("Survey"),
    N_("SurveyResponse"),
    N_("Meeting"),
    N_("Handbook"),
    N_("Questionnaire"),
    N_("StationPass"),
)


class LvzhiError(Exception):
    """Root of every error lvzhi raises deliberately."""


class ValidationError(LvzhiError, ValueError):
    """A value is not acceptable for a field.

    ``field`` names the attribute (``"Delegate.certificate_no"``), ``value`` is
    the offending value as given, ``reason`` says what is wrong with it.
    """

    def __init__(self, field: str, value: Any, reason: str) -> None:
        self.field = field
        self.value = value
        self.reason = reason
        super().__init__(
            _("{field}: {reason} (got {value!r})").format(field=field, reason=reason, value=value)
        )


class NotFound(LvzhiError, LookupError):
    """Something looked up by its key does not exist."""

    def __init__(self, kind: str, key: Any) -> None:
        self.kind = kind
        self.key = key
        super().__init__(_("{kind} {key!r} not found").format(kind=_(kind), key=key))


class Conflict(LvzhiError):
    """A change clashes with what is stored (duplicate key, stale version)."""


class PermissionDenied(LvzhiError):
    """The acting person may not do this.

    ``actor`` names who tried, ``action`` what, ``subject`` on what (a request id…) and
    ``reason`` why not; a plain message is accepted too (the fields are then empty)."""

    def __init__(
        self, *args: object, actor: str = "", action: str = "", subject: str = "", reason: str = ""
    ) -> None:
        self.actor = actor
        self.action = action
        self.subject = subject
        self.reason = reason
        if args:
            super().__init__(*args)
        else:
            super().__init__(
                _("{actor} may not {action} {subject}: {reason}").format(
                    actor=actor, action=action, subject=subject, reason=reason
                )
            )


class TransitionError(LvzhiError):
    """A state change is not allowed from the current state.

    ``target`` (optional) is the state the change would have led to; with it the message
    names both states: ``Suggestion in state 'submitted' cannot go to 'replied' (reply)``."""

    def __init__(self, kind: str, current: str, action: str, target: str | None = None) -> None:
        self.kind = kind
        self.current = current
        self.action = action
        self.target = target
        if target is None:
            super().__init__(f"{kind} in state {current!r} cannot {action}")
        else:
            super().__init__(
                _("{kind} in state {current!r} cannot go to {target!r} ({action})").format(
                    kind=kind, current=current, target=target, action=action
                )
            )


class StorageError(LvzhiError):
    """A storage backend failed; the driver's error is the ``__cause__``."""


class PluginError(LvzhiError):
    """A plugin is missing, duplicated, misspelt or misbehaving."""


class NotRegistered(PluginError, LookupError):
    """A name was looked up in a registry (export formats, notifiers, collations…) that no
    plugin registered.  ``registered`` lists the names that are."""

    def __init__(self, kind: str, name: str, registered: Iterable[str]) -> None:
        self.kind = kind
        self.name = name
        self.registered = tuple(sorted(registered))
        listed = _(", ").join(self.registered) or _("none")
        LvzhiError.__init__(
            self,
            _("unknown {kind} {name!r}; registered: {listed}").format(
                kind=_(kind), name=name, listed=listed
            ),
        )

    def __str__(self) -> str:  # LookupError would quote the message
        return str(self.args[0])


class PluginFailure(PluginError):
    """A plugin raised an exception inside a hook or a registered object.

    ``plugin`` names the plugin (its entry-point name), ``hook`` the hook or method; the
    plugin's own exception is the ``__cause__``."""

    def __init__(self, plugin: str, hook: str, error: BaseException) -> None:
        self.plugin = plugin
        self.hook = hook
        self.error = error
        super().__init__(
            _(
                "plugin {plugin!r} failed in {hook}: {error_type}: {error} "
                "(disable it with LVZHI_DISABLE_PLUGINS={plugin})"
            ).format(plugin=plugin, hook=hook, error_type=type(error).__name__, error=error)
        )


class UnknownCharacter(LvzhiError, KeyError):
    """A name holds a character the collation has no data for."""

    def __init__(self, char: str, name: str, data: str = "stroke") -> None:
        self.char = char
        self.name = name
        self.data = data
        LvzhiError.__init__(
            self,
            _(
                "no {data} data for '{char}' (U+{code:04X}) in name '{name}'; "
                "add it to an override table"
            ).format(data=_(data), char=char, code=ord(char), name=name),
        )

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


@attrs.frozen
class RowProblem:
    """One bad cell of an imported table.

    ``row`` is the 1-based row number as a spreadsheet shows it (``0``: the file or sheet as
    a whole), ``column`` the header as written in the file (or ``None`` for a whole-row
    problem), ``sheet`` the sheet's name when the workbook has more than one sheet.
    """

    row: int
    column: str | None
    value: Any
    reason: str
    sheet: str | None = None

    def __str__(self) -> str:
        parts = []
        if self.sheet:
            parts.append(_("sheet “{sheet}”").format(sheet=self.sheet))
        if self.row:
            parts.append(_("row {row}").format(row=self.row))
        if self.column:
            parts.append(_("column “{column}”").format(column=self.column))
        where = _(", ").join(parts) or _("file")
        if self.value is None or self.value == "":
            return _("{where}: {reason}").format(where=where, reason=self.reason)
        return _("{where}: {reason} (got {value!r})").format(
            where=where, reason=self.reason, value=self.value
        )


class ImportProblem(LvzhiError):
    """An import found problems; nothing was written.

    ``problems`` lists every bad row and column at once, so a user can fix the whole file
    in one pass.  The message (``str(error)``) lists the first :attr:`LISTED` of them and
    says how many more there are; ``problems`` keeps them all.
    """

    #: How many problems the message lists.
    LISTED = 50

    def __init__(self, source: str, problems: Iterable[RowProblem]) -> None:
        self.source = source
        self.problems: Sequence[RowProblem] = tuple(problems)
        count = len(self.problems)
        lines = [
            _("{source}: {count} problem(s), nothing was imported").format(
                source=source, count=count
            )
        ]
        lines += [f"  {p}" for p in self.problems[: self.LISTED]]
        if count > self.LISTED:
            lines.append("  " + _("… and {count} more").format(count=count - self.LISTED))
        super().__init__("\n".join(lines))

    @property
    def row(self) -> int | None:
        """Row of the first problem (convenience for single-problem errors)."""
        return self.problems[0].row if self.problems else None

    @property
    def column(self) -> str | None:
        """Column of the first problem."""
        return self.problems[0].column if self.problems else None
