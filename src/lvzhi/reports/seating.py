"""Seat lists and the seating chart (座次表) of a hall, from its stored seat plan.

* :func:`seat_table` — one row per seated deputy in walk order (会场, 区, 排, 座号, 代表证号,
  姓名, 代表团);
* :func:`chart_book` — the chart: a sheet drawn like the hall (one cell per seat, the
  rostrum on top, aisles as empty columns, a legend), carrying drawing hints
  (``lvzhi.reports.grid``), and a plain list of the seats for formats that cannot draw.

:class:`Seating` gathers what both need: the hall, its plan, its zones and who is who.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
import tablib

from lvzhi.domain import Delegate, Delegation, Official
from lvzhi.domain.halls import Hall, Seat
from lvzhi.domain.rostrum import RostrumSeat
from lvzhi.domain.seating import SeatPlan
from lvzhi.domain.zones import Zone
from lvzhi.errors import NotFound, ValidationError
from lvzhi.i18n import _
from lvzhi.reports._common import delegation_names, official_order
from lvzhi.reports.grid import CellKind, GridCell, GridHints, attach

__all__ = [
    "CHART_LIST_HEADERS",
    "SEAT_HEADERS",
    "Seating",
    "chart_book",
    "choose_hall",
    "find_plan",
    "seat_table",
]

SEAT_HEADERS = ("会场", "区", "排", "座号", "代表证号", "姓名", "代表团")
CHART_LIST_HEADERS = ("排", "座位", "姓名", "代表团")
#: What a blocked and a reserved seat show on the chart.
BLOCKED_TEXT = "×"
RESERVED_TEXT = "预留"
#: Delegations named on one line of the legend.
LEGEND_PER_LINE = 6


def choose_hall(halls: Sequence[Hall], hall_id: str | None) -> Hall:
    """The hall ``hall_id``, or the only stored hall; a :class:`~lvzhi.errors.ValidationError`
    listing the halls when there are several and none was chosen, or none at all."""
    if hall_id:
        for hall in halls:
            if hall.id == hall_id:
                return hall
        known = ", ".join(h.id for h in halls) or _("none")
        raise NotFound(_("hall (stored halls: {halls})").format(halls=known), hall_id)
    if len(halls) == 1:
        return halls[0]
    if not halls:
        raise ValidationError("hall", None, _("no hall is stored; store a hall first"))
    listed = ", ".join(f"{h.id} ({h.name})" for h in halls)
    raise ValidationError(
        "hall", None, _("choose one with the option hall: {halls}").format(halls=listed)
    )


def find_plan(plans: Iterable[SeatPlan], hall: Hall, programme_id: str | None) -> SeatPlan | None:
    """The plan of ``hall`` for the programme (when one is stored for it), else the hall's
    own plan; ``None`` when there is neither."""
    own = [p for p in plans if p.hall_id == hall.id]
    for plan in own:
        if programme_id is not None and plan.programme_id == programme_id:
            return plan
    for plan in own:
        if plan.programme_id is None:
            return plan
    return None


@attrs.frozen(kw_only=True)
class Seating:
    """A hall with its plan and zones, and the people to name on it."""

    hall: Hall
    plan: SeatPlan | None
    zones: tuple[Zone, ...] = ()
    delegates: Mapping[str, Delegate] = attrs.field(factory=dict)
    delegations: tuple[Delegation, ...] = ()
    officials: Mapping[str, Official] = attrs.field(factory=dict)
    #: Deputies on approved leave for the session the chart is drawn for: their seats are
    #: kept and shown empty, marked 请假.
    on_leave: frozenset[str] = frozenset()

    @classmethod
    def of(
        cls,
        hall: Hall,
        plan: SeatPlan | None,
        *,
        zones: Iterable[Zone] = (),
        delegates: Iterable[Delegate] = (),
        delegations: Iterable[Delegation] = (),
        officials: Iterable[Official] = (),
    ) -> Seating:
        """Zones of the hall in walk order (the zone of its first seat walked first)."""
        walk = {s.id: i for i, s in enumerate(hall.walk(include_unavailable=True))}
        mine = [z for z in zones if z.hall_id == hall.id]
        mine.sort(key=lambda z: (min(walk.get(s, len(walk)) for s in z.seats), z.id))
        return cls(
            hall=hall,
            plan=plan,
            zones=tuple(mine),
            delegates={d.certificate_no: d for d in delegates},
            delegations=tuple(official_order(delegations)),
            officials={o.id: o for o in officials},
        )

    @property
    def occupants(self) -> dict[str, str]:
        """Seat id → certificate number."""
        if self.plan is None:
            return {}
        return {seat: cert for cert, seat in self.plan.assignments.items()}

    def zone_of(self) -> dict[str, int]:
        """Seat id → index of its zone in :attr:`zones`."""
        return {seat: i for i, zone in enumerate(self.zones) for seat in zone.seats}

    def area(self, seat: Seat) -> str:
        """区: the name of the seat's zone, or of its section when no zones are stored."""
        if self.zones:
            index = self.zone_of().get(seat.id)
            return self.zones[index].name if index is not None else ""
        return self.hall.section(seat.section).name

    def delegation_name(self, code: str) -> str:
        return delegation_names(self.delegations).get(code, code)

    def taker(self, zone: Zone) -> str:
        """The name of the zone's attendance taker (its id when not an official)."""
        if zone.taker_id is None:
            return ""
        official = self.officials.get(zone.taker_id)
        return official.name if official is not None else zone.taker_id

    def seated(self) -> list[tuple[Seat, str]]:
        """(seat, certificate number) of every seat taken, in walk order."""
        occupants = self.occupants
        return [
            (seat, occupants[seat.id])
            for seat in self.hall.walk(include_unavailable=True)
            if seat.id in occupants
        ]


