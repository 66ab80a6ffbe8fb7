"""Starting the desktop app."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from .. import __version__
from ..paths import default_store_path
from ..resources import resource_path
from ..services.settings import load_settings
from .main_window import MainWindow
from .theme import FUSION_SET, apply_theme


def new_application(qt_args: Sequence[str] = ()) -> QApplication:
    """The QApplication, in the Fusion style (the app's palettes are drawn for it). The style is asked for on
    Qt's command line rather than set from Python afterwards: setStyle() hands back a QStyle, and PySide6
    builds every enum of QStyle for it (10-30 ms of start-up). A `-style` the user gives still wins."""
    app = QApplication([sys.argv[0], "-style", "Fusion", *qt_args])
    app.setProperty(FUSION_SET, True)
    return app


def build_window(app: QApplication, store_path: Path) -> MainWindow:
    """The themed main window, shown, with the system lock signals connected."""
    app.setApplicationName("neglect-tool")
    app.setApplicationDisplayName("neglect_tool")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("neglect-tool")
    app.setDesktopFileName("neglect-tool")
    icon = QIcon()
    for size in (16, 32, 48, 64, 128, 256):
        icon.addFile(str(resource_path("icons", f"app-{size}.png")))
    app.setWindowIcon(icon)
    settings = load_settings()
    apply_theme(app, settings.theme)
    window = MainWindow(store_path, settings=settings)
    window.show()
    return window


def run_app(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="neglect-tool")
    parser.add_argument("--store", metavar="PATH")
    # smoke tests of the frozen build: open the window, then close it after MS milliseconds
    parser.add_argument("--quit-after", metavar="MS", type=int, help=argparse.SUPPRESS)
    # frozen builds: unlock the store (passphrase from $NEGLECT_TOOL_PASSPHRASE) and visit every screen
    parser.add_argument("--self-test", action="store_true", help=argparse.SUPPRESS)
    args, qt_args = parser.parse_known_args(list(argv))
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else new_application(qt_args)
    window = build_window(app, default_store_path(args.store))
    if args.self_test:
        from .self_test import run_self_test

        code = run_self_test(app, window, default_store_path(args.store))
        window.close()
        return code
    if args.quit_after is not None:
        QTimer.singleShot(args.quit_after, window.close)
    return int(app.exec())
