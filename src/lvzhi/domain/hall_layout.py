"""Build a :class:`~lvzhi.domain.halls.Hall` from a compact description: sections of rows
given by their seat counts, a numbering, blocked and reserved seats, a rostrum.

Numbering (how the printed seat numbers run), as seen from the audience:

``left-to-right``
    each section's row is numbered 1, 2, 3 … from the audience's left (``first`` sets the
    first number); ``right-to-left`` the other way round.
``odd-even`` (单双号)
    numbers start at the centre line of the floor and run outward: odd numbers to one side,
    even numbers to the other, continuing across side aisles.  With ``odd_side="left"``
    (the default) a row of 20 split by a centre aisle reads, from the audience's left,
    ``19 17 … 3 1 | 2 4 … 18 20``; with ``odd_side="right"`` it reads ``20 18 … 2 | 1 3 …
    19``.  The centre line is the middle aisle when the floor has an even number of
    columns of odd-even sections (see :class:`SectionSpec`), else the middle of the
    middle column (whose odd side then takes the extra seat of an odd row: ``21 19 … 1 |
    2 … 20``).  Halls differ: check the printed plan of yours and set ``odd_side`` to
    match.

Labels are made from a template with the fields ``{row}``, ``{number}``, ``{section}``
(the section's name), ``{section_id}`` and ``{floor}`` (the floor's name).  Without one the
first of ``{row}排{number}号``, ``{section}{row}排{number}号``, ``{floor}{row}排{number}号``
and ``{floor}{section}{row}排{number}号`` that is unique in the hall is used.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

import attrs

from lvzhi.domain import _fields as f
from lvzhi.domain.halls import Floor, Hall, Rostrum, Row, Seat, Section
from lvzhi.errors import ValidationError

__all__ = [
    "AISLE",
    "ALIGNS",
    "NUMBERINGS",
    "SIDES",
    "Align",
    "Numbering",
    "RowSpec",
    "SectionSpec",
    "Side",
    "build_hall",
    "uniform_rows",
]

Numbering = Literal["left-to-right", "right-to-left", "odd-even"]
Side = Literal["left", "right"]
Align = Literal["centre", "left", "right"]
NUMBERINGS: tuple[Numbering, ...] = ("left-to-right", "right-to-left", "odd-even")
SIDES: tuple[Side, ...] = ("left", "right")
ALIGNS: tuple[Align, ...] = ("centre", "left", "right")
#: Width of an aisle between two sections, in seat widths.
AISLE = 1.0

_DEFAULT_LABELS = (
    "{row}排{number}号",
    "{section}{row}排{number}号",
    "{floor}{row}排{number}号",
    "{floor}{section}{row}排{number}号",
)
_FLOOR_NAMES = dict(enumerate("一二三四五六七八九", 1))


def _one_of(choices: tuple[str, ...], optional: bool = False) -> Any:
    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if optional and value is None:
            return
        if value not in choices:
            f.fail(instance, attribute, value, f"must be one of {', '.join(choices)}")

    return check


def _optional_column(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None:
        f.positive_int(instance, attribute, value)


def _offset(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and (
        isinstance(value, bool) or not isinstance(value, int | float) or value < 0
    ):
        f.fail(instance, attribute, value, "must be a number of seat widths >= 0")


def _row_specs(value: Iterable[RowSpec]) -> tuple[RowSpec, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class RowSpec:
    """One row: its number, seat count and what differs from its section.

    ``offset`` is the distance of its first seat from the section's left edge in seat widths
    (default: by the section's ``align``); ``first`` the first printed number for
    ``left-to-right``/``right-to-left`` numbering; ``blocked``/``reserved`` mark every seat
    of the row."""

    number: int = attrs.field(validator=f.positive_int)
    seats: int = attrs.field(validator=f.positive_int)
    offset: float | None = attrs.field(default=None, validator=_offset)
    numbering: Numbering | None = attrs.field(default=None, validator=_one_of(NUMBERINGS, True))
    first: int = attrs.field(default=1, validator=f.positive_int)
    blocked: bool = attrs.field(default=False, validator=f.instance_of(bool))
    reserved: bool = attrs.field(default=False, validator=f.instance_of(bool))


@attrs.frozen(kw_only=True)
class SectionSpec:
    """A section: its rows front first, its floor, numbering (default: the hall's), how
    shorter rows are aligned, and seats blocked or reserved in it (``3排5号``, a full
    label or a seat id).  Sections with the same ``column`` stand one behind the other
    (front and back blocks split by a cross aisle); by default each section is a column
    of its own, side by side from the audience's left in the order listed."""

    id: str = attrs.field(validator=f.identifier)
    name: str = attrs.field(converter=f.clean_text, validator=f.non_empty)
    rows: tuple[RowSpec, ...] = attrs.field(converter=_row_specs)
    floor: int = attrs.field(default=1, validator=f.positive_int)
    numbering: Numbering | None = attrs.field(default=None, validator=_one_of(NUMBERINGS, True))
    align: Align = attrs.field(default="centre", validator=_one_of(ALIGNS))
    column: int | None = attrs.field(default=None, validator=_optional_column)
    blocked: tuple[str, ...] = attrs.field(default=(), converter=f.str_tuple)
    reserved: tuple[str, ...] = attrs.field(default=(), converter=f.str_tuple)


def uniform_rows(rows: int, seats: int, *, first_row: int = 1) -> tuple[RowSpec, ...]:
    """``rows`` rows of ``seats`` seats, numbered from ``first_row``."""
    return tuple(RowSpec(number=first_row + i, seats=seats) for i in range(rows))


@attrs.define
class _Place:
    """A seat being laid out."""

    spec: SectionSpec
    floor: int
    row: RowSpec
    position: int
    x: float
    number: int = 0
    label: str = ""
    blocked: bool = False
    reserved: bool = False

    @property
    def id(self) -> str:
        return f"{self.spec.id}-{self.row.number}-{self.number}"


def build_hall(
    *,
    id: str,
    name: str,
    sections: Iterable[SectionSpec],
    floors: Mapping[int, str] | None = None,
    numbering: Numbering = "left-to-right",
    odd_side: Side = "left",
    label: str | None = None,
    blocked: Iterable[str] = (),
    reserved: Iterable[str] = (),
    rostrum: Rostrum | Sequence[int] | None = None,
) -> Hall:
    """The hall described: see the module documentation for numbering and labels.

    ``floors`` names the floors by number (default 一楼, 二楼 …); ``blocked`` and
    ``reserved`` list seats by id or label; ``rostrum`` is a
    :class:`~lvzhi.domain.halls.Rostrum` or its seat counts per row.  Errors name the hall,
    section, row or seat at fault."""
    where = f"hall {id!r}"
    if numbering not in NUMBERINGS:
        raise ValidationError(f"{where} numbering", numbering, f"must be one of {NUMBERINGS}")
    if odd_side not in SIDES:
        raise ValidationError(f"{where} odd_side", odd_side, "must be 'left' or 'right'")
    specs = list(sections)
    if len({s.id for s in specs}) != len(specs):
        seen = [s.id for s in specs]
        twice = next(s for s in seen if seen.count(s) > 1)
        raise ValidationError(f"{where}, section {twice!r}", twice, "section id used twice")
    floor_names = {n: _FLOOR_NAMES.get(n, f"{n}") + "楼" for n in {s.floor for s in specs}}
    floor_names.update(floors or {})
    places: list[_Place] = []
    for floor in sorted({s.floor for s in specs}):
        on_floor = [s for s in specs if s.floor == floor]
        places += _lay_out(where, floor, on_floor)
        _number(on_floor, [p for p in places if p.floor == floor], numbering, odd_side)
    _label(where, places, label, floor_names)
    _mark(where, places, blocked, reserved)
    by_section: dict[str, list[_Place]] = {}
    for place in places:
        by_section.setdefault(place.spec.id, []).append(place)
    built_floors = []
    for floor in sorted({s.floor for s in specs}):
        built = [_section(s, by_section.get(s.id, [])) for s in specs if s.floor == floor]
        built_floors.append(Floor(number=floor, name=floor_names[floor], sections=built))
    if rostrum is not None and not isinstance(rostrum, Rostrum):
        rostrum = Rostrum(rows=tuple(rostrum))
    return Hall(id=id, name=name, floors=built_floors, rostrum=rostrum)


def _columns(specs: list[SectionSpec]) -> list[list[SectionSpec]]:
    """A floor's sections grouped side by side: sections with the same ``column`` stand one
    behind the other (a cross aisle between them); a section without one is a column of its
    own, after the numbered ones, in the order listed."""
    columns: dict[tuple[int, int], list[SectionSpec]] = {}
    for i, spec in enumerate(specs):
        key = (0, spec.column) if spec.column is not None else (1, i)
        columns.setdefault(key, []).append(spec)
    return [columns[k] for k in sorted(columns)]


def _lay_out(where: str, floor: int, specs: list[SectionSpec]) -> list[_Place]:
    """Seats with their x positions: columns of sections side by side, an aisle between
    them."""
    places: list[_Place] = []
    left = 0.0
    for column in _columns(specs):
        width = max((r.seats + (r.offset or 0) for s in column for r in s.rows), default=0)
        taken: dict[int, str] = {}
        for spec in column:
            here = f"{where}, section {spec.id!r}"
            numbers = [r.number for r in spec.rows]
            if numbers != sorted(set(numbers)):
                raise ValidationError(here, numbers, "row numbers must rise front to back")
            for row in spec.rows:
                if row.number in taken:
                    raise ValidationError(
                        here, row.number, f"row also in section {taken[row.number]!r}"
                    )
                taken[row.number] = spec.id
                if row.offset is not None:
                    offset = row.offset
                else:
                    offset = {"left": 0.0, "centre": (width - row.seats) / 2}.get(
                        spec.align, width - row.seats
                    )
                for position in range(1, row.seats + 1):
                    x = left + offset + position - 1
                    places.append(_Place(spec=spec, floor=floor, row=row, position=position, x=x))
        left += width + AISLE
    return places


def _number(
    specs: list[SectionSpec], places: list[_Place], numbering: Numbering, odd_side: Side
) -> None:
    """Printed numbers of one floor's seats."""
    rows: dict[tuple[str, int], list[_Place]] = {}
    for place in places:
        rows.setdefault((place.spec.id, place.row.number), []).append(place)

    def scheme(spec: SectionSpec, row: RowSpec | None = None) -> Numbering:
        return (row.numbering if row else None) or spec.numbering or numbering

    paired = [c for c in _columns(specs) if any(scheme(s) == "odd-even" for s in c)]
    across: set[int] = set()
    for seats in rows.values():
        row, spec = seats[0].row, seats[0].spec
        if scheme(spec, row) == "left-to-right":
            for i, place in enumerate(seats):
                place.number = row.first + i
        elif scheme(spec, row) == "right-to-left":
            for i, place in enumerate(reversed(seats)):
                place.number = row.first + i
        elif scheme(spec) == "odd-even":
            across.add(row.number)
        else:  # an odd-even row in a section numbered otherwise: its own centre line
            _deal(*_split(seats, odd_side), odd_side)
    middle, odd = divmod(len(paired), 2)

    def seats_of(column: list[SectionSpec], number: int) -> list[_Place]:
        for spec in column:
            seats = rows.get((spec.id, number), [])
            if seats and scheme(spec, seats[0].row) == "odd-even":
                return seats
        return []

    for number in sorted(across):
        left: list[_Place] = []
        right: list[_Place] = []
        if odd:
            inner_left, inner_right = _split(seats_of(paired[middle], number), odd_side)
            left += inner_left
            right += inner_right
        for column in reversed(paired[:middle]):
            left += reversed(seats_of(column, number))
        for column in paired[middle + odd :]:
            right += seats_of(column, number)
        _deal(left, right, odd_side)


def _split(seats: list[_Place], odd_side: Side) -> tuple[list[_Place], list[_Place]]:
    """A row cut at its middle: each half from the centre outward; the odd side takes the
    extra seat of an odd row."""
    half = (len(seats) + (1 if odd_side == "left" else 0)) // 2
    return list(reversed(seats[:half])), seats[half:]


def _deal(left: list[_Place], right: list[_Place], odd_side: Side) -> None:
    odd, even = (left, right) if odd_side == "left" else (right, left)
    for i, place in enumerate(odd):
        place.number = 2 * i + 1
    for i, place in enumerate(even):
        place.number = 2 * i + 2


def _label(
    where: str, places: list[_Place], template: str | None, floors: Mapping[int, str]
) -> None:
    for candidate in (template,) if template else _DEFAULT_LABELS:
        labels: dict[str, _Place] = {}
        for place in places:
            try:
                text = candidate.format(
                    row=place.row.number,
                    number=place.number,
                    section=place.spec.name,
                    section_id=place.spec.id,
                    floor=floors[place.floor],
                )
            except (KeyError, IndexError, ValueError) as error:
                raise ValidationError(
                    f"{where} label", candidate, f"bad template: {error}"
                ) from None
            if text in labels:
                if template:
                    raise ValidationError(
                        f"{where} label",
                        template,
                        f"gives {text!r} to seats {labels[text].id!r} and {place.id!r}",
                    )
                break
            labels[text] = place
            place.label = text
        else:
            return
    raise ValidationError(where, template, "seat labels are not unique; give a label template")


def _mark(
    where: str, places: list[_Place], blocked: Iterable[str], reserved: Iterable[str]
) -> None:
    everywhere: dict[str, _Place] = {}
    local: dict[tuple[str, str], _Place] = {}
    for place in places:
        everywhere[place.id] = everywhere[place.label] = place
        local[(place.spec.id, f"{place.row.number}排{place.number}号")] = place
        place.blocked = place.row.blocked
        place.reserved = place.row.reserved
    specs = {p.spec.id: p.spec for p in places}
    for flag, keys in (("blocked", blocked), ("reserved", reserved)):
        for key in keys:
            found = everywhere.get(key)
            if found is None:
                raise ValidationError(f"{where} {flag}", key, "no such seat in the hall")
            setattr(found, flag, True)
        for spec in specs.values():
            for key in getattr(spec, flag):
                found = local.get((spec.id, key)) or everywhere.get(key)
                if found is None or found.spec.id != spec.id:
                    raise ValidationError(
                        f"{where}, section {spec.id!r} {flag}", key, "no such seat in the section"
                    )
                setattr(found, flag, True)


def _section(spec: SectionSpec, places: list[_Place]) -> Section:
    rows: dict[int, list[Seat]] = {}
    for p in places:
        rows.setdefault(p.row.number, []).append(
            Seat(
                id=p.id,
                label=p.label,
                section=spec.id,
                row=p.row.number,
                number=p.number,
                position=p.position,
                floor=p.floor,
                x=p.x,
                y=float(p.row.number),
                blocked=p.blocked,
                reserved=p.reserved,
            )
        )
    return Section(
        id=spec.id,
        name=spec.name,
        floor=spec.floor,
        rows=[Row(number=n, seats=seats) for n, seats in rows.items()],
    )
