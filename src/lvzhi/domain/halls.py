"""Halls as data: hall → floor → section → row → seat, the walk a plan fills, capacity.

Conventions used by every hall in lvzhi:

* **left and right are as seen from the audience**, facing the rostrum (主席台);
* row 1 is the front row, the one nearest the rostrum;
* a section (区) is a block of seats bounded by aisles (or walls); the sections of a floor
  are listed from the audience's left to right, a front block before the block behind
  it across a cross aisle;
* a seat's ``position`` counts from the audience's left within its section's row, its
  ``number`` is the one printed on it (单双号 or left to right, see
  :mod:`lvzhi.domain.hall_layout`), its ``label`` what a ticket or a chart shows
  (``3排5号``);
* ``x`` and ``y`` place a seat on its floor in seat widths: ``x`` from the audience's left
  (an aisle between two sections is one seat wide), ``y`` the row number;
* a **blocked** seat cannot be used (broken, a camera, a pillar); a **reserved** seat is
  kept for someone else (attending officials, staff, the press).  Neither counts in the
  capacity nor is offered by the walk.

Build a hall from a compact description with :func:`lvzhi.domain.hall_layout.build_hall`
or from a file with :func:`lvzhi.hallfiles.load_hall`.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from typing import Any, Literal

import attrs

from lvzhi.domain import _fields as f
from lvzhi.errors import NotFound, ValidationError

__all__ = [
    "WALK_ORDERS",
    "Floor",
    "Hall",
    "Rostrum",
    "Row",
    "Seat",
    "Section",
    "WalkOrder",
]

WalkOrder = Literal["rows", "columns"]
#: ``rows``: front row first, each row from the audience's left; ``columns`` (纵向): the
#: leftmost column first, each column from the front.
WALK_ORDERS: tuple[WalkOrder, ...] = ("rows", "columns")


def _seats(value: Iterable[Seat]) -> tuple[Seat, ...]:
    return tuple(value)


def _rows(value: Iterable[Row]) -> tuple[Row, ...]:
    return tuple(value)


def _sections(value: Iterable[Section]) -> tuple[Section, ...]:
    return tuple(value)


def _floors(value: Iterable[Floor]) -> tuple[Floor, ...]:
    return tuple(value)


def _counts(value: Iterable[int]) -> tuple[int, ...]:
    return tuple(value)


def _number(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        f.fail(instance, attribute, value, "must be a number")


@attrs.frozen(kw_only=True)
class Seat:
    """One seat of a hall (see the module documentation for the conventions)."""

    id: str = attrs.field(validator=f.identifier)
    label: str = attrs.field(validator=f.non_empty)
    section: str = attrs.field(validator=f.identifier)
    row: int = attrs.field(validator=f.positive_int)
    number: int = attrs.field(validator=f.positive_int)
    position: int = attrs.field(validator=f.positive_int)
    floor: int = attrs.field(default=1, validator=f.positive_int)
    x: float = attrs.field(default=0.0, validator=_number)
    y: float = attrs.field(default=0.0, validator=_number)
    blocked: bool = attrs.field(default=False, validator=f.instance_of(bool))
    reserved: bool = attrs.field(default=False, validator=f.instance_of(bool))

    @property
    def available(self) -> bool:
        """Neither blocked nor reserved: a plan may use it."""
        return not (self.blocked or self.reserved)


@attrs.frozen(kw_only=True)
class Row:
    """One row of a section; ``seats`` from the audience's left."""

    number: int = attrs.field(validator=f.positive_int)
    seats: tuple[Seat, ...] = attrs.field(converter=_seats)

    @property
    def capacity(self) -> int:
        return sum(1 for s in self.seats if s.available)


@attrs.frozen(kw_only=True)
class Section:
    """A block of seats bounded by aisles (区); ``rows`` front row first."""

    id: str = attrs.field(validator=f.identifier)
    name: str = attrs.field(converter=f.clean_text, validator=f.non_empty)
    rows: tuple[Row, ...] = attrs.field(converter=_rows)
    floor: int = attrs.field(default=1, validator=f.positive_int)

    @property
    def seats(self) -> tuple[Seat, ...]:
        return tuple(s for row in self.rows for s in row.seats)

    @property
    def capacity(self) -> int:
        """Seats neither blocked nor reserved."""
        return sum(row.capacity for row in self.rows)


@attrs.frozen(kw_only=True)
class Floor:
    """A floor (一楼, 二楼 …) and its sections, from the audience's left to right (a front
    block before the one behind it)."""

    number: int = attrs.field(validator=f.positive_int)
    name: str = attrs.field(converter=f.clean_text, validator=f.non_empty)
    sections: tuple[Section, ...] = attrs.field(converter=_sections)

    @property
    def capacity(self) -> int:
        return sum(s.capacity for s in self.sections)


