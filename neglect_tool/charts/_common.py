"""Small helpers for the chart modules: a Figure without pyplot, fixed layouts in inches, wrapped labels.

Layouts are fixed (margins in inches) rather than matplotlib's constrained layout: a fixed layout draws
once instead of twice and never lets a legend slide over a title, and the charts are the same every time.
Figure sizes match the size the PDF prints them at, so a 7.5 pt label is 7.5 pt on paper.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from .loading import load_matplotlib
from .style import FONT_SMALL, FONT_TITLE

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

CAPTION_COLOUR = "#333333"
TITLE_BAND_IN = 0.36  # the title's band at the top
LINE_IN = 0.135  # one line of small text


def new_figure(width_in: float, height_in: float) -> Figure:
    """A matplotlib Figure built with the object API: no pyplot, no global figure manager or state."""
    load_matplotlib()
    from matplotlib.figure import Figure

    return Figure(figsize=(width_in, height_in), dpi=100, facecolor="white")


def add_axes_in(fig: Figure, *, left: float, right: float, top: float, bottom: float,
                projection: str | None = None) -> Axes:
    """An axes placed by its margins from the figure's edges, in inches."""
    width, height = fig.get_size_inches()
    rect = (left / width, bottom / height, 1 - (left + right) / width, 1 - (top + bottom) / height)
    return fig.add_axes(rect, projection=projection)


def wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width=width, break_long_words=False)) or text


def title(fig: Figure, text: str) -> None:
    height = fig.get_size_inches()[1]
    fig.text(0.5, 1 - 0.08 / height, text, ha="center", va="top", fontsize=FONT_TITLE, fontweight="bold")


def chars_across(width_in: float, margin_in: float = 0.4) -> int:
    """About how many characters of small text fit across `width_in` inches (0.56 em per character)."""
    return int((width_in - margin_in) * 72 / (FONT_SMALL * 0.56))


def caption(fig: Figure, text: str) -> float:
    """A caption at the foot of the chart, e.g. the concern index's own label (it is a visual aid, and says
    so wherever it is shown). Returns the height it takes, in inches."""
    width, height = fig.get_size_inches()
    wrapped = wrap(text, chars_across(width))
    fig.text(0.5, 0.06 / height, wrapped, ha="center", va="bottom", fontsize=FONT_SMALL, color=CAPTION_COLOUR)
    return 0.1 + LINE_IN * (wrapped.count("\n") + 1)
