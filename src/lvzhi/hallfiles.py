"""Hall files: a hall described in TOML or YAML, read into a
:class:`~lvzhi.domain.halls.Hall`.

A bad file is refused with one line naming the file, the line and the problem
(``hall.toml:14: sections[2].seats: must be a whole number >= 1 (got 0)``); section
numbers in such messages count from 1.  The format (see ``docs/seating.md`` and the sample
``lvzhi/samples/hall.toml``)::

    id = "main"                      # required
    name = "会议中心礼堂"             # required
    numbering = "odd-even"           # or "left-to-right" (default), "right-to-left"
    odd_side = "left"                # odd numbers on the audience's left (default)
    label = "{row}排{number}号"       # optional label template
    blocked = ["1排1号"]             # seats by label or id
    reserved = []
    floors = { 1 = "一楼" }          # optional floor names

    [rostrum]                        # or: rostrum = [7, 9]
    rows = [7, 9]                    # seats per row, front row first

    [[sections]]
    id = "left"
    name = "左区"
    rows = 20                        # 20 rows ...
    seats = 10                       # ... of 10 seats; or rows = [8, 8, 10, 10]
    first_row = 1                    # number of the first row (default 1)
    column = 1                       # sections with the same column stand front and back
    align = "right"                  # shorter rows hug the right (default "centre")
    blocked = ["3排5号"]             # seats of this section
    row = { 1 = { seats = 8 }, 20 = { reserved = true } }   # per-row overrides

Per-row overrides take ``seats``, ``offset``, ``numbering``, ``first``, ``blocked`` and
``reserved`` (the last two mark the whole row); ``row = { 1 = 8 }`` is short for
``{ seats = 8 }``.  YAML files have the same keys.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NoReturn, Protocol

import attrs
import yaml  # type: ignore[import-untyped]

from lvzhi.domain.hall_layout import ALIGNS, NUMBERINGS, SIDES, RowSpec, SectionSpec, build_hall
from lvzhi.domain.halls import Hall, Rostrum
from lvzhi.errors import ValidationError

__all__ = ["check_hall_file", "load_hall", "parse_hall"]

Where = tuple[str | int, ...]

_TOP = ("id", "name", "numbering", "odd_side", "label", "blocked", "reserved", "floors")
_TOP_KEYS = (*_TOP, "rostrum", "sections")
_SECTION_KEYS = (
    "id", "name", "floor", "column", "rows", "seats", "first_row",
    "numbering", "align", "blocked", "reserved", "row",
)  # fmt: skip
_ROW_KEYS = ("seats", "offset", "numbering", "first", "blocked", "reserved")


class _Lines(Protocol):
    def line(self, where: Where) -> int: ...

    def value_line(self, where: Where, value: object) -> int: ...


class _TomlLines:
    """Lines of a TOML text's tables and keys (the nearest known one for deeper paths)."""

    _ARRAY = re.compile(r"\[\[\s*(.+?)\s*\]\]")
    _TABLE = re.compile(r"\[\s*(.+?)\s*\]")
    _KEY = re.compile(r"(\"[^\"]*\"|'[^']*'|[A-Za-z0-9_\-]+)\s*=")

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.at: dict[Where, int] = {}
        arrays: dict[Where, int] = {}
        current: Where = ()
        for number, raw in enumerate(self.lines, 1):
            text_line = raw.strip()
            if (match := self._ARRAY.match(text_line)) is not None:
                base = self._path(match[1], arrays, array=True)
                arrays[base] = arrays.get(base, 0) + 1
                current = (*base, arrays[base] - 1)
            elif (match := self._TABLE.match(text_line)) is not None:
                current = self._path(match[1], arrays)
            elif (match := self._KEY.match(text_line)) is not None:
                self.at.setdefault((*current, match[1].strip("\"'")), number)
                continue
            else:
                continue
            self.at.setdefault(current, number)

    @staticmethod
    def _path(dotted: str, arrays: Mapping[Where, int], array: bool = False) -> Where:
        """The path of a table header; an array of tables met before stands for its last
        element (``[sections.row.2]`` is in the last ``[[sections]]``)."""
        parts = [part.strip().strip("\"'") for part in dotted.split(".")]
        path: Where = ()
        for n, part in enumerate(parts, 1):
            path = (*path, part)
            if path in arrays and not (array and n == len(parts)):
                path = (*path, arrays[path] - 1)
        return path

    def line(self, where: Where) -> int:
        key = tuple(str(p) if not isinstance(p, int) else p for p in where)
        while key and key not in self.at:
            key = key[:-1]
        return self.at.get(key, 0)

    def value_line(self, where: Where, value: object) -> int:
        start = self.line(where)
        needle = re.compile(rf"[\"']{re.escape(str(value))}[\"']")
        for number in range(max(start, 1), len(self.lines) + 1):
            text_line = self.lines[number - 1]
            if number > start and text_line.lstrip().startswith("["):
                break
            if needle.search(text_line):
                return number
        return start


