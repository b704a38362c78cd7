"""Translation of the messages a user reads (the command line, error messages).

The English text is the message id.  The language follows the environment the way gettext
does (``LANGUAGE``, then ``LC_ALL``, ``LC_MESSAGES``, ``LANG``): a value starting with ``zh``
selects Simplified Chinese (``zh_CN``), anything else English.  The language is looked up
each time a message is translated, so a long-lived process follows a changed environment;
the compiled catalog of each language is loaded once.

* :func:`_` translates a message, :func:`ngettext` a message with a count;
* :func:`N_` only marks a message for extraction (translate it later with :func:`_`);
* :func:`language` is the language in effect, ``"zh_CN"`` or ``"en"``;
* :func:`use_language` forces a language within a ``with`` block (tests, embedding);
* ``display_width`` is the number of terminal columns a text takes (a Chinese
  character takes two), for lining up translated text.

Catalogs live in ``lvzhi/locale/<language>/LC_MESSAGES/lvzhi.po``; the compiled ``.mo``
files beside them are shipped, so translating needs nothing at run time.
"""

from __future__ import annotations

import functools
import gettext
import os
import threading
import unicodedata
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

__all__ = [
    "CHINESE",
    "DOMAIN",
    "ENGLISH",
    "LANGUAGES",
    "LOCALE_DIR",
    "N_",
    "_",
    "catalog",
    "display_width",
    "language",
    "language_from_environment",
    "ngettext",
    "use_language",
]

DOMAIN = "lvzhi"
LOCALE_DIR = Path(__file__).parent / "locale"
ENGLISH = "en"
CHINESE = "zh_CN"
LANGUAGES = (ENGLISH, CHINESE)

_ENVIRONMENT = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

_lock = threading.Lock()
_forced: list[str | None] = []


def _normalise(value: str) -> str | None:
    """The language a locale name selects (``zh…`` Chinese, ``en…``, ``C`` and ``POSIX``
    English), or ``None`` for another language or an empty name."""
    name = value.strip().split(".", 1)[0].split("@", 1)[0].lower()
    if name.startswith("zh"):
        return CHINESE
    if name.startswith("en") or name in ("c", "posix"):
        return ENGLISH
    return None


def language_from_environment(environ: Mapping[str, str] | None = None) -> str:
    """The language the environment asks for, the way gettext reads it: the first of
    ``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES`` and ``LANG`` that is set decides.
    ``LANGUAGE`` is a list of preferences (``fr:zh_CN``): its first Chinese or English
    entry is taken.  Anything but Chinese is English."""
    env = os.environ if environ is None else environ
    for variable in _ENVIRONMENT:
        value = env.get(variable, "")
        if not value:
            continue
        if variable == "LANGUAGE":
            found = [lang for lang in map(_normalise, value.split(":")) if lang is not None]
            if found:
                return found[0]
            continue
        return _normalise(value) or ENGLISH
    return ENGLISH


def language() -> str:
    """The language messages are translated into now: ``"zh_CN"`` or ``"en"``."""
    with _lock:
        forced = _forced[-1] if _forced else None
    return forced if forced is not None else language_from_environment()


@contextmanager
def use_language(lang: str | None) -> Iterator[str]:
    """Translate into ``lang`` (``"zh_CN"``, ``"zh"``, ``"en"``…) inside the block, whatever
    the environment says; ``None`` follows the environment again.  Blocks nest; the
    setting is process-wide (worker threads see it too).  Yields the language in effect."""
    chosen = None if lang is None else (_normalise(lang) or ENGLISH)
    with _lock:
        _forced.append(chosen)
    try:
        yield language()
    finally:
        with _lock:
            _forced.pop()


@functools.cache
def catalog(lang: str) -> gettext.NullTranslations:
    """The compiled catalog of ``lang`` (loaded once); English is the identity."""
    if lang == ENGLISH:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[lang], fallback=True)


def _(message: str) -> str:
    """``message`` (English) in the current language."""
    return catalog(language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """``singular`` or ``plural`` (English, chosen by ``n``) in the current language."""
    return catalog(language()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark ``message`` for translation without translating it (for module constants)."""
    return message


def display_width(text: str) -> int:
    """Terminal columns ``text`` takes: wide (CJK) characters two, combining marks none."""
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width
