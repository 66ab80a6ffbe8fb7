"""Charts in a PDF: as vector graphics by default, or as a raster at print resolution.

Vector (the default) needs no new dependency: matplotlib draws each figure with its own PDF backend, reportlab
lays out a placeholder of the right size that paints a named form XObject (``/NTChart1 Do``), and after
reportlab has built the document pikepdf (already used for encryption) adds each chart's page to the pages
that paint it, as a form XObject. The charts stay sharp at any zoom and in print, the file is several times
smaller than with rasters, and it is faster than rasterising text at 200 dpi. (svglib, which the brief
allowed when installed, is not needed for this.)

Raster (``vector=False``): the figure is drawn by Agg at 200 dpi and handed to reportlab straight from the
pixel buffer (no PNG encode/decode round trip).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..charts.loading import load_matplotlib
from ..charts.render import PRINT_DPI

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from reportlab.platypus import Flowable

FORM_PREFIX = "NTChart"


def _placed_size(fig: Figure, max_width: float, max_height: float) -> tuple[float, float, float]:
    """(width, height, scale) in points: the figure's own size, shrunk to fit, never enlarged."""
    width_in, height_in = fig.get_size_inches()
    scale = min(max_width / (width_in * 72), max_height / (height_in * 72), 1.0)
    return float(width_in * 72 * scale), float(height_in * 72 * scale), float(scale)


@dataclass
class VectorCharts:
    """Collects the figures of one document as one-page PDFs, to be merged in after reportlab's build."""

    forms: dict[str, bytes] = field(default_factory=dict)

    def flowable(self, fig: Figure, max_width: float, max_height: float) -> Flowable:
        load_matplotlib("matplotlib.backends.backend_pdf")
        from matplotlib.backends.backend_pdf import FigureCanvasPdf

        width, height, scale = _placed_size(fig, max_width, max_height)
        FigureCanvasPdf(fig)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="pdf", facecolor="white",
                    metadata={"Creator": None, "Producer": None, "CreationDate": None})
        name = f"{FORM_PREFIX}{len(self.forms) + 1}"
        self.forms[name] = buffer.getvalue()
        return _slot(name, width, height, scale)

    def merge(self, pdf: bytes, *, password: str | None = None) -> bytes:
        """The reportlab PDF with every chart form in place; encrypted in the same pass when `password` is
        given (see pdf_secure.protect for the settings)."""
        import pikepdf

        from .pdf_secure import encryption

        with pikepdf.open(io.BytesIO(pdf)) as document:
            forms: dict[str, Any] = {}
            for name, chart in self.forms.items():
                with pikepdf.open(io.BytesIO(chart)) as source:
                    form = pikepdf.Page(source.pages[0]).as_form_xobject()
                    forms[name] = document.copy_foreign(form)
            for page in document.pages:
                content = _content_bytes(page)
                used = {name: form for name, form in forms.items() if f"/{name} Do".encode() in content}
                if not used:
                    continue
                resources = page.obj.get("/Resources")
                if resources is None:
                    resources = page.obj.Resources = pikepdf.Dictionary()
                if "/XObject" not in resources:
                    resources.XObject = pikepdf.Dictionary()
                for name, form in used.items():
                    resources.XObject[f"/{name}"] = form
            out = io.BytesIO()
            if password is None:
                document.save(out)
            else:
                document.save(out, encryption=encryption(password))
        return out.getvalue()


def _content_bytes(page: Any) -> bytes:
    import pikepdf

    contents = page.obj.get("/Contents")
    if contents is None:
        return b""
    if isinstance(contents, pikepdf.Array):
        return b"".join(stream.read_bytes() for stream in contents)
    data: bytes = contents.read_bytes()
    return data


def _slot(name: str, width: float, height: float, scale: float) -> Flowable:
    from reportlab.platypus import Flowable

    class ChartSlot(Flowable):  # type: ignore[misc]
        """Reserves the chart's space and paints the named form there (the form arrives in merge())."""

        def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
            return width, height

        def draw(self) -> None:
            self.canv.addLiteral(f"q {scale:.6f} 0 0 {scale:.6f} 0 0 cm /{name} Do Q")

    slot: Flowable = ChartSlot()
    slot.hAlign = "CENTER"
    return slot


def raster_flowable(fig: Figure, max_width: float, max_height: float) -> Flowable:
    """The figure rasterised at 200 dpi as a reportlab flowable."""
    load_matplotlib()
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image as PilImage
    from reportlab.lib.utils import ImageReader
    from reportlab.platypus import Flowable

    width, height, _ = _placed_size(fig, max_width, max_height)
    canvas = FigureCanvasAgg(fig)
    fig.set_dpi(PRINT_DPI)
    canvas.draw()  # type: ignore[no-untyped-call]
    rgba = canvas.buffer_rgba()  # type: ignore[no-untyped-call]
    image = PilImage.frombuffer("RGBA", (int(rgba.shape[1]), int(rgba.shape[0])), bytes(rgba), "raw", "RGBA", 0, 1)
    reader = ImageReader(image.convert("RGB"))

    class ChartImage(Flowable):  # type: ignore[misc]
        def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
            return width, height

        def draw(self) -> None:
            self.canv.drawImage(reader, 0, 0, width, height)

    chart: Flowable = ChartImage()
    chart.hAlign = "CENTER"
    return chart