class _YamlLines:
    """Lines of a YAML document's nodes, from PyYAML's marks."""

    def __init__(self, root: Any) -> None:
        self.root = root

    def _node(self, where: Where) -> Any:
        node = self.root
        for part in where:
            if isinstance(node, yaml.MappingNode):
                found = [v for k, v in node.value if str(k.value) == str(part)]
                if not found:
                    break
                node = found[0]
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
                if part >= len(node.value):
                    break
                node = node.value[part]
            else:
                break
        return node

    def line(self, where: Where) -> int:
        node = self._node(where)
        return int(node.start_mark.line) + 1 if node is not None else 0

    def value_line(self, where: Where, value: object) -> int:
        node = self._node(where)
        if isinstance(node, yaml.SequenceNode):
            for item in node.value:
                if str(item.value) == str(value):
                    return int(item.start_mark.line) + 1
        return self.line(where)


def _show(where: Where) -> str:
    out = ""
    for part in where:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class _Reader:
    """Checks the values of a parsed hall file; errors name the file, line and key."""

    def __init__(self, source: str, lines: _Lines) -> None:
        self.source = source
        self.lines = lines

    def fail(self, where: Where, value: object, reason: str, *, at_value: bool = False) -> NoReturn:
        line = self.lines.value_line(where, value) if at_value else self.lines.line(where)
        place = f"{self.source}:{line}" if line else self.source
        raise ValidationError(place, value, f"{_show(where)}: {reason}" if where else reason)

    def table(self, where: Where, value: object, keys: tuple[str, ...]) -> dict[str, Any]:
        if not isinstance(value, Mapping):
            self.fail(where, value, "must be a table of keys and values")
        for key in value:
            if str(key) not in keys:
                self.fail((*where, str(key)), key, f"unknown key; allowed: {', '.join(keys)}")
        return {str(k): v for k, v in value.items()}

    def text(self, where: Where, value: object) -> str:
        if not isinstance(value, str) or not value.strip():
            self.fail(where, value, "must be non-empty text")
        return value.strip()

    def whole(self, where: Where, value: object, minimum: int = 1) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.fail(where, value, f"must be a whole number >= {minimum}")
        return value

    def choice(self, where: Where, value: object, choices: tuple[str, ...]) -> Any:
        if value not in choices:
            self.fail(where, value, f"must be one of {', '.join(choices)}")
        return value

    def flag(self, where: Where, value: object) -> bool:
        if not isinstance(value, bool):
            self.fail(where, value, "must be true or false")
        return value

    def seats(self, where: Where, value: object) -> tuple[str, ...]:
        if not isinstance(value, list):
            self.fail(where, value, 'must be a list of seats, e.g. ["3排5号"]')
        for item in value:
            if not isinstance(item, str) or not item.strip():
                self.fail(where, item, "each seat must be a label or id", at_value=True)
        return tuple(item.strip() for item in value)


