"""Light and dark palettes on the Fusion style, so the app looks the same on every desktop.

Colours carry meaning in this app (answers, disagreements), so each palette is checked for contrast and
every coloured mark also has a symbol or text: nothing is told by colour alone.
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory


class ThemeChoice(StrEnum):
    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"


_DARK = {
    QPalette.ColorRole.Window: "#202124",
    QPalette.ColorRole.WindowText: "#e8eaed",
    QPalette.ColorRole.Base: "#17181a",
    QPalette.ColorRole.AlternateBase: "#26282b",
    QPalette.ColorRole.ToolTipBase: "#303134",
    QPalette.ColorRole.ToolTipText: "#e8eaed",
    QPalette.ColorRole.PlaceholderText: "#9aa0a6",
    QPalette.ColorRole.Text: "#e8eaed",
    QPalette.ColorRole.Button: "#2d2f33",
    QPalette.ColorRole.ButtonText: "#e8eaed",
    QPalette.ColorRole.BrightText: "#ffb4ab",
    QPalette.ColorRole.Highlight: "#8ab4f8",
    QPalette.ColorRole.HighlightedText: "#0b1a33",
    QPalette.ColorRole.Link: "#8ab4f8",
}

_LIGHT = {
    QPalette.ColorRole.Window: "#f6f7f9",
    QPalette.ColorRole.WindowText: "#1b1c1e",
    QPalette.ColorRole.Base: "#ffffff",
    QPalette.ColorRole.AlternateBase: "#eef1f5",
    QPalette.ColorRole.ToolTipBase: "#ffffff",
    QPalette.ColorRole.ToolTipText: "#1b1c1e",
    QPalette.ColorRole.PlaceholderText: "#6b7078",
    QPalette.ColorRole.Text: "#1b1c1e",
    QPalette.ColorRole.Button: "#e9ecf0",
    QPalette.ColorRole.ButtonText: "#1b1c1e",
    QPalette.ColorRole.BrightText: "#b3261e",
    QPalette.ColorRole.Highlight: "#1a5fb4",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.Link: "#1a5fb4",
}


FUSION_SET = "neglectToolFusionStyle"  # a QApplication property: the Fusion style is in place


def palette_for(dark: bool) -> QPalette:
    palette = QPalette()
    for role, colour in (_DARK if dark else _LIGHT).items():
        palette.setColor(role, QColor(colour))
    disabled = QColor("#7d8187" if dark else "#9a9ea5")
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText, QPalette.ColorRole.WindowText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return palette


def system_prefers_dark() -> bool:
    """Whether the desktop uses a dark colour scheme."""
    app = QGuiApplication.instance()
    if app is not None and app.property("darkTheme") is None:
        # Before the app sets a palette of its own, the palette is the platform theme's, which follows the OS
        # scheme. Asking QStyleHints.colorScheme() instead would make PySide6 build its whole Qt namespace
        # (every enum in it, ~40 ms) on the start-up path.
        palette = QGuiApplication.palette()
        return palette.color(QPalette.ColorRole.Window).lightness() < palette.color(
            QPalette.ColorRole.WindowText).lightness()
    hints = QGuiApplication.styleHints()
    return bool(hints.colorScheme() == hints.colorScheme().Dark)


def apply_theme(app: QApplication, choice: ThemeChoice | str) -> bool:
    """Apply a palette; returns True when the dark one is in use."""
    choice = ThemeChoice(choice)
    dark = system_prefers_dark() if choice is ThemeChoice.SYSTEM else choice is ThemeChoice.DARK
    if not app.property(FUSION_SET):  # already so when the app was started by new_application()
        app.setStyle(QStyleFactory.create("Fusion"))
        app.setProperty(FUSION_SET, True)
    app.setPalette(palette_for(dark))
    app.setProperty("darkTheme", dark)
    return dark


def is_dark(app: QApplication | None = None) -> bool:
    instance = app or QApplication.instance()
    return bool(instance.property("darkTheme")) if instance is not None else False
