"""Turning a Figure into bytes: PNG (raster, for screens and for PDFs without svglib) or SVG (vector)."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from .loading import load_matplotlib

if TYPE_CHECKING:
    from matplotlib.figure import Figure

PRINT_DPI = 200  # at least 200 dpi for print: lines and 7 pt labels stay crisp on paper


def to_png(fig: Figure, *, dpi: int = PRINT_DPI) -> bytes:
    load_matplotlib()
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)  # attaches itself as fig.canvas: no pyplot, no global figure manager
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, facecolor="white", metadata={"Software": None})
    return buffer.getvalue()


def to_svg(fig: Figure) -> bytes:
    load_matplotlib("matplotlib.backends.backend_svg")
    from matplotlib.backends.backend_svg import FigureCanvasSVG

    FigureCanvasSVG(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", facecolor="white", metadata={"Date": None, "Creator": None})
    return buffer.getvalue()
