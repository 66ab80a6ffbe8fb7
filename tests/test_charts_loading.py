"""matplotlib's first import from two threads at once (the meeting view's warm-up thread and the Charts tab,
or a summary PDF on a worker). Each case runs in a fresh interpreter: the race only exists before matplotlib
is loaded."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

RACE = textwrap.dedent("""
    import sys, threading, time
    delay, guarded = float(sys.argv[1]), sys.argv[2] == "guarded"
    from neglect_tool.charts.loading import load_matplotlib
    errors = []

    def first():
        try:
            load_matplotlib() if guarded else __import__("matplotlib.figure")
        except Exception as exc:
            errors.append(repr(exc))

    def second():  # what the Charts tab's canvas import asks for first
        time.sleep(delay)
        try:
            load_matplotlib("matplotlib.transforms") if guarded else __import__("matplotlib.transforms")
        except Exception as exc:
            errors.append(repr(exc))

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(errors[0] if errors else "ok")
""")


def _race(delay: float, mode: str) -> str:
    done = subprocess.run([sys.executable, "-c", RACE, str(delay), mode], capture_output=True, text=True,
                          timeout=120, check=True)
    return done.stdout.strip()


def test_unguarded_imports_do_race_so_the_test_can_see_it() -> None:
    """The failure the lock prevents is real in this Python and matplotlib (if a future version fixes it,
    this test says so rather than letting the next one pass vacuously)."""
    outcomes = [_race(delay, "bare") for delay in (0.01, 0.03, 0.05)]
    if all(o == "ok" for o in outcomes):
        pytest.skip("this matplotlib no longer races on its first import")
    assert any("partially initialized module" in o for o in outcomes), outcomes


@pytest.mark.parametrize("delay", [0.0, 0.01, 0.03, 0.05, 0.1])
def test_guarded_first_imports_never_see_a_half_loaded_matplotlib(delay: float) -> None:
    assert _race(delay, "guarded") == "ok"
