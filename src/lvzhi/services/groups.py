"""Discussion groups (分组讨论): formed by a registered grouping strategy."""

from __future__ import annotations

import builtins
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from lvzhi.domain import DiscussionGroup
from lvzhi.domain.events import GroupAssigned, GroupsFormed
from lvzhi.domain.groups import GroupBalance, balance
from lvzhi.errors import PluginError, ValidationError
from lvzhi.ports import GroupingContext
from lvzhi.services.context import Service, current_programme, require_deputies

__all__ = ["GroupsService"]


class GroupsService(Service):
    """``office.groups``: discussion groups of a programme."""

    def form(
        self,
        count: int,
        *,
        programme_id: str | None = None,
        strategy: str | None = None,
        topic: str = "",
        venue_ids: Sequence[str] = (),
        options: Mapping[str, Any] | None = None,
    ) -> builtins.list[DiscussionGroup]:
        """Split every deputy into ``count`` discussion groups with a registered grouping
        strategy (default ``Settings.grouping_strategy``: ``"balanced"`` mixes delegations,
        sectors, genders and new deputies; ``"by_delegation"`` keeps delegations whole).
        Replaces the programme's groups, in one transaction."""
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise ValidationError("count", count, "must be a whole number >= 1")
        name = strategy or self._ctx.settings.grouping_strategy
        registry = self._ctx.registries.grouping
        registry.entry(name)  # unknown names fail before any work
        with self._ctx.write() as tx:
            uow = tx.uow
            programme = current_programme(uow, programme_id)
            units = uow.delegations.list()
            delegates = self._ctx.official_order(uow.delegates.list(), {u.code: u for u in units})
            if count > len(delegates):
                raise ValidationError(
                    "count", count, f"is more than the {len(delegates)} deputies on the roster"
                )
            context = GroupingContext(
                delegates=tuple(delegates),
                delegations=tuple(sorted(units, key=lambda d: (d.order, d.code))),
                groups=count,
                options=dict(options or {}),
            )
            parts = [
                list(p) for p in registry.call(name, "partition", lambda s: s.partition(context))
            ]
            placed = [c for p in parts for c in p]
            if len(parts) != count or sorted(placed) != sorted(d.key for d in delegates):
                raise PluginError(
                    f"grouping strategy {name!r} (plugin {registry.plugin_of(name)!r}) did not "
                    f"place every deputy exactly once into {count} groups"
                )
            by_key = {d.key: d for d in delegates}
            key = self._ctx.collation.key
            groups = [
                DiscussionGroup(
                    id=f"{programme.id}-g{n:02d}",
                    programme_id=programme.id,
                    number=n,
                    name=f"第{n}组",
                    topic=topic,
                    venue_id=venue_ids[n - 1] if n - 1 < len(venue_ids) else None,
                    members=tuple(sorted(part, key=lambda c: (key(by_key[c].name), c))),
                )
                for n, part in enumerate(parts, 1)
            ]
            for old in uow.groups.select(programme_id=programme.id):
                uow.groups.remove(old.id)
            uow.groups.put_many(groups)
            tx.emit(
                GroupsFormed(
                    occurred_at=self._ctx.now(),
                    programme_id=programme.id,
                    strategy=name,
                    group_ids=tuple(g.id for g in groups),
                )
            )
        return groups

    def save(self, group: DiscussionGroup) -> DiscussionGroup:
        """Add or replace one group; its programme and members must exist."""
        with self._ctx.write() as tx:
            tx.uow.programmes.get(group.programme_id)
            require_deputies(tx.uow, group.members, "DiscussionGroup.members")
            tx.uow.groups.put(group)
        return group

    def assign(
        self,
        group_id: str,
        *,
        convener: str | None = None,
        recorder: str | None = None,
        leaders: Sequence[str] | None = None,
        venue: str | None = None,
    ) -> DiscussionGroup:
        """Name a group's convener (召集人), recorder (记录人), attending leaders (列席领导)
        and room; each is an official (or a venue) that must exist.  Arguments left out
        keep their value; an empty ``leaders`` list removes them."""
        with self._ctx.write() as tx:
            uow = tx.uow
            group = uow.groups.get(group_id)
            changes: dict[str, Any] = {}
            for field, official in (("convener_id", convener), ("recorder_id", recorder)):
                if official is not None:
                    uow.officials.get(official)
                    changes[field] = official
            if leaders is not None:
                for official in leaders:
                    uow.officials.get(official)
                changes["leader_ids"] = tuple(leaders)
            if venue is not None:
                uow.venues.get(venue)
                changes["venue_id"] = venue
            new = attrs.evolve(group, **changes)
            uow.groups.put(new)
            tx.emit(GroupAssigned(occurred_at=self._ctx.now(), group_id=group.id))
        return new

    def balance(self, programme_id: str | None = None) -> GroupBalance:
        """How evenly delegations, genders, sectors and new deputies are spread over the
        programme's groups (one snapshot)."""
        with self._ctx.read() as uow:
            pid = current_programme(uow, programme_id).id
            groups = uow.groups.select(programme_id=pid)
            deputies = {d.key: d for d in uow.delegates.list()}
        return balance(groups, deputies)

    def list(self, programme_id: str | None = None) -> builtins.list[DiscussionGroup]:
        """The groups of a programme, by number."""
        with self._ctx.read() as uow:
            pid = current_programme(uow, programme_id).id
            items = uow.groups.select(programme_id=pid)
        return sorted(items, key=lambda g: g.number)
