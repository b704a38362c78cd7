"""Built-in seating strategy ``in_order``: the deputies in official order (delegation by
delegation, each by name) fill the seats in walk order."""

from __future__ import annotations

from collections.abc import Mapping

from lvzhi.errors import ValidationError
from lvzhi.plugins import hookimpl
from lvzhi.ports import SeatingContext, SeatingStrategy

__all__ = ["InOrder"]


class InOrder:
    """Seat the deputies, as given (official order), on the seats, as given (walk order)."""

    name = "in_order"

    def assign(self, context: SeatingContext) -> Mapping[str, str]:
        if len(context.delegates) > len(context.seats):
            raise ValidationError(
                "seats",
                len(context.seats),
                f"are fewer than the {len(context.delegates)} deputies to seat",
            )
        return {d.key: seat for d, seat in zip(context.delegates, context.seats, strict=False)}


@hookimpl
def lvzhi_register_seating_strategies() -> list[SeatingStrategy]:
    return [InOrder()]
