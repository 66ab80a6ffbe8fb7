"""The meeting view at size: 8 professionals x ~80 items, and each chart's redraw against the bare figure.

    python -m benchmarks.comparison_bench [--runs 7] [--json OUT]

Measured once the data is loaded (the sheets are in memory): building the comparison (grid, statuses,
profiles, agreement statistics) plus filling the Qt table and laying it out, until the screen is ready to
use. Target <= 150 ms. Charts: redrawing each chart in its Qt canvas against drawing the same Figure on a
bare Agg canvas (target <= 1.3x); the first chart of a session pays matplotlib's import, reported apart.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

N_PROFESSIONALS = 8
AGENCIES = ("social_care", "health", "education", "early_years", "police", "housing", "voluntary", "health")


def _synthetic_round(seed: int = 8):  # type: ignore[no-untyped-def]
    """A 10-year-old (most items apply) scored by 8 professionals of different agencies: synthetic only."""
    from neglect_tool.domain import Agency, Answer, Child, Professional, RaterKind, RatingSheet, SheetStatus
    from neglect_tool.forms.loader import get_form
    from neglect_tool.scoring.applicability import applicable_for_child

    rng = random.Random(seed)
    form = get_form("childcare-development-checklist")
    held_on = dt.date(2026, 10, 1)
    child = Child(family_id=Professional(name="x", role="x", agency=Agency.OTHER).id, given_names="Test",
                  family_name="Child", date_of_birth=dt.date(2016, 3, 1), disability_or_delay=True,
                  conditions=frozenset({"chronic_condition"}))
    applicability = applicable_for_child(form, child, held_on)
    people = [Professional(name=f"Rater {n}", role="Practitioner", agency=Agency(AGENCIES[n]))
              for n in range(N_PROFESSIONALS)]
    codes = ["yes", "yes", "yes", "borderline", "no", "not_known"]
    sheets = []
    for person in people:
        answers = {item.id: Answer(item_id=item.id, option=rng.choice(codes),
                                   note="Seen at the visit." if rng.random() < 0.2 else "")
                   for item in applicability.applicable}
        sheets.append(RatingSheet(round_id=child.id, rater_kind=RaterKind.PROFESSIONAL, professional_id=person.id,
                                  form_id=form.id, form_version=form.version, answers=answers,
                                  status=SheetStatus.SUBMITTED, submitted_at=dt.datetime.now(dt.UTC)))
    return form, sheets, applicability, {p.id: p for p in people}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)

    from PySide6.QtWidgets import QApplication

    from neglect_tool.scoring.comparison import build_comparison
    from neglect_tool.ui.screens.comparison import ComparisonScreen

    app = QApplication.instance() or QApplication(sys.argv[:1])
    form, sheets, applicability, people = _synthetic_round()
    build_comparison(form, sheets, applicability, professionals=people)  # warm: numpy and the statistics

    # the real screen, fed directly (its service call would load the same sheets from the store first)
    screen = ComparisonScreen(casework=lambda: None)  # type: ignore[arg-type,return-value]
    screen.resize(1280, 720)
    screen.show()
    app.processEvents()
    ready = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        comparison = build_comparison(form, sheets, applicability, professionals=people)
        screen.comparison = comparison
        screen._render()
        app.processEvents()
        ready.append((time.perf_counter() - t0) * 1000)
    n_items = len(comparison.rows)

    # charts: the first one pays matplotlib's import; then each redraw in Qt vs a bare Agg canvas
    t0 = time.perf_counter()
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

    from neglect_tool.charts import bars_chart, bars_data, radar_chart, radar_data

    import_ms = (time.perf_counter() - t0) * 1000
    chart_rows = []
    for name, build in (("radar", lambda: radar_chart(radar_data(comparison))),
                        ("stacked bars", lambda: bars_chart(bars_data(comparison)))):
        figure = build()
        canvas = FigureCanvasQTAgg(figure)  # type: ignore[no-untyped-call]
        canvas.resize(700, 640)
        canvas.show()
        app.processEvents()
        qt_times, bare_times = [], []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            canvas.draw()  # type: ignore[no-untyped-call]
            app.processEvents()
            qt_times.append((time.perf_counter() - t0) * 1000)
        bare_figure = build()
        bare = FigureCanvasAgg(bare_figure)
        for _ in range(args.runs):
            t0 = time.perf_counter()
            bare.draw()
            bare_times.append((time.perf_counter() - t0) * 1000)
        chart_rows.append((name, statistics.median(bare_times), statistics.median(qt_times)))
        canvas.close()

    med = statistics.median(ready)
    print(f"comparison view ready ({N_PROFESSIONALS} professionals x {n_items} items): median {med:.1f} ms, "
          f"worst {max(ready):.1f} ms (target <= 150 ms)")
    print(f"matplotlib import at the first chart: {import_ms:.0f} ms (paid once, when the Charts tab opens)")
    for name, bare_ms, qt_ms in chart_rows:
        print(f"chart {name:13} bare {bare_ms:6.1f} ms   in the app {qt_ms:6.1f} ms   ratio {qt_ms / bare_ms:.2f}x "
              "(target <= 1.3x)")
    if args.json:
        args.json.write_text(json.dumps({
            "comparison_ready_ms": {"median": med, "worst": max(ready), "items": n_items,
                                    "professionals": N_PROFESSIONALS},
            "matplotlib_import_ms": import_ms,
            "charts": [{"chart": n, "bare_ms": b, "app_ms": q, "ratio": q / b} for n, b, q in chart_rows],
        }, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
