"""The contract every seating strategy must keep (:class:`SeatingContract`).

Subclass it and supply a ``strategy`` fixture::

    class TestMyStrategy(SeatingContract):
        @pytest.fixture
        def strategy(self):
            return MyStrategy()
"""

from __future__ import annotations

from typing import Any

import pytest

import lvzhi.testing.factories as fx
from lvzhi.domain import Delegate, Delegation
from lvzhi.errors import LvzhiError
from lvzhi.ports import SeatingContext

__all__ = ["SeatingContract", "sample_seating"]


def sample_seating(deputies: int = 40, seats: int = 48, units: int = 4) -> SeatingContext:
    """``deputies`` deputies of ``units`` delegations (in official order) and ``seats``
    seats in walk order, labelled like a hall's (``1排03号``)."""
    delegations = [
        fx.make_delegation(code=f"u{n:02d}", name=f"第{n}代表团", order=n)
        for n in range(1, units + 1)
    ]
    people: list[Delegate] = []
    for i in range(deputies):
        unit: Delegation = delegations[i * units // deputies]
        people.append(
            fx.make_delegate(certificate_no=f"c{i:04d}", delegation=unit.code, name=f"代表{i}")
        )
    labels = tuple(f"{r}排{s:02d}号" for r in range(1, 99) for s in range(1, 13))[:seats]
    return SeatingContext(delegates=tuple(people), delegations=tuple(delegations), seats=labels)


class SeatingContract:
    """Every deputy seated exactly once, no seat used twice, only offered seats, the same
    input gives the same plan, and too few seats is a clear error."""

    @pytest.fixture
    def strategy(self) -> Any:  # pragma: no cover - overridden by subclasses
        raise pytest.UsageError("supply a `strategy` fixture")

    def test_satisfies_the_protocol(self, strategy: Any) -> None:
        from lvzhi.ports import SeatingStrategy

        assert isinstance(strategy, SeatingStrategy)
        assert strategy.name

    @pytest.mark.parametrize(("deputies", "seats"), [(40, 48), (40, 40), (1, 3), (0, 5)])
    def test_every_deputy_once_no_seat_twice(
        self, strategy: Any, deputies: int, seats: int
    ) -> None:
        from lvzhi.services.seating import check_assignment

        context = sample_seating(deputies, seats)
        plan = dict(strategy.assign(context))
        assert check_assignment(plan, [d.key for d in context.delegates], context.seats) == []
        assert len(plan) == deputies

    def test_same_input_same_plan(self, strategy: Any) -> None:
        context = sample_seating()
        assert dict(strategy.assign(context)) == dict(strategy.assign(context))

    def test_too_few_seats_is_an_error(self, strategy: Any) -> None:
        with pytest.raises(LvzhiError):
            strategy.assign(sample_seating(10, 9))