def _seat_counts(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not value or any(isinstance(n, bool) or not isinstance(n, int) or n < 1 for n in value):
        f.fail(instance, attribute, value, "must list one seat count (>= 1) per row")


@attrs.frozen(kw_only=True)
class Rostrum:
    """The rostrum (主席台): seats per row, front row first.  Its seats are numbered from
    the centre in the order of precedence (see :mod:`lvzhi.domain.rostrum`)."""

    rows: tuple[int, ...] = attrs.field(converter=_counts, validator=_seat_counts)
    name: str = attrs.field(default="主席台", converter=f.clean_text, validator=f.non_empty)

    @property
    def capacity(self) -> int:
        return sum(self.rows)

    def label(self, row: int, number: int) -> str:
        """``主席台1排3号``: seat ``number`` (counted from the centre) of ``row``."""
        return f"{self.name}{row}排{number}号"


@attrs.frozen(kw_only=True)
class Hall:
    """A hall: floors of sections of rows of seats, and optionally a rostrum.

    Seat ids and labels are unique in the hall; the constructor checks the structure and
    names the hall, section, row and seat at fault."""

    id: str = attrs.field(validator=f.identifier)
    name: str = attrs.field(converter=f.clean_text, validator=f.non_empty)
    floors: tuple[Floor, ...] = attrs.field(converter=_floors)
    rostrum: Rostrum | None = None
    _memo: dict[Any, Any] = attrs.field(factory=dict, init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        _check(self)

    @property
    def key(self) -> str:
        return self.id

    # ---------------------------------------------------------------- lookups

    @property
    def sections(self) -> tuple[Section, ...]:
        """Every section, floor by floor, each floor from the audience's left."""
        return tuple(s for floor in self.floors for s in floor.sections)

    @property
    def seats(self) -> tuple[Seat, ...]:
        """Every seat: floor by floor, section by section, front row first, from the left."""
        return tuple(seat for section in self.sections for seat in section.seats)

    @property
    def capacity(self) -> int:
        """Seats neither blocked nor reserved."""
        return sum(floor.capacity for floor in self.floors)

    def _index(self) -> dict[str, Seat]:
        index: dict[str, Seat] | None = self._memo.get("index")
        if index is None:
            index = {}
            for seat in self.seats:
                index[seat.id] = seat
                index.setdefault(seat.label, seat)
            self._memo["index"] = index
        return index

    def find(self, key: str) -> Seat | None:
        """The seat with id or label ``key``, or ``None``."""
        return self._index().get(key)

    def seat(self, key: str) -> Seat:
        """The seat with id or label ``key``; :class:`~lvzhi.errors.NotFound` otherwise."""
        seat = self.find(key)
        if seat is None:
            raise NotFound(f"seat of hall {self.id!r}", key)
        return seat

    def section(self, section_id: str) -> Section:
        for section in self.sections:
            if section.id == section_id:
                return section
        raise NotFound(f"section of hall {self.id!r}", section_id)

    # ------------------------------------------------------------------ walk

    def walk(
        self,
        order: WalkOrder = "rows",
        *,
        serpentine: bool = False,
        by_section: bool = True,
        include_unavailable: bool = False,
    ) -> tuple[Seat, ...]:
        """The seats in the order a plan fills them.

        ``rows``: the front row first, each row from the audience's left; ``columns`` (纵向):
        the leftmost column first, each from the front.  ``serpentine`` turns back at the
        end of every row (column) instead of starting the next one on the same side.  With
        ``by_section`` (the default) each section is walked whole before the next (floors
        first to last, sections in their order), so a run of the walk crosses an aisle
        only between sections; otherwise a row (column) runs across the whole floor.
        Blocked and reserved seats are left out unless ``include_unavailable``."""
        if order not in WALK_ORDERS:
            raise ValidationError("walk order", order, "must be 'rows' or 'columns'")
        memo_key = ("walk", order, bool(serpentine), bool(by_section), bool(include_unavailable))
        cached: tuple[Seat, ...] | None = self._memo.get(memo_key)
        if cached is not None:
            return cached
        groups: list[list[Seat]] = (
            [list(s.seats) for s in self.sections]
            if by_section
            else [[seat for s in floor.sections for seat in s.seats] for floor in self.floors]
        )
        out: list[Seat] = []
        for group in groups:
            chosen = [s for s in group if include_unavailable or s.available]
            out.extend(_walk_group(chosen, order, serpentine))
        result = tuple(out)
        self._memo[memo_key] = result
        return result

    def walk_ids(
        self, order: WalkOrder = "rows", *, serpentine: bool = False, by_section: bool = True
    ) -> tuple[str, ...]:
        """The ids of :meth:`walk`'s available seats: what a seating context offers."""
        memo_key = ("ids", order, bool(serpentine), bool(by_section))
        cached: tuple[str, ...] | None = self._memo.get(memo_key)
        if cached is None:
            walked = self.walk(order, serpentine=serpentine, by_section=by_section)
            cached = self._memo[memo_key] = tuple(s.id for s in walked)
        return cached

    def walk_boundaries(
        self, order: WalkOrder = "rows", *, serpentine: bool = False, by_section: bool = True
    ) -> tuple[int, ...]:
        """Indexes into :meth:`walk_ids` where the walk enters another section (beyond an
        aisle) or floor: a run of the walk that spans one of them crosses an aisle."""
        memo_key = ("cuts", order, bool(serpentine), bool(by_section))
        cached: tuple[int, ...] | None = self._memo.get(memo_key)
        if cached is None:
            walked = self.walk(order, serpentine=serpentine, by_section=by_section)
            cached = self._memo[memo_key] = tuple(
                i
                for i in range(1, len(walked))
                if (walked[i].section, walked[i].floor)
                != (walked[i - 1].section, walked[i - 1].floor)
            )
        return cached

    # --------------------------------------------------------------- changes

    def with_seats(
        self, keys: Iterable[str], *, blocked: bool | None = None, reserved: bool | None = None
    ) -> Hall:
        """A copy of the hall with the seats ``keys`` (ids or labels) blocked or reserved
        (``True``) or freed (``False``); ``None`` leaves that flag as it is."""
        wanted = {self.seat(k).id for k in keys}
        changes: dict[str, Any] = {}
        if blocked is not None:
            changes["blocked"] = blocked
        if reserved is not None:
            changes["reserved"] = reserved

        def seat(s: Seat) -> Seat:
            return attrs.evolve(s, **changes) if s.id in wanted else s

        floors = tuple(
            attrs.evolve(
                floor,
                sections=tuple(
                    attrs.evolve(
                        section,
                        rows=tuple(
                            attrs.evolve(row, seats=tuple(seat(s) for s in row.seats))
                            for row in section.rows
                        ),
                    )
                    for section in floor.sections
                ),
            )
            for floor in self.floors
        )
        return Hall(id=self.id, name=self.name, floors=floors, rostrum=self.rostrum)


def _walk_group(seats: list[Seat], order: WalkOrder, serpentine: bool) -> Iterator[Seat]:
    """One section's (or floor's) seats in walk order."""
    if order == "rows":
        lines = itertools.groupby(sorted(seats, key=lambda s: (s.row, s.x)), key=lambda s: s.row)
    else:
        lines = itertools.groupby(sorted(seats, key=lambda s: (s.x, s.row)), key=lambda s: s.x)
    for n, (_, line) in enumerate(lines):
        run = list(line)
        yield from (reversed(run) if serpentine and n % 2 else run)


def _check(hall: Hall) -> None:
    """The structure of a hall: unique floors, sections, rows, seat ids and labels."""
    where = f"hall {hall.id!r}"
    if not hall.floors or not any(s.rows for fl in hall.floors for s in fl.sections):
        raise ValidationError(where, hall.name, "has no seats")
    floors: set[int] = set()
    sections: dict[str, str] = {}
    ids: dict[str, str] = {}
    labels: dict[str, str] = {}
    for floor in hall.floors:
        if floor.number in floors:
            raise ValidationError(where, floor.number, "lists the floor twice")
        floors.add(floor.number)
        for section in floor.sections:
            here = f"{where}, section {section.id!r}"
            if section.id in sections:
                raise ValidationError(here, section.id, "is a section id used twice")
            sections[section.id] = section.name
            if section.floor != floor.number:
                raise ValidationError(here, section.floor, f"is not on floor {floor.number}")
            previous = 0
            for row in section.rows:
                at_row = f"{here}, row {row.number}"
                if row.number <= previous:
                    raise ValidationError(at_row, row.number, "rows must run front to back")
                previous = row.number
                _check_row(at_row, section, floor.number, row, ids, labels)


def _check_row(
    where: str, section: Section, floor: int, row: Row, ids: dict[str, str], labels: dict[str, str]
) -> None:
    numbers: set[int] = set()
    for position, seat in enumerate(row.seats, 1):
        at_seat = f"{where}, seat {seat.label!r}"
        if (seat.section, seat.row, seat.floor) != (section.id, row.number, floor):
            raise ValidationError(
                at_seat, (seat.section, seat.row, seat.floor), "belongs to another row"
            )
        if seat.position != position:
            raise ValidationError(at_seat, seat.position, f"should be position {position}")
        if seat.number in numbers:
            raise ValidationError(at_seat, seat.number, "number used twice in the row")
        numbers.add(seat.number)
        if seat.id in ids:
            raise ValidationError(at_seat, seat.id, f"id also used by seat {ids[seat.id]!r}")
        ids[seat.id] = seat.label
        if seat.label in labels:
            raise ValidationError(
                at_seat,
                seat.label,
                f"label also used by seat {labels[seat.label]!r}; "
                "put the section or floor in the label",
            )
        labels[seat.label] = seat.id
