"""Keep lvzhi's message catalogs in step with the code (needs Babel: ``pip install babel``).

    python tools/i18n.py update    # extract every message from src/lvzhi into each .po
    python tools/i18n.py compile   # compile each .po into the .mo shipped beside it
    python tools/i18n.py check     # exit 1 if a message is missing, untranslated or stale
    python tools/i18n.py extract -o lvzhi.pot   # the template, for a new language

Messages are the English strings passed to ``_()``, ``N_()`` and ``ngettext()`` in
``src/lvzhi`` (see ``lvzhi.i18n``).  ``update`` keeps existing translations, adds new
messages untranslated and drops messages the code no longer has; translate the new ones in
``src/lvzhi/locale/<language>/LC_MESSAGES/lvzhi.po``, then ``compile``.  The compiled
``.mo`` files are committed, so installing lvzhi needs no Babel.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "lvzhi"
LOCALE_DIR = PACKAGE / "locale"
DOMAIN = "lvzhi"
LANGUAGES = ("zh_CN",)
KEYWORDS: dict[str, Any] = {"_": None, "N_": None, "ngettext": (1, 2)}
WIDTH = 100

__all__ = [
    "extract",
    "mo_path",
    "po_path",
    "problems",
    "read_catalog",
    "translated_messages",
    "update",
]


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(language: str) -> Path:
    return po_path(language).with_suffix(".mo")


def extract(package: Path = PACKAGE) -> Catalog:
    """Every message marked in ``package``'s Python files, in source order."""
    template = Catalog(project="lvzhi", domain=DOMAIN, fuzzy=False)
    found = extract_from_dir(
        package,
        method_map=[("**.py", "python")],
        keywords=KEYWORDS,
        comment_tags=("Translators:",),
        strip_comment_tags=True,
    )
    for filename, lineno, message, comments, context in found:
        path = (package / filename).relative_to(ROOT).as_posix()
        template.add(message, None, [(path, lineno)], auto_comments=comments, context=context)
    return template


def read_catalog(path: Path, language: str) -> Catalog:
    with path.open("rb") as file:
        return read_po(file, locale=language, domain=DOMAIN)


def _write(catalog: Catalog, path: Path) -> None:
    buffer = io.BytesIO()
    write_po(
        buffer, catalog, width=WIDTH, include_lineno=False, ignore_obsolete=True, sort_by_file=False
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_bytes() != buffer.getvalue():
        path.write_bytes(buffer.getvalue())
        print(f"wrote {path.relative_to(ROOT)}")


def _header(catalog: Catalog) -> None:
    """The header the catalogs carry: the project and its version, no person."""
    catalog.header_comment = (
        f"# {catalog.locale_identifier} messages of lvzhi.\n"
        "# Distributed under the same licence as lvzhi (MIT)."
    )
    catalog.project = "lvzhi"
    about = (PACKAGE / "__about__.py").read_text(encoding="utf-8")
    catalog.version = re.search(r'__version__ = "([^"]+)"', about).group(1)  # type: ignore[union-attr]
    catalog.copyright_holder = "lvzhi developers"
    catalog.msgid_bugs_address = ""
    catalog.last_translator = "lvzhi developers"
    catalog.language_team = "lvzhi developers"


def _ids(catalog: Catalog) -> set[Any]:
    return {message.id for message in catalog if message.id}


def update(language: str) -> None:
    """Merge the code's messages into ``language``'s ``.po`` (creating it if needed)."""
    template = extract()
    path = po_path(language)
    if not path.exists():
        catalog = Catalog(locale=language, project="lvzhi", domain=DOMAIN, fuzzy=False)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.revision_date = datetime.now(UTC)
        _header(catalog)
        _write(catalog, path)
        return
    catalog = read_catalog(path, language)
    unchanged = _ids(catalog) == _ids(template)
    if unchanged:
        template.creation_date = catalog.creation_date
    catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
    if not unchanged:
        catalog.revision_date = datetime.now(UTC)
    _header(catalog)
    _write(catalog, path)


def translated_messages(catalog: Catalog) -> set[tuple[Any, Any]]:
    """``(msgid, msgstr)`` of every translated, non-fuzzy message (the header left out)."""
    out: set[tuple[Any, Any]] = set()
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if all(strings):
            key = tuple(message.id) if isinstance(message.id, (list, tuple)) else message.id
            out.add((key, tuple(strings) if len(strings) > 1 else strings[0]))
    return out


def compile_catalog(language: str) -> None:
    catalog = read_catalog(po_path(language), language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    path = mo_path(language)
    if not path.exists() or path.read_bytes() != buffer.getvalue():
        path.write_bytes(buffer.getvalue())
        print(f"wrote {path.relative_to(ROOT)}")


def problems(language: str) -> list[str]:
    """What is wrong with ``language``'s catalogs: messages the code has and the ``.po``
    lacks, untranslated or fuzzy ones, and a ``.mo`` that is not the ``.po`` compiled."""
    catalog = read_catalog(po_path(language), language)
    out: list[str] = []
    missing = _ids(extract()) - _ids(catalog)
    out += [f"not in the catalog: {message!r}" for message in sorted(missing, key=str)]
    for message in catalog:
        if not message.id:
            continue
        strings: Iterable[str] = (
            message.string if isinstance(message.string, tuple) else (message.string,)
        )
        if message.fuzzy or not all(strings):
            out.append(f"not translated: {message.id!r}")
    path = mo_path(language)
    if not path.exists():
        out.append(f"not compiled: {path.relative_to(ROOT)}")
    else:
        with path.open("rb") as file:
            compiled = read_mo(file)
        if translated_messages(compiled) != translated_messages(catalog):
            out.append(f"out of date: {path.relative_to(ROOT)} (run `tools/i18n.py compile`)")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["update", "compile", "check", "extract"])
    parser.add_argument("-o", "--output", type=Path, help="extract: the template file")
    args = parser.parse_args(argv)
    if args.action == "extract":
        buffer = io.BytesIO()
        write_po(buffer, extract(), width=WIDTH, include_lineno=False)
        if args.output is None:
            sys.stdout.buffer.write(buffer.getvalue())
        else:
            args.output.write_bytes(buffer.getvalue())
        return 0
    status = 0
    for language in LANGUAGES:
        if args.action == "update":
            update(language)
        elif args.action == "compile":
            compile_catalog(language)
        else:
            found = problems(language)
            for line in found:
                print(f"{language}: {line}", file=sys.stderr)
            status = status or int(bool(found))
    return status


if __name__ == "__main__":
    sys.exit(main())
