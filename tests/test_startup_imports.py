"""Start-up hygiene: the entry module and the unlock screen load no heavy library (they load when needed)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

HEAVY = ("numpy", "matplotlib", "reportlab", "pikepdf", "pypdf")

CHILD = """
import sys
from pathlib import Path
import neglect_tool.main
assert neglect_tool.main._wants_gui(["--store", sys.argv[1]]) and not neglect_tool.main._wants_gui(["demo"])
from neglect_tool.ui.app import build_window, new_application
app = new_application()
window = build_window(app, Path(sys.argv[1]))
app.processEvents()
assert window.stack.currentWidget() is window.unlock, "not on the unlock screen"
heavy = sys.argv[2].split(",") + ["neglect_tool.cli"]
loaded = [m for m in heavy if m in sys.modules]
# PySide6 builds its Qt namespace (every enum in it, ~40 ms) the first time anything touches it
if "Qt" in vars(sys.modules["PySide6.QtCore"]):
    loaded.append("the PySide6.QtCore.Qt namespace")
if "QStyle" in vars(sys.modules["PySide6.QtWidgets"]):  # its enums are built when a QStyle reaches Python
    loaded.append("the QStyle class")
assert app.style().name().lower() == "fusion", app.style().name()
print(",".join(loaded))
"""


def test_showing_the_unlock_screen_imports_no_heavy_library(tmp_path: Path) -> None:
    store = tmp_path / "store.ntdb"
    store.write_bytes(os.urandom(4096))  # any existing file: the app shows the unlock screen for it
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", CHILD, str(store), ",".join(HEAVY)], env=env, text=True,
                         capture_output=True, timeout=120, check=True)
    assert out.stdout.strip() == "", f"imported at start-up: {out.stdout.strip()}"


def test_system_lock_relay_locks_on_sleep_and_screensaver() -> None:
    from neglect_tool.ui.idle import _SystemLockRelay

    calls: list[str] = []
    relay = _SystemLockRelay(lambda: calls.append("lock"))
    relay.on_sleep(False)
    relay.on_screensaver(False)
    assert calls == []
    relay.on_sleep(True)
    relay.on_screensaver(True)
    assert calls == ["lock", "lock"]


def test_self_test_visits_every_screen(tmp_path: Path) -> None:
    """The self-test the frozen build runs: unlock, case, comparison with charts, shortcuts, lock."""
    store = tmp_path / "demo.ntdb"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "NEGLECT_TOOL_PASSPHRASE": "demo-only-synthetic-data"}
    subprocess.run([sys.executable, "-m", "neglect_tool", "--store", str(store), "demo"], env=env, check=True,
                   capture_output=True, timeout=120)
    out = subprocess.run([sys.executable, "-m", "neglect_tool", "--store", str(store), "--self-test"], env=env,
                         text=True, capture_output=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "self-test passed" in out.stdout and "comparison with charts" in out.stdout
