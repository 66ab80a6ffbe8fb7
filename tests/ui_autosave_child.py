"""App process for the autosave test: the real sheet screen answering items by key presses until killed.

Acknowledges each answered item on stdout once the key press has returned. Passphrase from the environment.
"""

from __future__ import annotations

import os
import sys
import uuid
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from neglect_tool.services.casework import Casework
from neglect_tool.storage.keys import FAST_TEST_KDF
from neglect_tool.storage.store import Store
from neglect_tool.ui.screens.sheet_editor import SheetEditorScreen


def main() -> None:
    app = QApplication(sys.argv[:1])
    store = Store.open(Path(sys.argv[1]), os.environ["AUTOSAVE_PASSPHRASE"], kdf=FAST_TEST_KDF)
    editor = Casework(store).start_own_sheet(uuid.UUID(sys.argv[2]))
    screen = SheetEditorScreen()
    screen.show_sheet(editor, "autosave test")
    screen.show()
    app.processEvents()
    print("ready", flush=True)
    n = 0
    while True:
        index = screen.current
        QTest.keyClick(screen, "123"[n % 3])
        print(f"answered {editor.items[index].id}", flush=True)
        if n == 3:  # one evidence note, typed then left with Esc
            QTest.keyClick(screen, Qt.Key.Key_N)
            QTest.keyClicks(screen.evidence.note, "note typed before the crash")
            QTest.keyClick(screen.evidence.note, Qt.Key.Key_Escape)
            print(f"noted {editor.items[screen.current].id}", flush=True)
        n += 1
        if screen.current == len(screen.rows) - 1:
            screen.go_to(0)


if __name__ == "__main__":
    main()
