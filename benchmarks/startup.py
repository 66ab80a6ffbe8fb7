"""Cold start of the app beside a minimal PySide6 window measured in the same run, and unlock to case list.

    python -m benchmarks.startup [--runs 7] [--json OUT]

Each start is a fresh Python process (cold imports; the OS file cache is warm after the first run, for both
sides alike). The time is from spawning the process to the window's first paint having been processed, as
reported by the child; peak memory (VmHWM) is read by the child at the same moment. Target: the app's
start <= 1.5x the minimal window's, and its memory <= 1.5x.

Peak memory with charts: the app's own self-test (unlock the demo store, open a case, its comparison with
the charts drawn, lock) against a minimal window showing the same kinds of matplotlib charts bare; the peak
resident size of each whole process, from the kernel's accounting when it exits (no target; reported).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_REPORT = """
def _report():
    import time as _t
    hwm = 0
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                hwm = int(line.split()[1])
    heavy = [m for m in ("numpy", "matplotlib", "reportlab", "pikepdf") if m in sys.modules]
    print("READY", hwm, ",".join(heavy), flush=True)
"""

MINIMAL = _REPORT + """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setCentralWidget(QLabel("Hello"))
window.resize(1180, 760)
window.show()
QTimer.singleShot(0, lambda: (_report(), app.quit()))
app.exec()
"""

APP = _REPORT + """
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from neglect_tool.ui.app import build_window, new_application
app = new_application()  # as the app's own start does
window = build_window(app, Path(sys.argv[1]))
QTimer.singleShot(0, lambda: (_report(), app.quit()))
app.exec()
"""


def _start(code: str, *args: str) -> tuple[float, int, str]:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("READY"):
            elapsed = time.perf_counter() - t0
            parts = line.split()
            proc.wait()
            return elapsed, int(parts[1]), parts[2] if len(parts) > 2 else ""
    raise RuntimeError(f"child exited with {proc.wait()} before its window was ready")


FLOOR_CHARTS = """
import sys
import numpy as np
from PySide6.QtWidgets import QApplication, QMainWindow, QTabWidget
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
app = QApplication(sys.argv[:1])
window = QMainWindow()
tabs = QTabWidget()
window.setCentralWidget(tabs)
sections, raters = 9, 6
radar = Figure(figsize=(7, 6.4))
ax = radar.add_subplot(projection="polar")
angles = np.linspace(0, 2 * np.pi, sections, endpoint=False)
for r in range(raters):
    ax.plot(angles, np.random.default_rng(r).uniform(0, 3, sections))
bars = Figure(figsize=(7, 6.4))
bx = bars.add_subplot()
bottom = np.zeros(sections)
for k in range(4):
    values = np.random.default_rng(10 + k).uniform(1, 5, sections)
    bx.barh(range(sections), values, left=bottom)
    bottom += values
trend = Figure(figsize=(7, 6.4))
trend.add_subplot().plot(range(4), [2.1, 1.8, 1.6, 1.2], marker="o")
for name, figure in (("radar", radar), ("bars", bars), ("trend", trend)):
    tabs.addTab(FigureCanvasQTAgg(figure), name)
window.resize(1180, 760)
window.show()
for i in range(tabs.count()):
    tabs.setCurrentIndex(i)
    tabs.currentWidget().draw()
    app.processEvents()
with open("/proc/self/status") as fh:
    status = {line.split(":")[0]: line.split()[1] for line in fh if line.startswith(("VmHWM:", "VmRSS:"))}
print("HWM", status["VmHWM"], status["VmRSS"])
"""


APP_SELF_TEST = """
import atexit, runpy, sys
def _hwm():
    with open("/proc/self/status") as fh:
        status = {line.split(":")[0]: line.split()[1] for line in fh if line.startswith(("VmHWM:", "VmRSS:"))}
    sys.__stdout__.write(f"HWM {status['VmHWM']} {status['VmRSS']}\\n")
    sys.__stdout__.flush()