def seat_table(seating: Seating, *, title: str = "代表座位表") -> tablib.Dataset:
    """One row per seated deputy, in the hall's walk order."""
    data = tablib.Dataset(headers=list(SEAT_HEADERS), title=title)
    hall = seating.hall
    by_zone = seating.zone_of()
    for seat, cert in seating.seated():
        if seating.zones:
            index = by_zone.get(seat.id)
            area = seating.zones[index].name if index is not None else ""
        else:
            area = hall.section(seat.section).name
        deputy = seating.delegates.get(cert)
        name = deputy.name if deputy else ""
        unit = seating.delegation_name(deputy.delegation) if deputy else ""
        data.append([hall.name, area, seat.row, seat.number, cert, name, unit])
    return data


# -- the chart -----------------------------------------------------------------------------


def _columns(hall: Hall) -> tuple[dict[float, int], int]:
    """x → grid column (column 0 holds the row labels), an empty column for each aisle;
    and the number of columns."""
    xs = sorted({seat.x for seat in hall.seats})
    out: dict[float, int] = {}
    column = 0
    previous: float | None = None
    for x in xs:
        column += 2 if previous is not None and x - previous > 1.01 else 1
        out[x] = column
        previous = x
    return out, column + 1


class _Grid:
    """The rows of the chart being built, and their hints."""

    def __init__(self, width: int) -> None:
        self.width = width
        self.rows: list[list[str]] = []
        self.cells: list[GridCell] = []

    def row(self) -> list[str]:
        self.rows.append([""] * self.width)
        return self.rows[-1]

    def put(self, column: int, text: str, kind: CellKind, **hints: Any) -> None:
        self.rows[-1][column] = text
        self.cells.append(GridCell(row=len(self.rows) - 1, column=column, kind=kind, **hints))


