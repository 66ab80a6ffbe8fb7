"""The case list as a real Qt table model (sorted and searched through a proxy)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from ...services.session import CaseSummary
from ..richtext import esc

if TYPE_CHECKING:
    from ...services.trends import ChildTrend

COLUMNS = ("Case", "Family", "Children", "Trend", "Latest round", "Status", "Next review")
TREND_COLUMN = 3
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex


def _date(value: dt.date | None) -> str:
    return value.strftime("%d %b %Y") if value else "—"


class CaseTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[CaseSummary] = []
        self.initials_only = False  # the privacy switch: names shown as initials
        # each child's direction of travel, computed only for rows the view asks about, then kept
        self.trends: Callable[[uuid.UUID], Sequence[ChildTrend]] | None = None
        self._trend_cache: dict[uuid.UUID, Sequence[ChildTrend]] = {}

    def set_cases(self, rows: Sequence[CaseSummary]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._trend_cache = {}
        self.endResetModel()

    def _trends(self, case: CaseSummary) -> Sequence[ChildTrend]:
        if self.trends is None:
            return ()
        if case.family_id not in self._trend_cache:
            self._trend_cache[case.family_id] = self.trends(case.family_id)
        return self._trend_cache[case.family_id]

    def clear(self) -> None:
        self.set_cases([])

    def case_at(self, row: int) -> CaseSummary:
        return self._rows[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        case = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(case, column)
        if role == SORT_ROLE:
            return self._sort_key(case, column)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{COLUMNS[column]}: {self._display(case, column)}"
        if role == Qt.ItemDataRole.ToolTipRole and column == TREND_COLUMN:
            return "<br>".join(f"<b>{esc(self._child_name(t.child.given_names, t.child.family_name))}</b>: "
                               f"{esc(t.describe())}"
                               for t in self._trends(case))
        return None

    def _child_name(self, given: str, family: str) -> str:
        return case_initials(f"{given.split()[0]} {family}") if self.initials_only else given.split()[0]

    def _names(self, case: CaseSummary) -> list[str]:
        if self.initials_only:
            return [case_initials(name) for name in case.child_names]
        return list(case.child_names)

    def _display(self, case: CaseSummary, column: int) -> str:
        if column == 0:
            return case.case_ref
        if column == 1:
            return case_initials(case.family_name) if self.initials_only else case.family_name
        if column == 2:
            return ", ".join(self._names(case))
        if column == TREND_COLUMN:
            return "  ".join(f"{self._child_name(t.child.given_names, t.child.family_name)} {t.marker}"
                             for t in self._trends(case))
        if column == 4:
            return _date(case.latest_round_on)
        if column == 5:
            return case.latest_round_status.label if case.latest_round_status else "No round yet"
        return _date(case.next_review_on)

    def _sort_key(self, case: CaseSummary, column: int) -> Any:
        if column == TREND_COLUMN:  # drift first, then worse
            markers = [t.marker for t in self._trends(case)]
            return (-sum("drift" in m for m in markers), -sum("worse" in m for m in markers))
        if column == 4:
            return (case.latest_round_on or dt.date.min).toordinal()
        if column == 6:
            return (case.next_review_on or dt.date.max).toordinal()
        return self._display(case, column).casefold()


def case_initials(name: str) -> str:
    return "".join(part[0].upper() + "." for part in name.split() if part)
