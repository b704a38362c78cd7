"""Halls as data: numbering (单双号 and left to right), labels, blocked and reserved seats,
capacity, the walk, and errors that name the hall, section, row and seat."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lvzhi.domain.hall_layout import RowSpec, SectionSpec, build_hall, uniform_rows
from lvzhi.domain.halls import Floor, Hall, Rostrum, Row, Seat, Section
from lvzhi.errors import NotFound, ValidationError


def two_blocks(rows: int = 3, seats: int = 10, **options: object) -> Hall:
    """A hall with a centre aisle: 左区 and 右区, ``rows`` rows of ``seats`` each."""
    return build_hall(
        id="hall",
        name="礼堂",
        sections=[
            SectionSpec(id="L", name="左区", rows=uniform_rows(rows, seats)),
            SectionSpec(id="R", name="右区", rows=uniform_rows(rows, seats)),
        ],
        **options,  # type: ignore[arg-type]
    )


def numbers(hall: Hall, row: int, floor: int = 1) -> list[int]:
    """Printed numbers of one row across the floor, from the audience's left."""
    seats = [s for s in hall.seats if s.row == row and s.floor == floor]
    return [s.number for s in sorted(seats, key=lambda s: s.x)]


# --- numbering --------------------------------------------------------------------------


def test_odd_even_across_the_centre_aisle_odd_on_the_audience_left() -> None:
    hall = two_blocks(numbering="odd-even")
    assert numbers(hall, 1) == [*range(19, 0, -2), *range(2, 21, 2)]  # 19 17 … 3 1 | 2 4 … 20
    assert hall.seat("1排1号").section == "L"
    assert hall.seat("1排2号").section == "R"
    # the two centre seats face each other across the aisle
    assert hall.seat("1排2号").x - hall.seat("1排1号").x == 2.0


def test_odd_even_odd_on_the_audience_right() -> None:
    hall = two_blocks(numbering="odd-even", odd_side="right")
    assert numbers(hall, 2) == [*range(20, 0, -2), *range(1, 20, 2)]  # 20 18 … 2 | 1 3 … 19


def test_odd_even_within_one_section_and_an_odd_row() -> None:
    hall = build_hall(
        id="h",
        name="会议室",
        numbering="odd-even",
        sections=[SectionSpec(id="A", name="A", rows=[RowSpec(number=1, seats=21)])],
    )
    assert numbers(hall, 1) == [21, *range(19, 0, -2), *range(2, 21, 2)]
    assert len(set(numbers(hall, 1))) == 21


def test_odd_even_continues_across_side_aisles() -> None:
    hall = build_hall(
        id="h",
        name="大礼堂",
        numbering="odd-even",
        sections=[
            SectionSpec(id="W", name="西区", rows=uniform_rows(1, 3)),
            SectionSpec(id="M", name="中区", rows=uniform_rows(1, 6)),
            SectionSpec(id="E", name="东区", rows=uniform_rows(1, 3)),
        ],
    )
    assert numbers(hall, 1) == [11, 9, 7, 5, 3, 1, 2, 4, 6, 8, 10, 12]
    assert {s.number for s in hall.section("W").seats} == {7, 9, 11}


def test_left_to_right_right_to_left_and_first_number() -> None:
    hall = build_hall(
        id="h",
        name="报告厅",
        sections=[
            SectionSpec(id="A", name="A区", rows=uniform_rows(1, 4)),
            SectionSpec(
                id="B",
                name="B区",
                numbering="right-to-left",
                rows=[RowSpec(number=1, seats=3, first=5)],
            ),
        ],
    )
    assert numbers(hall, 1) == [1, 2, 3, 4, 7, 6, 5]
    assert hall.seat("1排7号").section == "B"  # numbers do not repeat: plain labels
    again = build_hall(
        id="h",
        name="报告厅",
        sections=[
            SectionSpec(id="A", name="A区", rows=uniform_rows(1, 4)),
            SectionSpec(id="B", name="B区", numbering="right-to-left", rows=uniform_rows(1, 3)),
        ],
    )
    assert numbers(again, 1) == [1, 2, 3, 4, 3, 2, 1]
    # numbers repeat across sections, so the labels carry the section name
    assert [s.label for s in again.section("A").seats] == [f"A区1排{n}号" for n in (1, 2, 3, 4)]


