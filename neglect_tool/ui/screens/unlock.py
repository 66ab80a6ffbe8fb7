"""Later runs: unlock the store. A wrong passphrase asks again, more slowly each time."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

# Extra wait after the n-th failure in a row, on top of the key derivation's own cost (seconds).
FAILURE_DELAYS = (0, 0, 1, 2, 4, 8, 15, 30)


class UnlockScreen(QWidget):
    unlock_requested = Signal(str)

    def __init__(self, store_label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("unlockScreen")
        self.failures = 0
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 48, 48, 48)
        layout.addStretch(1)
        layout.addWidget(QLabel("<h1>neglect_tool is locked</h1>"))
        where = QLabel(f"Store: {store_label}")
        where.setObjectName("storeLabel")
        layout.addWidget(where)
        row = QHBoxLayout()
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText("Passphrase")
        self.passphrase.setAccessibleName("Store passphrase")
        self.passphrase.setMinimumHeight(36)
        self.button = QPushButton("Unlock")
        self.button.setMinimumHeight(36)
        row.addWidget(self.passphrase, 1)
        row.addWidget(self.button)
        layout.addLayout(row)
        self.message = QLabel("")
        self.message.setObjectName("errorLabel")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        layout.addStretch(2)
        self.button.clicked.connect(self._submit)
        self.passphrase.returnPressed.connect(self._submit)
        self._cooldown = QTimer(self)
        self._cooldown.setSingleShot(True)
        self._cooldown.timeout.connect(lambda: self._set_enabled(True))

    def _submit(self) -> None:
        if not self.button.isEnabled():
            return
        text = self.passphrase.text()
        self.passphrase.clear()
        self._set_enabled(False)
        self.message.setText("Unlocking…")
        self.unlock_requested.emit(text)

    def _set_enabled(self, enabled: bool) -> None:
        self.passphrase.setEnabled(enabled)
        self.button.setEnabled(enabled)
        if enabled:
            self.passphrase.setFocus()

    def unlock_failed(self, message: str) -> None:
        """Ask again (never exit), after a delay that grows with each failure in a row."""
        self.failures += 1
        delay = FAILURE_DELAYS[min(self.failures, len(FAILURE_DELAYS) - 1)]
        suffix = f" Try again in {delay} s." if delay else ""
        self.message.setText(message + suffix)
        if delay:
            self._cooldown.start(delay * 1000)
        else:
            self._set_enabled(True)

    def reset(self) -> None:
        self.failures = 0
        self.message.clear()
        self.passphrase.clear()
        self._set_enabled(True)
