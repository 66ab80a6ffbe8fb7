"""The user's preferences. Nothing here is child data; the caller saves the result."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QSpinBox, QWidget

from ...services.settings import IDLE_LOCK_MINUTES_RANGE, RETENTION_MONTHS_RANGE, Settings, Theme
from ._base import NotAccepted, RecordDialog, plain_label


def _spin(bounds: tuple[int, int], value: int, suffix: str) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(*bounds)
    spin.setValue(value)
    spin.setSuffix(suffix)
    return spin


class SettingsDialog(RecordDialog):
    def __init__(self, parent: QWidget | None, settings: Settings) -> None:
        super().__init__(parent, "Settings")
        self._result: Settings | None = None
        self.idle_minutes = _spin(IDLE_LOCK_MINUTES_RANGE, settings.idle_lock_minutes, " minutes")
        self.initials_only = QCheckBox("Show &initials instead of names when the app starts")
        self.initials_only.setChecked(settings.initials_only_by_default)
        self.theme = QComboBox()
        for theme in Theme:
            self.theme.addItem(theme.label, theme.value)
        self.theme.setCurrentIndex(self.theme.findData(settings.theme.value))
        self.retention = _spin(RETENTION_MONTHS_RANGE, settings.closed_case_retention_months, " months")

        self.add_field("&Lock after", self.idle_minutes, accessible_name="Lock after this many idle minutes",
                       help_text="The store locks itself after this long without keyboard or mouse use.")
        self.add_wide(self.initials_only, accessible_name="Show initials instead of names by default")
        self.add_field("&Theme", self.theme)
        self.add_field("&Keep closed cases for", self.retention,
                       accessible_name="Keep closed cases for this many months",
                       help_text="How long closed cases are kept before they are due for deletion.")
        note = plain_label("Settings hold preferences only, never anything about a child or family.")
        note.setObjectName("settingsNote")
        self.form.addRow(note)
        self.finish_layout()

    def _validate(self) -> bool:
        self._result = Settings(
            idle_lock_minutes=self.idle_minutes.value(),
            initials_only_by_default=self.initials_only.isChecked(),
            theme=Theme(self.theme.currentData()),
            closed_case_retention_months=self.retention.value(),
        )
        return True

    def result_settings(self) -> Settings:
        if self._result is None:
            raise NotAccepted("the settings dialog was not accepted")
        return self._result
