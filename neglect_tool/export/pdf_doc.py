"""The printed page shared by every PDF the app writes: A4, the protective marking in the header and footer
of every page, "Page x of y", the document id and version, who produced it and when, and a diagonal DRAFT
watermark while the content is not final. reportlab is imported inside the functions (it is slow to load).

Text is set in DejaVu Sans (shipped with matplotlib, so no new dependency), embedded and subset: it covers
the names people really have (Łukasz, Nguyễn, Zoë), which reportlab's built-in Helvetica does not.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from ..charts.loading import load_matplotlib

if TYPE_CHECKING:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Flowable

FONT = "NTSans"
FONT_BOLD = "NTSans-Bold"
FONT_ITALIC = "NTSans-Oblique"
MM = 72 / 25.4
PAGE_MARGIN_MM = 18
HEADER_MM = 14
FOOTER_MM = 14


@dataclass(frozen=True, slots=True)
class PageFurniture:
    """What every page carries, whatever the document."""

    marking: str  # "OFFICIAL-SENSITIVE"
    document_id: str
    version: str
    produced_by: str
    produced_on: dt.datetime
    title: str  # short title for the header (never a child's name)
    draft: bool  # draw the DRAFT watermark


def text(value: object) -> str:
    """User text made safe for a reportlab Paragraph (which reads a small XML dialect)."""
    return escape(str(value)).replace("\n", "<br/>")


@cache
def register_fonts() -> tuple[str, str, str]:
    """Register DejaVu Sans (regular, bold, oblique) with reportlab once per process."""
    load_matplotlib()
    import matplotlib
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    folder = os.path.join(matplotlib.get_data_path(), "fonts", "ttf")
    for name, file in ((FONT, "DejaVuSans.ttf"), (FONT_BOLD, "DejaVuSans-Bold.ttf"),
                       (FONT_ITALIC, "DejaVuSans-Oblique.ttf")):
        pdfmetrics.registerFont(TTFont(name, os.path.join(folder, file)))
    addMapping(FONT, 0, 0, FONT)
    addMapping(FONT, 1, 0, FONT_BOLD)
    addMapping(FONT, 0, 1, FONT_ITALIC)
    addMapping(FONT, 1, 1, FONT_BOLD)
    return FONT, FONT_BOLD, FONT_ITALIC


@cache
def styles() -> dict[str, ParagraphStyle]:
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle

    register_fonts()
    base = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=12, spaceAfter=4)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=9.5, spaceAfter=2),
        "cell": ParagraphStyle("cell", parent=base, fontSize=7.5, leading=9.2, spaceAfter=0),
        "cell_bold": ParagraphStyle("cell_bold", parent=base, fontName=FONT_BOLD, fontSize=7.5, leading=9.2,
                                    spaceAfter=0),
        "title": ParagraphStyle("title", parent=base, fontName=FONT_BOLD, fontSize=16, leading=20, spaceAfter=4),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=10.5, leading=14, spaceAfter=8,
                                   textColor=colors.HexColor("#333333")),
        "h1": ParagraphStyle("h1", parent=base, fontName=FONT_BOLD, fontSize=13, leading=16, spaceBefore=10,
                             spaceAfter=5, keepWithNext=1),
        "h2": ParagraphStyle("h2", parent=base, fontName=FONT_BOLD, fontSize=10.5, leading=13, spaceBefore=7,
                             spaceAfter=3, keepWithNext=1),
        "alert": ParagraphStyle("alert", parent=base, fontName=FONT_BOLD, spaceAfter=0),
        "note": ParagraphStyle("note", parent=base, fontName=FONT_ITALIC, fontSize=8, leading=10.5,
                               textColor=colors.HexColor("#333333")),
        "quote": ParagraphStyle("quote", parent=base, leftIndent=10, borderPadding=(2, 0, 2, 6),
                                borderColor=colors.HexColor("#999999"), borderWidth=0, spaceAfter=6),
    }


FRAME_PADDING = 6  # reportlab's default frame padding, each side, in points
TOP_MARGIN = (PAGE_MARGIN_MM + 6) * MM
BOTTOM_MARGIN = (PAGE_MARGIN_MM + 4) * MM


def frame_width() -> float:
    """The width a flowable may use."""
    from reportlab.lib.pagesizes import A4

    return float(A4[0] - 2 * PAGE_MARGIN_MM * MM - 2 * FRAME_PADDING)


def frame_height() -> float:
    """The height a flowable may use (a full page)."""
    from reportlab.lib.pagesizes import A4

    return float(A4[1] - TOP_MARGIN - BOTTOM_MARGIN - 2 * FRAME_PADDING)


def short_date(value: dt.date) -> str:
    """"2 Aug 2026" (no leading zero, on every platform)."""
    return f"{value.day} {value:%b %Y}"


def short_datetime(value: dt.datetime) -> str:
    return f"{short_date(value)} {value:%H:%M}"


def _decorate(furniture: PageFurniture) -> Callable[[Canvas, Any], None]:
    """The onPage callback: watermark (under the content), header and footer. Page y-of-y comes later."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4

    width, height = A4
    left, right = PAGE_MARGIN_MM * MM, width - PAGE_MARGIN_MM * MM
    produced = short_datetime(furniture.produced_on)
    producer = furniture.produced_by.split(",")[0]  # the name; role and agency are on the first page

    def draw(canvas: Canvas, doc: Any) -> None:
        canvas.saveState()
        if furniture.draft:
            canvas.setFillColor(colors.Color(0.55, 0.55, 0.55, alpha=0.22))
            canvas.setFont(FONT_BOLD, 110)
            canvas.translate(width / 2, height / 2)
            canvas.rotate(50)
            canvas.drawCentredString(0, -38, "DRAFT")
            canvas.rotate(-50)
            canvas.translate(-width / 2, -height / 2)
        top = height - PAGE_MARGIN_MM * MM + 4 * MM
        canvas.setFillColor(colors.black)
        canvas.setFont(FONT_BOLD, 10)
        canvas.drawString(left, top, furniture.marking)
        canvas.setFont(FONT, 7.5)
        canvas.drawRightString(right, top + 1, f"{furniture.document_id}  ·  version {furniture.version}")
        canvas.setLineWidth(0.6)
        canvas.line(left, top - 2.5 * MM, right, top - 2.5 * MM)
        bottom = PAGE_MARGIN_MM * MM - 6 * MM
        canvas.line(left, bottom + 4.5 * MM, right, bottom + 4.5 * MM)
        canvas.setFont(FONT_BOLD, 10)
        canvas.drawCentredString(width / 2, bottom, furniture.marking)
        canvas.setFont(FONT, 7)
        canvas.drawString(left, bottom, f"Produced by {producer}"[:48])
        canvas.drawString(left, bottom - 3.3 * MM, f"on {produced}")
        canvas.restoreState()

    return draw


