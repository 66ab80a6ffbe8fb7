"""Clipboard hygiene: what is copied out of the app is marked sensitive and wiped after 30 seconds.

Copying is allowed (a professional pastes a note into the council's case system), but child data must not
sit on the clipboard for the next program or person to find. When the app puts data on the clipboard, the
data is re-offered with the hints clipboard managers honour (KDE/Klipper's password hint, Windows'
"exclude from history/cloud"), and a timer clears it if it is still ours and unchanged.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QObject, Qt, QTimer
from PySide6.QtGui import QClipboard, QGuiApplication

CLEAR_AFTER_MS = 30_000
SENSITIVE_HINTS = {
    "x-kde-passwordManagerHint": b"secret",
    "ExcludeClipboardContentFromMonitorProcessing": b"1",
    "CanIncludeInClipboardHistory": b"\x00\x00\x00\x00",
    "CanUploadToCloudClipboard": b"\x00\x00\x00\x00",
}


class ClipboardGuard(QObject):
    def __init__(self, clear_after_ms: int = CLEAR_AFTER_MS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._clipboard: QClipboard = QGuiApplication.clipboard()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(clear_after_ms)
        self._timer.timeout.connect(self.clear_if_ours)
        self._ours: str | None = None
        self._rewriting = False
        self._clipboard.dataChanged.connect(self._changed)

    def _changed(self) -> None:
        if self._rewriting:
            return
        mime = self._clipboard.mimeData()
        if mime is None or not self._is_ours():
            self._ours = None  # someone else's copy: not ours to clear
            self._timer.stop()
            return
        text = mime.text()
        if not mime.hasFormat("x-kde-passwordManagerHint"):
            marked = QMimeData()
            marked.setText(text)
            if mime.hasHtml():
                marked.setHtml(mime.html())
            for fmt, value in SENSITIVE_HINTS.items():
                marked.setData(fmt, value)
            self._rewriting = True
            try:
                self._clipboard.setMimeData(marked)
            finally:
                self._rewriting = False
        self._ours = text
        self._timer.start()

    def _is_ours(self) -> bool:
        # Where the platform cannot say who owns the clipboard (macOS, offscreen), a change while the app
        # is the active one is taken to be the app's own copy.
        if self._clipboard.ownsClipboard():
            return True
        return QGuiApplication.applicationState() == Qt.ApplicationState.ApplicationActive

    def clear_if_ours(self) -> None:
        """Clear the clipboard if it still holds what the app put there."""
        mime = self._clipboard.mimeData()
        if self._ours is not None and mime is not None and mime.text() == self._ours:
            self._clipboard.clear()
        self._ours = None

    @property
    def pending(self) -> bool:
        return self._timer.isActive()
