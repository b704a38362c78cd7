"""Discussion groups (分组讨论)."""

from __future__ import annotations

import attrs

from lvzhi.domain import _fields as f

__all__ = ["DiscussionGroup"]


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
    convener_id: str | None = attrs.field(default=None, validator=f.optional_identifier)
    leader_ids: tuple[str, ...] = attrs.field(
        default=(), converter=f.str_tuple, validator=f.identifiers
    )
    members: tuple[str, ...] = attrs.field(
        default=(), converter=f.str_tuple, validator=f.identifiers
    )  # certificate numbers

    def __attrs_post_init__(self) -> None:
        if len(set(self.members)) != len(self.members):
            dupes = sorted({m for m in self.members if self.members.count(m) > 1})
            from lvzhi.errors import ValidationError

            raise ValidationError("DiscussionGroup.members", dupes, "lists a deputy twice")

    @property
    def key(self) -> str:
        return self.id
