"""The printable summary: how long the PDF takes, charts included, plain and password protected, beside a bare
reportlab document of the same pages with the same matplotlib figures drawn bare.

    python -m benchmarks.summary_bench [--runs 7] [--out DIR]

Setup (not timed): the synthetic demo store (fast test KDF) in a temporary folder, and the summary of the
drifting demo family's latest agreed round (2 children, 6 professionals, 68 items, 3 rounds of trend).

Timed, interleaved so that drift in machine load hits every operation alike:
- summary data: services.summary.build_summary from the open store;
- summary PDF: export.summary_pdf.render_summary_pdf (three vector charts, tables, embedded fonts, page
  furniture), in memory; target <= 1000 ms;
- summary PDF, protected: the same, encrypted with AES-256 (R6) in the same pikepdf pass;
- summary PDF with raster charts: the charts rasterised at 200 dpi instead (vector=False);
- charts only: the three figures built and drawn as the PDF does (matplotlib's PDF backend), and rasterised
  at 200 dpi for comparison;
- bare: a reportlab document of the same pages (the same text page by page, Helvetica, one plain Paragraph
  per line shrunk to fit its page, no tables, no furniture) with the same data drawn as three default
  matplotlib figures (no styling) saved as 200 dpi PNGs and embedded with reportlab's Image.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape

from neglect_tool.charts import bars_chart, bars_data, radar_chart, radar_data, trend_chart, trend_data
from neglect_tool.export.pdf_charts import VectorCharts, raster_flowable
from neglect_tool.export.summary_model import SummaryData
from neglect_tool.export.summary_pdf import render_summary_pdf
from neglect_tool.forms.loader import get_form
from neglect_tool.services.demo_data import build_demo
from neglect_tool.services.demo_store import write_demo
from neglect_tool.services.summary import build_summary
from neglect_tool.storage.keys import FAST_TEST_KDF
from neglect_tool.storage.store import Store

from ._common import Timing, machine, print_table, time_ms, write_json

CASE = "NB-2026-0212"
TODAY = dt.date(2026, 11, 1)
TARGET_MS = 1000.0
PASSWORD = "benchmark-pdf-password"


def _charts_only(data: SummaryData, *, vector: bool) -> None:
    """The three figures as the PDF makes them: built, then drawn as vector PDF forms or 200 dpi rasters."""
    c = data.comparison
    assert data.trend is not None
    collector = VectorCharts()
    for fig in (radar_chart(radar_data(c)), bars_chart(bars_data(c)), trend_chart(trend_data(data.trend,
                                                                                             c.index_label))):
        if vector:
            collector.flowable(fig, 480, 700)
        else:
            raster_flowable(fig, 480, 700)


def _bare_figures(data: SummaryData) -> list[bytes]:
    """The same data as default matplotlib figures (object API, no styling), saved as 200 dpi PNGs."""
    import math

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    c = data.comparison
    radar, bars = radar_data(c), bars_data(c)
    assert data.trend is not None
    trend = trend_data(data.trend, c.index_label)
    pngs = []

    fig = Figure(figsize=(6.2, 6.6))
    ax = fig.add_subplot(projection="polar")
    angles = [2 * math.pi * k / len(radar.axes) for k in range(len(radar.axes))]
    for series in radar.series:
        ax.plot(angles, [math.nan if v is None else v for v in series.values], label=series.label)
    ax.set_xticks(angles, radar.axes)
    ax.legend()
    pngs.append(fig)

    fig = Figure(figsize=(6.8, 9.6))
    ax = fig.add_subplot()
    labels = [f"{s} {r}" for s in bars.sections for r in bars.raters]
    left = [0] * len(labels)
    for o, option in enumerate(bars.options):
        widths = [per_rater[j][o] for per_rater in bars.counts for j in range(len(bars.raters))]
        ax.barh(labels, widths, left=left, label=option.label)
        left = [a + b for a, b in zip(left, widths, strict=True)]
    ax.legend()

    pngs.append(fig)
    fig = Figure(figsize=(6.8, 3.9))
    ax = fig.add_subplot()
    for line in trend.lines:
        ax.plot(trend.x_labels, [math.nan if v is None else v for v in line.values], label=line.label)
    ax.legend()
    pngs.append(fig)

    out = []
    for figure in pngs:
        FigureCanvasAgg(figure)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=200)
        out.append(buffer.getvalue())
    return out


def _bare_document(pages: list[list[str]], data: SummaryData) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Image, KeepInFrame, PageBreak, Paragraph, SimpleDocTemplate

    style = ParagraphStyle("bare", fontName="Helvetica", fontSize=7.5, leading=9)
    figures = _bare_figures(data)
    doc = SimpleDocTemplate(io.BytesIO(), pagesize=A4)
    story: list[object] = []
    for number, lines in enumerate(pages):
        content: list[object] = [Paragraph(escape(line), style) for line in lines if line.strip()]
        if number < len(figures):  # the same three figures, one on each of the first pages
            content.append(Image(io.BytesIO(figures[number]), width=400, height=300))
        story += [KeepInFrame(doc.width, doc.height - 20, content, mode="shrink"), PageBreak()]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4).build(story[:-1])
    return buffer.getvalue()


def _page_lines(pdf: bytes) -> list[list[str]]:
    from pypdf import PdfReader

    return [page.extract_text().splitlines() for page in PdfReader(io.BytesIO(pdf)).pages]


def _median(values: list[float]) -> float:
    return statistics.median(values)


def measure(folder: Path, runs: int) -> tuple[list[Timing], dict[str, object]]:
    data_model = build_demo(get_form("childcare-development-checklist"), today=TODAY)
    store = Store.create(folder / "bench.ntdb", "benchmark-passphrase", owner=data_model.owner, kdf=FAST_TEST_KDF)
    try:
        write_demo(store, data_model)
        data = build_summary(store, CASE)
        pdf = render_summary_pdf(data)  # warm-up: imports, fonts, caches
        pages = _page_lines(pdf)
        bare_pdf = _bare_document(pages, data)
        protected = render_summary_pdf(data, password=PASSWORD)
        raster = render_summary_pdf(data, vector=False)
        operations: dict[str, Callable[[], object]] = {
            "data": lambda: build_summary(store, CASE),
            "pdf": lambda: render_summary_pdf(data),
            "protected": lambda: render_summary_pdf(data, password=PASSWORD),
            "raster": lambda: render_summary_pdf(data, vector=False),
            "charts": lambda: _charts_only(data, vector=True),
            "charts_raster": lambda: _charts_only(data, vector=False),
            "bare_charts": lambda: _bare_figures(data),
            "bare_pdf": lambda: _bare_document(pages, data),
        }
        samples: dict[str, list[float]] = {name: [] for name in operations}
        cpu: dict[str, list[float]] = {name: [] for name in operations}
        for _ in range(runs):
            for name, operation in operations.items():
                started = time.process_time()
                samples[name].append(time_ms(operation))
                cpu[name].append((time.process_time() - started) * 1000)
    finally:
        store.close()
    timings = [
        Timing("summary data (services.summary)", tuple(samples["data"])),
        Timing("summary PDF with charts (in memory)", tuple(samples["pdf"]), TARGET_MS,
               note=f"{len(pages)} pages, {len(pdf) // 1024} KiB; CPU time median {_median(cpu['pdf']):.0f} ms"),
        Timing("summary PDF with charts, protected (AES-256)", tuple(samples["protected"]), TARGET_MS,
               note=f"{len(protected) // 1024} KiB; CPU time median {_median(cpu['protected']):.0f} ms"),
        Timing("summary PDF, charts as 200 dpi rasters", tuple(samples["raster"]),
               note=f"{len(raster) // 1024} KiB"),
        Timing("  the three charts, vector (matplotlib PDF)", tuple(samples["charts"])),
        Timing("  the three charts, 200 dpi rasters", tuple(samples["charts_raster"])),
        Timing("bare: 3 default matplotlib figures -> PNG", tuple(samples["bare_charts"])),
        Timing("bare: reportlab, same text per page + bare figures", tuple(samples["bare_pdf"]),
               note=f"{len(_page_lines(bare_pdf))} pages, {len(bare_pdf) // 1024} KiB"),
    ]
    extra = {"pages": len(pages), "pdf_bytes": len(pdf), "protected_bytes": len(protected),
             "raster_pdf_bytes": len(raster), "bare_pdf_bytes": len(bare_pdf)}
    return timings, extra


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.summary_bench", description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results"))
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="neglect-summary-bench-"))
    try:
        timings, extra = measure(folder, max(1, args.runs))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print_table("Printable summary on this machine (milliseconds)", timings)
    by_name = {t.name.strip(): t.median for t in timings}
    pdf = by_name["summary PDF with charts (in memory)"]
    bare = by_name["bare: reportlab, same text per page + bare figures"]
    bare_charts = by_name["bare: 3 default matplotlib figures -> PNG"]
    protected = by_name["summary PDF with charts, protected (AES-256)"]
    print(f"\nThe summary PDF costs {pdf / bare:.2f}x the bare document of the same pages; its charts cost "
          f"{by_name['the three charts, vector (matplotlib PDF)'] / bare_charts:.2f}x the bare figures; "
          f"protection adds {protected - pdf:+.0f} ms (within the noise: encryption is done in the pass that "
          "merges the charts).")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    if load is not None:
        print(f"Load average over the last minute: {load:.2f} on {os.cpu_count()} CPUs (wall times grow with it; "
              "CPU times do not).")
    written = write_json(args.out, "summary_bench.json", {
        "benchmark": "summary_bench", "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(), "load_average_1min": load,
        "timings": {t.name.strip(): t.as_dict() for t in timings}, **extra,
    })
    print(f"\nJSON written to {written}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
