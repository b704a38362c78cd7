"""``lvzhi materials``: the handbook (履职常识100问: import, search, export), the
personalised covers, the experience-sharing speakers, lecturers and hosts, and the course
evaluation questionnaires."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from lvzhi.cli._common import open_office
from lvzhi.cli._common import subcommand as _command
from lvzhi.errors import NotFound
from lvzhi.i18n import _

if TYPE_CHECKING:
    from lvzhi.domain.materials import SessionRole
    from lvzhi.secretariat import Secretariat

__all__ = ["register"]


def _export(office: Secretariat, report: str, args: argparse.Namespace, **options: Any) -> int:
    exporter = office.registries.exporters.get(args.format)
    target = args.output or f"{report}.{exporter.extension}"
    chosen = {k: v for k, v in options.items() if v}
    office.reports.export(
        report, args.format, target, programme_id=getattr(args, "programme", None), options=chosen
    )
    print(_("wrote {file}").format(file=target))
    return 0


# -- handbook ---------------------------------------------------------------------------------


def _handbook_import(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        if args.file is None:
            handbook = office.materials.load_sample_handbook()
        else:
            handbook = office.materials.import_handbook(
                args.file, handbook_id=args.id, title=args.title
            )
    print(
        _("stored handbook {id} ({title}): {count} questions").format(
            id=handbook.id, title=handbook.title, count=len(handbook.questions)
        )
    )
    return 0


def _handbook_search(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        hits = office.materials.search(
            " ".join(args.text), part=args.part, handbook_id=args.handbook, limit=args.limit
        )
    for hit in hits:
        q = hit.question
        print(f"{q.number}\t{q.part.label}\t{q.question}")
        if args.answers:
            print(f"\t{q.answer}")
    if not hits:
        print(_("no question matches"))
    return 0


def _handbook_export(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        return _export(office, "handbook", args, handbook=args.handbook, part=args.part)


# -- covers -----------------------------------------------------------------------------------


def _covers(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        return _export(office, "covers", args, delegation=args.delegation)


# -- speakers, lecturers, hosts ---------------------------------------------------------------


def _role_line(r: SessionRole) -> str:
    return f"{r.session_id}\t{r.role.label}\t{r.order}\t{r.person_id}\t{r.topic}"


def _speaker_link(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        role = office.materials.link_speaker(
            args.session, args.certificate, topic=args.topic or "", order=args.order
        )
    print(_role_line(role))
    return 0


def _lecturer_link(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        if args.host:
            role = office.materials.link_host(args.session, args.official)
        else:
            role = office.materials.link_lecturer(
                args.session, args.official, topic=args.topic or ""
            )
    print(_role_line(role))
    return 0


def _unlink(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        office.materials.unlink(args.session, args.role, args.person)
    print(
        _("removed {role} {person} from {session}").format(
            role=args.role, person=args.person, session=args.session
        )
    )
    return 0


def _roles_list(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        if args.format:
            return _export(office, "speakers", args)
        roles = office.materials.roles(args.programme, role=args.role)
    for r in roles:
        print(_role_line(r))
    if not roles:
        print(_("nobody is linked to a session yet"))
    return 0


# -- evaluation -------------------------------------------------------------------------------


def _evaluation_create(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        q = office.materials.evaluation.standard(args.programme, questionnaire_id=args.id)
    print(_("questionnaire {id}: {count} questions").format(id=q.id, count=len(q.items)))
    for item in q.items:
        print(f"  {item.id}\t{item.kind.value}\t{item.text}")
    return 0


def _evaluation_import(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        done = office.materials.evaluation.import_responses(
            args.questionnaire, args.file, replace=args.replace
        )
    print(
        _("responses: {added} added, {replaced} replaced, {unchanged} unchanged").format(
            added=done.added, replaced=done.replaced, unchanged=done.unchanged
        )
    )
    return 0


def _evaluation_results(args: argparse.Namespace) -> int:
    with open_office(args) as office:
        if args.format:
            return _export(office, "evaluation-results", args, questionnaire=args.questionnaire)
        wanted = args.questionnaire
        if wanted is None:
            found = office.materials.evaluation.list(args.programme)
            if not found:
                raise NotFound("Questionnaire", args.programme or "(any)")
            wanted = found[-1].id
        results = office.materials.evaluation.results(wanted)
    print(
        _("{responses} of {expected} deputies responded ({rate:.1%}); overall mean {mean}").format(
            responses=results.responses,
            expected=results.expected,
            rate=results.response_rate,
            mean=results.overall if results.overall is not None else "-",
        )
    )
    for item in results.items:
        mean = f"{item.mean:.2f}" if item.mean is not None else ""
        print(f"  {item.item.id}\t{item.answered}\t{mean}\t{item.item.text}")
    return 0


# -- the parser -------------------------------------------------------------------------------


def _group(sub: argparse._SubParsersAction[Any], name: str, help_text: str) -> Any:
    p = sub.add_parser(name, help=help_text, description=help_text)
    cmds = p.add_subparsers(dest=f"materials_{name}_command", metavar=_("COMMAND"))
    cmds.required = True
    return cmds


def _output(p: argparse.ArgumentParser, default: str | None = "xlsx") -> None:
    p.add_argument(
        "--format",
        "-f",
        default=default,
        metavar=_("FORMAT"),
        help=_("output format (default: {default})").format(default=default or "-"),
    )
    p.add_argument("--output", "-o", metavar=_("PATH"), help=_("file to write"))
    p.add_argument("--programme", metavar=_("ID"), help=_("the course (default: the latest)"))


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add ``lvzhi materials …`` to the command line."""
    top = sub.add_parser(
        "materials",
        help=_("the handbook, covers, speakers, lecturers and the course evaluation"),
        description=_(
            "Course materials: the handbook of 100 questions in four parts, a personalised "
            "cover per deputy, the deputies who share their experience, the lecturers and "
            "hosts of the sessions, and the evaluation questionnaire."
        ),
    )
    groups = top.add_subparsers(dest="materials_command", metavar=_("COMMAND"))
    groups.required = True

    cmds = _group(groups, "handbook", _("import, search and export the handbook"))
    p = _command(cmds, "import", _("store a handbook from a TOML or xlsx file"), _handbook_import)
    p.add_argument(
        "file", nargs="?", metavar=_("FILE"), help=_("the file (default: the sample handbook)")
    )
    p.add_argument("--id", metavar=_("ID"), help=_("the handbook's id"))
    p.add_argument("--title", metavar=_("TEXT"), help=_("the handbook's title"))
    p = _command(
        cmds, "search", _("find questions by words of question or answer"), _handbook_search
    )
    p.add_argument("text", nargs="+", metavar=_("WORD"))
    p.add_argument("--part", metavar=_("PART"), help=_("only this part, e.g. 履职保障"))
    p.add_argument("--handbook", metavar=_("ID"), help=_("the handbook (default: the first)"))
    p.add_argument("--limit", type=int, default=0, metavar="N", help=_("at most N questions"))
    p.add_argument("--answers", action="store_true", help=_("print the answers too"))
    p = _command(cmds, "export", _("export the handbook as a table"), _handbook_export)
    _output(p)
    p.add_argument("--part", metavar=_("PART"), help=_("only this part"))
    p.add_argument("--handbook", metavar=_("ID"), help=_("the handbook (default: the first)"))

    p = _command(groups, "covers", _("export a printable cover per deputy"), _covers)
    _output(p, "html")
    p.add_argument("--delegation", metavar=_("CODE"), help=_("only this delegation"))

    cmds = _group(groups, "speakers", _("deputies sharing their experience at a session"))
    p = _command(cmds, "link", _("link a deputy who speaks at a session"), _speaker_link)
    p.add_argument("session", metavar=_("SESSION"))
    p.add_argument("certificate", metavar=_("CERTIFICATE"))
    p.add_argument("--topic", metavar=_("TEXT"), help=_("the talk's title"))
    p.add_argument("--order", type=int, metavar="N", help=_("place among the speakers"))
    p = _command(cmds, "list", _("list who speaks, lectures and hosts"), _roles_list)
    _output(p, None)
    p.set_defaults(role="speaker")
    p = _command(cmds, "unlink", _("remove a person from a session"), _unlink)
    p.add_argument("session", metavar=_("SESSION"))
    p.add_argument("person", metavar=_("ID"))
    p.set_defaults(role="speaker")

    cmds = _group(groups, "lecturers", _("lecturers and hosts of the sessions"))
    p = _command(cmds, "link", _("link an official who lectures or hosts"), _lecturer_link)
    p.add_argument("session", metavar=_("SESSION"))
    p.add_argument("official", metavar=_("OFFICIAL"))
    p.add_argument("--topic", metavar=_("TEXT"), help=_("the lecture's title"))
    p.add_argument("--host", action="store_true", help=_("as the host (主持人)"))
    p = _command(cmds, "list", _("list who speaks, lectures and hosts"), _roles_list)
    _output(p, None)
    p.set_defaults(role=None)
    p = _command(cmds, "unlink", _("remove a person from a session"), _unlink)
    p.add_argument("session", metavar=_("SESSION"))
    p.add_argument("person", metavar=_("ID"))
    p.add_argument("--role", choices=("lecturer", "host"), default="lecturer")

    cmds = _group(groups, "evaluation", _("the course evaluation questionnaire"))
    p = _command(
        cmds,
        "create",
        _("create the standard questionnaire from the timetable"),
        _evaluation_create,
    )
    p.add_argument("--programme", metavar=_("ID"), help=_("the course (default: the latest)"))
    p.add_argument("--id", metavar=_("ID"), help=_("the questionnaire's id"))
    p = _command(cmds, "import", _("record responses from a csv or xlsx file"), _evaluation_import)
    p.add_argument("questionnaire", metavar=_("QUESTIONNAIRE"))
    p.add_argument("file", metavar=_("FILE"))
    p.add_argument("--replace", action="store_true", help=_("replace changed responses"))
    p = _command(cmds, "results", _("print or export the results"), _evaluation_results)
    p.add_argument("questionnaire", nargs="?", metavar=_("QUESTIONNAIRE"))
    _output(p, None)
