"""Rostrum order (主席台座次) against the published conventions: No. 1 in the centre, No. 2 on
No. 1's left and No. 3 on the right as the seated leaders see them; results are given from
the audience's left."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lvzhi.domain.halls import Rostrum
from lvzhi.domain.rostrum import rostrum_order, seat_rostrum
from lvzhi.errors import ValidationError
from lvzhi.testing import make_official

# --- one row ----------------------------------------------------------------------------


def test_seven_leaders_published_example() -> None:
    # seen from the audience: 7 5 3 1 2 4 6; seen from the rostrum: 6 4 2 1 3 5 7
    assert rostrum_order(7) == (7, 5, 3, 1, 2, 4, 6)
    assert tuple(reversed(rostrum_order(7))) == (6, 4, 2, 1, 3, 5, 7)


@pytest.mark.parametrize(
    ("count", "audience"),
    [
        (1, (1,)),
        (2, (1, 2)),
        (3, (3, 1, 2)),
        (4, (3, 1, 2, 4)),
        (5, (5, 3, 1, 2, 4)),
        (6, (5, 3, 1, 2, 4, 6)),
        (7, (7, 5, 3, 1, 2, 4, 6)),
        (8, (7, 5, 3, 1, 2, 4, 6, 8)),
        (9, (9, 7, 5, 3, 1, 2, 4, 6, 8)),
    ],
)
def test_one_to_nine_leaders_default(count: int, audience: tuple[int, ...]) -> None:
    assert rostrum_order(count) == audience


@pytest.mark.parametrize(
    ("count", "audience"),
    [
        (2, (2, 1)),
        (4, (4, 2, 1, 3)),
        (6, (6, 4, 2, 1, 3, 5)),
        (8, (8, 6, 4, 2, 1, 3, 5, 7)),
    ],
)
def test_even_count_no1_right_of_centre(count: int, audience: tuple[int, ...]) -> None:
    """The other published even rule: No. 1 on the right-hand centre seat as the audience
    sees it (on the left-hand one as the leaders see it)."""
    assert rostrum_order(count, even_rule="right") == audience


def test_even_rule_does_not_touch_odd_counts() -> None:
    for count in (1, 3, 5, 7, 9):
        assert rostrum_order(count, even_rule="right") == rostrum_order(count)


def test_international_practice_mirrors() -> None:
    assert rostrum_order(7, honour="right") == (6, 4, 2, 1, 3, 5, 7)
    assert rostrum_order(6, honour="right") == (6, 4, 2, 1, 3, 5)  # even rule follows
    assert rostrum_order(6, honour="right", even_rule="left") == (5, 3, 1, 2, 4, 6)


@given(
    st.integers(0, 60), st.sampled_from(["left", "right"]), st.sampled_from([None, "left", "right"])
)
def test_order_is_a_centred_permutation(count: int, honour: str, even_rule: str | None) -> None:
    order = rostrum_order(count, honour=honour, even_rule=even_rule)  # type: ignore[arg-type]
    assert sorted(order) == list(range(1, count + 1))
    centre = (count - 1) / 2
    for rank in range(1, count + 1):  # outward in pairs, alternating sides
        distance = abs(order.index(rank) - centre)
        assert distance == (rank // 2 if count % 2 else (rank - 1) // 2 + 0.5)
        if rank > 3 or (rank == 3 and count % 2 == 0):  # No. 1 alone sits on the centre
            same_side = (order.index(rank) - centre) * (order.index(rank - 2) - centre) > 0
            assert same_side


def test_bad_settings() -> None:
    with pytest.raises(ValidationError, match="honour"):
        rostrum_order(3, honour="centre")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="even_rule"):
        rostrum_order(4, even_rule="up")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="count"):
        rostrum_order(-1)


# --- several rows -----------------------------------------------------------------------


def test_first_row_fills_then_the_second() -> None:
    leaders = [f"o{i}" for i in range(1, 13)]
    seats = seat_rostrum(leaders, Rostrum(rows=(7, 9)))
    assert [s.rank for s in seats] == list(range(1, 13))
    front = sorted((s for s in seats if s.row == 1), key=lambda s: s.index)
    back = sorted((s for s in seats if s.row == 2), key=lambda s: s.index)
    assert [s.rank for s in front] == [7, 5, 3, 1, 2, 4, 6]
    # five leaders left for nine seats: they sit in the middle, No. 8 on the centre seat
    assert [(s.index, s.rank) for s in back] == [(3, 12), (4, 10), (5, 8), (6, 9), (7, 11)]
    assert [s.number for s in back] == [5, 3, 1, 2, 4]  # printed numbers from the centre
    assert back[2].label == "主席台2排1号"
    assert seats[0].label == "主席台1排1号"
    assert seats[0].official_id == "o1"


def test_a_short_row_keeps_no1_on_the_row_centre_seat() -> None:
    four = seat_rostrum(["a", "b", "c", "d"], [9])
    assert sorted((s.index, s.official_id) for s in four) == [
        (4, "c"),
        (5, "a"),
        (6, "b"),
        (7, "d"),
    ]
    even = seat_rostrum(["a", "b", "c"], [8])
    assert sorted((s.index, s.official_id) for s in even) == [(3, "c"), (4, "a"), (5, "b")]
    assert {s.number for s in even} == {1, 2, 3}


def test_names_come_from_the_officials() -> None:
    chair = make_official(id="chair", name="甲一", role="leader")
    deputy = make_official(id="vice", name="乙二", role="leader")
    seats = seat_rostrum(["chair", "vice"], [3], officials=[chair, deputy])
    assert [(s.name, s.index) for s in seats] == [("甲一", 2), ("乙二", 3)]
    with pytest.raises(ValidationError, match="not one of the officials"):
        seat_rostrum(["chair", "nobody"], [3], officials=[chair, deputy])


def test_errors_name_the_problem() -> None:
    with pytest.raises(ValidationError, match="twice"):
        seat_rostrum(["a", "a"], [3])
    with pytest.raises(ValidationError, match="more than the 3 seats of the 主席台"):
        seat_rostrum(["a", "b", "c", "d"], [1, 2])
