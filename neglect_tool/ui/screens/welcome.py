"""First run: create my encrypted store, or open the demo."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...domain import Agency
from ...services.demo_data import DEMO_PASSPHRASE
from ...services.passphrases import passphrase_strength

NO_RECOVERY_WARNING = (
    "There is no way to recover a forgotten passphrase: nobody, including the authors of this app, can "
    "open the store without it. Keep it somewhere safe, such as your organisation's password manager."
)


@dataclass(frozen=True, slots=True)
class NewStoreRequest:
    owner_name: str
    owner_role: str
    owner_agency: Agency
    passphrase: str


class WelcomeScreen(QWidget):
    demo_requested = Signal()
    create_requested = Signal(object)  # NewStoreRequest

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcomeScreen")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(48, 32, 48, 32)
        title = QLabel("<h1>neglect_tool</h1>")
        intro = QLabel(
            "Score a child's care on the same checklist as the other professionals involved, each on your "
            "own first, then compare, agree and track change over time. Everything stays encrypted on "
            "this computer."
        )
        intro.setWordWrap(True)
        outer.addWidget(title)
        outer.addWidget(intro)

        columns = QHBoxLayout()
        columns.setSpacing(24)
        columns.addWidget(self._demo_panel(), 1)
        columns.addWidget(self._create_panel(), 1)
        outer.addLayout(columns, 1)
        self.busy = QLabel("")
        self.busy.setObjectName("busyLabel")
        outer.addWidget(self.busy)

    def _panel(self) -> tuple[QFrame, QVBoxLayout]:
        frame = QFrame()
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(frame)
        layout.setContentsMargins(20, 16, 20, 16)
        return frame, layout

    def _demo_panel(self) -> QFrame:
        frame, layout = self._panel()
        layout.addWidget(QLabel("<h2>Try the demo</h2>"))
        text = QLabel(
            "Three invented families, several professionals from different agencies and assessment rounds "
            "over a year: one case that improves, one that drifts and one that deteriorates. "
            "No real person is in it."
        )
        text.setWordWrap(True)
        layout.addWidget(text)
        passphrase = QLabel(f"The demo store's passphrase is <b>{DEMO_PASSPHRASE}</b>")
        passphrase.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        passphrase.setWordWrap(True)
        layout.addWidget(passphrase)
        layout.addStretch(1)
        self.demo_button = QPushButton("Open the demo")
        self.demo_button.setMinimumHeight(44)
        self.demo_button.setAccessibleName("Open the demo store")
        self.demo_button.clicked.connect(self.demo_requested)
        layout.addWidget(self.demo_button)
        return frame

    def _create_panel(self) -> QFrame:
        frame, layout = self._panel()
        layout.addWidget(QLabel("<h2>Create my encrypted store</h2>"))
        form = QFormLayout()
        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName("Your name")
        self.role_edit = QLineEdit()
        self.role_edit.setPlaceholderText("e.g. Social worker, Health visitor")
        self.role_edit.setAccessibleName("Your role")
        self.agency_combo = QComboBox()
        self.agency_combo.setAccessibleName("Your agency")
        for agency in Agency:
            self.agency_combo.addItem(agency.label, agency)
        self.pass1 = QLineEdit()
        self.pass1.setEchoMode(QLineEdit.EchoMode.Password)
        self.pass1.setAccessibleName("Passphrase")
        self.pass2 = QLineEdit()
        self.pass2.setEchoMode(QLineEdit.EchoMode.Password)
        self.pass2.setAccessibleName("Passphrase again")
        self.strength = QProgressBar()
        self.strength.setRange(0, 4)
        self.strength.setTextVisible(True)
        self.strength.setAccessibleName("Passphrase strength")
        form.addRow("Your name", self.name_edit)
        form.addRow("Your role", self.role_edit)
        form.addRow("Agency", self.agency_combo)
        form.addRow("Passphrase", self.pass1)
        form.addRow("Again", self.pass2)
        form.addRow("Strength", self.strength)
        layout.addLayout(form)
        warning = QLabel(NO_RECOVERY_WARNING)
        warning.setWordWrap(True)
        warning.setObjectName("noRecoveryWarning")
        layout.addWidget(warning)
        self.error = QLabel("")
        self.error.setObjectName("errorLabel")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.create_button = QPushButton("Create my encrypted store")
        self.create_button.setMinimumHeight(44)
        self.create_button.clicked.connect(self._on_create)
        layout.addWidget(self.create_button)
        self.pass1.textChanged.connect(self._update_strength)
        self._update_strength("")
        return frame

    def _update_strength(self, text: str) -> None:
        score, word = passphrase_strength(text)
        self.strength.setValue(score)
        self.strength.setFormat(word if text else "")

    def _on_create(self) -> None:
        name, role = self.name_edit.text().strip(), self.role_edit.text().strip()
        if not name or not role:
            self.show_error("Enter your name and role: they are recorded with every change you make.")
            return
        if self.pass1.text() != self.pass2.text():
            self.show_error("The two passphrases differ.")
            return
        self.create_requested.emit(
            NewStoreRequest(name, role, Agency(self.agency_combo.currentData()), self.pass1.text())
        )

    def show_error(self, message: str) -> None:
        self.error.setText(message)

    def set_busy(self, message: str) -> None:
        self.busy.setText(message)
        for widget in (self.demo_button, self.create_button):
            widget.setEnabled(not message)

    def clear_secrets(self) -> None:
        self.pass1.clear()
        self.pass2.clear()
