"""The window: a stack of screens and the lock. Each screen is its own class; this only switches them."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QMainWindow, QStackedWidget

from ..services.errors import user_message
from ..services.session import Session
from .operations import Operations
from .screens.case_list import CaseListScreen
from .screens.unlock import UnlockScreen
from .screens.welcome import NewStoreRequest, WelcomeScreen

WINDOW_TITLE = "neglect_tool"  # never a child's or family's name


class MainWindow(QMainWindow):
    def __init__(self, store_path: Path, *, session_factory: type[Session] = Session) -> None:
        super().__init__()
        self.setWindowTitle(WINDOW_TITLE)
        self.resize(1100, 720)
        self._store_path = store_path
        self._sessions = session_factory
        self.session: Session | None = None
        self.operations = Operations(self)

        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self.welcome = WelcomeScreen()
        self.unlock = UnlockScreen(store_label=store_path.name)
        self.cases = CaseListScreen(search=self._search_cases)
        for screen in (self.welcome, self.unlock, self.cases):
            self.stack.addWidget(screen)

        self.welcome.demo_requested.connect(self._open_demo)
        self.welcome.create_requested.connect(self._create_store)
        self.unlock.unlock_requested.connect(self._unlock)

        lock = QAction("Lock", self)
        lock.setShortcut(QKeySequence("Ctrl+L"))
        lock.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        lock.triggered.connect(self.lock)
        self.addAction(lock)
        self.lock_action = lock

        self.stack.setCurrentWidget(self.unlock if store_path.exists() else self.welcome)

    # --- transitions -------------------------------------------------------------------------------

    def _open_demo(self) -> None:
        self.welcome.set_busy("Building the demo store…")
        path = self._store_path
        self.operations.run(lambda: self._sessions.create_demo(path), self._unlocked, self._welcome_failed)

    def _create_store(self, request: NewStoreRequest) -> None:
        self.welcome.set_busy("Creating your encrypted store…")
        path = self._store_path
        self.operations.run(
            lambda: self._sessions.create(
                path, request.passphrase, owner_name=request.owner_name, owner_role=request.owner_role,
                owner_agency=request.owner_agency,
            ),
            self._unlocked,
            self._welcome_failed,
        )

    def _welcome_failed(self, exc: Exception) -> None:
        self.welcome.set_busy("")
        self.welcome.show_error(user_message(exc))

    def _unlock(self, passphrase: str) -> None:
        path = self._store_path
        self.operations.run(
            lambda: self._sessions.unlock(path, passphrase),
            self._unlocked,
            lambda exc: self.unlock.unlock_failed(user_message(exc)),
        )

    def _unlocked(self, session: object) -> None:
        assert isinstance(session, Session)
        self.session = session
        self.welcome.set_busy("")
        self.welcome.clear_secrets()
        self.unlock.reset()
        self.cases.refresh()
        self.stack.setCurrentWidget(self.cases)
        self.cases.search_box.setFocus()

    def _search_cases(self, text: str) -> list:  # type: ignore[type-arg]
        return self.session.cases(text) if self.session and self.session.is_open else []

    def lock(self) -> None:
        """Close the store, forget the key and clear every screen that shows child data."""
        if self.session is None:
            return
        self.cases.clear()
        self.session.lock()
        self.session = None
        self.unlock.reset()
        self.stack.setCurrentWidget(self.unlock)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.operations.wait()
        if self.session is not None:
            self.session.lock()
        super().closeEvent(event)
