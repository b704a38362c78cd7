"""Suggestions (意见建议) and their formal replies (专门答复)."""

from __future__ import annotations

import builtins

import pendulum

from lvzhi.domain import Reply, Suggestion
from lvzhi.domain.events import SuggestionSubmitted
from lvzhi.services.context import Service, current_programme, require_deputies

__all__ = ["SuggestionsService"]


class SuggestionsService(Service):
    """``office.suggestions``: collect, assign and answer suggestions."""

    def submit(self, suggestion: Suggestion) -> Suggestion:
        with self._ctx.write() as tx:
            tx.uow.programmes.get(suggestion.programme_id)
            require_deputies(tx.uow, suggestion.proposers, "Suggestion.proposers")
            tx.uow.suggestions.add(suggestion)
            tx.emit(SuggestionSubmitted(occurred_at=self._ctx.now(), suggestion_id=suggestion.id))
        return suggestion

    def assign(
        self, suggestion_id: str, unit: str, *, deadline: pendulum.Date | None = None
    ) -> Suggestion:
        """Hand a suggestion to a handling unit (承办单位) with a deadline (办理期限)."""
        with self._ctx.write() as tx:
            new = tx.uow.suggestions.get(suggestion_id).assign(unit, deadline)
            tx.uow.suggestions.put(new)
        return new

    def reply(self, suggestion_id: str, body: str, *, replied_by: str) -> Suggestion:
        """Give the formal reply (专门答复) to a suggestion."""
        with self._ctx.write() as tx:
            current = tx.uow.suggestions.get(suggestion_id)
            new, events = current.answer(
                Reply(body=body, replied_by=replied_by, replied_at=self._ctx.now())
            )
            tx.uow.suggestions.put(new)
            tx.emit(*events)
        return new

    def list(self, programme_id: str | None = None) -> builtins.list[Suggestion]:
        """The suggestions of a programme, by id."""
        with self._ctx.read() as uow:
            pid = current_programme(uow, programme_id).id
            return uow.suggestions.select(programme_id=pid)
