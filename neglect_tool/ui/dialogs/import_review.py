"""Before an import is applied: the dry run in words (what is new, what each update replaces, what is not
applied and why) and, for every incoming case or child that looks like one already here, the user's own
choice for that pair: link them (the same family or child) or keep them apart. Nothing is preselected."""

from __future__ import annotations

import uuid

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...services.casework import Decisions
from ...storage.exchange import Decision, MergePlan

CHOOSE = "Choose…"


class ImportReviewDialog(QDialog):
    def __init__(self, plan: MergePlan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import: what would change")
        self.plan = plan
        layout = QVBoxLayout(self)
        details = QPlainTextEdit(plan.describe())  # plain text: names and reasons from the record, as written
        details.setReadOnly(True)
        details.setAccessibleName("What the import would do")
        details.setMinimumSize(560, 160)
        layout.addWidget(details, 1)
        self.choices: dict[tuple[uuid.UUID, uuid.UUID], QComboBox] = {}
        if plan.duplicates:
            box = QGroupBox("Possible duplicates: the same family or child, or different ones?")
            form = QFormLayout(box)
            for pair in plan.duplicates:
                combo = QComboBox()
                combo.addItem(CHOOSE, None)
                combo.addItem("Link: the same " + pair.kind, Decision.LINK.value)
                combo.addItem("Keep apart: a different " + pair.kind, Decision.KEEP_APART.value)
                combo.setAccessibleName(f"Link or keep apart: {pair.incoming_label}")
                combo.currentIndexChanged.connect(self._update_buttons)
                label = QLabel(f"{pair.incoming_label}\nhere: {pair.existing_label} ({pair.reason})")
                label.setWordWrap(True)
                label.setBuddy(combo)
                form.addRow(label, combo)
                self.choices[pair.key] = combo
            layout.addWidget(box)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = QPushButton("Import")
        self.import_button.setAccessibleName("Import the record as described")
        buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.import_button.setEnabled(all(c.currentData() is not None for c in self.choices.values()))

    def decisions(self) -> Decisions:
        return {key: Decision(combo.currentData()) for key, combo in self.choices.items()
                if combo.currentData() is not None}


def review_import(plan: MergePlan, parent: QWidget | None) -> Decisions | None:
    """The user's decisions for the import, or None when they cancel."""
    dialog = ImportReviewDialog(plan, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.decisions()
