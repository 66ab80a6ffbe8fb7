"""Starting the desktop app."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from PySide6.QtWidgets import QApplication

from .. import __version__
from ..paths import default_store_path
from .main_window import MainWindow


def run_app(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="neglect-tool")
    parser.add_argument("--store", metavar="PATH")
    args, qt_args = parser.parse_known_args(list(argv))
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0], *qt_args])
    app.setApplicationName("neglect-tool")
    app.setApplicationDisplayName("neglect_tool")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("neglect-tool")
    window = MainWindow(default_store_path(args.store))
    window.show()
    return int(app.exec())
