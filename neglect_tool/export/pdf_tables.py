"""Table helpers for the PDF: wrapped cells, a header that repeats on every page, quiet grid lines, and
row shading that is backed by a symbol (shading alone is lost on a greyscale copy)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from .pdf_doc import FONT, FONT_BOLD, frame_width, styles, text

if TYPE_CHECKING:
    from reportlab.platypus import Flowable, Table

Cell = object  # str (escaped and wrapped here), or a ready Flowable

HEADER_BG = "#E6E6E6"
GRID = "#9A9A9A"
SHADES = {"disagreement": "#FBE3D6", "information": "#DCEEF8", "unresolved": "#F6D2E3", "muted": "#F2F2F2"}


PADDING = 3  # left and right padding of every cell, points


def cell(value: Cell, style: str = "cell", width: float | None = None) -> Flowable | str:
    """A table cell: text that fits on one line of `width` stays a plain string (reportlab lays those out
    several times faster than a Paragraph); longer text becomes a wrapping Paragraph."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Flowable, Paragraph

    if isinstance(value, Flowable):
        return value
    content = "" if value is None else str(value)
    paragraph_style = styles()[style]
    if "\n" not in content and (
        len(content) <= 3
        or (width is not None and stringWidth(content, paragraph_style.fontName, paragraph_style.fontSize)
            <= width - 2 * PADDING - 1)
    ):
        return content
    return Paragraph(text(content), paragraph_style)


def table(
    header: Sequence[str] | None,
    rows: Sequence[Sequence[Cell]],
    widths: Sequence[float],
    *,
    shade: Mapping[int, str] | None = None,
    spans: Sequence[tuple[tuple[int, int], tuple[int, int]]] = (),
    bold_rows: Sequence[int] = (),
    font_size: float | None = None,
) -> Table:
    """A table with wrapped cells; `shade` maps a row index (of `rows`) to a key of SHADES or a colour."""
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    offset = 1 if header else 0
    data: list[list[Flowable | str]] = []
    spanned = {(start[0] % len(widths), start[1]) for start, _ in spans}
    if header:
        data.append([cell(h, "cell_bold", w) for h, w in zip(header, widths, strict=True)])
    for i, row in enumerate(rows):
        style = "cell_bold" if i in bold_rows else "cell"
        data.append([cell(v, style, None if (j, i) in spanned else w)
                     for j, (v, w) in enumerate(zip(row, widths, strict=True))])
    size = font_size or styles()["cell"].fontSize
    commands: list[tuple[object, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), size),
        ("LEADING", (0, 0), (-1, -1), size * 1.23),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor(GRID)),
        ("LEFTPADDING", (0, 0), (-1, -1), PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    if header:
        commands += [("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(HEADER_BG)),
                     ("FONTNAME", (0, 0), (-1, 0), FONT_BOLD)]
    for i in bold_rows:
        commands.append(("FONTNAME", (0, i + offset), (-1, i + offset), FONT_BOLD))
    for i, key in (shade or {}).items():
        colour = SHADES.get(key, key)
        commands.append(("BACKGROUND", (0, i + offset), (-1, i + offset), colors.HexColor(colour)))
    for start, end in spans:
        commands.append(("SPAN", (start[0], start[1] + offset), (end[0], end[1] + offset)))
    result = Table(data, colWidths=list(widths), repeatRows=offset, style=TableStyle(commands), hAlign="LEFT")
    return result


def key_value_table(pairs: Sequence[tuple[str, Cell]], widths: Sequence[float]) -> Table:
    """Label / value pairs, two pairs per row (label columns shaded)."""
    from reportlab.lib import colors
    from reportlab.platypus import TableStyle

    rows: list[list[Cell]] = []
    for k in range(0, len(pairs), 2):
        left = pairs[k]
        right = pairs[k + 1] if k + 1 < len(pairs) else ("", "")
        rows.append([left[0], left[1], right[0], right[1]])
    result = table(None, rows, widths)
    result.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (0, -1), colors.HexColor(HEADER_BG)),
        ("BACKGROUND", (2, 0), (2, -1), colors.HexColor(HEADER_BG)),
    ]))
    return result


def boxed(content: Flowable, *, fill: str = "#FBE3D6", border: str = "#D55E00") -> Table:
    """A paragraph in a coloured box the width of the page (alerts): the border shows in greyscale too."""
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    return Table([[content]], colWidths=[frame_width()], hAlign="LEFT", spaceBefore=3, spaceAfter=3,
                 style=TableStyle([
                     ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(fill)),
                     ("BOX", (0, 0), (-1, -1), 1.0, colors.HexColor(border)),
                     ("LEFTPADDING", (0, 0), (-1, -1), 6), ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                     ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                 ]))