def _rostrum(grid: _Grid, seating: Seating, leaders: Sequence[RostrumSeat]) -> None:
    rostrum = seating.hall.rostrum
    if rostrum is None:
        return
    names = {(s.row, s.index): s.name or s.official_id for s in leaders}
    seats = grid.width - 1
    for number in range(len(rostrum.rows), 0, -1):  # the back row on top
        size = rostrum.rows[number - 1]
        grid.row()
        if number == len(rostrum.rows):
            grid.put(0, rostrum.name, CellKind.LABEL)
        start = 1 + max(0, (seats - size) // 2)
        for index in range(1, size + 1):
            column = start + index - 1
            if column >= grid.width:
                break
            grid.put(
                column,
                names.get((number, index), ""),
                CellKind.ROSTRUM,
                seat_id=f"rostrum-{number}-{index}",
            )


def _hall(grid: _Grid, seating: Seating, columns: Mapping[float, int]) -> None:
    hall = seating.hall
    occupants = seating.occupants
    zone_of = seating.zone_of()
    for floor in hall.floors:
        by_row: dict[int, list[Seat]] = {}
        sections: dict[str, str] = {}
        for section in floor.sections:
            sections[section.id] = section.name
            for seat in section.seats:
                by_row.setdefault(seat.row, []).append(seat)
        if len(hall.floors) > 1:
            grid.row()
            grid.put(0, floor.name, CellKind.LABEL)
        shown: tuple[str, ...] = ()
        for number in sorted(by_row):
            seats = sorted(by_row[number], key=lambda s: s.x)
            present = tuple(dict.fromkeys(s.section for s in seats))
            if present != shown:  # a new block: name its sections above it
                grid.row()
                for section_id in present:
                    xs = [columns[s.x] for s in seats if s.section == section_id]
                    span = max(xs) - min(xs) + 1
                    grid.put(min(xs), sections[section_id], CellKind.LABEL, span=span)
                shown = present
            grid.row()
            grid.put(0, f"{number}排", CellKind.LABEL)
            for seat in seats:
                cert = occupants.get(seat.id, "")
                grid.put(
                    columns[seat.x],
                    _seat_text(seating, seat, cert),
                    CellKind.SEAT,
                    seat_id=seat.id,
                    certificate_no=cert,
                    number=seat.number,
                    zone=zone_of.get(seat.id),
                    blocked=seat.blocked,
                    reserved=seat.reserved,
                )


def _seat_text(seating: Seating, seat: Seat, cert: str) -> str:
    if cert and cert in seating.on_leave:
        return f"{seat.number}号\n（请假）"
    if cert:
        deputy = seating.delegates.get(cert)
        if deputy is None:
            return cert
        return f"{deputy.name}\n{seating.delegation_name(deputy.delegation)}"
    if seat.blocked:
        return BLOCKED_TEXT
    if seat.reserved:
        return RESERVED_TEXT
    return f"{seat.number}号"


def _legend(grid: _Grid, seating: Seating) -> None:
    text_span = max(1, grid.width - 2)
    grid.row()
    grid.row()
    grid.put(0, "图例", CellKind.TITLE, span=grid.width)
    taken = seating.zone_of()
    for index, zone in enumerate(seating.zones):
        grid.row()
        grid.put(1, zone.name, CellKind.SWATCH, zone=index)
        line = f"{zone.name}：{len(zone.seats)}个座位"
        seated = sum(1 for seat in seating.occupants if taken.get(seat) == index)
        line += f"，代表{seated}人"
        if zone.taker_id:
            line += f"，签到：{seating.taker(zone)}"
        grid.put(2, line, CellKind.TEXT, span=text_span)
    for text, meaning, flags in (
        (BLOCKED_TEXT, "不可用座位", {"blocked": True}),
        (RESERVED_TEXT, "预留座位", {"reserved": True}),
    ):
        grid.row()
        grid.put(1, text, CellKind.SWATCH, **flags)
        grid.put(2, meaning, CellKind.TEXT, span=text_span)
    counts: dict[str, int] = {}
    for _seat, cert in seating.seated():
        deputy = seating.delegates.get(cert)
        if deputy is not None:
            counts[deputy.delegation] = counts.get(deputy.delegation, 0) + 1
    units = [f"{d.name}{counts[d.code]}人" for d in seating.delegations if d.code in counts]
    known = {d.code for d in seating.delegations}
    units += [f"{code}{n}人" for code, n in counts.items() if code not in known]
    for start in range(0, len(units), LEGEND_PER_LINE):
        grid.row()
        label = "代表团" if start == 0 else ""
        if label:
            grid.put(1, label, CellKind.TEXT)
        grid.put(
            2, "、".join(units[start : start + LEGEND_PER_LINE]), CellKind.TEXT, span=text_span
        )


def chart_book(
    seating: Seating, *, leaders: Sequence[RostrumSeat] = (), list_title: str = "座位名单"
) -> tablib.Databook:
    """The chart of the hall (a sheet drawn like the hall, with hints) and the list of its
    seats (排, 座位, 姓名, 代表团; the rostrum's leaders first)."""
    columns, width = _columns(seating.hall)
    grid = _Grid(width)
    _rostrum(grid, seating, leaders)
    _hall(grid, seating, columns)
    hall_rows = len(grid.rows)
    _legend(grid, seating)
    chart = tablib.Dataset(*grid.rows, title=seating.hall.name)
    attach(
        chart,
        GridHints(
            cells=tuple(grid.cells),
            zones=tuple(z.id for z in seating.zones),
            rows=hall_rows,
            columns=width,
        ),
    )
    listing = tablib.Dataset(headers=list(CHART_LIST_HEADERS), title=list_title)
    rostrum = seating.hall.rostrum
    for leader in sorted(leaders, key=lambda s: (s.row, s.index)):
        name = rostrum.name if rostrum is not None else "主席台"
        listing.append([f"{name}{leader.row}排", leader.label, leader.name, ""])
    for seat, cert in seating.seated():
        deputy = seating.delegates.get(cert)
        unit = seating.delegation_name(deputy.delegation) if deputy else ""
        listing.append([seat.row, seat.label, deputy.name if deputy else cert, unit])
    return tablib.Databook([chart, listing])
