"""Copying child data out of the app: marked sensitive, and gone from the clipboard after the timeout."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLineEdit

from neglect_tool.ui.clipboard import CLEAR_AFTER_MS, ClipboardGuard


def test_copied_text_is_marked_sensitive_and_cleared(qtbot) -> None:  # type: ignore[no-untyped-def]
    assert CLEAR_AFTER_MS == 30_000
    guard = ClipboardGuard(clear_after_ms=200)
    edit = QLineEdit("Jayden Calloway NHS 943 476 5919")
    qtbot.addWidget(edit)
    edit.show()
    edit.activateWindow()
    qtbot.waitUntil(lambda: QGuiApplication.focusWindow() is not None, timeout=2_000)
    edit.selectAll()
    edit.copy()
    clipboard = QGuiApplication.clipboard()
    qtbot.waitUntil(lambda: guard.pending, timeout=2_000)
    mime = clipboard.mimeData()
    assert mime is not None and mime.text() == "Jayden Calloway NHS 943 476 5919"
    assert bytes(mime.data("x-kde-passwordManagerHint").data()) == b"secret"
    qtbot.waitUntil(lambda: not guard.pending, timeout=2_000)
    assert clipboard.text() == ""


def test_a_newer_copy_restarts_the_timer_and_only_our_text_is_cleared(qtbot) -> None:  # type: ignore[no-untyped-def]
    guard = ClipboardGuard(clear_after_ms=300)
    edit = QLineEdit()
    qtbot.addWidget(edit)
    edit.show()
    edit.activateWindow()
    qtbot.waitUntil(lambda: QGuiApplication.focusWindow() is not None, timeout=2_000)
    clipboard = QGuiApplication.clipboard()
    clipboard.setText("first")
    qtbot.wait(150)
    clipboard.setText("second")
    qtbot.wait(200)
    assert clipboard.text() == "second"  # the first copy's timer did not clear the second
    qtbot.waitUntil(lambda: clipboard.text() == "", timeout=2_000)
    assert not guard.pending
