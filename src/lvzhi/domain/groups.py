"""Discussion groups (分组讨论) and how balanced a split is."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs

from lvzhi.domain import _fields as f
from lvzhi.domain.people import Delegate
from lvzhi.errors import ValidationError

__all__ = ["DiscussionGroup", "GroupBalance", "TraitSpread", "balance"]


@attrs.frozen(kw_only=True)
class DiscussionGroup:
    """One of the groups the deputies split into for the discussion (the seed: 12 groups on
    one topic, with leaders sitting in on each)."""

    id: str = attrs.field(validator=f.identifier)
    programme_id: str = attrs.field(validator=f.identifier)
    number: int = attrs.field(validator=f.positive_int)
    name: str = attrs.field(converter=f.clean_text, validator=f.non_empty)
    topic: str = attrs.field(default="", converter=f.clean_text, validator=f.text)
    venue_id: str | None = attrs.field(default=None, validator=f.optional_identifier)
    convener_id: str | None = attrs.field(default=None, validator=f.optional_identifier)  # 召集人
    recorder_id: str | None = attrs.field(default=None, validator=f.optional_identifier)  # 记录人
    leader_ids: tuple[str, ...] = attrs.field(
        default=(), converter=f.str_tuple, validator=f.identifiers
    )
    members: tuple[str, ...] = attrs.field(
        default=(), converter=f.str_tuple, validator=f.identifiers
    )  # certificate numbers

    def __attrs_post_init__(self) -> None:
        if len(set(self.members)) != len(self.members):
            dupes = sorted({m for m in self.members if self.members.count(m) > 1})
            raise ValidationError("DiscussionGroup.members", dupes, "lists a deputy twice")

    @property
    def key(self) -> str:
        return self.id


@attrs.frozen(kw_only=True)
class TraitSpread:
    """How one trait (a delegation, a gender, a sector, new deputies) is spread over the
    groups: its count in each group (by group number) and the spread, largest minus
    smallest."""

    trait: str
    counts: tuple[int, ...]

    @property
    def spread(self) -> int:
        return max(self.counts) - min(self.counts) if self.counts else 0


@attrs.frozen(kw_only=True)
class GroupBalance:
    """The balance a split achieved: sizes and the spread of every trait."""

    sizes: tuple[int, ...]
    delegations: tuple[TraitSpread, ...]
    genders: tuple[TraitSpread, ...]
    sectors: tuple[TraitSpread, ...]
    new_deputies: TraitSpread

    def worst(self) -> dict[str, int]:
        """The largest spread of each kind of trait (``size`` included)."""
        sizes = max(self.sizes) - min(self.sizes) if self.sizes else 0
        return {
            "size": sizes,
            "delegation": max((t.spread for t in self.delegations), default=0),
            "gender": max((t.spread for t in self.genders), default=0),
            "sector": max((t.spread for t in self.sectors), default=0),
            "new": self.new_deputies.spread,
        }


def balance(groups: Iterable[DiscussionGroup], delegates: Mapping[str, Delegate]) -> GroupBalance:
    """Count every trait in every group (groups by number; members looked up in
    ``delegates`` by certificate number, unknown ones counted in the sizes only)."""
    ordered = sorted(groups, key=lambda g: g.number)
    n = len(ordered)
    tables: dict[str, dict[str, list[int]]] = {"delegation": {}, "gender": {}, "sector": {}}
    new = [0] * n
    for i, group in enumerate(ordered):
        for cert in group.members:
            d = delegates.get(cert)
            if d is None:
                continue
            for kind, value in (
                ("delegation", d.delegation),
                ("gender", d.gender.label),
                ("sector", d.sector or "—"),
            ):
                tables[kind].setdefault(value, [0] * n)[i] += 1
            new[i] += d.is_new

    def spreads(kind: str) -> tuple[TraitSpread, ...]:
        return tuple(
            TraitSpread(trait=name, counts=tuple(counts))
            for name, counts in sorted(tables[kind].items())
        )

    return GroupBalance(
        sizes=tuple(len(g.members) for g in ordered),
        delegations=spreads("delegation"),
        genders=spreads("gender"),
        sectors=spreads("sector"),
        new_deputies=TraitSpread(trait="new", counts=tuple(new)),
    )
