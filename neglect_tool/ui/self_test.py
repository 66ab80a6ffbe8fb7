"""A self-test of the window for frozen builds: unlock a store, then visit every screen and chart.

    NEGLECT_TOOL_PASSPHRASE=... neglect-tool --store demo.ntdb --self-test

PyInstaller misses modules that are imported late (the case screens, matplotlib's Qt canvas, the PDF
libraries); this walks through all of them in the real binary and exits non-zero on the first failure.
"""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path

from PySide6.QtWidgets import QApplication

from .main_window import MainWindow


def run_self_test(app: QApplication, window: MainWindow, store_path: Path) -> int:
    from ..services.session import Session

    passphrase = os.environ.get("NEGLECT_TOOL_PASSPHRASE", "")
    steps: list[str] = []
    try:
        window._unlocked(Session.unlock(store_path, passphrase))
        steps.append(f"unlocked: {window.cases.model.rowCount()} cases")
        summary = window.cases.model.case_at(0)
        window.open_case(summary.family_id)
        steps.append("case screen")
        window.case.rounds.selectRow(0)
        overview = window.case.selected_round()
        if overview is not None and overview.can_compare:
            window.open_comparison(overview.round.id)
            window.comparison.tabs.setCurrentWidget(window.comparison.charts)
            app.processEvents()
            if not window.comparison._charts_drawn:
                raise RuntimeError("the charts were not drawn")
            steps.append("comparison with charts")
            window._leave_comparison()
        window.help.toggle()
        app.processEvents()
        window.help.toggle()
        steps.append("shortcuts overlay")
        window.lock()
        steps.append("locked")
    except Exception:  # the point of a self-test: report any failure and exit non-zero
        traceback.print_exc()
        print("self-test FAILED after: " + ", ".join(steps), file=sys.stderr)
        return 1
    print("self-test passed: " + ", ".join(steps))
    return 0
