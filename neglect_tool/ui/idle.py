"""Idle auto-lock: any keyboard, mouse or touch input restarts a timer; when it runs out, the app locks.

Also locks when the desktop session locks or the machine is about to sleep, where the platform says so
(logind's PrepareForSleep/Lock over D-Bus on Linux; the application going inactive is NOT used, because a
health visitor switching to her calendar is not leaving the laptop).
"""

from __future__ import annotations

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
    """Lock when logind reports the session locking or the machine going to sleep. False if unavailable."""
    try:
        from PySide6.QtDBus import QDBusConnection
    except ImportError:  # pragma: no cover - QtDBus is missing on some builds
        return False
    bus = QDBusConnection.systemBus()
    if not bus.isConnected():
        return False
    relay = _SystemLockRelay(lock)
    ok = bus.connect("org.freedesktop.login1", "/org/freedesktop/login1", "org.freedesktop.login1.Manager",
                     "PrepareForSleep", relay, SLOT("on_sleep(bool)").encode())
    session_bus = QDBusConnection.sessionBus()
    if session_bus.isConnected():
        ok = session_bus.connect("", "", "org.freedesktop.ScreenSaver", "ActiveChanged", relay,
                                 SLOT("on_screensaver(bool)").encode()) or ok
    _keep.append(relay)
    return bool(ok)


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
