"""Course materials (``office.materials``): the handbook of questions and answers
(履职常识100问) — imported from a file, searched —, the personalised covers, the deputies
who share their experience, the lecturers and hosts of the sessions, and (as
``office.materials.evaluation``) the course evaluation questionnaires."""

from __future__ import annotations

import builtins
import os
import tomllib
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from lvzhi.domain.materials import (
    Handbook,
    HandbookPart,
    HandbookQuestion,
    Hit,
    RoleKind,
    SessionRole,
    fold_text,
    search_handbook,
)
from lvzhi.errors import NotFound, ValidationError
from lvzhi.i18n import _
from lvzhi.reports.covers import HANDBOOK_TITLE, Cover, make_covers
from lvzhi.services.context import Context, Service, current_programme, require_deputies
from lvzhi.services.evaluation import EvaluationService

__all__ = ["HANDBOOK_COLUMNS", "MaterialsService", "read_handbook", "sample_handbook_path"]

#: The columns of a handbook spreadsheet: 编号, 部分, 问题, 解答 and optionally 依据; each
#: with the other names it is known by.
HANDBOOK_COLUMNS: dict[str, tuple[str, ...]] = {
    "number": ("编号", "序号", "number"),
    "part": ("部分", "part"),
    "question": ("问题", "question"),
    "answer": ("解答", "答案", "回答", "answer"),
    "basis": ("依据", "法律依据", "basis"),
}
_REQUIRED = ("number", "part", "question", "answer")
_LABELS = {"number": "编号", "part": "部分", "question": "问题", "answer": "解答", "basis": "依据"}


def sample_handbook_path() -> Path:
    """The sample handbook shipped with lvzhi (100 questions, TOML)."""
    return Path(str(resources.files("lvzhi.samples").joinpath("handbook.toml")))


def _rows_from_toml(path: Path) -> tuple[dict[str, Any], list[tuple[str, dict[str, Any]]]]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError(
            str(path), path.name, _("is not valid TOML: {error}").format(error=exc)
        ) from None
    questions = data.get("questions")
    if not isinstance(questions, list) or not questions:
        raise ValidationError(
            f"{path.name}: questions", questions, _("must be a list of questions")
        )
    rows = [(f"questions[{i}]", q) for i, q in enumerate(questions, start=1)]
    for where, row in rows:
        if not isinstance(row, dict):
            raise ValidationError(f"{path.name}: {where}", row, _("must be a table"))
    head: dict[str, Any] = {k: data[k] for k in ("id", "title", "edition") if k in data}
    return head, [(where, dict(row)) for where, row in rows]


def _header_key(value: Any) -> str | None:
    text = str(value or "").strip()
    for key, names in HANDBOOK_COLUMNS.items():
        if text in names:
            return key
    return None


def _rows_from_xlsx(path: Path) -> tuple[dict[str, Any], list[tuple[str, dict[str, Any]]]]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        head: dict[str, Any] = {}
        columns: dict[str, int] = {}
        rows: list[tuple[str, dict[str, Any]]] = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if not columns:
                found = {_header_key(v): i for i, v in enumerate(values) if _header_key(v)}
                if all(k in found for k in _REQUIRED):
                    columns = {k: i for k, i in found.items() if k is not None}
                elif not head and values and isinstance(values[0], str) and values[0].strip():
                    head["title"] = values[0].strip()  # a title row above the header
                continue
            if all(v is None or str(v).strip() == "" for v in values):
                continue
            row = {k: values[i] if i < len(values) else None for k, i in columns.items()}
            rows.append((_("row {row}").format(row=number), row))
    finally:
        book.close()
    if not columns:
        wanted = "、".join(HANDBOOK_COLUMNS[k][0] for k in _REQUIRED)
        raise ValidationError(
            path.name, None, _("has no header row with {columns}").format(columns=wanted)
        )
    return head, rows


def read_handbook(
    path: str | os.PathLike[str], *, handbook_id: str | None = None, title: str | None = None
) -> Handbook:
    """A handbook from a TOML file (``id``, ``title``, ``edition`` and ``[[questions]]``
    with ``number``, ``part``, ``question``, ``answer``, ``basis``) or a spreadsheet (xlsx:
    a header row 编号, 部分, 问题, 解答, 依据 — a title row above it is the title).

    Every error names the file, the row (or ``questions[n]``) and the column, and the
    value: a missing or bad value, numbers not running 1, 2, 3, …, a part other than the
    four or out of order, a question asked twice, a part missing."""
    file = Path(path)
    if not file.is_file():
        raise ValidationError("path", str(path), _("is not a file"))
    if file.suffix.lower() == ".toml":
        head, rows = _rows_from_toml(file)
    elif file.suffix.lower() in (".xlsx", ".xlsm"):
        head, rows = _rows_from_xlsx(file)
    else:
        raise ValidationError("path", str(path), _("must be a .toml or .xlsx file"))
    return _build(
        file.name,
        rows,
        handbook_id=handbook_id or str(head.get("id") or "handbook"),
        title=title or str(head.get("title") or HANDBOOK_TITLE),
        edition=str(head.get("edition") or ""),
    )