atexit.register(_hwm)
sys.argv = ["neglect_tool", "--store", sys.argv[1], "--self-test"]
runpy.run_module("neglect_tool", run_name="__main__")
"""


def _peak_rss_mib(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """The child's own peak resident size and its resident size at the end (VmHWM, VmRSS, printed as it
    exits). Not ru_maxrss from wait4: Linux carries the parent's peak into a forked child, and this parent
    has run Argon2id (256 MiB)."""
    out = subprocess.run(args, env=env, text=True, capture_output=True, timeout=300)
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:3])} ... exited with {out.returncode}: {out.stderr[-500:]}")
    fields = next(line for line in out.stdout.splitlines() if line.startswith("HWM ")).split()
    return int(fields[1]) / 1024, int(fields[2]) / 1024


def _memory_with_charts(store: Path, passphrase: str, runs: int) -> tuple[tuple[float, float], tuple[float, float]]:
    """(floor, app), each (median peak, median resident at the end) in MiB."""
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
           "NEGLECT_TOOL_PASSPHRASE": passphrase}
    floor, app = [], []
    for _ in range(runs):
        floor.append(_peak_rss_mib([sys.executable, "-c", FLOOR_CHARTS], env))
        app.append(_peak_rss_mib([sys.executable, "-c", APP_SELF_TEST, str(store)], env))
    def med(pairs: list[tuple[float, float]]) -> tuple[float, float]:
        return statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs)
    return med(floor), med(app)


def _unlock_to_case_list(store: Path, passphrase: str) -> tuple[float, float]:
    """(unlock incl. key derivation, case list filled) in seconds, in this process."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from neglect_tool.services.session import Session
    from neglect_tool.ui.screens.case_list import CaseListScreen

    app = QApplication.instance() or QApplication(sys.argv[:1])
    t0 = time.perf_counter()
    session = Session.unlock(store, passphrase)
    t1 = time.perf_counter()
    screen = CaseListScreen(search=session.cases)
    screen.show()
    screen.refresh()
    app.processEvents()
    t2 = time.perf_counter()
    session.lock()
    return t1 - t0, t2 - t1


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)

    from neglect_tool.services.demo_data import DEMO_PASSPHRASE
    from neglect_tool.services.session import Session

    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "demo.ntdb"
        Session.create_demo(store).lock()
        _start(MINIMAL)  # warm the file cache for both sides
        _start(APP, str(store))
        minimal, app = [], []
        for _ in range(args.runs):  # interleaved, so a machine that slows down or speeds up affects both alike
            minimal.append(_start(MINIMAL))
            app.append(_start(APP, str(store)))
        unlock = [_unlock_to_case_list(store, DEMO_PASSPHRASE) for _ in range(3)]
        (charts_floor, floor_end), (charts_app, app_end) = _memory_with_charts(store, DEMO_PASSPHRASE,
                                                                                max(1, min(3, args.runs)))

    def med(values: list[float]) -> float:
        return statistics.median(values)

    floor_t, app_t = med([m[0] for m in minimal]), med([a[0] for a in app])
    floor_mem, app_mem = med([m[1] for m in minimal]) / 1024, med([a[1] for a in app]) / 1024
    heavy = sorted({a[2] for a in app if a[2]})
    rows = [
        ("cold start to unlock screen", f"{floor_t * 1000:.0f} ms", f"{app_t * 1000:.0f} ms",
         f"{app_t / floor_t:.2f}x", "<= 1.5x"),
        ("peak memory at start", f"{floor_mem:.0f} MiB", f"{app_mem:.0f} MiB", f"{app_mem / floor_mem:.2f}x",
         "<= 1.5x"),
        ("peak memory with charts", f"{charts_floor:.0f} MiB", f"{charts_app:.0f} MiB",
         f"{charts_app / charts_floor:.2f}x", "(reported; Argon2id's 256 MiB at unlock is in the app's peak)"),
        ("resident with charts drawn (at exit)", f"{floor_end:.0f} MiB", f"{app_end:.0f} MiB",
         f"{app_end / floor_end:.2f}x", "(reported)"),
        ("unlock (Argon2id key derivation)", "", f"{med([u[0] for u in unlock]) * 1000:.0f} ms", "", "0.3-1.0 s"),
        ("unlock to case list shown", "", f"{med([u[1] for u in unlock]) * 1000:.1f} ms", "", ""),
    ]
    print(f"{'measure':36} {'floor':>10} {'app':>10} {'ratio':>7}  target")
    for name, floor, value, ratio, target in rows:
        print(f"{name:36} {floor:>10} {value:>10} {ratio:>7}  {target}")
    print(f"heavy modules imported at start: {', '.join(heavy) or 'none'}")
    if args.json:
        args.json.write_text(json.dumps({
            "start_s": {"minimal": floor_t, "app": app_t, "ratio": app_t / floor_t},
            "peak_mib": {"minimal": floor_mem, "app": app_mem, "ratio": app_mem / floor_mem},
            "peak_with_charts_mib": {"minimal": charts_floor, "app": charts_app, "ratio": charts_app / charts_floor},
            "resident_with_charts_mib": {"minimal": floor_end, "app": app_end, "ratio": app_end / floor_end},
            "unlock_s": med([u[0] for u in unlock]), "case_list_s": med([u[1] for u in unlock]),
            "heavy_modules_at_start": heavy,
        }, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
