"""The sample course, seated, with attendance taken and 通报 issued, shared by the tests;
and reading PDFs back."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import attrs
import pendulum
import pytest
from pypdf import PdfReader

import lvzhi
from lvzhi.clock import FixedClock
from lvzhi.domain import SessionKind
from lvzhi.i18n import use_language
from lvzhi.samples.attendance import simulate_attendance
from lvzhi.samples.demo_seating import HALL_ID, rostrum_precedence, seat_deputies
from lvzhi.samples.discipline import file_leave, run_discipline
from lvzhi.samples.load import load_course
from lvzhi.secretariat import Secretariat


@pytest.fixture(autouse=True, scope="session")
def english() -> Iterator[None]:
    """Messages in English, whatever the locale of the machine running the tests."""
    with use_language("en"):
        yield


#: Load this plugin alone of the installed ones (whatever else is installed beside it).
ONLY_THIS_PLUGIN = {"LVZHI_PLUGINS": "pdf"}


@attrs.frozen
class Course:
    office: Secretariat
    programme_id: str
    opening: str  # the opening session, in the hall

    def chart_options(self) -> dict[str, object]:
        return {"hall": HALL_ID, "rostrum": rostrum_precedence(self.office)}


@pytest.fixture(scope="session")
def course() -> Iterator[Course]:
    """The sample course in memory: 346 deputies seated by delegation in four zones, the
    leaders on the rostrum, leave filed, every session scanned, 通报 issued."""
    clock = FixedClock(pendulum.datetime(2022, 8, 26, 9, 0, tz="Asia/Shanghai"))
    with lvzhi.open("memory://", clock=clock, environ=ONLY_THIS_PLUGIN) as office:
        loaded = load_course(office)
        programme_id = loaded.programme.id
        sessions = office.programme.timetable(programme_id)
        opening = next(s for s in sessions if s.kind is SessionKind.OPENING)
        seat_deputies(office, opening.id)
        plan = file_leave(office, clock, programme_id)
        after = office.leave.get(plan.after_the_fact)
        absent = {(plan.absent, s.id) for s in sessions if after.covers(s.starts_at, s.ends_at)}
        clock.set(pendulum.datetime(2022, 9, 8, 18, 0, tz="Asia/Shanghai"))
        simulate_attendance(office, absent=absent, official="organiser-01")
        run_discipline(office, clock, plan, programme_id)
        yield Course(office, programme_id, opening.id)


@attrs.frozen
class Pdf:
    """A PDF read back: its pages' text (pypdf) and sizes in points."""

    data: bytes
    pages: tuple[str, ...]
    sizes: tuple[tuple[float, float], ...]

    @property
    def text(self) -> str:
        return "\n".join(self.pages)

    def squeezed(self, page: int) -> str:
        """The text of a page without any white space (a spaced-out 王　芳 reads 王芳)."""
        return re.sub(r"\s+", "", self.pages[page])


def read_pdf(data: bytes) -> Pdf:
    """The pages' text, by poppler's ``pdftotext`` when it is installed (one page per form
    feed; much faster than pypdf on a chart's thousands of text objects), else by pypdf;
    the page sizes by pypdf."""
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    sizes = tuple(
        (round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages
    )
    text = poppler_text(data)
    if text is None:
        pages = tuple(page.extract_text() or "" for page in reader.pages)
    else:
        pages = tuple(text.split("\f")[: len(sizes)])
    assert len(pages) == len(sizes)
    return Pdf(data, pages, sizes)


def poppler_text(data: bytes) -> str | None:
    """poppler's reading of the PDF, pages separated by form feeds (``None`` when
    poppler-utils is not installed)."""
    program = shutil.which("pdftotext")
    if program is None:
        return None
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "read.pdf"
        path.write_bytes(data)
        result = subprocess.run(
            [program, "-layout", "-enc", "UTF-8", str(path), "-"],
            capture_output=True,
            check=True,
            timeout=300,
        )
    return result.stdout.decode("utf-8")


def pypdf_text(data: bytes, page: int) -> str:
    """pypdf's reading of one page."""
    return PdfReader(io.BytesIO(data)).pages[page].extract_text() or ""


#: A4 in points, portrait and landscape.
A4 = (595, 842)
A4_LANDSCAPE = (842, 595)
