"""Benchmark: the sample course's roster (346 deputies) and seating chart printed to PDF.

Timed, best of 3: the pdf exporter on the prepared table (the HTML it builds, its layout
by WeasyPrint and the PDF written), against WeasyPrint printing the core's own html export
of the same table (``lvzhi export roster -f html``), which is what printing without the
plugin would take — with none of the plugin's layout (no fitted widths, no page
numbers, the chart not fitted to a page).  Goal: at most 1.5 times the baseline.  Prints
one JSON object per line:  ``python plugins/lvzhi-pdf/benchmarks/bench_pdf.py [--quick]``.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from typing import Any

import tablib
import weasyprint  # type: ignore[import-untyped,unused-ignore]
from lvzhi_pdf import PdfExporter

import lvzhi
from lvzhi.builtins.exporters import exporters
from lvzhi.reports import prepare
from lvzhi.samples.demo_seating import HALL_ID, seat_deputies
from lvzhi.samples.load import load_course

GOAL = 1.5


def _best(run: Callable[[], Any], repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def main(quick: bool = False) -> list[dict[str, Any]]:
    repeats = 1 if quick else 3
    office = lvzhi.open("memory://", environ={"LVZHI_PLUGINS": "pdf"})
    course = load_course(office)
    opening = office.programme.timetable(course.programme.id)[0]
    seat_deputies(office, opening.id)
    html = next(e for e in exporters() if e.format == "html")
    pdf = PdfExporter()
    results = []
    for name, options in (("roster", {}), ("seating-chart", {"hall": HALL_ID})):
        table = office.reports.table(name, options=options)
        ready: tablib.Dataset | tablib.Databook = prepare(
            table, spreadsheet=False, timezone="Asia/Shanghai", report_title=name
        )
        page = html.export(prepare(table, spreadsheet=True, timezone="Asia/Shanghai"))
        seconds = _best(lambda ready=ready: pdf.export(ready), repeats)
        baseline = _best(
            lambda page=page: weasyprint.HTML(string=page.decode()).write_pdf(), repeats
        )
        ratio = seconds / baseline
        results.append(
            {
                "name": f"pdf.{name}",
                "size": sum(s.height for s in ready.sheets())
                if isinstance(ready, tablib.Databook)
                else ready.height,
                "seconds": round(seconds, 3),
                "baseline": "weasyprint of the html export",
                "baseline_seconds": round(baseline, 3),
                "ratio": round(ratio, 2),
                "goal": GOAL,
                "met": ratio <= GOAL,
            }
        )
    return results


if __name__ == "__main__":
    for result in main(quick="--quick" in sys.argv[1:]):
        print(json.dumps(result, ensure_ascii=False))