def test_a_row_can_be_numbered_otherwise_than_its_section() -> None:
    hall = build_hall(
        id="h",
        name="礼堂",
        numbering="odd-even",
        sections=[
            SectionSpec(
                id="A",
                name="A",
                rows=[
                    RowSpec(number=1, seats=4, numbering="left-to-right"),
                    RowSpec(number=2, seats=4),
                ],
            )
        ],
    )
    assert numbers(hall, 1) == [1, 2, 3, 4]
    assert numbers(hall, 2) == [3, 1, 2, 4]


def test_stacked_sections_share_columns_and_the_centre_line() -> None:
    hall = build_hall(
        id="h",
        name="礼堂",
        numbering="odd-even",
        sections=[
            SectionSpec(id="LF", name="左前区", column=1, rows=uniform_rows(2, 4)),
            SectionSpec(id="RF", name="右前区", column=2, rows=uniform_rows(2, 4)),
            SectionSpec(id="LB", name="左后区", column=1, rows=uniform_rows(2, 4, first_row=3)),
            SectionSpec(id="RB", name="右后区", column=2, rows=uniform_rows(2, 4, first_row=3)),
        ],
    )
    for row in (1, 4):
        assert numbers(hall, row) == [7, 5, 3, 1, 2, 4, 6, 8]
    assert hall.seat("4排1号").section == "LB"
    assert hall.seat("4排1号").x == hall.seat("1排1号").x
    with pytest.raises(ValidationError, match="row also in section 'LF'"):
        build_hall(
            id="h",
            name="礼堂",
            sections=[
                SectionSpec(id="LF", name="左前区", column=1, rows=uniform_rows(2, 4)),
                SectionSpec(id="LB", name="左后区", column=1, rows=uniform_rows(2, 4, first_row=2)),
            ],
        )


# --- labels, ids, lookups ---------------------------------------------------------------


def test_labels_and_ids() -> None:
    hall = two_blocks(numbering="odd-even")
    seat = hall.seat("2排5号")
    assert (seat.id, seat.section, seat.row, seat.number) == ("L-2-5", "L", 2, 5)
    assert hall.seat("L-2-5") is seat
    assert hall.find("9排9号") is None
    with pytest.raises(NotFound, match="9排9号"):
        hall.seat("9排9号")
    custom = two_blocks(numbering="odd-even", label="{section}第{row}排{number}座")
    assert custom.seat("L-1-3").label == "左区第1排3座"


def test_a_label_template_that_repeats_names_both_seats() -> None:
    with pytest.raises(ValidationError, match=r"gives '1排1号' to seats 'L-1-1' and 'R-1-1'"):
        two_blocks(label="{row}排{number}号")
    with pytest.raises(ValidationError, match="bad template"):
        two_blocks(label="{rows}排")


def test_floors_are_named_and_prefix_labels_when_needed() -> None:
    hall = build_hall(
        id="h",
        name="剧场",
        sections=[
            SectionSpec(id="A", name="池座", rows=uniform_rows(1, 2)),
            SectionSpec(id="B", name="楼座", floor=2, rows=uniform_rows(1, 2)),
        ],
        floors={2: "二层"},
    )
    assert [f.name for f in hall.floors] == ["一楼", "二层"]
    assert hall.seat("B-1-2").label == "楼座1排2号"


# --- blocked, reserved, capacity --------------------------------------------------------


