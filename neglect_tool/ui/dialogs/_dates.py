"""Date fields for the dialogs: UK day/month/year, a calendar pop-up, and a visible "Not set" state."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDateEdit, QWidget

UK_DATE_FORMAT = "dd/MM/yyyy"


def to_qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def to_date(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


class DateEdit(QDateEdit):
    """A QDateEdit that takes dates typed the way people type them, and that Tab leaves.

    Two fixes to Qt's own: after two digits Qt moves on to the next part by itself, and a "/" typed just
    then (as in 12/04/2021) garbles the date, so that "/" is dropped; and Qt moves Tab between day, month
    and year, or in the "special value" state (our "Not set") swallows it altogether, a keyboard trap, so
    Tab leaves the field as it leaves every other. The arrow keys still move between the parts.
    """

    _SEPARATORS = frozenset("/.-")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._moved_on_by_itself = False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            forward = event.key() == Qt.Key.Key_Tab and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            QWidget.focusNextPrevChild(self, forward)
            event.accept()
            return
        if event.text() in self._SEPARATORS and event.text() and self._moved_on_by_itself:
            self._moved_on_by_itself = False
            event.accept()
            return
        section = self.currentSection()
        super().keyPressEvent(event)
        self._moved_on_by_itself = event.text().isdigit() and self.currentSection() != section


def date_edit(earliest: dt.date, latest: dt.date, value: dt.date) -> DateEdit:
    edit = DateEdit()
    edit.setDisplayFormat(UK_DATE_FORMAT)
    edit.setCalendarPopup(True)
    edit.setDateRange(to_qdate(earliest), to_qdate(latest))
    edit.setDate(to_qdate(value))
    return edit


class OptionalDateEdit(DateEdit):
    """A date field that starts "Not set" instead of on a plausible but wrong date (today, say).

    The minimum date stands for "not set" and is shown as that text. Qt cannot type over the text, so
    the first digit typed first moves the field onto a real date (1 January of a leap year, so every day
    and month can be typed) with the day selected; the calendar opens on the current month.
    """

    # A leap year with a 31-day January: typing 29/02 or 31/01 is never clipped along the way.
    _TYPING_START = QDate(2000, 1, 1)

    def __init__(self, earliest: dt.date, latest: dt.date, value: dt.date | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDisplayFormat(UK_DATE_FORMAT)
        self.setCalendarPopup(True)
        self._unset = to_qdate(earliest).addDays(-1)
        self.setDateRange(self._unset, to_qdate(latest))
        self.setSpecialValueText("Not set")
        self.setDate(to_qdate(value) if value else self._unset)
        self.calendarWidget().installEventFilter(self)

    def value(self) -> dt.date | None:
        return None if self.date() == self._unset else to_date(self.date())

    def set_value(self, value: dt.date | None) -> None:
        self.setDate(to_qdate(value) if value else self._unset)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.date() == self._unset and event.text().isdigit():
            self.setDate(self._TYPING_START)
            self.setCurrentSection(QDateEdit.Section.DaySection)
            self.setSelectedSection(QDateEdit.Section.DaySection)
        super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and self.date() == self._unset:
            today = QDate.currentDate()
            self.calendarWidget().setCurrentPage(today.year(), today.month())
        return super().eventFilter(watched, event)
