"""How suggestions are filed and counted: the two-level taxonomy (category → aspects), the
reply templates, and the statistics behind the bulletin's sentence
("共收集意见建议96条，归纳为4大类8个方面")."""

from __future__ import annotations

import string
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from lvzhi.errors import ValidationError

__all__ = [
    "DEFAULT_REPLY_TEMPLATES",
    "DEFAULT_TAXONOMY",
    "REPLY_PLACEHOLDERS",
    "SuggestionStats",
    "Taxonomy",
    "count_suggestions",
    "render_reply",
    "to_taxonomy",
]


def _categories(value: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:
    items = value.items() if isinstance(value, Mapping) else value
    return tuple((str(c).strip(), tuple(str(a).strip() for a in aspects)) for c, aspects in items)


@attrs.frozen(kw_only=True)
class Taxonomy:
    """Categories (类别), each with its aspects (方面), in the order they are printed.

    Build one from a mapping: ``Taxonomy.of({"代表履职能力": ["学习培训", "调查研究"]})``.
    """

    categories: tuple[tuple[str, tuple[str, ...]], ...] = attrs.field(converter=_categories)

    @categories.validator
    def _check(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        names = [c for c, _ in value]
        if not value or any(not c for c in names) or len(set(names)) != len(names):
            raise ValidationError(
                "Taxonomy.categories", names, "needs distinct, non-empty categories"
            )
        for category, aspects in value:
            if not aspects or any(not a for a in aspects) or len(set(aspects)) != len(aspects):
                raise ValidationError(
                    "Taxonomy.categories",
                    {category: list(aspects)},
                    "each category needs distinct, non-empty aspects",
                )

    @classmethod
    def of(cls, categories: Mapping[str, Sequence[str]]) -> Taxonomy:
        return cls(categories=categories)

    def as_dict(self) -> dict[str, tuple[str, ...]]:
        return dict(self.categories)

    @property
    def names(self) -> tuple[str, ...]:
        """The categories, in order."""
        return tuple(c for c, _ in self.categories)

    def aspects(self, category: str) -> tuple[str, ...]:
        """The aspects of ``category``; a :class:`~lvzhi.errors.ValidationError` naming the
        categories when there is no such category."""
        found = self.as_dict().get(category)
        if found is None:
            raise ValidationError(
                "Suggestion.category", category, f"must be one of {'、'.join(self.names)}"
            )
        return found

    def check(self, category: str, aspect: str) -> None:
        """Refuse a category or aspect the taxonomy does not have (both empty: not yet
        classified), naming the allowed values."""
        if not category and not aspect:
            return
        if not category:
            raise ValidationError("Suggestion.category", category, "is needed with an aspect")
        allowed = self.aspects(category)
        if aspect not in allowed:
            raise ValidationError(
                "Suggestion.aspect",
                aspect,
                f"must be one of {'、'.join(allowed)} (category {category})",
            )

    @property
    def aspect_count(self) -> int:
        return sum(len(a) for _, a in self.categories)


def to_taxonomy(value: Any) -> Taxonomy:
    """A :class:`Taxonomy` from itself, a mapping or (category, aspects) pairs."""
    return value if isinstance(value, Taxonomy) else Taxonomy(categories=value)


#: Four categories and eight aspects fitting a course for deputies.
DEFAULT_TAXONOMY = Taxonomy.of(
    {
        "代表履职能力": ("学习培训", "调查研究"),
        "代表联系群众": ("联系渠道", "民意收集"),
        "代表工作机制": ("建议办理", "履职保障"),
        "培训组织服务": ("课程安排", "会务保障"),
    }
)

#: What a reply template may name.
REPLY_PLACEHOLDERS = (
    "number",
    "title",
    "body",
    "category",
    "aspect",
    "proposers",
    "group",
    "unit",
    "deadline",
    "signer",
    "date",
    "detail",
)

#: The usual answers (答复口径), with ``{placeholders}`` for the suggestion's fields.
DEFAULT_REPLY_TEMPLATES: Mapping[str, str] = {
    "已采纳": "{proposers}代表：您提出的第{number}号建议《{title}》收悉。经专题研究，"
    "该建议已予采纳，由{unit}负责落实。{detail}",
    "正在办理": "{proposers}代表：您提出的第{number}号建议《{title}》收悉。经专题研究，"
    "该建议正由{unit}办理，将于{deadline}前办结并反馈。{detail}",
    "留作参考": "{proposers}代表：您提出的第{number}号建议《{title}》收悉。经专题研究，"
    "该建议暂不具备实施条件，已留作今后工作参考。{detail}",
    "解释说明": "{proposers}代表：您提出的第{number}号建议《{title}》收悉。经专题研究，"
    "现将有关情况说明如下：{detail}",
}


def render_reply(template: str, values: Mapping[str, str], *, name: str = "") -> str:
    """``template`` with its ``{placeholders}`` filled from ``values``; a ``detail`` the
    template does not place is appended.  An unknown placeholder is a
    :class:`~lvzhi.errors.ValidationError` listing the known ones."""
    used = [field for _, field, _, _ in string.Formatter().parse(template) if field]
    unknown = sorted({u for u in used if u not in values})
    if unknown:
        raise ValidationError(
            f"reply template {name or template!r}",
            unknown,
            f"unknown placeholders; known: {', '.join(sorted(values))}",
        )
    text = template.format_map(dict(values))
    detail = values.get("detail", "")
    if detail and "detail" not in used:
        text += detail
    return text.strip()


@attrs.frozen(kw_only=True)
class SuggestionStats:
    """Counts computed from the suggestions of a course, merged ones left out (they live
    on in the suggestion they were merged into).  Each mapping is in a fixed order:
    taxonomy order for categories and aspects, number of suggestions (most first) then
    name for the rest."""

    total: int
    merged: int
    by_category: Mapping[str, int]
    by_aspect: Mapping[tuple[str, str], int]
    by_group: Mapping[str, int]
    by_unit: Mapping[str, int]
    by_state: Mapping[str, int]
    by_satisfaction: Mapping[str, int]

    @property
    def categories(self) -> int:
        """Categories actually used."""
        return sum(1 for c, n in self.by_category.items() if c and n)

    @property
    def aspects(self) -> int:
        """Aspects actually used."""
        return sum(1 for (c, a), n in self.by_aspect.items() if a and n)

    def bulletin(self) -> str:
        """The bulletin's sentence, from the data."""
        return f"共收集意见建议{self.total}条，归纳为{self.categories}大类{self.aspects}个方面"


def _ranked(counter: Counter[str], first: Sequence[str] = ()) -> dict[str, int]:
    place = {name: i for i, name in enumerate(first)}
    far = len(place)
    return dict(
        sorted(counter.items(), key=lambda kv: (place.get(kv[0], far), not kv[0], -kv[1], kv[0]))
    )


def count_suggestions(
    rows: Iterable[tuple[str, str, str, str, str, str, bool]],
    taxonomy: Taxonomy,
    *,
    groups: Sequence[str] = (),
) -> SuggestionStats:
    """Statistics from ``(category, aspect, group, unit, state, satisfaction, merged)``
    rows (one per suggestion; empty strings for what is not set); ``groups`` gives the
    order of the groups (the rest follow, most suggestions first; the unset value last)."""
    live = []
    merged = 0
    for row in rows:
        if row[6]:
            merged += 1
        else:
            live.append(row)
    categories: Counter[str] = Counter(r[0] for r in live)
    aspects: Counter[tuple[str, str]] = Counter((r[0], r[1]) for r in live)
    order = {c: i for i, c in enumerate(taxonomy.names)}
    aspect_order = {
        (c, a): (i, j)
        for i, (c, items) in enumerate(taxonomy.categories)
        for j, a in enumerate(items)
    }
    far = (len(order), 0)
    return SuggestionStats(
        total=len(live),
        merged=merged,
        by_category=dict(
            sorted(categories.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))
        ),
        by_aspect=dict(
            sorted(aspects.items(), key=lambda kv: (aspect_order.get(kv[0], far), kv[0]))
        ),
        by_group=_ranked(Counter(r[2] for r in live), groups),
        by_unit=_ranked(Counter(r[3] for r in live)),
        by_state=_ranked(Counter(r[4] for r in live)),
        by_satisfaction=_ranked(Counter(r[5] for r in live if r[5])),
    )
