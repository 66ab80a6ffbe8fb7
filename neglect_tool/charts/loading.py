"""matplotlib's first import, made safe from two threads at once.

The meeting view warms matplotlib up on a background thread while the Charts tab may be opened on the UI
thread, and a summary PDF may be drawn on a worker. Python's per-module import locks cannot order
matplotlib's circular imports across threads: a thread that asks for `matplotlib.transforms` while
another is importing `matplotlib` is handed a half-initialised module ("cannot import name 'Transform'
from partially initialized module"; seen in the frozen build's self-test, reproduced in
`tests/test_charts_loading.py`). So every first import of matplotlib goes through one lock.
"""

from __future__ import annotations

import importlib
import threading

CORE = (
    "matplotlib",
    "matplotlib.figure",
    "matplotlib.transforms",
    "matplotlib.collections",
    "matplotlib.patches",
    "matplotlib.patheffects",
    "matplotlib.projections.polar",
    "matplotlib.backends.backend_agg",
)
_lock = threading.Lock()
_loaded: set[str] = set()


def load_matplotlib(*extra: str) -> None:
    """Import matplotlib's modules that the charts use (and `extra` ones, e.g. a canvas backend) under one
    process-wide lock; instant once they are loaded."""
    if all(name in _loaded for name in (*CORE, *extra)):
        return
    with _lock:
        for name in (*CORE, *extra):
            if name not in _loaded:
                importlib.import_module(name)
                _loaded.add(name)
