"""Light and dark palettes, and following the system's scheme both at start and after a change in settings."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from neglect_tool.ui.theme import ThemeChoice, apply_theme, is_dark, system_prefers_dark


def _window_lightness() -> int:
    return QGuiApplication.palette().color(QPalette.ColorRole.Window).lightness()


def test_dark_and_light_palettes_and_back_to_the_system_scheme(qtbot: QtBot) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.property("darkTheme")
    try:
        assert apply_theme(app, ThemeChoice.DARK) is True and is_dark(app)
        assert _window_lightness() < 100
        # the app's own dark palette must not be mistaken for the system's scheme (offscreen: not dark)
        assert system_prefers_dark() is False
        assert apply_theme(app, ThemeChoice.SYSTEM) is False and _window_lightness() > 200
        assert apply_theme(app, ThemeChoice.LIGHT) is False and not is_dark(app)
        assert _window_lightness() > 200
    finally:
        app.setProperty("darkTheme", before)
        apply_theme(app, ThemeChoice.LIGHT)


def test_before_any_theme_the_platform_palette_decides(qtbot: QtBot) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    saved = app.property("darkTheme")
    app.setProperty("darkTheme", None)
    try:
        palette = QGuiApplication.palette()
        expected = palette.color(QPalette.ColorRole.Window).lightness() < palette.color(
            QPalette.ColorRole.WindowText).lightness()
        assert system_prefers_dark() is expected
    finally:
        app.setProperty("darkTheme", saved)