def numbered_canvas_class() -> type[Canvas]:
    """A Canvas that holds every page until the end, then stamps "Page x of y" on each (one pass, no
    second build)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas as BaseCanvas

    width = A4[0]
    right = width - PAGE_MARGIN_MM * MM
    bottom = PAGE_MARGIN_MM * MM - 6 * MM

    class NumberedCanvas(BaseCanvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # reportlab's name: keep every page until save()
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self.setFont(FONT, 8)
                self.drawRightString(right, bottom, f"Page {number} of {total}")
                super().showPage()
            super().save()

    return NumberedCanvas


@dataclass(frozen=True, slots=True)
class BuiltPdf:
    data: bytes
    pages: int


def build_pdf(story: Sequence[Flowable], furniture: PageFurniture, *, pdf_title: str, author: str) -> BuiltPdf:
    """Lay out `story` on A4 with the page furniture and return the PDF (in memory; nothing touches disk).

    The metadata holds the document id and the producer only: never a child's name."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate

    register_fonts()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=PAGE_MARGIN_MM * MM, rightMargin=PAGE_MARGIN_MM * MM,
        topMargin=TOP_MARGIN, bottomMargin=BOTTOM_MARGIN,
        title=pdf_title, author=author, subject=furniture.marking, creator="neglect_tool",
        keywords=[furniture.marking, furniture.document_id],
    )
    decorate = _decorate(furniture)
    with _binary_streams():
        doc.build(list(story), onFirstPage=decorate, onLaterPages=decorate,
                  canvasmaker=numbered_canvas_class())
    return BuiltPdf(buffer.getvalue(), int(doc.page))


@contextmanager
def _binary_streams() -> Iterator[None]:
    """Write streams as binary (Flate only) rather than ASCII85 text while building.

    ASCII85 makes streams 25% larger and, without reportlab's optional C accelerator, costs about 0.1 s
    per chart in pure Python; nothing needs 7-bit-clean PDFs today. reportlab reads the switch when each
    stream is made, so it is restored as soon as the document is built."""
    from reportlab import rl_config

    previous = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = previous
