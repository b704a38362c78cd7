"""``lvzhi plan``: training plans (一届一规划、一年一计划), the needs survey they rest on,
their approval trail, and the courses set up from their items."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from lvzhi.cli._common import open_office
from lvzhi.cli._common import subcommand as _command
from lvzhi.domain.plans import AUDIENCE_LABELS, PLAN_KIND_LABELS, PLAN_STATE_LABELS
from lvzhi.domain.surveys import Question, Survey
from lvzhi.errors import ValidationError
from lvzhi.i18n import _
from lvzhi.services.surveys import split_choices

if TYPE_CHECKING:
    from lvzhi.domain.plans import TrainingPlan
    from lvzhi.domain.surveys import TopicDemand

__all__ = ["register"]


def _line(p: TrainingPlan) -> str:
    kind = PLAN_KIND_LABELS[p.kind.value]
    state = PLAN_STATE_LABELS[p.state.value]
    return f"{p.id}\t{kind}\t{p.years}\t{state}\t{p.title}"


def _create(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        plan = office.plans.create(
            args.kind,
            args.title,
            term=args.term,
            start_year=args.start_year,
            end_year=args.end_year,
            plan_id=args.id,
            drafted_by=args.drafted_by or "",
            parent_id=args.parent,
            survey_id=args.survey,
            summary=args.summary or "",
        )
    print(_line(plan))
    return 0


def _list(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        plans = office.plans.list(args.kind)
    for plan in plans:
        print(_line(plan))
    if not plans:
        print(_("no training plan yet"))
    return 0


def _show(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        plan = office.plans.get(args.plan)
        zone = "Asia/Shanghai"
    print(_line(plan))
    for item in plan.items:
        cites = "；".join(c.label() for c in item.cites)
        print(
            f"  {item.no}\t{item.title}\t{item.audience_label}\t{item.dates}\t"
            f"{item.places}\t{item.budget}\t{cites}\t{item.programme_id or ''}"
        )
    for step in plan.transitions:
        when = step.at.in_timezone(zone).format("YYYY-MM-DD HH:mm")
        was = PLAN_STATE_LABELS[step.from_state.value] if step.from_state else "-"
        now = PLAN_STATE_LABELS[step.to_state.value]
        print(f"  {when}\t{step.by}\t{was} → {now}\t{step.remark}")
    return 0


def _item_add(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        plan = office.plans.add_item(
            args.plan,
            args.title,
            no=args.no,
            audience=args.audience,
            level=args.level or "",
            topics=args.topic or (),
            starts_on=args.start,
            ends_on=args.end,
            budget=args.budget,
            places=args.places,
            place=args.place or "",
            cites=args.cite or (),
        )
    item = plan.items[-1] if args.no is None else plan.item(args.no)
    print(f"{plan.id}\t{item.no}\t{item.title}")
    return 0


def _move(action: str) -> Any:
    def run(args: argparse.Namespace) -> int:
        with open_office(args) as office:
            plan = office.plans.move(args.plan, action, by=args.by, remark=args.remark or "")
        print(_line(plan))
        return 0

    return run


def _programme(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        if args.link:
            office.plans.link_programme(args.plan, args.item, args.id)
            programme = office.programme.get(args.id)
        else:
            programme = office.plans.create_programme(
                args.plan,
                args.item,
                programme_id=args.id,
                title=args.title,
                start_date=args.start,
                end_date=args.end,
            )
    print(f"{programme.id}\t{programme.start_date}..{programme.end_date}\t{programme.title}")
    return 0


def _parse_question(text: str, topics: set[str]) -> Question:
    """``ID;KIND;TEXT;OPTION、OPTION…`` (kind: single, multiple, text or 单选, 多选, 填空)."""
    parts = [p.strip() for p in text.split(";")]
    if len(parts) < 3:
        reason = _("must be ID;KIND;TEXT;OPTIONS (options separated by 、 or ,)")
        raise ValidationError("--question", text, reason)
    options = split_choices(parts[3]) if len(parts) > 3 else ()
    return Question(
        id=parts[0], kind=parts[1], text=parts[2], options=options, topic=parts[0] in topics
    )


def _survey_create(args: argparse.Namespace) -> int:
    topics = set(args.topic or ())
    questions = [_parse_question(q, topics) for q in args.question]
    survey = Survey(
        id=args.id,
        title=args.title,
        conducted_by=args.by or "",
        opens_on=args.opens,
        closes_on=args.closes,
        questions=questions,
    )
    with open_office(args) as office:
        office.plans.create_survey(survey)
    print(f"{survey.id}\t{len(survey.questions)}\t{survey.title}")
    return 0


def _print_ranking(ranking: list[TopicDemand]) -> None:
    for row in ranking:
        print(f"  {row.rank}\t{row.topic}\t{row.count}\t{row.share:.1%}")


def _survey_import(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        done = office.plans.import_responses(
            args.survey, args.file, format=args.format, sheet=args.sheet
        )
        ranking = office.plans.ranking(args.survey)
    print(
        _("{source}: {new} new response(s), {replaced} replaced").format(
            source=done.source, new=done.new, replaced=done.replaced
        )
    )
    _print_ranking(ranking)
    return 0


def _survey_ranking(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        ranking = office.plans.ranking(args.survey)
        count = len(office.plans.responses(args.survey))
    print(_("{count} response(s); topics by demand:").format(count=count))
    _print_ranking(ranking)
    return 0


def _group(
    sub: argparse._SubParsersAction[Any], name: str, help_text: str
) -> argparse._SubParsersAction[Any]:
    top = sub.add_parser(name, help=help_text, description=help_text)
    cmds: argparse._SubParsersAction[Any] = top.add_subparsers(
        dest=f"plan_{name}_command", metavar=_("COMMAND")
    )
    cmds.required = True
    return cmds


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add ``lvzhi plan …`` to the command line."""
    top = sub.add_parser(
        "plan",
        help=_("training plans per term and per year, the needs survey, approval"),
        description=_(
            "Training plans (one per term, one per year) drafted from a needs survey of "
            "the deputies, approved upward step by step, and the courses set up from them."
        ),
    )
    cmds = top.add_subparsers(dest="plan_command", metavar=_("COMMAND"))
    cmds.required = True

    p = _command(cmds, "create", _("draft a term plan or a yearly plan"), _create)
    p.add_argument("kind", metavar=_("KIND"), help=_("term (届) or year (年度)"))
    p.add_argument("title", metavar=_("TITLE"))
    p.add_argument("--term", required=True, metavar=_("TEXT"), help=_("the term, e.g. 第十六届"))
    p.add_argument("--start-year", type=int, required=True, metavar=_("YEAR"))
    p.add_argument("--end-year", type=int, metavar=_("YEAR"), help=_("last year of a term plan"))
    p.add_argument("--id", metavar=_("ID"), help=_("the plan's id (default: KIND-YEAR)"))
    p.add_argument("--drafted-by", metavar=_("WHO"), help=_("the drafting body"))
    p.add_argument("--parent", metavar=_("ID"), help=_("a yearly plan's term plan"))
    p.add_argument("--survey", metavar=_("ID"), help=_("the needs survey it rests on"))
    p.add_argument("--summary", metavar=_("TEXT"))

    p = _command(cmds, "list", _("list the training plans"), _list)
    p.add_argument("--kind", metavar=_("KIND"), help=_("term or year"))

    p = _command(cmds, "show", _("show a plan's items and approval trail"), _show)
    p.add_argument("plan", metavar=_("PLAN"))

    items = _group(cmds, "item", _("the planned courses of a plan"))
    p = _command(items, "add", _("add a planned course to a drafted plan"), _item_add)
    p.add_argument("plan", metavar=_("PLAN"))
    p.add_argument("title", metavar=_("TITLE"))
    p.add_argument("--no", type=int, metavar="N", help=_("replace item N"))
    p.add_argument(
        "--audience", default="all", metavar=_("WHO"), help="、".join(AUDIENCE_LABELS.values())
    )
    p.add_argument("--level", metavar=_("TEXT"), help=_("the level, e.g. 县级人大代表"))
    p.add_argument("--topic", action="append", metavar=_("TEXT"), help=_("a topic (repeat)"))
    p.add_argument("--start", metavar="YYYY-MM-DD")
    p.add_argument("--end", metavar="YYYY-MM-DD")
    p.add_argument("--budget", type=int, default=0, metavar=_("YUAN"))
    p.add_argument("--places", type=int, default=0, metavar="N")
    p.add_argument("--place", metavar=_("TEXT"))
    p.add_argument(
        "--cite", action="append", metavar=_("TOPIC"), help=_("a ranked topic of the survey")
    )

    for action, text in (
        ("submit", _("send a drafted plan up for review (报审)")),
        ("review", _("record the review (审定)")),
        ("approve", _("record the approval (批准)")),
        ("return", _("return a plan for revision, back to drafted")),
    ):
        p = _command(cmds, action, text, _move(action))
        p.add_argument("plan", metavar=_("PLAN"))
        p.add_argument("--by", required=True, metavar=_("WHO"), help=_("the body or official"))
        p.add_argument(
            "--remark", required=action == "return", metavar=_("TEXT"), help=_("their remark")
        )

    p = _command(cmds, "programme", _("set up the course of a plan item"), _programme)
    p.add_argument("plan", metavar=_("PLAN"))
    p.add_argument("item", type=int, metavar="N")
    p.add_argument("--id", required=True, metavar=_("ID"), help=_("the course's id"))
    p.add_argument("--title", metavar=_("TEXT"), help=_("default: the item's"))
    p.add_argument("--start", metavar="YYYY-MM-DD", help=_("default: the item's"))
    p.add_argument("--end", metavar="YYYY-MM-DD", help=_("default: the item's"))
    p.add_argument("--link", action="store_true", help=_("link to an existing course instead"))

    surveys = _group(cmds, "survey", _("the needs survey of the deputies"))
    p = _command(surveys, "create", _("create a needs survey"), _survey_create)
    p.add_argument("id", metavar=_("ID"))
    p.add_argument("title", metavar=_("TITLE"))
    p.add_argument(
        "--question",
        action="append",
        required=True,
        metavar=_("SPEC"),
        help=_("ID;KIND;TEXT;OPTIONS, kind single, multiple or text (repeat)"),
    )
    p.add_argument(
        "--topic", action="append", metavar=_("ID"), help=_("a question whose options are topics")
    )
    p.add_argument("--by", metavar=_("WHO"), help=_("who runs the survey"))
    p.add_argument("--opens", metavar="YYYY-MM-DD")
    p.add_argument("--closes", metavar="YYYY-MM-DD")

    p = _command(
        surveys, "import", _("import responses from a csv, xlsx or ods file"), _survey_import
    )
    p.add_argument("survey", metavar=_("SURVEY"))
    p.add_argument("file", metavar=_("FILE"))
    p.add_argument("--format", metavar=_("FORMAT"), help=_("xlsx, ods or csv (default: by suffix)"))
    p.add_argument("--sheet", metavar=_("NAME"), help=_("the sheet (default: the first)"))

    p = _command(surveys, "ranking", _("show the topics ranked by demand"), _survey_ranking)
    p.add_argument("survey", metavar=_("SURVEY"))
