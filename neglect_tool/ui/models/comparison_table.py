"""The comparison grid as a Qt table model: items down, raters across, the meeting's agreed view last.

Each cell shows a symbol and the answer's label (readable in greyscale and by colour-blind users) on a
fill of the Okabe-Ito family; the evidence note, source and recency are the cell's tooltip. The parent's or
carer's view sits in its own columns, after the professionals'.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from ...scoring.comparison import Cell, Comparison, ComparisonRow, RowStatus
from ..richtext import esc
from ..widgets.item_row import ANSWER_SYMBOLS

_Index = QModelIndex | QPersistentModelIndex
ROW_ROLE = Qt.ItemDataRole.UserRole + 1

FILLS = {
    False: {"yes": "#c9e9f6", "borderline": "#fbe3b3", "no": "#f6c9b5", "not_known": "#e4e4e4", "na": "#f2f2f2"},
    True: {"yes": "#0d4f6b", "borderline": "#6b4b00", "no": "#7a2e0e", "not_known": "#444a50", "na": "#3a3d41"},
}
STATUS_MARKS = {
    RowStatus.DISAGREEMENT: "⚠",
    RowStatus.DIFFERENCE: "≠",
    RowStatus.AGREED: "=",
}


def cell_text(cell: Cell) -> str:
    if not cell.answered:
        return "·"
    symbol = ANSWER_SYMBOLS.get(cell.option or "", "")
    return f"{symbol} {cell.label}".strip()


def cell_tooltip(title: str, cell: Cell) -> str:
    if not cell.answered:
        return f"<b>{esc(title)}</b>: no answer"
    parts = [f"<b>{esc(title)}</b>: {esc(cell.label)}"]
    if cell.evidence:
        parts.append(esc(cell.evidence))
    if cell.note:
        parts.append(f"“{esc(cell.note)}”")
    return "<br>".join(parts)


class ComparisonTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.comparison: Comparison | None = None
        self.rows: list[ComparisonRow] = []
        self.headings: list[str] = []  # as shown in the header, wrapped to the column
        self.titles: list[str] = []  # one line per rater for tooltips, named as the screen names them
        self.dark = False
        self._texts: set[str] | None = None

    def set_comparison(self, comparison: Comparison | None, rows: Sequence[ComparisonRow] = (),
                       headings: Sequence[str] = (), titles: Sequence[str] = ()) -> None:
        self.beginResetModel()
        self.comparison = comparison
        self.rows = list(rows)
        self.headings = list(headings)
        self.titles = list(titles) or [h.replace("\n", " ") for h in headings]
        self._texts = None
        self.endResetModel()

    def clear(self) -> None:
        self.set_comparison(None)

    def set_headings(self, headings: Sequence[str]) -> None:
        """New rater headings (rewrapped for a new column width) without resetting the rows."""
        if list(headings) == self.headings:
            return  # no header relayout, so no viewport resize, so no refit loop
        self.headings = list(headings)
        if self.comparison is not None:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 1, self._n_raters())

    def cell_texts(self) -> set[str]:
        """Every distinct text the answer and agreed columns show, for sizing those columns to fit."""
        if self._texts is None:
            texts = {self.data(self.index(r, c)) for r in range(len(self.rows)) for c in range(1, self.columnCount())}
            self._texts = {t for t in texts if isinstance(t, str) and t}
        return self._texts

    # columns: 0 = item, then professionals, then carers, then the agreed view
    def _n_raters(self) -> int:
        return len(self.comparison.raters) if self.comparison else 0

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.comparison is None else self._n_raters() + 2

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or self.comparison is None:
            return None
        if role == Qt.ItemDataRole.ToolTipRole and 1 <= section <= self._n_raters():
            # the name as the screen shows it: initials only stays initials only on hover
            return f"<qt>{esc(self.titles[section - 1])}</qt>" if section - 1 < len(self.titles) else None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if section == 0:
                return "Item"
            if section == self._n_raters() + 1:
                return "Agreed"
            return self.headings[section - 1] if section - 1 < len(self.headings) else ""
        return None

    def cell_at(self, row: int, column: int) -> Cell | None:
        if self.comparison is None or not (1 <= column <= self._n_raters()):
            return None
        item_row = self.rows[row]
        n_prof = len(self.comparison.professionals)
        return item_row.cells[column - 1] if column - 1 < n_prof else item_row.carer_cells[column - 1 - n_prof]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.comparison is None:
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role == ROW_ROLE:
            return row
        if column == 0:
            return self._item_data(row, role)
        if column == self._n_raters() + 1:
            return self._agreed_data(row, role)
        cell = self.cell_at(index.row(), column)
        if cell is None:
            return None
        title = self.titles[column - 1] if column - 1 < len(self.titles) else ""
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            text = cell_text(cell)
            return f"{text} ✎" if role == Qt.ItemDataRole.DisplayRole and cell.note else text
        if role == Qt.ItemDataRole.ToolTipRole:
            return cell_tooltip(title, cell)
        if role == Qt.ItemDataRole.BackgroundRole and cell.option in FILLS[self.dark]:
            return QBrush(QColor(FILLS[self.dark][cell.option or ""]))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def _item_data(self, row: ComparisonRow, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            mark = STATUS_MARKS.get(row.status, "")
            info = " ?" if row.information_difference else ""
            return f"{mark}{info}  {row.position}. {row.item.text}"
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [f"<b>{esc(row.section_title)}</b>", esc(row.item.text), f"<i>{esc(row.status.label)}</i>"]
            if row.information_difference:
                lines.append("Information difference: " + esc(", ".join(row.not_known_by)) + " did not know; "
                             + esc(", ".join(row.known_by)) + " did.")
            if row.agencies_to_ask:
                lines.append("Usually known by: " + esc(", ".join(row.agencies_to_ask)))
            return "<br>".join(lines)
        if role == Qt.ItemDataRole.FontRole and row.status is RowStatus.DISAGREEMENT:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _agreed_data(self, row: ComparisonRow, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if row.unresolved:
                return "⏳ Unresolved"
            return f"{ANSWER_SYMBOLS.get(row.consensus.agreed_option or '', '')} {row.consensus_label}".strip() \
                if row.consensus and row.consensus.agreed_option else ""
        if role == Qt.ItemDataRole.ToolTipRole and row.consensus is not None:
            c = row.consensus
            extra = f"<br>Escalated by {esc(c.escalation_owner)} by {esc(c.escalate_by)}" if c.unresolved else ""
            return f"<b>{esc(row.consensus_label)}</b>: {esc(c.rationale)}{extra}"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None
