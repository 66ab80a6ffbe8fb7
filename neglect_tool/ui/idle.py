"""Idle auto-lock: any keyboard, mouse or touch input restarts a timer; when it runs out, the app locks.

Also locks when the desktop session locks or the machine is about to sleep, where the platform says so
(logind's PrepareForSleep/Lock over D-Bus on Linux; the application going inactive is NOT used, because a
health visitor switching to her calendar is not leaving the laptop).
"""

from __future__ import annotations

import os
from collections.abc import Callable

from PySide6.QtCore import SLOT, QEvent, QObject, QTimer, Slot

_INPUT_EVENTS = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel,
    QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TabletPress,
})


class IdleLock(QObject):
    """Watches the whole application's input (as an event filter) and calls `lock` after `timeout_ms`."""

    def __init__(self, lock: Callable[[], None], timeout_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = lock
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._fire)
        self.set_timeout(timeout_ms)

    def set_timeout(self, timeout_ms: int) -> None:
        self._timer.setInterval(max(1, int(timeout_ms)))

    @property
    def timeout_ms(self) -> int:
        return self._timer.interval()

    def arm(self) -> None:
        """Start watching (after an unlock)."""
        self._timer.start()

    def disarm(self) -> None:
        self._timer.stop()

    @property
    def armed(self) -> bool:
        return self._timer.isActive()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT_EVENTS and self._timer.isActive():
            self._timer.start()
        return False

    def _fire(self) -> None:
        self._lock()


def connect_system_lock_signals(lock: Callable[[], None]) -> bool:
    """Lock when the desktop locks the screen or the machine goes to sleep (Linux, over D-Bus): logind's
    PrepareForSleep and its session's Lock signal (loginctl lock-session, most lock screens), and the screen
    saver's ActiveChanged under both the freedesktop (KDE and others) and the GNOME names. False if none
    could be connected. Windows and macOS send no such signal to Qt: there the idle lock is what applies."""
    try:
        from PySide6.QtDBus import QDBusConnection
    except ImportError:  # pragma: no cover - QtDBus is missing on some builds
        return False
    relay = _SystemLockRelay(lock)
    # The slot is the str that SLOT() returns: PySide6's stubs say bytes, but the binding refuses bytes
    # with a ValueError (which broke every unlock on a Linux desktop; tests/test_ui_system_lock.py).
    ok = False
    bus = QDBusConnection.systemBus()
    if bus.isConnected():
        ok = bus.connect("org.freedesktop.login1", "/org/freedesktop/login1", "org.freedesktop.login1.Manager",
                         "PrepareForSleep", relay, SLOT("on_sleep(bool)"))  # type: ignore[call-overload]
        session_path = logind_session_path(os.environ.get("XDG_SESSION_ID", ""))
        if session_path:  # this process's own session, not any session on the machine
            ok = bus.connect("org.freedesktop.login1", session_path, "org.freedesktop.login1.Session", "Lock",
                             relay, SLOT("on_lock()")) or ok  # type: ignore[call-overload]
    session_bus = QDBusConnection.sessionBus()
    if session_bus.isConnected():
        for service in ("org.freedesktop.ScreenSaver", "org.gnome.ScreenSaver"):
            ok = session_bus.connect("", "", service, "ActiveChanged", relay,
                                     SLOT("on_screensaver(bool)")) or ok  # type: ignore[call-overload]
    _keep.append(relay)
    return bool(ok)


def logind_session_path(session_id: str) -> str:
    """logind's object path for a session id, escaped as logind escapes it ("2" -> ".../session/_32")."""
    if not session_id:
        return ""
    escaped = "".join(ch if ch.isascii() and ch.isalnum() and not (n == 0 and ch.isdigit()) else f"_{ord(ch):02x}"
                      for n, ch in enumerate(session_id))
    return f"/org/freedesktop/login1/session/{escaped}"


_keep: list[QObject] = []


class _SystemLockRelay(QObject):
    def __init__(self, lock: Callable[[], None]) -> None:
        super().__init__()
        self._lock = lock

    @Slot(bool)
    def on_sleep(self, going_to_sleep: bool) -> None:
        if going_to_sleep:
            self._lock()

    @Slot(bool)
    def on_screensaver(self, active: bool) -> None:
        if active:
            self._lock()

    @Slot()
    def on_lock(self) -> None:
        self._lock()
