"""Finding a Chinese font with fontconfig.

WeasyPrint asks fontconfig (through Pango) for every font it draws with, by family name.
This module picks the families to name: a sans-serif (黑体-like, for tables, charts and
name cards) and a serif (宋体-like, for the body of a 通报) that cover Simplified Chinese,
preferring the Debian packages ``fonts-noto-cjk``, then ``fonts-wqy-zenhei`` and
``fonts-wqy-microhei``, then any family fontconfig says covers ``zh-cn``.

No font is ever downloaded.  When fontconfig knows no Chinese font at all,
:func:`find_cjk_fonts` raises :class:`FontMissing`, naming the package to install.
"""

from __future__ import annotations

import functools
import shutil
import subprocess

import attrs

from lvzhi.errors import PluginError
from lvzhi.i18n import _

__all__ = ["INSTALL_HINT", "CjkFonts", "FontMissing", "choose", "find_cjk_fonts"]

#: The system packages that give a Chinese font (Debian and Ubuntu).
INSTALL_HINT = "apt-get install fonts-noto-cjk"

#: Preferred sans-serif families, best first.
SANS = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Droid Sans Fallback",
)
#: Preferred serif families, best first.
SERIF = (
    "Noto Serif CJK SC",
    "Source Han Serif SC",
    "Source Han Serif CN",
    "AR PL UMing CN",
    "AR PL SungtiL GB",
)


class FontMissing(PluginError):
    """No font covering Simplified Chinese is installed (fontconfig finds none)."""


@attrs.frozen
class CjkFonts:
    """The families to draw with: ``sans`` (tables, charts, name cards) and ``serif`` (the
    body of a 通报; the sans family when no serif one is installed), and the font file of
    the sans family."""

    sans: str
    serif: str
    file: str = ""

    def stack(self, serif: bool = False) -> str:
        """A CSS ``font-family`` value: the chosen family, then the generic one."""
        first = (self.serif if serif else self.sans).replace('"', "")
        sans = self.sans.replace('"', "")
        generic = "serif" if serif else "sans-serif"
        return f'"{first}", "{sans}", {generic}'


def _missing(detail: str) -> FontMissing:
    return FontMissing(
        _(
            "the pdf plugin needs a font with Chinese characters and fontconfig finds none "
            "({detail}); install one, for example: {command}"
        ).format(detail=detail, command=INSTALL_HINT)
    )


def _families(listing: str) -> dict[str, str]:
    """``fc-list`` output (``family|file`` per line, families comma-separated) → family →
    file, in the order listed."""
    out: dict[str, str] = {}
    for line in listing.splitlines():
        families, _sep, file = line.partition("|")
        for family in families.split(","):
            family = family.strip()
            if family and family not in out:
                out[family] = file.strip()
    return out


def choose(available: dict[str, str]) -> CjkFonts:
    """The fonts to use from ``available`` (family → file of the families covering
    Chinese): the first preferred sans and serif families installed, else the first
    family listed (sorted, for a stable choice)."""
    if not available:
        raise _missing(_("no family covers zh-cn"))
    sans = next((f for f in SANS if f in available), None)
    serif = next((f for f in SERIF if f in available), None)
    if sans is None:
        sans = serif or sorted(available)[0]
    return CjkFonts(sans=sans, serif=serif or sans, file=available.get(sans, ""))


@functools.cache
def find_cjk_fonts() -> CjkFonts:
    """The Chinese fonts fontconfig knows (asked once per process); :class:`FontMissing`
    naming the package to install when there is none or fontconfig is missing."""
    program = shutil.which("fc-list")
    if program is None:
        raise _missing(_("the command fc-list is not installed"))
    try:
        result = subprocess.run(
            [program, ":lang=zh-cn", "--format", "%{family}|%{file}\\n"],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise _missing(str(exc)) from exc
    return choose(_families(result.stdout))
