"""Small helpers shared by the benchmark scripts: timing, summary statistics, a plain table, JSON output.

Benchmarks are scripts, not tests: they print figures for people and write JSON for comparison over time.
"""

from __future__ import annotations

import json
import math
import os
import platform
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class Timing:
    """Wall-clock samples of one operation, in milliseconds."""

    name: str
    samples_ms: tuple[float, ...]
    target_ms: float | None = None  # the median and p95 must stay at or under this
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.samples_ms)

    @property
    def p95(self) -> float:
        return percentile(self.samples_ms, 95)

    @property
    def worst(self) -> float:
        return max(self.samples_ms)

    @property
    def met(self) -> bool | None:
        if self.target_ms is None:
            return None
        return self.p95 <= self.target_ms

    def as_dict(self) -> dict[str, Any]:
        return {
            "runs": len(self.samples_ms), "median_ms": round(self.median, 3), "p95_ms": round(self.p95, 3),
            "max_ms": round(self.worst, 3), "target_ms": self.target_ms, "target_met": self.met, "note": self.note,
        }


def percentile(samples: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (no interpolation: the value is one that was really measured)."""
    ordered = sorted(samples)
    rank = max(1, min(len(ordered), math.ceil(pct / 100 * len(ordered))))
    return ordered[rank - 1]


def time_ms(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def machine() -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpus": os.cpu_count(),
    }


def print_table(title: str, timings: Sequence[Timing]) -> None:
    print(f"\n{title}")
    header = f"{'operation':<48}{'runs':>6}{'median ms':>12}{'p95 ms':>10}{'max ms':>10}{'target':>10}  result"
    print(header)
    print("-" * len(header))
    for t in timings:
        target = f"<= {t.target_ms:g}" if t.target_ms is not None else ""
        verdict = {None: "", True: "met", False: "MISSED"}[t.met]
        print(f"{t.name:<48}{len(t.samples_ms):>6}{t.median:>12.2f}{t.p95:>10.2f}{t.worst:>10.2f}{target:>10}  "
              f"{verdict}")
        if t.note:
            print(f"    {t.note}")


def write_json(out_dir: Path, name: str, payload: dict[str, Any]) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / name
    path.write_text(json.dumps(payload, indent=2, sort_keys=False) + "\n", encoding="utf-8")
    return path
