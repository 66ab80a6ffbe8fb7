"""The window: a stack of screens, the menus and the lock. Each screen is its own class; this switches them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QDialog,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QStackedWidget,
    QTextEdit,
)

from ..services.settings import Settings, load_settings, save_settings
from .idle import IdleLock
from .operations import Operations
from .screens.unlock import UnlockScreen
from .theme import apply_theme

if TYPE_CHECKING:
    import uuid

    from ..services.casework import Casework
    from ..services.session import CaseSummary, Session
    from ..services.sheet_editor import SheetEditor
    from ..services.trends import ChildTrend
    from .clipboard import ClipboardGuard
    from .help_overlay import HelpOverlay
    from .screens.case_detail import CaseDetailScreen
    from .screens.case_list import CaseListScreen
    from .screens.comparison import ComparisonScreen
    from .screens.sheet_editor import SheetEditorScreen
    from .screens.welcome import NewStoreRequest, WelcomeScreen
    from .sharing import SharingActions

WINDOW_TITLE = "neglect_tool"  # never a child's or family's name


def user_message(exc: BaseException) -> str:
    # imported when an error is shown: it pulls in the domain model, which start-up does not need
    from ..services.errors import user_message as message

    return message(exc)


class MainWindow(QMainWindow):
    """Only the unlock (or welcome) screen is built at start; the screens that show cases are built at the
    first unlock, so that start-up imports neither the store nor the forms."""

    cases: CaseListScreen
    case: CaseDetailScreen
    sheet: SheetEditorScreen
    comparison: ComparisonScreen

    def __init__(self, store_path: Path, *, session_factory: type[Session] | None = None,
                 settings: Settings | None = None) -> None:
        super().__init__()
        self.setWindowTitle(WINDOW_TITLE)
        self.resize(1180, 760)
        self._store_path = store_path
        self._session_factory = session_factory
        self.session: Session | None = None
        self.settings = settings if settings is not None else load_settings()
        self.operations = Operations(self)

        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self.welcome: WelcomeScreen | None = None
        self.unlock = UnlockScreen(store_label=store_path.name)
        self.stack.addWidget(self.unlock)
        self.unlock.unlock_requested.connect(self._unlock)
        self._work_screens_built = False

        self._help: HelpOverlay | None = None
        self._sharing: SharingActions | None = None
        # The idle lock, the clipboard guard and the system lock signals only matter once a store is open:
        # they are set up at the first unlock, which keeps them off the start-up path.
        self.idle = IdleLock(self.lock, self.settings.idle_lock_minutes * 60_000, self)
        self.clipboard_guard: ClipboardGuard | None = None
        self._guards_on = False
        self._build_menus()
        self.set_initials_only(self.settings.initials_only_by_default)
        self._restore_geometry()
        if store_path.exists():
            self.stack.setCurrentWidget(self.unlock)
        else:
            self.stack.setCurrentWidget(self._welcome_screen())

    def _start_session_guards(self) -> None:
        if self._guards_on:
            return
        # PySide6 builds the whole Qt namespace (every enum in it, ~40 ms) on first access: not at start-up.
        from PySide6.QtCore import Qt

        from .clipboard import ClipboardGuard
        from .idle import connect_system_lock_signals

        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.idle)
        self.lock_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)  # Ctrl+L from any window
        self.clipboard_guard = ClipboardGuard(parent=self)
        connect_system_lock_signals(self.lock)
        self._guards_on = True

    def _sessions(self) -> type[Session]:
        if self._session_factory is None:
            from ..services.session import Session

            self._session_factory = Session
        return self._session_factory

    def _welcome_screen(self) -> WelcomeScreen:
        if self.welcome is None:
            from .screens.welcome import WelcomeScreen

            self.welcome = WelcomeScreen()
            self.stack.addWidget(self.welcome)
            self.welcome.demo_requested.connect(self._open_demo)
            self.welcome.create_requested.connect(self._create_store)
        return self.welcome

    def _build_work_screens(self) -> None:
        """The screens that show cases, built once at the first unlock."""
        if self._work_screens_built:
            return
        from .screens.case_detail import CaseDetailScreen
        from .screens.case_list import CaseListScreen
        from .screens.comparison import ComparisonScreen
        from .screens.sheet_editor import SheetEditorScreen

        self.cases = CaseListScreen(search=self._search_cases)
        self.cases.model.trends = self._family_trends
        self.case = CaseDetailScreen(casework=self._casework)
        self.sheet = SheetEditorScreen()
        self.comparison = ComparisonScreen(casework=self._casework)
        for screen in (self.cases, self.case, self.sheet, self.comparison):
            self.stack.addWidget(screen)
        self.case.compare_requested.connect(self.open_comparison)
        self.case.erased.connect(self._back_to_cases)
        self.case.retention_months = self.settings.closed_case_retention_months
        self.comparison.back_requested.connect(self._leave_comparison)
        self.comparison.meeting_mode_changed.connect(self._meeting_mode)
        self.cases.case_activated.connect(self._open_case)
        self.case.back_requested.connect(self._back_to_cases)
        self.case.sheet_opened.connect(self._open_sheet)
        self.sheet.closed.connect(self._back_to_case)
        self.sheet.submitted.connect(lambda _sheet: self.case.show_case(self.case.case.family.id)
                                     if self.case.case else None)
        self.sheet.amend_requested.connect(self.case.amend)
        self._work_screens_built = True
        self.set_initials_only(self.privacy_action.isChecked())

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.lock_action = self._action("&Lock", "Ctrl+L", self.lock)  # application-wide once unlocked
        self.settings_action = self._action("&Settings…", "Ctrl+,", self.edit_settings)
        file_menu.addAction(self.lock_action)
        file_menu.addAction(self.settings_action)
        file_menu.addSeparator()
        self.erase_all_action = self._action("Erase everything on this laptop…", "", self.erase_everything)
        file_menu.addAction(self.erase_all_action)
        file_menu.addSeparator()
        file_menu.addAction(self._action("&Quit", "Ctrl+Q", self.close))
        share = self.menuBar().addMenu("&Export")
        self.export_record_action = self._action("Encrypted &record of this case…", "Ctrl+E", self._export_record)
        self.import_record_action = self._action("&Import a record…", "Ctrl+I", self._import_record)
        self.export_summary_action = self._action("Printable &summary (PDF)…", "Ctrl+P", self._export_summary)
        share.addAction(self.export_summary_action)
        self.export_sheet_action = self._action("Encrypted record of &my sheet for this round…", "",
                                                self._export_sheet)
        share.addAction(self.export_record_action)
        share.addAction(self.export_sheet_action)
        share.addAction(self.import_record_action)
        self.export_menu = share
        view = self.menuBar().addMenu("&View")
        self.privacy_action: QAction = self._action("&Initials only (privacy)", "Ctrl+Shift+I",
                                                    lambda: self.set_initials_only(self.privacy_action.isChecked()))
        self.privacy_action.setCheckable(True)
        view.addAction(self.privacy_action)
        help_menu = self.menuBar().addMenu("&Help")
        self.help_action = self._action("&Keyboard shortcuts", "F1", lambda: self.help.toggle())
        help_menu.addAction(self.help_action)
        question = self._action("Keyboard shortcuts (?)", "?", self._question_mark)
        self.addAction(question)

    def _action(self, text: str, keys: str, slot: object) -> QAction:
        action = QAction(text, self)
        # setShortcuts, not setShortcut: resolving setShortcut's overloads makes PySide6 build its whole Qt
        # namespace (every enum in it, ~40 ms) on the start-up path.
        action.setShortcuts([QKeySequence(keys)] if keys else [])
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    @property
    def help(self) -> HelpOverlay:
        """The shortcut overlay, built the first time it is asked for."""
        if self._help is None:
            from .help_overlay import HelpOverlay

            self._help = HelpOverlay(self)
        return self._help

    def _question_mark(self) -> None:
        # "?" opens help only where it cannot be text being typed
        if not self._work_screens_built:
            return
        current = self.stack.currentWidget()
        typing = isinstance(QApplication.focusWidget(), QLineEdit | QPlainTextEdit | QTextEdit | QAbstractSpinBox)
        if current in (self.cases, self.case, self.sheet, self.comparison) and not typing:
            self.help.toggle()

    # --- transitions -------------------------------------------------------------------------------

    def _open_demo(self) -> None:
        self._welcome_screen().set_busy("Building the demo store…")
        path, sessions = self._store_path, self._sessions()
        self.operations.run(lambda: sessions.create_demo(path), self._unlocked, self._welcome_failed)

    def _create_store(self, request: NewStoreRequest) -> None:
        self._welcome_screen().set_busy("Creating your encrypted store…")
        path, sessions = self._store_path, self._sessions()
        self.operations.run(
            lambda: sessions.create(
                path, request.passphrase, owner_name=request.owner_name, owner_role=request.owner_role,
                owner_agency=request.owner_agency,
            ),
            self._unlocked,
            self._welcome_failed,
        )

    def _welcome_failed(self, exc: Exception) -> None:
        welcome = self._welcome_screen()
        welcome.set_busy("")
        welcome.show_error(user_message(exc))

    def _unlock(self, passphrase: str) -> None:
        path, sessions = self._store_path, self._sessions()
        self.operations.run(
            lambda: sessions.unlock(path, passphrase),
            self._unlocked,
            lambda exc: self.unlock.unlock_failed(user_message(exc)),
        )

    def _unlocked(self, session: object) -> None:
        from ..services.session import Session

        assert isinstance(session, Session)
        self.session = session
        if self.welcome is not None:
            self.welcome.set_busy("")
            self.welcome.clear_secrets()
        self.unlock.reset()
        self._build_work_screens()
        self._start_session_guards()
        self._back_to_cases()
        self.idle.arm()

    def _casework(self) -> Casework:
        if self.session is None:
            from ..storage.errors import StoreError

            raise StoreError("The store is locked.")
        return self.session.casework

    def _search_cases(self, text: str) -> list[CaseSummary]:
        return self.session.cases(text) if self.session and self.session.is_open else []

    def _remind_retention(self) -> None:
        """Closed cases past the retention period: say so on the case list, every time it is shown."""
        if self.session is None:
            return
        due = self._casework().retention_due(self.settings.closed_case_retention_months)
        if due:
            refs = ", ".join(v.case_ref for v in due)
            self.cases.status.setText(f"{self.cases.status.text()} · Retention: {len(due)} closed case"
                                      f"{'s are' if len(due) != 1 else ' is'} past the retention period ({refs}): "
                                      "file the summary in the official record, then erase the local copy.")

    def erase_everything(self, confirmation: str | None = None) -> bool:
        """For a leaver: lock, then remove the store, its backups and the settings, after typed confirmation."""
        from PySide6.QtWidgets import QInputDialog, QMessageBox

        from ..services.erase_all import CONFIRM_PHRASE, erase_all, plan_erase_all

        if confirmation is None:
            text, ok = QInputDialog.getText(
                self, "Erase everything on this laptop",
                "This removes your encrypted store, its backups and the app's settings from this laptop. "
                "Records you exported and PDFs you saved elsewhere are not touched.\n\n"
                f"Type \"{CONFIRM_PHRASE}\" to confirm:")
            if not ok:
                return False
            confirmation = text
        if confirmation.strip() != CONFIRM_PHRASE:
            self.statusBar().showMessage("The confirmation did not match; nothing was erased.", 10_000)
            return False
        self.lock()
        report = erase_all(confirmation.strip(), plan_erase_all(self._store_path))
        self._erased = True  # closing must not write the window geometry back into the erased settings
        self.erase_report = QMessageBox(QMessageBox.Icon.Information, "Erased", "\n".join(report.lines()))
        self.erase_report.open()  # outlives the window, which closes now
        self.close()
        return True

    def _family_trends(self, family_id: uuid.UUID) -> list[ChildTrend]:
        from ..services.trends import family_trends

        return family_trends(self.session.store, family_id) if self.session and self.session.is_open else []

    def _open_case(self, summary: CaseSummary) -> None:
        self.open_case(summary.family_id)

    def open_case(self, family_id: uuid.UUID) -> None:
        try:
            self.case.show_case(family_id)
        except Exception as exc:  # a case that cannot be read: say so on the list, stay there
            self.cases.status.setText(user_message(exc))
            return
        self.stack.setCurrentWidget(self.case)
        self.case.child_list.setFocus()

    def _back_to_cases(self) -> None:
        self.case.clear()
        self.cases.refresh()
        self._remind_retention()
        self.stack.setCurrentWidget(self.cases)
        self.cases.search_box.setFocus()

    def _open_sheet(self, editor: SheetEditor, heading: str) -> None:
        self.sheet.show_sheet(editor, heading)
        self.stack.setCurrentWidget(self.sheet)
        self.sheet.setFocus()

    def _back_to_case(self) -> None:
        if self.case.case is not None:
            child = self.case.selected_child()
            rnd = self.case.selected_round()
            self.case.show_case(self.case.case.family.id, child_id=child.child.id if child else None,
                                round_id=rnd.round.id if rnd else None)
        self.stack.setCurrentWidget(self.case)

    @property
    def sharing(self) -> SharingActions:
        if self._sharing is None:
            from .sharing import SharingActions

            self._sharing = SharingActions(self, self._casework, self.operations, self._after_import)
        return self._sharing

    def _current_case_ref(self) -> str | None:
        if not self._work_screens_built or self.session is None:
            return None
        if self.case.case is not None and self.stack.currentWidget() in (self.case, self.comparison, self.sheet):
            return self.case.case.family.case_ref
        selected = self.cases.table.currentIndex()
        if selected.isValid():
            return self.cases.model.case_at(self.cases.proxy.mapToSource(selected).row()).case_ref
        return None

    def _export_sheet(self) -> None:
        ref = self._current_case_ref()
        overview = self.case.selected_round() if ref is not None and self.case.case is not None else None
        sheet_id = self._casework().own_submitted_sheet(overview.round.id) if overview is not None else None
        if ref is None or sheet_id is None:
            self.statusBar().showMessage("Open a case and select a round where you have submitted your sheet.", 6000)
            return
        self.sharing.export_sheet(sheet_id, ref)

    def _export_record(self) -> None:
        ref = self._current_case_ref()
        if ref is None:
            self.statusBar().showMessage("Open or select a case first.", 5000)
            return
        self.sharing.export_case(ref)

    def _export_summary(self) -> None:
        ref = self._current_case_ref()
        if ref is None:
            self.statusBar().showMessage("Open or select a case first.", 5000)
            return
        overview = self.case.selected_round() if self.case.case is not None else None
        self.sharing.export_summary(ref, round_id=overview.round.id if overview else None)

    def _import_record(self) -> None:
        if self.session is None:
            return
        self.sharing.import_record()

    def _after_import(self) -> None:
        if self.stack.currentWidget() is self.cases:
            self.cases.refresh()
        elif self.case.case is not None:
            self._back_to_case()

    def _comparison_heading(self) -> str:
        from .privacy import child_label

        child, overview = self.case.selected_child(), self.case.selected_round()
        if child is None or overview is None:
            return ""
        rnd = overview.round
        return (f"{child_label(child.child, self.privacy_action.isChecked())} · {rnd.purpose.label}, "
                f"{rnd.held_on.strftime('%d %b %Y')}")

    def open_comparison(self, round_id: uuid.UUID) -> None:
        heading = self._comparison_heading()
        if not heading:
            return
        try:
            self.comparison.show_round(round_id, heading)
        except Exception as exc:  # blind scoring or a damaged sheet: say why on the case screen
            self.case.message.setText(user_message(exc))
            return
        self.stack.setCurrentWidget(self.comparison)
        self.comparison.table.setFocus()

    def _leave_comparison(self) -> None:
        if self.comparison.meeting_mode:
            self.comparison.set_meeting_mode(False)
        self.comparison.clear()
        self._back_to_case()

    def _meeting_mode(self, on: bool) -> None:
        """Full screen for the projector, with names as initials (the privacy switch) while it lasts."""
        if on:
            self._privacy_before_meeting = self.privacy_action.isChecked()
            self.set_initials_only(True)
            self.showFullScreen()
        else:
            self.set_initials_only(getattr(self, "_privacy_before_meeting", False))
            self.showNormal()
        self.comparison.set_heading(self._comparison_heading())

    # --- privacy, settings, lock ---------------------------------------------------------------------

    def set_initials_only(self, on: bool) -> None:
        self.privacy_action.setChecked(on)
        if self._work_screens_built:
            self.cases.set_initials_only(on)
            self.case.set_initials_only(on)
            self.comparison.set_initials_only(on)

    def edit_settings(self) -> None:
        from .dialogs.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self, self.settings)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.settings = dialog.result_settings()
        save_settings(self.settings)
        if self._work_screens_built:
            self.case.retention_months = self.settings.closed_case_retention_months
        self.idle.set_timeout(self.settings.idle_lock_minutes * 60_000)
        if self.idle.armed:
            self.idle.arm()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, self.settings.theme)

    def lock(self) -> None:
        """Close the store, forget the key and clear every screen that shows child data."""
        self.idle.disarm()
        if self._help is not None:
            self._help.hide()
        if self.clipboard_guard is not None:
            self.clipboard_guard.clear_if_ours()
        if self.session is None:
            return
        if self._work_screens_built:
            self.sheet.flush()
            self.sheet.clear()
            if self.comparison.meeting_mode:
                self.comparison.set_meeting_mode(False)
            self.comparison.clear()
            self.case.clear()
            self.cases.clear()
        for widget in QApplication.topLevelWidgets():  # dialogs left open over child data
            if isinstance(widget, QDialog) and widget.isVisible():
                widget.reject()
        self.session.lock()
        self.session = None
        self.unlock.reset()
        self.stack.setCurrentWidget(self.unlock)
        self.set_initials_only(self.settings.initials_only_by_default)

    # --- window state --------------------------------------------------------------------------------

    def _restore_geometry(self) -> None:
        geometry = QSettings().value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._work_screens_built:
            self.sheet.flush()
        self.idle.disarm()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.idle)
        if not getattr(self, "_erased", False):  # after erase-all, write nothing back
            QSettings().setValue("window/geometry", self.saveGeometry())
        self.operations.wait()
        if self.session is not None:
            self.session.lock()
        super().closeEvent(event)