def test_blocked_and_reserved_seats_do_not_count() -> None:
    hall = build_hall(
        id="h",
        name="礼堂",
        numbering="odd-even",
        blocked=["1排1号", "R-1-2"],
        reserved=["3排20号"],
        sections=[
            SectionSpec(id="L", name="左区", rows=uniform_rows(3, 10), blocked=["2排3号"]),
            SectionSpec(
                id="R",
                name="右区",
                rows=[*uniform_rows(2, 10), RowSpec(number=3, seats=10, reserved=True)],
            ),
        ],
    )
    assert hall.seat("1排1号").blocked
    assert hall.seat("1排2号").blocked
    assert hall.seat("2排3号").blocked
    assert hall.seat("3排20号").reserved
    assert hall.seat("3排2号").reserved
    assert hall.section("L").capacity == 28
    assert hall.section("R").capacity == 20 - 1  # row 3 reserved, one seat blocked
    assert hall.capacity == 28 + 19
    assert len(hall.walk()) == hall.capacity
    assert all(s.available for s in hall.walk())
    assert len(hall.walk(include_unavailable=True)) == 60


def test_unknown_blocked_seats_are_named() -> None:
    with pytest.raises(ValidationError, match=r"hall 'hall' blocked.*9排9号"):
        two_blocks(blocked=["9排9号"])
    with pytest.raises(ValidationError, match=r"section 'L' reserved.*1排2号"):
        build_hall(
            id="hall",
            name="礼堂",
            numbering="odd-even",
            sections=[
                SectionSpec(id="L", name="左区", rows=uniform_rows(1, 4), reserved=["1排2号"]),
                SectionSpec(id="R", name="右区", rows=uniform_rows(1, 4)),
            ],
        )


def test_with_seats_blocks_and_frees() -> None:
    hall = two_blocks()
    blocked = hall.with_seats(["左区1排1号"], blocked=True)
    assert blocked.capacity == hall.capacity - 1
    assert blocked.seat("L-1-1").blocked
    assert not hall.seat("L-1-1").blocked  # values do not change
    assert blocked.with_seats(["L-1-1"], blocked=False) == hall


# --- the walk ---------------------------------------------------------------------------


def labels(seats: tuple[Seat, ...]) -> list[str]:
    return [s.label for s in seats]


def test_walk_by_rows_front_first_section_by_section() -> None:
    hall = two_blocks(rows=2, seats=3, numbering="odd-even")
    assert labels(hall.walk()) == [
        "1排5号", "1排3号", "1排1号", "2排5号", "2排3号", "2排1号",
        "1排2号", "1排4号", "1排6号", "2排2号", "2排4号", "2排6号",
    ]  # fmt: skip
    assert labels(hall.walk(serpentine=True))[:6] == [
        "1排5号", "1排3号", "1排1号", "2排1号", "2排3号", "2排5号",
    ]  # fmt: skip
    across = labels(hall.walk(by_section=False))
    assert across[:6] == ["1排5号", "1排3号", "1排1号", "1排2号", "1排4号", "1排6号"]


def test_walk_by_columns_front_to_back() -> None:
    hall = two_blocks(rows=3, seats=2, numbering="odd-even")
    assert labels(hall.walk("columns"))[:6] == [
        "1排3号",
        "2排3号",
        "3排3号",
        "1排1号",
        "2排1号",
        "3排1号",
    ]
    assert labels(hall.walk("columns", serpentine=True))[:6] == [
        "1排3号", "2排3号", "3排3号", "3排1号", "2排1号", "1排1号",
    ]  # fmt: skip
    with pytest.raises(ValidationError, match="walk order"):
        hall.walk("diagonal")  # type: ignore[arg-type]


