"""The child's plan agreed at the meeting: targeted items (baseline, target, review date) and actions."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...domain import Agency
from ...services.errors import user_message
from ...services.meeting import Meeting


def _date_edit(days_ahead: int, name: str) -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd MMM yyyy")
    edit.setDate(QDate.currentDate().addDays(days_ahead))
    edit.setAccessibleName(name)
    return edit


def _py_date(edit: QDateEdit) -> dt.date:
    value = edit.date().toPython()
    assert isinstance(value, dt.date)
    return value


class PlanPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.meeting: Meeting | None = None
        layout = QHBoxLayout(self)

        targets_box = QGroupBox("Targeted items")
        targets = QVBoxLayout(targets_box)
        self.targets = QTableWidget(0, 4)
        self.targets.setHorizontalHeaderLabels(("Item", "Now", "Target", "Review by"))
        self.targets.setAccessibleName("Targeted items of the plan")
        self.targets.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.targets.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.targets.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        targets.addWidget(self.targets)
        add_target = QHBoxLayout()
        self.target_item = QComboBox()
        self.target_item.setAccessibleName("Item to target")
        self.target_item.currentIndexChanged.connect(self._target_item_changed)
        self.target_option = QComboBox()
        self.target_option.setAccessibleName("Target answer")
        self.target_review = _date_edit(84, "Review the target by")
        self.add_target_button = QPushButton("Add target")
        self.add_target_button.setAccessibleName("Add the targeted item to the plan")
        self.add_target_button.clicked.connect(self._add_target)
        for widget in (self.target_item, self.target_option, self.target_review, self.add_target_button):
            add_target.addWidget(widget)
        add_target.setStretch(0, 1)
        targets.addLayout(add_target)
        target_buttons = QHBoxLayout()
        self.remove_target_button = QPushButton("Remove selected target")
        self.remove_target_button.setAccessibleName("Remove the selected target from the plan")
        self.remove_target_button.clicked.connect(self._remove_target)
        self.active = QCheckBox("Plan active")
        self.active.setAccessibleName("The plan is active (drift alerts watch an active plan)")
        self.active.setToolTip("Untick when the plan has ended: a drift alert asks whether sections of concern "
                               "improved while a plan was active.")
        self.active.toggled.connect(self._set_active)
        target_buttons.addWidget(self.remove_target_button)
        target_buttons.addStretch(1)
        target_buttons.addWidget(self.active)
        targets.addLayout(target_buttons)
        layout.addWidget(targets_box, 1)

        actions_box = QGroupBox("Actions")
        actions = QVBoxLayout(actions_box)
        self.action_table = QTableWidget(0, 5)
        self.action_table.setHorizontalHeaderLabels(("Action", "Owner", "Agency", "Due", "Done"))
        self.action_table.setAccessibleName("Actions of the plan")
        self.action_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.action_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.action_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        actions.addWidget(self.action_table)
        add_action = QHBoxLayout()
        self.action_text = QLineEdit()
        self.action_text.setPlaceholderText("What will be done")
        self.action_text.setAccessibleName("Action")
        self.action_owner = QLineEdit()
        self.action_owner.setPlaceholderText("Who")
        self.action_owner.setAccessibleName("Owner of the action")
        self.action_agency = QComboBox()
        self.action_agency.setAccessibleName("Agency of the owner")
        for agency in Agency:
            self.action_agency.addItem(agency.label, agency.value)
        self.action_due = _date_edit(28, "Action due by")
        self.add_action_button = QPushButton("Add action")
        self.add_action_button.setAccessibleName("Add the action to the plan")
        self.add_action_button.clicked.connect(self._add_action)
        for action_widget in (self.action_text, self.action_owner, self.action_agency, self.action_due,
                              self.add_action_button):
            add_action.addWidget(action_widget)
        add_action.setStretch(0, 2)
        actions.addLayout(add_action)
        self.done_button = QPushButton("Mark selected action done today")
        self.done_button.setAccessibleName("Mark the selected action done today")
        self.done_button.clicked.connect(self._mark_done)
        self.remove_action_button = QPushButton("Remove selected action")
        self.remove_action_button.setAccessibleName("Remove the selected action from the plan")
        self.remove_action_button.clicked.connect(self._remove_action)
        action_buttons = QHBoxLayout()
        action_buttons.addWidget(self.done_button)
        action_buttons.addWidget(self.remove_action_button)
        action_buttons.addStretch(1)
        actions.addLayout(action_buttons)
        layout.addWidget(actions_box, 1)
        self.message = QLabel("")
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # messages can quote what was typed
        self.message.setWordWrap(True)
        actions.addWidget(self.message)

    def show_plan(self, meeting: Meeting) -> None:
        self.meeting = meeting
        form = meeting.form
        labels = {item.id: item.text for item in form.items()}
        self.target_item.blockSignals(True)
        self.target_item.clear()
        for item_id in meeting.rated_items():
            self.target_item.addItem(labels[item_id], item_id)
        self.target_item.blockSignals(False)
        self._target_item_changed()
        plan = meeting.plan
        self.active.blockSignals(True)
        self.active.setChecked(plan.active)
        self.active.blockSignals(False)
        self.targets.setRowCount(len(plan.targets))
        for r, target in enumerate(plan.targets):
            scale = form.scale_for(form.item(target.item_id))
            now = scale.option(target.baseline_option).label if target.baseline_option else "not agreed yet"
            values = (labels.get(target.item_id, target.item_id), now, scale.option(target.target_option).label,
                      target.review_on.strftime("%d %b %Y"))
            for c, value in enumerate(values):
                target_cell = QTableWidgetItem(value)
                target_cell.setData(Qt.ItemDataRole.UserRole, target.id)
                self.targets.setItem(r, c, target_cell)
        self.action_table.setRowCount(len(plan.actions))
        for r, action in enumerate(plan.actions):
            done = action.done_on.strftime("%d %b %Y") if action.done_on else ""
            row_values = (action.description, action.owner, action.agency.label, action.due_on.strftime("%d %b %Y"),
                      done)
            for c, value in enumerate(row_values):
                cell = QTableWidgetItem(value)
                cell.setData(Qt.ItemDataRole.UserRole, action.id)
                self.action_table.setItem(r, c, cell)
        self.targets.resizeRowsToContents()
        self.action_table.resizeRowsToContents()

    def _target_item_changed(self, _index: int = 0) -> None:
        self.target_option.clear()
        if self.meeting is None or self.target_item.currentData() is None:
            return
        scale = self.meeting.form.scale_for(self.meeting.form.item(self.target_item.currentData()))
        for option in scale.rating_options:
            self.target_option.addItem(option.label, option.code)

    def _run(self, action: Callable[[], object]) -> None:
        try:
            action()
        except Exception as exc:  # shown on the panel, never raised into Qt
            self.message.setText(user_message(exc))
            return
        self.message.clear()
        if self.meeting is not None:
            self.show_plan(self.meeting)

    def _add_target(self) -> None:
        meeting = self.meeting
        if meeting is None or self.target_item.currentData() is None:
            return
        self._run(lambda: meeting.add_target(self.target_item.currentData(), self.target_option.currentData(),
                                             _py_date(self.target_review)))

    def _add_action(self) -> None:
        meeting = self.meeting
        if meeting is None:
            return
        agency = Agency(self.action_agency.currentData())
        self._run(lambda: meeting.add_action(self.action_text.text(), self.action_owner.text(), agency,
                                             _py_date(self.action_due)))
        if not self.message.text():
            self.action_text.clear()

    @staticmethod
    def _selected_id(table: QTableWidget) -> uuid.UUID | None:
        row = table.currentRow()
        first = table.item(row, 0) if row >= 0 else None
        value = first.data(Qt.ItemDataRole.UserRole) if first is not None else None
        return value if isinstance(value, uuid.UUID) else None

    def _mark_done(self) -> None:
        meeting, action_id = self.meeting, self._selected_id(self.action_table)
        if meeting is not None and action_id is not None:
            self._run(lambda: meeting.mark_action_done(action_id, dt.date.today()))

    def _remove_action(self) -> None:
        meeting, action_id = self.meeting, self._selected_id(self.action_table)
        if meeting is not None and action_id is not None:
            self._run(lambda: meeting.remove_action(action_id))

    def _remove_target(self) -> None:
        meeting, target_id = self.meeting, self._selected_id(self.targets)
        if meeting is not None and target_id is not None:
            self._run(lambda: meeting.remove_target(target_id))

    def _set_active(self, on: bool) -> None:
        meeting = self.meeting
        if meeting is not None:
            self._run(lambda: meeting.set_plan_active(on))

    def clear(self) -> None:
        self.meeting = None
        for table in (self.targets, self.action_table):
            table.setRowCount(0)
        for combo in (self.target_item, self.target_option):
            combo.clear()
        self.action_text.clear()
        self.action_owner.clear()
        self.message.clear()