def _rows(reader: _Reader, where: Where, data: dict[str, Any]) -> tuple[RowSpec, ...]:
    first = reader.whole((*where, "first_row"), data.get("first_row", 1))
    if "rows" not in data:
        reader.fail(where, None, "needs rows (a count, with seats, or a list of seat counts)")
    rows = data["rows"]
    if isinstance(rows, list):
        if "seats" in data:
            reader.fail((*where, "seats"), data["seats"], "not with a list of rows")
        counts = [reader.whole((*where, "rows"), n) for n in rows]
    else:
        count = reader.whole((*where, "rows"), rows)
        if "seats" not in data:
            reader.fail(where, None, "needs seats (per row) with a number of rows")
        counts = [reader.whole((*where, "seats"), data["seats"])] * count
    specs = {first + i: RowSpec(number=first + i, seats=n) for i, n in enumerate(counts)}
    overrides = data.get("row", {})
    if not isinstance(overrides, Mapping):
        reader.fail((*where, "row"), overrides, "must be a table: row number -> changes")
    for key, value in overrides.items():
        here = (*where, "row", str(key))
        number = int(key) if str(key).isdigit() else 0
        if number not in specs:
            reader.fail(
                here, key, f"no such row in the section (rows {first}-{first + len(counts) - 1})"
            )
        options = {"seats": value} if isinstance(value, int) else value
        row = reader.table(here, options, _ROW_KEYS)
        changes: dict[str, Any] = {}
        if "seats" in row:
            changes["seats"] = reader.whole((*here, "seats"), row["seats"])
        if "first" in row:
            changes["first"] = reader.whole((*here, "first"), row["first"])
        if "numbering" in row:
            changes["numbering"] = reader.choice((*here, "numbering"), row["numbering"], NUMBERINGS)
        for name in ("blocked", "reserved"):
            if name in row:
                changes[name] = reader.flag((*here, name), row[name])
        if "offset" in row:
            offset = row["offset"]
            if isinstance(offset, bool) or not isinstance(offset, int | float) or offset < 0:
                reader.fail((*here, "offset"), offset, "must be a number of seat widths >= 0")
            changes["offset"] = float(offset)
        specs[number] = attrs.evolve(specs[number], **changes)
    return tuple(specs.values())


def _section(reader: _Reader, where: Where, value: object) -> SectionSpec:
    data = reader.table(where, value, _SECTION_KEYS)
    for key in ("id", "name"):
        if key not in data:
            reader.fail(where, None, f"a section needs {key}")
    section_id = reader.text((*where, "id"), data["id"])
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._:\-]{0,63}", section_id):
        reader.fail((*where, "id"), section_id, "must be letters, digits, '.', '_', ':' or '-'")
    column = data.get("column")
    return SectionSpec(
        id=section_id,
        name=reader.text((*where, "name"), data["name"]),
        rows=_rows(reader, where, data),
        floor=reader.whole((*where, "floor"), data.get("floor", 1)),
        column=None if column is None else reader.whole((*where, "column"), column),
        numbering=(
            reader.choice((*where, "numbering"), data["numbering"], NUMBERINGS)
            if "numbering" in data
            else None
        ),
        align=reader.choice((*where, "align"), data.get("align", "centre"), ALIGNS),
        blocked=reader.seats((*where, "blocked"), data.get("blocked", [])),
        reserved=reader.seats((*where, "reserved"), data.get("reserved", [])),
    )


def _rostrum(reader: _Reader, value: object) -> Rostrum:
    where: Where = ("rostrum",)
    data = reader.table(
        where, {"rows": value} if isinstance(value, list) else value, ("name", "rows")
    )
    rows = data.get("rows")
    if not isinstance(rows, list) or not rows:
        reader.fail((*where, "rows"), rows, "must list the seats of each row, front first")
    counts = tuple(reader.whole((*where, "rows"), n) for n in rows)
    if "name" in data:
        return Rostrum(rows=counts, name=reader.text((*where, "name"), data["name"]))
    return Rostrum(rows=counts)


def _hall(reader: _Reader, data: object) -> Hall:
    top = reader.table((), data, _TOP_KEYS)
    for key in ("id", "name", "sections"):
        if key not in top:
            reader.fail((), sorted(top), f"a hall file needs {key}")
    sections = top["sections"]
    if not isinstance(sections, list) or not sections:
        reader.fail(("sections",), sections, "must be a list of sections ([[sections]])")
    specs = [_section(reader, ("sections", i), s) for i, s in enumerate(sections)]
    floors = reader.table(("floors",), top.get("floors", {}), tuple(str(s.floor) for s in specs))
    options: dict[str, Any] = {
        "id": reader.text(("id",), top["id"]),
        "name": reader.text(("name",), top["name"]),
        "sections": specs,
        "floors": {int(k): reader.text(("floors", k), v) for k, v in floors.items()},
        "numbering": reader.choice(("numbering",), top.get("numbering", NUMBERINGS[0]), NUMBERINGS),
        "odd_side": reader.choice(("odd_side",), top.get("odd_side", "left"), SIDES),
        "label": reader.text(("label",), top["label"]) if "label" in top else None,
        "blocked": reader.seats(("blocked",), top.get("blocked", [])),
        "reserved": reader.seats(("reserved",), top.get("reserved", [])),
        "rostrum": _rostrum(reader, top["rostrum"]) if "rostrum" in top else None,
    }
    try:
        return build_hall(**options)
    except ValidationError as error:
        _relocate(reader, error, specs)