def test_walk_ids_and_boundaries() -> None:
    hall = two_blocks(rows=2, seats=3).with_seats(["L-1-1"], blocked=True)
    ids = hall.walk_ids()
    assert ids == tuple(s.id for s in hall.walk())
    assert "L-1-1" not in ids
    assert hall.walk_boundaries() == (5,)  # the right block starts at the sixth seat offered
    assert hall.walk_ids() is ids  # computed once


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.lists(st.integers(1, 9), min_size=1, max_size=5), min_size=1, max_size=4),
    st.sampled_from(["rows", "columns"]),
    st.booleans(),
    st.booleans(),
)
def test_every_walk_is_a_permutation_of_the_available_seats(
    blocks: list[list[int]], order: str, serpentine: bool, by_section: bool
) -> None:
    hall = build_hall(
        id="h",
        name="礼堂",
        numbering="odd-even",
        sections=[
            SectionSpec(
                id=f"s{i}",
                name=f"{i}区",
                rows=[RowSpec(number=r, seats=n) for r, n in enumerate(rows, 1)],
            )
            for i, rows in enumerate(blocks)
        ],
    )
    walked = hall.walk(order, serpentine=serpentine, by_section=by_section)  # type: ignore[arg-type]
    assert sorted(s.id for s in walked) == sorted(s.id for s in hall.seats)
    assert hall.capacity == sum(map(sum, blocks))
    for row in {s.row for s in hall.seats}:  # odd 1, 3, 5 … one side, even 2, 4 … the other
        odd = sorted(n for n in numbers(hall, row) if n % 2)
        even = sorted(n for n in numbers(hall, row) if n % 2 == 0)
        assert odd == list(range(1, 2 * len(odd), 2))
        assert even == list(range(2, 2 * len(even) + 1, 2))


# --- structure errors name the place ----------------------------------------------------


def seat(**changes: object) -> Seat:
    base = {"id": "A-1-1", "label": "1排1号", "section": "A", "row": 1, "number": 1, "position": 1}
    return Seat(**{**base, **changes})  # type: ignore[arg-type]


def test_the_constructor_checks_the_structure() -> None:
    good = Section(id="A", name="A区", rows=[Row(number=1, seats=[seat()])])
    Hall(id="h", name="礼堂", floors=[Floor(number=1, name="一楼", sections=[good])])
    with pytest.raises(
        ValidationError, match=r"hall 'h', section 'A', row 1, seat '1排1号'.*another row"
    ):
        bad = Section(id="A", name="A区", rows=[Row(number=1, seats=[seat(row=2)])])
        Hall(id="h", name="礼堂", floors=[Floor(number=1, name="一楼", sections=[bad])])
    with pytest.raises(ValidationError, match=r"seat '1排1号'.*label also used by seat 'A-1-1'"):
        twice = Row(number=1, seats=[seat(), seat(id="A-1-2", number=2, position=2)])
        Hall(
            id="h",
            name="礼堂",
            floors=[Floor(number=1, name="一楼", sections=[attrs.evolve(good, rows=[twice])])],
        )
    with pytest.raises(ValidationError, match="section id used twice"):
        Hall(id="h", name="礼堂", floors=[Floor(number=1, name="一楼", sections=[good, good])])
    with pytest.raises(ValidationError, match="has no seats"):
        Hall(id="h", name="礼堂", floors=[])
    with pytest.raises(ValidationError, match="Seat.row"):
        seat(row=0)


def test_build_hall_errors() -> None:
    with pytest.raises(ValidationError, match="RowSpec.seats"):
        RowSpec(number=1, seats=0)
    with pytest.raises(ValidationError, match="SectionSpec.align"):
        SectionSpec(id="A", name="A", rows=uniform_rows(1, 1), align="middle")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"section 'L'.*used twice"):
        build_hall(
            id="h",
            name="礼堂",
            sections=[SectionSpec(id="L", name="左", rows=uniform_rows(1, 1))] * 2,
        )
    with pytest.raises(ValidationError, match="odd_side"):
        two_blocks(odd_side="middle")
    with pytest.raises(ValidationError, match="rise front to back"):
        build_hall(
            id="h",
            name="礼堂",
            sections=[
                SectionSpec(
                    id="A", name="A", rows=[RowSpec(number=2, seats=1), RowSpec(number=1, seats=1)]
                )
            ],
        )


def test_rostrum() -> None:
    hall = two_blocks(rostrum=[7, 9])
    assert hall.rostrum == Rostrum(rows=(7, 9))
    assert hall.rostrum.capacity == 16
    assert hall.rostrum.label(1, 3) == "主席台1排3号"
    with pytest.raises(ValidationError, match="Rostrum.rows"):
        Rostrum(rows=(7, 0))
