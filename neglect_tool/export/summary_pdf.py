"""The printable meeting summary: A4 PDF with charts, optionally password protected, written atomically.

    pdf = render_summary_pdf(data)                                   # bytes, in memory
    result = export_summary_pdf(data, Path("summary.pdf"), password="...")   # protected, 0600, atomic

Every page is marked OFFICIAL-SENSITIVE in its header and footer with "Page x of y", the document id and
version and who produced it when; a diagonal DRAFT watermark is drawn on every page until the agreed view
(consensus) is final. The PDF's metadata never names the child.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..charts import bars_chart, bars_data, radar_chart, radar_data, trend_chart, trend_data
from . import summary_sections as sections
from .pdf_charts import VectorCharts, raster_flowable
from .pdf_doc import BuiltPdf, PageFurniture, build_pdf, frame_height, frame_width
from .pdf_secure import PdfExportError, check_password, protect, write_atomically
from .summary_model import ConsensusState, SummaryData

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from reportlab.platypus import Flowable

__all__ = ["ExportResult", "PdfExportError", "export_summary_pdf", "render_summary_pdf"]


@dataclass(frozen=True, slots=True)
class ExportResult:
    path: Path
    bytes: int
    pages: int
    protected: bool
    draft: bool


def _charts(data: SummaryData, vector: VectorCharts | None) -> dict[str, Flowable | None]:
    comparison = data.comparison
    width, height = frame_width(), frame_height()

    def chart_flowable(fig: Figure, max_width: float, max_height: float) -> Flowable:
        if vector is not None:
            return vector.flowable(fig, max_width, max_height)
        return raster_flowable(fig, max_width, max_height)

    found: dict[str, Flowable | None] = {"radar": None, "trend": None, "bars": None}
    care_sections = [s for s in comparison.form.sections if not s.context_only]
    if comparison.professionals and len(care_sections) >= 3 and comparison.form.profile.has_index:
        labels = [f"{sections.rater_key(k)} {c.heading}" for k, c in enumerate(comparison.professionals)]
        radar = radar_data(comparison, rater_labels=labels)
        found["radar"] = chart_flowable(radar_chart(radar), width, height * 0.62)
    if data.trend is not None and data.trend.dates:
        found["trend"] = chart_flowable(trend_chart(trend_data(data.trend, comparison.index_label)), width,
                                        height * 0.5)
    if comparison.professionals and comparison.rows:
        # rater codes (P1, P2...) rather than names: shorter labels, the same key as the table of every answer
        codes = [sections.rater_key(k) for k in range(len(comparison.professionals))]
        found["bars"] = chart_flowable(bars_chart(bars_data(comparison, rater_labels=codes)), width, height - 40)
    return found


def story(data: SummaryData, *, charts: bool = True, vector: VectorCharts | None = None) -> list[Flowable]:
    """The summary's content in reading order; charts as vector forms when `vector` collects them."""
    from reportlab.platypus import PageBreak

    figures = _charts(data, vector) if charts else {"radar": None, "trend": None, "bars": None}
    parts: list[Flowable] = []
    parts += sections.title_block(data)
    parts += sections.identity(data)
    parts += sections.key_points(data)
    parts += sections.contributors(data)
    parts += sections.carers(data)
    parts += sections.profile(data, figures["radar"])
    parts += sections.agreement(data)
    parts += sections.meeting(data)
    parts += sections.evidence(data)
    parts += sections.gaps(data)
    parts += sections.free_texts(data)
    parts += sections.change(data, figures["trend"])
    parts += sections.siblings(data)
    parts += sections.plan(data)
    if figures["bars"] is not None:
        parts += [PageBreak(), sections.rater_key_line(data), figures["bars"]]
    parts += sections.full_grid(data)
    parts += sections.sign_off(data)
    return parts


def _render(data: SummaryData, *, charts: bool, vector: bool, password: str | None) -> BuiltPdf:
    if password is not None:
        check_password(password)  # before the work, not after
    doc = data.document
    furniture = PageFurniture(
        marking=doc.marking, document_id=doc.document_id, version=doc.version, produced_by=doc.produced_by,
        produced_on=doc.produced_on, title="Neglect checklist meeting summary",
        draft=data.consensus.state is not ConsensusState.FINAL,
    )
    collector = VectorCharts() if charts and vector else None
    built = build_pdf(story(data, charts=charts, vector=collector), furniture,
                      pdf_title=f"Meeting summary {doc.document_id}", author=doc.produced_by)
    if collector is not None and collector.forms:
        return BuiltPdf(collector.merge(built.data, password=password), built.pages)
    if password is not None:
        return BuiltPdf(protect(built.data, password), built.pages)
    return built


def render_summary_pdf(data: SummaryData, *, charts: bool = True, vector: bool = True,
                       password: str | None = None) -> bytes:
    """The PDF in memory: charts as vector graphics (or rasters at 200 dpi with vector=False); encrypted
    with AES-256 when `password` is given (the unencrypted form then exists only in memory)."""
    return _render(data, charts=charts, vector=vector, password=password).data


def export_summary_pdf(data: SummaryData, path: Path, *, password: str | None, overwrite: bool = False,
                       charts: bool = True, vector: bool = True) -> ExportResult:
    """Render, protect when `password` is given (only encrypted bytes reach the disk), write atomically."""
    built = _render(data, charts=charts, vector=vector, password=password)
    written = write_atomically(Path(path), built.data, overwrite=overwrite)
    return ExportResult(written, len(built.data), built.pages, password is not None,
                        data.consensus.state is not ConsensusState.FINAL)
