"""The app locks when the desktop's screen saver says the screen is locked: a private D-Bus session bus,
the signal sent by `dbus-send` as GNOME and KDE send it, and the app's real connection receiving it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

CHILD = textwrap.dedent("""
    import sys
    from PySide6.QtCore import QCoreApplication, QTimer
    from neglect_tool.ui.idle import connect_system_lock_signals

    app = QCoreApplication([])
    locked = []
    connected = connect_system_lock_signals(lambda: (locked.append(1), app.quit()))
    print("connected" if connected else "not connected", flush=True)
    QTimer.singleShot(8000, app.quit)
    app.exec()
    print("locked" if locked else "not locked", flush=True)
""")


@pytest.mark.skipif(not (shutil.which("dbus-daemon") and shutil.which("dbus-send")),
                    reason="dbus-daemon and dbus-send are not installed")
@pytest.mark.parametrize("service", ["org.gnome.ScreenSaver", "org.freedesktop.ScreenSaver"])
def test_the_screen_saver_locking_locks_the_app(tmp_path: Path, service: str) -> None:
    daemon = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address"], stdout=subprocess.PIPE,
                              text=True)
    try:
        assert daemon.stdout is not None
        address = daemon.stdout.readline().strip()
        env = {**os.environ, "DBUS_SESSION_BUS_ADDRESS": address, "QT_QPA_PLATFORM": "offscreen"}
        app = subprocess.Popen([sys.executable, "-c", CHILD], env=env, stdout=subprocess.PIPE, text=True,
                               cwd=tmp_path)
        assert app.stdout is not None
        assert app.stdout.readline().strip() == "connected"
        subprocess.run(["dbus-send", "--session", "--type=signal", f"/{service.replace('.', '/')}",
                        f"{service}.ActiveChanged", "boolean:true"], env=env, check=True, timeout=10)
        out, _ = app.communicate(timeout=20)
        assert out.strip() == "locked"
    finally:
        daemon.terminate()
        daemon.wait(timeout=10)


def test_logind_session_paths_are_escaped_as_logind_does() -> None:
    from neglect_tool.ui.idle import logind_session_path

    assert logind_session_path("2") == "/org/freedesktop/login1/session/_32"
    assert logind_session_path("c1") == "/org/freedesktop/login1/session/c1"
    assert logind_session_path("12") == "/org/freedesktop/login1/session/_312"
    assert logind_session_path("") == ""


def test_the_relay_locks_on_a_session_lock() -> None:
    from neglect_tool.ui.idle import _SystemLockRelay

    calls: list[int] = []
    _SystemLockRelay(lambda: calls.append(1)).on_lock()
    assert calls == [1]
