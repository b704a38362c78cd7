"""Training plans (一届一规划、一年一计划): drafted from the needs survey, approved upward, and
the courses set up from their items."""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import pendulum

from lvzhi.domain import Programme
from lvzhi.domain.events import ProgrammeSaved
from lvzhi.domain.plans import Citation, PlanAudience, PlanItem, PlanKind, TrainingPlan
from lvzhi.domain.surveys import rank_topics
from lvzhi.errors import ValidationError
from lvzhi.i18n import _
from lvzhi.services.surveys import SurveyUseCases

if TYPE_CHECKING:
    from lvzhi.ports import UnitOfWork

__all__ = ["PlansService"]


def _day(value: pendulum.Date | str | None) -> pendulum.Date | None:
    if value is None or isinstance(value, pendulum.Date):
        return value
    try:
        return pendulum.Date.fromisoformat(value)
    except ValueError:
        raise ValidationError("date", value, _("must be a date (YYYY-MM-DD)")) from None


class PlansService(SurveyUseCases):
    """``office.plans``: training plans, their items and approval trail, the needs survey
    they rest on, and the courses set up from them."""

    # -- plans --------------------------------------------------------------------------

    def create(
        self,
        kind: PlanKind | str,
        title: str,
        *,
        term: str,
        start_year: int,
        end_year: int | None = None,
        plan_id: str | None = None,
        drafted_by: str = "",
        parent_id: str | None = None,
        survey_id: str | None = None,
        summary: str = "",
        at: pendulum.DateTime | None = None,
    ) -> TrainingPlan:
        """Draft a plan: a term plan over ``start_year``-``end_year`` or a yearly plan
        (``end_year`` is then ``start_year``).  Its id defaults to ``<kind>-<year>``; a
        yearly plan's ``parent_id`` must be a term plan covering its year, and the survey,
        when named, must exist."""
        plan_kind = _plan_kind(kind)
        last = start_year if end_year is None else end_year
        with self._ctx.write() as tx:
            uow = tx.uow
            if parent_id is not None:
                self._check_parent(uow, parent_id, plan_kind, start_year)
            if survey_id is not None:
                uow.surveys.get(survey_id)
            plan = TrainingPlan(
                id=plan_id or f"{plan_kind.value}-{start_year}",
                kind=plan_kind,
                title=title,
                term=term,
                start_year=start_year,
                end_year=last,
                drafted_by=drafted_by,
                parent_id=parent_id,
                survey_id=survey_id,
                summary=summary,
                created_at=at or self._ctx.now(),
            ).drafted(by=drafted_by)
            uow.training_plans.add(plan)
        return plan

    @staticmethod
    def _check_parent(uow: UnitOfWork, parent_id: str, kind: PlanKind, year: int) -> None:
        parent = uow.training_plans.get(parent_id)
        if kind is not PlanKind.YEAR or parent.kind is not PlanKind.TERM:
            reason = _("a yearly plan's parent is a term plan")
            raise ValidationError("TrainingPlan.parent_id", parent_id, reason)
        if not parent.start_year <= year <= parent.end_year:
            reason = _("term plan {plan!r} covers {years}, not {year}").format(
                plan=parent.id, years=parent.years, year=year
            )
            raise ValidationError("TrainingPlan.parent_id", parent_id, reason)

    def get(self, plan_id: str) -> TrainingPlan:
        with self._ctx.read() as uow:
            return uow.training_plans.get(plan_id)

    def list(self, kind: PlanKind | str | None = None) -> builtins.list[TrainingPlan]:
        """Plans by first year, term plans before yearly ones."""
        with self._ctx.read() as uow:
            items = uow.training_plans.list()
        if kind is not None:
            wanted = _plan_kind(kind)
            items = [p for p in items if p.kind is wanted]
        return sorted(items, key=lambda p: (p.start_year, p.kind is PlanKind.YEAR, p.id))

    def add_item(
        self,
        plan_id: str,
        title: str,
        *,
        no: int | None = None,
        audience: PlanAudience | str = PlanAudience.ALL,
        level: str = "",
        topics: Iterable[str] = (),
        starts_on: pendulum.Date | str | None = None,
        ends_on: pendulum.Date | str | None = None,
        budget: int = 0,
        places: int = 0,
        place: str = "",
        cites: Iterable[str] = (),
    ) -> TrainingPlan:
        """Add a planned course (or replace item ``no``) to a drafted plan.  ``cites`` are
        topics of the plan's needs survey: each is kept with its rank and count as they
        stand now; a topic the survey does not offer is refused, listing those it does."""
        with self._ctx.write() as tx:
            uow = tx.uow
            plan = uow.training_plans.get(plan_id)
            citations = self._citations(uow, plan, list(cites))
            item = PlanItem(
                no=no or plan.next_item_no(),
                title=title,
                audience=audience,
                level=level,
                topics=tuple(topics) or tuple(c.topic for c in citations),
                starts_on=_day(starts_on),
                ends_on=_day(ends_on),
                budget=budget,
                places=places,
                place=place,
                cites=citations,
            )
            new = plan.with_item(item)
            uow.training_plans.put(new)
        return new

    @staticmethod
    def _citations(
        uow: UnitOfWork, plan: TrainingPlan, topics: builtins.list[str]
    ) -> builtins.list[Citation]:
        if not topics:
            return []
        if plan.survey_id is None:
            reason = _("plan {plan!r} rests on no survey to cite").format(plan=plan.id)
            raise ValidationError("PlanItem.cites", topics, reason)
        survey = uow.surveys.get(plan.survey_id)
        ranked = {
            d.topic: d
            for d in rank_topics(survey, uow.survey_responses.select(survey_id=survey.id))
        }
        unknown = [t for t in topics if t not in ranked]
        if unknown:
            reason = _("survey {survey!r} offers the topics {topics}").format(
                survey=survey.id, topics="、".join(ranked)
            )
            raise ValidationError("PlanItem.cites", "、".join(unknown), reason)
        return [Citation(topic=t, rank=ranked[t].rank, count=ranked[t].count) for t in topics]

    def remove_item(self, plan_id: str, no: int) -> TrainingPlan:
        with self._ctx.write() as tx:
            new = tx.uow.training_plans.get(plan_id).without_item(no)
            tx.uow.training_plans.put(new)
        return new

    def move(
        self,
        plan_id: str,
        action: str,
        *,
        by: str,
        remark: str = "",
        at: pendulum.DateTime | None = None,
    ) -> TrainingPlan:
        """One step of the approval trail (``submit``, ``review``, ``approve``, ``return``),
        by a named body or official, with a remark, at ``at`` (default: now)."""
        if not by or not by.strip():
            raise ValidationError("by", by, _("name the body or official who does this"))
        with self._ctx.write() as tx:
            current = tx.uow.training_plans.get(plan_id)
            new, events = current.move(action, at=at or self._ctx.now(), by=by, remark=remark)
            tx.uow.training_plans.put(new)
            tx.emit(*events)
        return new

    def submit(self, plan_id: str, *, by: str, remark: str = "", **kw: Any) -> TrainingPlan:
        """Send a drafted plan up for review (报审)."""
        return self.move(plan_id, "submit", by=by, remark=remark, **kw)

    def review(self, plan_id: str, *, by: str, remark: str = "", **kw: Any) -> TrainingPlan:
        """The reviewing body's consent (审定)."""
        return self.move(plan_id, "review", by=by, remark=remark, **kw)

    def approve(self, plan_id: str, *, by: str, remark: str = "", **kw: Any) -> TrainingPlan:
        """The approving body's decision (批准, 研究同意)."""
        return self.move(plan_id, "approve", by=by, remark=remark, **kw)

    def return_for_revision(self, plan_id: str, *, by: str, remark: str, **kw: Any) -> TrainingPlan:
        """Send a submitted or reviewed plan back to drafted, saying why."""
        return self.move(plan_id, "return", by=by, remark=remark, **kw)

    # -- courses ------------------------------------------------------------------------

    def create_programme(
        self,
        plan_id: str,
        item_no: int,
        *,
        programme_id: str,
        title: str | None = None,
        organiser: str | None = None,
        start_date: pendulum.Date | str | None = None,
        end_date: pendulum.Date | str | None = None,
        timezone: str = "Asia/Shanghai",
    ) -> Programme:
        """Set up the course (a :class:`~lvzhi.domain.programme.Programme`) of item
        ``item_no`` of an approved plan, and link the item to it, in one transaction.  Title
        and dates default to the item's, the term to the plan's, the organiser to its
        drafter."""
        with self._ctx.write() as tx:
            uow = tx.uow
            plan = uow.training_plans.get(plan_id)
            item = plan.item(item_no)
            first = _day(start_date) or item.starts_on
            last = _day(end_date) or item.ends_on or first
            if first is None or last is None:
                reason = _("item {no} has no dates; give the course's dates").format(no=item_no)
                raise ValidationError("Programme.start_date", None, reason)
            programme = Programme(
                id=programme_id,
                title=title or item.title,
                term=plan.term,
                organiser=plan.drafted_by if organiser is None else organiser,
                start_date=first,
                end_date=last,
                timezone=timezone,
            )
            linked = plan.link(item_no, programme.id)
            uow.programmes.add(programme)
            uow.training_plans.put(linked)
            tx.emit(ProgrammeSaved(occurred_at=self._ctx.now(), programme_id=programme.id))
        return programme

    def link_programme(self, plan_id: str, item_no: int, programme_id: str) -> TrainingPlan:
        """Link item ``item_no`` of an approved plan to a course that already exists."""
        with self._ctx.write() as tx:
            uow = tx.uow
            programme = uow.programmes.get(programme_id)
            new = uow.training_plans.get(plan_id).link(item_no, programme.id)
            uow.training_plans.put(new)
        return new

    def item_of(self, programme_id: str) -> tuple[TrainingPlan, PlanItem] | None:
        """The plan and item a course was set up from, if any."""
        for plan in self.list():
            for item in plan.items:
                if item.programme_id == programme_id:
                    return plan, item
        return None


def _plan_kind(value: PlanKind | str) -> PlanKind:
    found = PlanKind.aliases().get(str(value).strip()) if isinstance(value, str) else value
    try:
        return found or PlanKind(str(value).strip().lower())
    except ValueError:
        raise ValidationError(
            "TrainingPlan.kind", value, _("must be 'term' (届) or 'year' (年度)")
        ) from None