def _relocate(reader: _Reader, error: ValidationError, specs: list[SectionSpec]) -> NoReturn:
    """Re-raise an error of the hall builder with the line it comes from."""
    where: Where = ()
    found = re.search(r"section '([^']+)'", error.field)
    if found:
        matching = [i for i, s in enumerate(specs) if s.id == found[1]]
        index = matching[-1] if matching else None  # a repeated id: its repetition
        where = ("sections", index) if index is not None else ()
        row = re.search(r"row (\d+)", error.field)
        where = (*where, "row", row[1]) if row and where else where
    for flag in ("blocked", "reserved", "label", "numbering", "odd_side"):
        if error.field.endswith(flag):
            where = (*where, flag)
    at_value = where[-1:] in (("blocked",), ("reserved",))
    line = (
        reader.lines.value_line(where, error.value)
        if at_value
        else reader.lines.line(where or ("id",))
    )
    place = f"{reader.source}:{line}" if line else reader.source
    raise ValidationError(place, error.value, f"{error.field}: {error.reason}") from None


def parse_hall(text: str, *, source: str = "<hall>", kind: str = "toml") -> Hall:
    """The hall described by ``text``, a TOML (``kind="toml"``) or YAML document."""
    if kind == "toml":
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            line = re.search(r"line (\d+)", str(error))
            place = f"{source}:{line[1]}" if line else source
            raise ValidationError(place, source, f"not valid TOML: {error}") from None
        return _hall(_Reader(source, _TomlLines(text)), data)
    if kind == "yaml":
        try:
            data = yaml.safe_load(text)
            root = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            place = f"{source}:{mark.line + 1}" if mark is not None else source
            raise ValidationError(place, source, f"not valid YAML: {error}") from None
        return _hall(_Reader(source, _YamlLines(root)), data)
    raise ValidationError("kind", kind, "must be 'toml' or 'yaml'")


def load_hall(path: str | Path) -> Hall:
    """Read a hall file: ``.toml``, or ``.yaml``/``.yml``."""
    path = Path(path)
    kinds = {".toml": "toml", ".yaml": "yaml", ".yml": "yaml"}
    kind = kinds.get(path.suffix.lower())
    if kind is None:
        raise ValidationError(str(path), path.suffix, "a hall file is .toml, .yaml or .yml")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise ValidationError(str(path), str(path), f"cannot read: {error.strerror}") from None
    return parse_hall(text, source=str(path), kind=kind)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    out = []
    for row in rows:
        cells = [
            cell + " " * (w - _width(cell)) if i < 2 else " " * (w - _width(cell)) + cell
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ]
        out.append("  ".join(cells).rstrip())
    return out


def check_hall_file(path: str | Path) -> str:
    """What ``lvzhi halls check FILE`` prints: the seats and capacity of each section and
    of the hall (capacity = seats neither blocked nor reserved), and the rostrum."""
    hall = load_hall(path)
    rows = [["section", "name", "floor", "rows", "seats", "blocked", "reserved", "capacity"]]
    for floor in hall.floors:
        for section in floor.sections:
            seats = section.seats
            numbers = [r.number for r in section.rows]
            rows.append(
                [
                    section.id,
                    section.name,
                    str(floor.number),
                    f"{numbers[0]}-{numbers[-1]}" if len(numbers) > 1 else str(numbers[0]),
                    str(len(seats)),
                    str(sum(s.blocked for s in seats)),
                    str(sum(s.reserved and not s.blocked for s in seats)),
                    str(section.capacity),
                ]
            )
    every = hall.seats
    rows.append(
        [
            "total",
            "",
            "",
            "",
            str(len(every)),
            str(sum(s.blocked for s in every)),
            str(sum(s.reserved and not s.blocked for s in every)),
            str(hall.capacity),
        ]
    )
    lines = [f"{hall.name} ({hall.id})", *_table(rows)]
    if hall.rostrum is not None:
        counts = " + ".join(map(str, hall.rostrum.rows))
        lines.append(f"{hall.rostrum.name}: {len(hall.rostrum.rows)} rows, {counts} seats")
    return "\n".join(lines) + "\n"
