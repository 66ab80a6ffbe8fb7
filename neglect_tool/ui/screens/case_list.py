"""The case list: search as you type by name, case reference, case number or NHS number; sortable."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QSortFilterProxyModel, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...services.session import CaseSummary
from ..models.case_table import SORT_ROLE, CaseTableModel

SEARCH_DEBOUNCE_MS = 150


class CaseListScreen(QWidget):
    case_activated = Signal(object)  # CaseSummary

    def __init__(self, search: Callable[[str], Sequence[CaseSummary]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("caseListScreen")
        self._search = search
        layout = QVBoxLayout(self)
        header = QHBoxLayout()
        header.addWidget(QLabel("<h2>Cases</h2>"))
        header.addStretch(1)
        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText("Search by name, case reference, case number or NHS number")
        self.search_box.setAccessibleName("Search cases")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setMinimumWidth(380)
        header.addWidget(self.search_box)
        layout.addLayout(header)

        self.model = CaseTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAccessibleName("Case list")
        self.table.activated.connect(self._on_activated)
        layout.addWidget(self.table, 1)
        self.status = QLabel("")
        layout.addWidget(self.status)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.refresh)
        self.search_box.textChanged.connect(lambda _text: self._debounce.start())

    def refresh(self) -> None:
        cases = self._search(self.search_box.text())
        self.model.set_cases(cases)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        n = len(cases)
        self.status.setText(f"{n} case{'s' if n != 1 else ''}")

    def set_initials_only(self, on: bool) -> None:
        self.model.initials_only = on
        self.model.layoutChanged.emit()

    def clear(self) -> None:
        """Forget every case shown (on lock): nothing readable stays behind the unlock screen."""
        self._debounce.stop()
        self.search_box.clear()
        self.model.clear()
        self.status.clear()

    def _on_activated(self, index: object) -> None:
        source = self.proxy.mapToSource(index)  # type: ignore[arg-type]
        self.case_activated.emit(self.model.case_at(source.row()))
