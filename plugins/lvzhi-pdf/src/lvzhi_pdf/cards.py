"""Name cards (桌签): a folded tent card per deputy, the name large on both halves.

The ``namecards`` report lists the deputies in official order (delegations by their order,
the deputies of each by the name order of the secretariat, then certificate number): 序号,
姓名, 代表团, 代表证号.  Every exporter writes that list; the pdf exporter prints it as
cards on A4 paper:

* **one card per page** (the default): the sheet is folded across the middle, each half
  (210 × 148.5 mm) shows the name, and the delegation under it;
* **two cards per page** (option ``per_page=2``): the sheet is cut across the middle first,
  giving two smaller cards (faces of 210 × 74 mm).

The upper half of a card is printed upside down, so that, folded into a tent, both faces
read the right way up.  Folds are marked with a dashed line, cuts with a dotted one.  A name
is printed as large as fits the face; a two-character name is spaced out (王　芳), as
name cards usually are.

The report's sheet is titled 桌签 (one per page) or 桌签（每页两张） (two per page): that, with
its header, is how the exporter recognises it in a table that has been through the core's
preparation.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

import tablib

from lvzhi.domain import Delegate, Delegation
from lvzhi.errors import ValidationError
from lvzhi.i18n import _
from lvzhi.ports import ReportContext
from lvzhi_pdf.tables import cell_text, escaped, headers_of

__all__ = [
    "CARD_HEADERS",
    "CARD_TITLES",
    "NameCardsReport",
    "cards_per_page",
    "cards_section",
    "name_size",
]

CARD_HEADERS = ("序号", "姓名", "代表团", "代表证号")
#: Sheet title → cards per A4 page.
CARD_TITLES = {"桌签": 1, "桌签（每页两张）": 2}

#: Page and faces in millimetres.
PAGE_WIDTH = 210.0
PAGE_HEIGHT = 297.0
SIDE_MARGIN = 15.0
#: The largest name (height of a character, mm) on a face, and the delegation's size (pt),
#: by cards per page.
NAME_MAX = {1: 52.0, 2: 27.0}
UNIT_SIZE = {1: 28, 2: 14}
#: The part of the width between the margins a name may take (glyphs of a bold face are
#: a little wider than their em).
FILL = 0.92
#: Space between the two characters of a two-character name, in em.
PAIR_SPACING = 0.5


def _rank(delegations: Iterable[Delegation]) -> dict[str, tuple[int, str]]:
    return {d.code: (d.order, d.code) for d in delegations}


def _codes(value: Any) -> set[str]:
    if value is None or value == "":
        return set()
    if isinstance(value, str):
        return {part.strip() for part in value.split(",") if part.strip()}
    if isinstance(value, Sequence) and all(isinstance(v, str) for v in value):
        return set(value)
    raise ValidationError("delegation", value, _("must be a delegation code or a list of them"))


def cards_per_page(value: Any) -> int:
    """The option ``per_page``: 1 (default) or 2; a :class:`~lvzhi.errors.ValidationError`
    naming the value otherwise."""
    if value is None or value == "":
        return 1
    text = str(value).strip()
    if text in ("1", "2"):
        return int(text)
    raise ValidationError("per_page", value, _("must be 1 or 2 name cards per page"))


class NameCardsReport:
    """桌签: one name card per deputy, in official order.  Options: ``delegation`` (a code,
    or several separated by commas: only their deputies) and ``per_page`` (1 or 2 cards
    per A4 page in PDF)."""

    name = "namecards"
    title = "桌签"
    needs_programme = False

    def build(self, context: ReportContext) -> tablib.Dataset:
        per_page = cards_per_page(context.options.get("per_page"))
        wanted = _codes(context.options.get("delegation"))
        uow = context.uow
        delegations = list(uow.delegations.list())
        names = {d.code: d.name for d in delegations}
        rank = _rank(delegations)
        deputies: list[Delegate] = [
            d for d in uow.delegates.list() if not wanted or d.delegation in wanted
        ]
        unknown = sorted(wanted - {d.delegation for d in deputies} - set(names))
        if unknown:
            raise ValidationError("delegation", ",".join(unknown), _("no such delegation"))
        deputies.sort(key=lambda d: (context.order_key(d.name), d.certificate_no))
        deputies.sort(key=lambda d: rank.get(d.delegation, (1 << 30, d.delegation)))
        title = next(t for t, n in CARD_TITLES.items() if n == per_page)
        data = tablib.Dataset(headers=list(CARD_HEADERS), title=title)
        for number, deputy in enumerate(deputies, start=1):
            unit = names.get(deputy.delegation, deputy.delegation)
            data.append([number, deputy.name, unit, deputy.certificate_no])
        return data

    def __repr__(self) -> str:
        return f"<report {self.name} {self.title}>"


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def _spaced(name: str) -> bool:
    return len(name) == 2 and all(_wide(c) for c in name)


def name_size(name: str, per_page: int) -> float:
    """The size (mm) of the name on a face: as large as fits the width between the
    margins, at most :data:`NAME_MAX`, rounded down to 0.01 mm.  A wide character counts
    1 em, any other 0.55."""
    units = sum(1.0 if _wide(c) else 0.55 for c in name) or 1.0
    if _spaced(name):
        units += PAIR_SPACING
    usable = (PAGE_WIDTH - 2 * SIDE_MARGIN) * FILL
    return math.floor(100 * min(NAME_MAX[per_page], usable / units)) / 100


def _face(name: str, unit: str, per_page: int, side: str) -> str:
    size = name_size(name, per_page)
    spacing = f"letter-spacing:{PAIR_SPACING}em;padding-left:{PAIR_SPACING}em;" * _spaced(name)
    return (
        f'<div class="face {side}"><div class="face-inner">'
        f'<p class="card-name" style="font-size:{size}mm;{spacing}">{escaped(name)}</p>'
        f'<p class="card-unit" style="font-size:{UNIT_SIZE[per_page]}pt">{escaped(unit)}</p>'
        "</div></div>"
    )


def _card(name: str, unit: str, per_page: int) -> str:
    return (
        f'<div class="card card-{per_page}">'
        f"{_face(name, unit, per_page, 'back')}{_face(name, unit, per_page, 'front')}</div>"
    )


def cards_section(sheet: tablib.Dataset, per_page: int) -> str:
    """The cards of a ``namecards`` sheet, ``per_page`` to an A4 page."""
    headers = headers_of(sheet)
    name_at, unit_at = headers.index("姓名"), headers.index("代表团")
    cards = [_card(cell_text(r[name_at]), cell_text(r[unit_at]), per_page) for r in sheet]
    pages = ["".join(cards[start : start + per_page]) for start in range(0, len(cards), per_page)]
    body = "".join(f'<div class="card-page">{page}</div>' for page in pages)
    return f'<section class="sheet cards">{body}</section>'
