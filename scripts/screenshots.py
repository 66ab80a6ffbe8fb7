"""Render every main screen of the app with the synthetic demo case to PNG (offscreen), for docs and review.

    python scripts/screenshots.py [--out docs/screenshots] [--dark]

Uses a throw-away demo store in a temporary folder; nothing is written anywhere else.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QWidget

from neglect_tool.domain import RoundPurpose
from neglect_tool.services.session import Session
from neglect_tool.services.settings import Settings
from neglect_tool.storage.keys import FAST_TEST_KDF
from neglect_tool.ui.app import new_application
from neglect_tool.ui.main_window import MainWindow
from neglect_tool.ui.theme import ThemeChoice, apply_theme

SIZE = (1280, 800)


class _FastSession(Session):
    @classmethod
    def create_demo(cls, path, passphrase="demo-only-synthetic-data", *, kdf=FAST_TEST_KDF, today=None):  # type: ignore[no-untyped-def,override]
        return super().create_demo(path, passphrase, kdf=FAST_TEST_KDF, today=today)


def _settle(app: QApplication) -> None:
    for _ in range(5):
        app.processEvents()


def _grab(app: QApplication, widget: QWidget, path: Path) -> None:
    _settle(app)
    widget.grab().save(str(path))
    print(f"wrote {path}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--dark", action="store_true", help="use the dark palette (files get a -dark suffix)")
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    suffix = "-dark" if args.dark else ""
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["XDG_CONFIG_HOME"] = str(Path(tmp) / "config")
        app = QApplication.instance() or new_application()  # Fusion, as the app starts
        assert isinstance(app, QApplication)
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        apply_theme(app, ThemeChoice.DARK if args.dark else ThemeChoice.LIGHT)
        window = MainWindow(Path(tmp) / "demo.ntdb", session_factory=_FastSession, settings=Settings())
        window.resize(*SIZE)
        window.show()
        _grab(app, window, out / f"welcome{suffix}.png")
        window._unlocked(_FastSession.create_demo(Path(tmp) / "demo.ntdb"))
        _grab(app, window, out / f"case-list{suffix}.png")

        summary = next(c for c in window.session.cases() if c.family_name == "Calloway")  # type: ignore[union-attr]
        window.open_case(summary.family_id)
        window.case.lower_tabs.setCurrentIndex(1)
        _grab(app, window, out / f"case{suffix}.png")
        window.case.lower_tabs.setCurrentIndex(0)

        window.case.rounds.selectRow(0)
        window.open_comparison(window.case.selected_round().round.id)  # type: ignore[union-attr]
        _grab(app, window, out / f"comparison{suffix}.png")
        window.comparison.tabs.setCurrentWidget(window.comparison.charts)
        _grab(app, window, out / f"charts{suffix}.png")
        window.comparison.tabs.setCurrentIndex(0)
        window.comparison.meeting_button.setChecked(True)
        window.showNormal()
        window.resize(1280, 720)
        _grab(app, window, out / f"meeting-mode{suffix}.png")
        window.comparison.meeting_button.setChecked(False)
        window.resize(*SIZE)
        window._leave_comparison()

        # a fresh round for the eldest child, scored part-way by keys, one note written
        child = window.case.selected_child()
        assert child is not None
        work = window._casework()
        rnd = work.create_round(child.child.id, held_on=dt.date.today(), purpose=RoundPurpose.CORE_GROUP)
        editor = work.start_own_sheet(rnd.id)
        window._open_sheet(editor, "Your sheet · R.C. · Core group")
        for code in ("yes", "borderline", "yes", "no", "yes", "not_known", "yes", "yes", "borderline"):
            editor.set_option(editor.items[window.sheet.current].id, code)
            window.sheet.go_to(window.sheet.current + 1)
        window.sheet.show_sheet(editor, "Your sheet · R.C. · Core group")
        window.sheet.go_to(3)
        window.sheet.evidence.note.setPlainText("Kitchen cupboards nearly empty on the visit of 3 Nov; "
                                                "mother said money for food runs out before payday.")
        window.sheet.evidence.flush(force=True)
        _grab(app, window, out / f"rating-sheet{suffix}.png")
        window.sheet.side.setCurrentIndex(1)
        window.sheet.free_text_edits["child_voice"].setPlainText("Said he is \"always hungry at school\"; "
                                                                  "went straight to the fridge on the visit.")
        _grab(app, window, out / f"written-parts{suffix}.png")
        window.sheet.side.setCurrentIndex(0)
        window.help.toggle()
        _grab(app, window, out / f"shortcuts{suffix}.png")
        window.help.toggle()
        window.lock()
        _grab(app, window, out / f"unlock{suffix}.png")
        window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