def _number(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return value


def _build(
    source: str,
    rows: Sequence[tuple[str, Mapping[str, Any]]],
    *,
    handbook_id: str,
    title: str,
    edition: str,
) -> Handbook:
    questions: list[HandbookQuestion] = []
    seen: dict[str, str] = {}
    order = list(HandbookPart)
    for index, (where, row) in enumerate(rows, start=1):
        for key in _REQUIRED:
            if row.get(key) in (None, ""):
                raise ValidationError(
                    f"{source}: {where}, {_LABELS[key]}", row.get(key), _("is missing")
                )
        fields: dict[str, Any] = {k: row.get(k) for k in _LABELS}
        fields["number"] = _number(fields["number"])
        for key in ("question", "answer", "basis"):
            value = fields[key]
            fields[key] = "" if value is None else value if isinstance(value, str) else str(value)
        try:
            part = HandbookPart.parse(fields["part"])
            question = HandbookQuestion(**{**fields, "part": part})
        except ValidationError as exc:
            column = exc.field.rsplit(".", 1)[-1]
            raise ValidationError(
                f"{source}: {where}, {_LABELS.get(column, column)}", exc.value, exc.reason
            ) from None
        if question.number != index:
            reason = _("must be {expected}: numbers run 1, 2, 3, … without gaps").format(
                expected=index
            )
            raise ValidationError(f"{source}: {where}, 编号", row.get("number"), reason)
        if questions and order.index(part) < order.index(questions[-1].part):
            reason = _("comes after part {before}; keep the four parts in order").format(
                before=questions[-1].part.label
            )
            raise ValidationError(f"{source}: {where}, 部分", row.get("part"), reason)
        key = fold_text(question.question)
        if key in seen:
            reason = _("repeats the question of {where}").format(where=seen[key])
            raise ValidationError(f"{source}: {where}, 问题", question.question, reason)
        seen[key] = where
        questions.append(question)
    present = {q.part for q in questions}
    missing = [p.label for p in order if p not in present]
    if missing:
        reason = _("must have exactly four parts ({parts}); missing {missing}").format(
            parts="、".join(p.label for p in order), missing="、".join(missing)
        )
        raise ValidationError(source, len(questions), reason)
    return Handbook(id=handbook_id, title=title, questions=questions, edition=edition)


class MaterialsService(Service):
    """``office.materials``: the handbook, the covers, speakers, lecturers and hosts;
    ``office.materials.evaluation``: the evaluation questionnaires."""

    def __init__(self, context: Context) -> None:
        super().__init__(context)
        self.evaluation = EvaluationService(context)

    # -- the handbook ----------------------------------------------------------------------

    def import_handbook(
        self,
        source: Handbook | str | os.PathLike[str],
        *,
        handbook_id: str | None = None,
        title: str | None = None,
    ) -> Handbook:
        """Store a handbook: a :class:`~lvzhi.domain.materials.Handbook`, or one read from
        a TOML or xlsx file (:func:`read_handbook`); one with the same id is replaced."""
        if isinstance(source, Handbook):
            handbook = source
        else:
            handbook = read_handbook(source, handbook_id=handbook_id, title=title)
        with self._ctx.write() as tx:
            tx.uow.handbooks.put(handbook)
        return handbook

    def load_sample_handbook(self) -> Handbook:
        """Store the sample handbook shipped with lvzhi (履职常识100问)."""
        return self.import_handbook(sample_handbook_path())

    def handbooks(self) -> builtins.list[Handbook]:
        with self._ctx.read() as uow:
            return uow.handbooks.list()

    def handbook(self, handbook_id: str | None = None) -> Handbook:
        """A stored handbook; without an id, the only one (or the first by id)."""
        with self._ctx.read() as uow:
            return self._handbook(uow, handbook_id)

    @staticmethod
    def _handbook(uow: Any, handbook_id: str | None) -> Handbook:
        if handbook_id is not None:
            found: Handbook = uow.handbooks.get(handbook_id)
            return found
        items: builtins.list[Handbook] = uow.handbooks.list()
        if not items:
            raise NotFound("Handbook", "(any)")
        return items[0]

    def search(
        self,
        text: str,
        *,
        part: HandbookPart | str | None = None,
        handbook_id: str | None = None,
        limit: int = 0,
    ) -> builtins.list[Hit]:
        """Questions of the handbook containing every word of ``text``, best first
        (:func:`~lvzhi.domain.materials.search_handbook`); ``part`` limits it to one part."""
        return search_handbook(self.handbook(handbook_id), text, part=part, limit=limit)

    # -- covers ----------------------------------------------------------------------------

    def covers(
        self,
        programme_id: str | None = None,
        *,
        delegation: str | None = None,
        handbook_id: str | None = None,
    ) -> builtins.list[Cover]:
        """One cover per deputy (of ``delegation``, or all) in display order: delegations in
        their order, names in the collation, then certificate number.  The handbook's title
        is the stored handbook's, else the default."""
        with self._ctx.read() as uow:
            programme = current_programme(uow, programme_id)
            units = {d.code: d for d in uow.delegations.list()}
            if delegation is not None and delegation not in units:
                raise NotFound("Delegation", delegation)
            deputies = (
                uow.delegates.select(delegation=delegation) if delegation else uow.delegates.list()
            )
            stored = uow.handbooks.list()
            if handbook_id is not None:
                title = uow.handbooks.get(handbook_id).title
            else:
                title = stored[0].title if stored else HANDBOOK_TITLE
        ordered = self._ctx.official_order(deputies, units)
        return make_covers(programme, ordered, units.values(), handbook=title)

    # -- speakers, lecturers and hosts -----------------------------------------------------

    def link(
        self,
        session_id: str,
        role: RoleKind | str,
        person_id: str,
        *,
        topic: str = "",
        order: int | None = None,
    ) -> SessionRole:
        """Link a person to a session: a speaker must be a deputy on the roster, a lecturer
        or host an official.  Linking again updates the topic and order."""
        kind = RoleKind(role) if not isinstance(role, RoleKind) else role
        with self._ctx.write() as tx:
            uow = tx.uow
            session = uow.sessions.get(session_id)
            field = f"SessionRole.{kind.value}"
            if kind is RoleKind.SPEAKER:
                require_deputies(uow, [person_id], field)
            elif uow.officials.find(person_id) is None:
                raise ValidationError(field, person_id, _("is not an official"))
            same = [
                r
                for r in uow.session_roles.select(programme_id=session.programme_id)
                if r.session_id == session_id and r.role is kind
            ]
            existing = next((r for r in same if r.person_id == person_id), None)
            if order is None:
                order = existing.order if existing else 1 + max((r.order for r in same), default=0)
            new = SessionRole(
                programme_id=session.programme_id,
                session_id=session_id,
                role=kind,
                person_id=person_id,
                topic=topic or (existing.topic if existing else ""),
                order=order,
            )
            uow.session_roles.put(new)
        return new

    def link_speaker(
        self, session_id: str, certificate_no: str, *, topic: str = "", order: int | None = None
    ) -> SessionRole:
        """A deputy sharing experience at a session (交流发言)."""
        return self.link(session_id, RoleKind.SPEAKER, certificate_no, topic=topic, order=order)

    def link_lecturer(self, session_id: str, official_id: str, *, topic: str = "") -> SessionRole:
        """An official lecturing at a session (授课)."""
        return self.link(session_id, RoleKind.LECTURER, official_id, topic=topic)

    def link_host(self, session_id: str, official_id: str) -> SessionRole:
        """An official hosting a session (主持)."""
        return self.link(session_id, RoleKind.HOST, official_id)

    def unlink(self, session_id: str, role: RoleKind | str, person_id: str) -> None:
        """Remove a person's part in a session (``NotFound`` if there is none)."""
        kind = RoleKind(role) if not isinstance(role, RoleKind) else role
        with self._ctx.write() as tx:
            tx.uow.session_roles.remove(f"{session_id}:{kind.value}:{person_id}")

    def roles(
        self,
        programme_id: str | None = None,
        *,
        session_id: str | None = None,
        role: RoleKind | str | None = None,
    ) -> builtins.list[SessionRole]:
        """Who speaks, lectures and hosts, by session start, role (host, lecturer,
        speaker) and order."""
        with self._ctx.read() as uow:
            programme = current_programme(uow, programme_id)
            sessions = {s.id: s for s in uow.sessions.select(programme_id=programme.id)}
            items = uow.session_roles.select(programme_id=programme.id)
        wanted = RoleKind(role) if role is not None else None
        rank = {RoleKind.HOST: 0, RoleKind.LECTURER: 1, RoleKind.SPEAKER: 2}
        chosen = [
            r
            for r in items
            if (session_id is None or r.session_id == session_id)
            and (wanted is None or r.role is wanted)
        ]
        return sorted(
            chosen,
            key=lambda r: (
                sessions[r.session_id].starts_at.isoformat() if r.session_id in sessions else "",
                r.session_id,
                rank[r.role],
                r.order,
                r.person_id,
            ),
        )

    def speakers(self, programme_id: str | None = None) -> builtins.list[SessionRole]:
        """The experience-sharing deputies of the course, in session and speaking order."""
        return self.roles(programme_id, role=RoleKind.SPEAKER)
