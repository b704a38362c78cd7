"""Suggestions (意见建议) and their formal replies (专门答复): submitted, classified under
the configured taxonomy, merged, handed to a unit, answered, rated, counted."""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

import attrs
import pendulum

from lvzhi.domain import Reply, Suggestion, SuggestionState
from lvzhi.domain.events import Event, SuggestionSubmitted
from lvzhi.domain.suggestions import suggestion_stats
from lvzhi.domain.taxonomy import SuggestionStats, render_reply
from lvzhi.errors import NotFound, ValidationError
from lvzhi.services.context import Service, current_programme, require_deputies

if TYPE_CHECKING:
    from lvzhi.ports import UnitOfWork

__all__ = ["SuggestionsService", "chinese_date"]


def chinese_date(day: pendulum.Date) -> str:
    """2022年9月30日."""
    return f"{day.year}年{day.month}月{day.day}日"


def _text(value: str | None) -> str:
    return " ".join((value or "").split())


class SuggestionsService(Service):
    """``office.suggestions``: collect, classify, merge, assign, answer and rate
    suggestions; count them for the bulletin."""

    # -- changes -----------------------------------------------------------------------

    def submit(
        self,
        suggestion: Suggestion | None = None,
        *,
        programme_id: str | None = None,
        title: str = "",
        body: str = "",
        proposers: Sequence[str] = (),
        group_id: str | None = None,
        session_id: str | None = None,
        category: str = "",
        aspect: str = "",
        by: str = "",
    ) -> Suggestion:
        """Submit a suggestion: either a ready
        :class:`~lvzhi.domain.suggestions.Suggestion`, or its parts (then its id is
        ``<programme>-s<number>``).  Its number within the course (1, 2, …) is allocated in
        the same transaction; proposers must be deputies on the roster, the group and the
        session (either or both) must belong to the course, and a category and aspect, when
        given, must be in ``Settings.suggestion_taxonomy``."""
        taxonomy = self._ctx.settings.suggestion_taxonomy
        with self._ctx.write() as tx:
            uow = tx.uow
            if suggestion is None:
                pid = current_programme(uow, programme_id).id
            else:
                pid = uow.programmes.get(suggestion.programme_id).id
            existing = uow.suggestions.select(programme_id=pid)
            number = max((s.number or 0 for s in existing), default=0) + 1
            now = self._ctx.now()
            if suggestion is None:
                suggestion = Suggestion(
                    id=f"{pid}-s{number:03d}",
                    programme_id=pid,
                    number=number,
                    title=title,
                    body=body,
                    proposers=tuple(proposers),
                    group_id=group_id,
                    session_id=session_id,
                    submitted_at=now,
                )
            elif suggestion.number is None:
                suggestion = attrs.evolve(suggestion, number=number)
            elif any(s.number == suggestion.number for s in existing):
                raise ValidationError(
                    "Suggestion.number", suggestion.number, "is already taken in this course"
                )
            require_deputies(uow, suggestion.proposers, "Suggestion.proposers")
            self._check_origin(uow, suggestion)
            new = suggestion.submitted(by=by)
            events: list[Event] = [SuggestionSubmitted(occurred_at=now, suggestion_id=new.id)]
            cat, asp = category or new.category, aspect or new.aspect
            if cat or asp:
                taxonomy.check(cat, asp)
                if new.state is SuggestionState.SUBMITTED:
                    new, more = new.classify(
                        cat, asp, at=new.submitted_at, by=by, reason="classified on submission"
                    )
                    events += more
            uow.suggestions.add(new)
            tx.emit(*events)
        return new

    @staticmethod
    def _check_origin(uow: UnitOfWork, suggestion: Suggestion) -> None:
        pid = suggestion.programme_id
        if suggestion.group_id is not None:
            group = uow.groups.get(suggestion.group_id)
            if group.programme_id != pid:
                raise ValidationError("Suggestion.group_id", group.id, f"is not a group of {pid}")
        if suggestion.session_id is not None:
            session = uow.sessions.get(suggestion.session_id)
            if session.programme_id != pid:
                raise ValidationError(
                    "Suggestion.session_id", session.id, f"is not a session of {pid}"
                )

    def classify(
        self, suggestion_id: str, category: str, aspect: str, *, by: str = "", reason: str = ""
    ) -> Suggestion:
        """File (or refile) a suggestion under a category and aspect of the taxonomy."""
        taxonomy = self._ctx.settings.suggestion_taxonomy
        with self._ctx.write() as tx:
            current = tx.uow.suggestions.get(suggestion_id)
            new, events = current.classify(
                category, aspect, taxonomy=taxonomy, at=self._ctx.now(), by=by, reason=reason
            )
            tx.uow.suggestions.put(new)
            tx.emit(*events)
        return new

    def merge(self, ids: Iterable[str], *, into: str, reason: str = "", by: str = "") -> Suggestion:
        """Merge near-duplicates ``ids`` into the suggestion ``into``: it keeps every
        proposer; each merged one is closed as ``merged`` with ``reason`` on its trail.
        Returns the suggestion merged into."""
        wanted = [i for i in dict.fromkeys(ids) if i != into]
        if not wanted:
            raise ValidationError("merge", list(ids), "needs at least one other suggestion")
        with self._ctx.write() as tx:
            uow = tx.uow
            target = uow.suggestions.get(into)
            others = [uow.suggestions.get(i) for i in wanted]
            now = self._ctx.now()
            merged = [o.merge_into(target, at=now, by=by, reason=reason) for o in others]
            new, events = target.absorb(others, at=now, by=by, reason=reason)
            uow.suggestions.put_many([*merged, new])
            tx.emit(*events)
        return new

    def assign(
        self,
        suggestion_id: str,
        unit: str,
        deadline: pendulum.Date | str | None = None,
        *,
        by: str = "",
        reason: str = "",
    ) -> Suggestion:
        """Hand a suggestion to a handling unit (承办单位) with a deadline (办理期限): from
        submitted, classified, assigned (reassigning) or reopened (the second round)."""
        day = pendulum.Date.fromisoformat(deadline) if isinstance(deadline, str) else deadline
        with self._ctx.write() as tx:
            current = tx.uow.suggestions.get(suggestion_id)
            new, events = current.hand_to(unit, day, at=self._ctx.now(), by=by, reason=reason)
            tx.uow.suggestions.put(new)
            tx.emit(*events)
        return new

    def reply(
        self,
        suggestion_id: str,
        body: str | None = None,
        *,
        template: str | None = None,
        templates: Mapping[str, str] | None = None,
        unit: str | None = None,
        signer: str | None = None,
        by: str | None = None,
        replied_by: str | None = None,
    ) -> Suggestion:
        """Give the formal reply (专门答复) to an assigned suggestion.

        The text is ``body``, or the reply template named ``template`` (from
        ``Settings.suggestion_reply_templates`` and ``templates``) filled with the
        suggestion's fields, ``body`` then being the specific part (``{detail}``).
        ``unit`` defaults to the handling unit, ``signer`` to the unit, ``by`` (who records
        it; ``replied_by`` is the older name) to the signer."""
        chosen = {**self._ctx.settings.suggestion_reply_templates, **(templates or {})}
        if template is not None and template not in chosen:
            raise ValidationError(
                "template", template, f"must be one of {', '.join(sorted(chosen))}"
            )
        if template is None and not _text(body):
            raise ValidationError("reply", body, "needs a text or a template")
        with self._ctx.write() as tx:
            uow = tx.uow
            current = uow.suggestions.get(suggestion_id)
            now = self._ctx.now()
            answering = _text(unit) or current.handling_unit
            signed = _text(signer) or answering
            recorder = _text(by) or _text(replied_by) or signed
            if not recorder:
                raise ValidationError("by", by, "needs a unit, a signer or who records it")
            text = _text(body)
            if template is not None:
                values = self._placeholders(uow, current, answering, signed, now, text)
                text = render_reply(chosen[template], values, name=template)
            reply = Reply(
                body=text,
                replied_by=recorder,
                replied_at=now,
                unit=answering,
                signer=signed,
                template=template or "",
            )
            new, events = current.answer(reply)
            uow.suggestions.put(new)
            tx.emit(*events)
        return new

    def _placeholders(
        self,
        uow: UnitOfWork,
        s: Suggestion,
        unit: str,
        signer: str,
        now: pendulum.DateTime,
        detail: str,
    ) -> dict[str, str]:
        programme = uow.programmes.get(s.programme_id)
        group = ""
        if s.group_id is not None:
            try:
                group = uow.groups.get(s.group_id).name
            except NotFound:
                group = s.group_id
        return {
            "number": str(s.number or s.id),
            "title": s.title,
            "body": s.body,
            "category": s.category,
            "aspect": s.aspect,
            "proposers": "、".join(self._names(uow, s.proposers)),
            "group": group,
            "unit": unit,
            "deadline": chinese_date(s.deadline) if s.deadline else "规定期限",
            "signer": signer,
            "date": chinese_date(now.in_timezone(programme.timezone).date()),
            "detail": detail,
        }

    @staticmethod
    def _names(uow: UnitOfWork, keys: Iterable[str]) -> list[str]:
        wanted = list(keys)
        found = {d.key: d.name for d in uow.delegates.list() if d.key in set(wanted)}
        return [found.get(k, k) for k in wanted]

    def rate(
        self, suggestion_id: str, satisfaction: str, *, by: str = "", reason: str = ""
    ) -> Suggestion:
        """The proposers' rating of a reply (满意, 基本满意 or 不满意, or the enum's value):
        满意 and 基本满意 close the suggestion, 不满意 reopens it for a second round."""
        with self._ctx.write() as tx:
            current = tx.uow.suggestions.get(suggestion_id)
            new, events = current.rate(satisfaction, at=self._ctx.now(), by=by, reason=reason)
            tx.uow.suggestions.put(new)
            tx.emit(*events)
        return new

    # -- reads -------------------------------------------------------------------------

    def get(self, suggestion_id: str) -> Suggestion:
        with self._ctx.read() as uow:
            return uow.suggestions.get(suggestion_id)

    def list(
        self, programme_id: str | None = None, *, include_merged: bool = True
    ) -> builtins.list[Suggestion]:
        """The suggestions of a programme, by number (then id)."""
        with self._ctx.read() as uow:
            pid = current_programme(uow, programme_id).id
            items = uow.suggestions.select(programme_id=pid)
        if not include_merged:
            items = [s for s in items if s.state is not SuggestionState.MERGED]
        return sorted(items, key=lambda s: (s.number or 1 << 30, s.id))

    def overdue(
        self, today: pendulum.Date | None = None, *, programme_id: str | None = None
    ) -> builtins.list[Suggestion]:
        """Assigned suggestions whose deadline has passed without a reply (``today``
        defaults to the clock's date in the course's time zone), earliest deadline first."""
        with self._ctx.read() as uow:
            programme = current_programme(uow, programme_id)
            items = uow.suggestions.select(
                programme_id=programme.id, state=SuggestionState.ASSIGNED.value
            )
        day = today or self._ctx.now().in_timezone(programme.timezone).date()
        late = [s for s in items if s.deadline is not None and s.deadline < day]
        return sorted(late, key=lambda s: (s.deadline, s.number or 0, s.id))

    def stats(self, programme_id: str | None = None) -> SuggestionStats:
        """Counts by category and aspect, group, handling unit, state and satisfaction,
        from one snapshot; merged suggestions are counted apart."""
        with self._ctx.read() as uow:
            pid = current_programme(uow, programme_id).id
            items = uow.suggestions.select(programme_id=pid)
            groups = sorted(uow.groups.select(programme_id=pid), key=lambda g: g.number)
        return suggestion_stats(
            items,
            self._ctx.settings.suggestion_taxonomy,
            group_names={g.id: g.name for g in groups},
        )

    def bulletin(self, programme_id: str | None = None) -> str:
        """The bulletin's sentence from the data: "共收集意见建议96条，归纳为4大类8个方面"."""
        return self.stats(programme_id).bulletin()
