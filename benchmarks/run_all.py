"""Every benchmark in one command, then one table of the headline figures against their floors and targets.

    python -m benchmarks.run_all [--quick] [--out benchmarks/out] [--store PATH]

Each benchmark runs in its own process (cold imports, no state shared), prints its own detailed table, and
writes JSON to --out; this script then reads the JSON and prints the summary. `--quick` uses fewer runs and a
1,000-child store instead of 10,000 (for a smoke run; the README's figures come from the full run).
`--store PATH` hands PATH to store_scale: built there and kept on the first run (about 15 minutes for
10,000 children), measured again on later runs. Measuring writes a few sheets into it, so keep a pristine
copy if figures must compare across runs.
Benchmarks are scripts, not timed tests: figures depend on the machine and on what else it is doing.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

DEFAULT_OUT = Path("benchmarks/out")


def _plan(out: Path, quick: bool, store: Path | None = None) -> list[tuple[str, list[str]]]:
    runs = "3" if quick else "7"
    children = "1000" if quick else "10000"
    return [
        ("startup", ["--runs", runs, "--json", str(out / "startup.json")]),
        ("kdf_cost", ["--runs", "3" if quick else "5", "--out", str(out)]),
        ("comparison_bench", ["--runs", runs, "--json", str(out / "comparison.json")]),
        ("summary_bench", ["--runs", runs, "--out", str(out)]),
        ("exchange_bench", ["--runs", "3" if quick else "5", "--out", str(out)]),
        ("store_scale", ["--children", children, "--out", str(out), *(["--store", str(store)] if store else [])]),
    ]


def _load(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _row(name: str, floor: str, value: str, ratio: str, target: str) -> str:
    return f"{name:44} {floor:>12} {value:>12} {ratio:>8}  {target}"


def summary_rows(out: Path) -> list[str]:
    rows = []
    start = _load(out / "startup.json")
    if start:
        s, m = start["start_s"], start["peak_mib"]
        rows.append(_row("cold start to unlock screen", f"{s['minimal'] * 1000:.0f} ms", f"{s['app'] * 1000:.0f} ms",
                         f"{s['ratio']:.2f}x", "<= 1.5x the minimal window"))
        rows.append(_row("peak memory at start", f"{m['minimal']:.0f} MiB", f"{m['app']:.0f} MiB",
                         f"{m['ratio']:.2f}x", "<= 1.5x"))
        charts = start.get("peak_with_charts_mib")
        if charts:
            rows.append(_row("peak memory with charts (self-test)", f"{charts['minimal']:.0f} MiB",
                             f"{charts['app']:.0f} MiB", f"{charts['ratio']:.2f}x", "reported"))
        rows.append(_row("unlock (key derivation)", "", f"{start['unlock_s'] * 1000:.0f} ms", "", "0.3-1.0 s"))
        rows.append(_row("unlock to case list", "", f"{start['case_list_s'] * 1000:.1f} ms", "", ""))
    comparison = _load(out / "comparison.json")
    if comparison:
        ready = comparison["comparison_ready_ms"]
        rows.append(_row(f"comparison view ({ready['professionals']} x {ready['items']})", "",
                         f"{ready['median']:.0f} ms", "", "<= 150 ms"))
        rows.append(_row("matplotlib import (first chart, in background)", "",
                         f"{comparison['matplotlib_import_ms']:.0f} ms", "", "after first paint"))
        for chart in comparison["charts"]:
            rows.append(_row(f"chart redraw: {chart['chart']}", f"{chart['bare_ms']:.0f} ms",
                             f"{chart['app_ms']:.0f} ms", f"{chart['ratio']:.2f}x", "<= 1.3x bare figure"))
    summary = _load(out / "summary_bench.json").get("timings", {})
    plain, bare = summary.get("summary PDF with charts (in memory)"), next(
        (t for k, t in summary.items() if k.startswith("bare: reportlab")), None)
    if plain and bare:
        rows.append(_row("PDF summary vs the bare document + figures", f"{bare['median_ms']:.0f} ms",
                         f"{plain['median_ms']:.0f} ms", f"{plain['median_ms'] / bare['median_ms']:.2f}x",
                         "<= 1.3x bare; <= 1 s"))
    scale = _load(out / "store_scale.json")
    floor = scale.get("timings", {}).get("floor: the same rows by bare SQLCipher SQL")
    case = scale.get("timings", {}).get("open a case (family+children+rounds+sheets)")
    if floor and case:
        rows.append(_row("open a case vs bare SQLCipher SQL (10k store)", f"{floor['median_ms']:.1f} ms",
                         f"{case['median_ms']:.1f} ms", f"{case['median_ms'] / floor['median_ms']:.2f}x",
                         "<= 50 ms"))
    for name in ("summary_bench.json", "exchange_bench.json", "kdf_cost.json", "store_scale.json"):
        data = _load(out / name)
        for label, timing in data.get("timings", {}).items():
            target = f"<= {timing['target_ms']:g} ms" if timing.get("target_ms") is not None else ""
            verdict = {True: "met", False: "MISSED"}.get(timing.get("target_met"), "")  # type: ignore[arg-type]
            rows.append(_row(label[:44], "", f"{timing['median_ms']:.1f} ms", verdict, target))
        for key, value in data.items():
            if key.startswith(("ratio", "file_size", "store_mib", "size")) and isinstance(value, int | float):
                rows.append(_row(key.replace("_", " ")[:44], "", f"{value:g}", "", ""))
    return rows


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--store", type=Path, default=None, help="the store_scale store to build and keep, or reuse")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    failed = []
    for module, extra in _plan(args.out, args.quick, args.store):
        print(f"\n=== benchmarks.{module} {' '.join(extra)}", flush=True)
        started = time.perf_counter()
        code = subprocess.call([sys.executable, "-m", f"benchmarks.{module}", *extra])
        print(f"=== {module}: exit {code} after {time.perf_counter() - started:.0f} s", flush=True)
        if code not in (0, 1):  # 1: ran, and reported a missed target
            failed.append(module)
    print("\nSummary (floor = the same work done bare in the same run)")
    print(_row("measure", "floor", "app", "ratio", "target"))
    print("-" * 100)
    for row in summary_rows(args.out):
        print(row)
    if failed:
        print(f"\nbenchmarks that did not run to the end: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
