"""The first screens, driven for real on the offscreen platform: demo, case list, lock, unlock."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from neglect_tool.services.session import Session
from neglect_tool.storage.keys import FAST_TEST_KDF
from neglect_tool.ui.main_window import MainWindow


class FastSession(Session):
    @classmethod
    def unlock(cls, path, passphrase, *, kdf=FAST_TEST_KDF):  # type: ignore[no-untyped-def,override]
        return super().unlock(path, passphrase, kdf=FAST_TEST_KDF)

    @classmethod
    def create_demo(cls, path, passphrase="demo-only-synthetic-data", *, kdf=FAST_TEST_KDF, today=None):  # type: ignore[no-untyped-def,override]
        return super().create_demo(path, passphrase, kdf=FAST_TEST_KDF, today=today)


def _visible_text(root: QWidget) -> str:
    parts = [w.text() for w in root.findChildren(QLabel)] + [w.text() for w in root.findChildren(QLineEdit)]
    return " ".join(parts)


def test_demo_then_lock_then_wrong_and_right_passphrase(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(tmp_path / "store.ntdb", session_factory=FastSession)
    qtbot.addWidget(window)
    window.show()
    assert window.stack.currentWidget() is window.welcome
    qtbot.mouseClick(window.welcome.demo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is getattr(window, "cases", None), timeout=30_000)
    assert window.cases.model.rowCount() == 3
    assert window.windowTitle() == "neglect_tool"
    qtbot.keyClicks(window.cases.search_box, "rosie")
    qtbot.waitUntil(lambda: window.cases.model.rowCount() == 1, timeout=5_000)

    window.lock()
    assert window.stack.currentWidget() is window.unlock
    assert window.cases.model.rowCount() == 0
    assert "Calloway" not in _visible_text(window) and "Rosie" not in _visible_text(window)

    qtbot.keyClicks(window.unlock.passphrase, "not the passphrase")
    qtbot.keyClick(window.unlock.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.unlock.failures == 1, timeout=10_000)
    assert window.stack.currentWidget() is window.unlock
    assert "does not unlock" in window.unlock.message.text()

    qtbot.keyClicks(window.unlock.passphrase, "demo-only-synthetic-data")
    qtbot.keyClick(window.unlock.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.cases, timeout=10_000)
    assert window.cases.model.rowCount() == 3
    window.close()
