"""Stacked bars of the answers: for each section, one bar per rater stacked by answer, in one panel.

One axes (not a grid of small panels): matplotlib's cost is mostly per axes, so one panel with grouped
bars draws several times faster than nine, and keeps a single count scale that compares across sections.
Each answer is one PolyCollection (one hatched draw call) rather than a patch per bar.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._common import TITLE_BAND_IN, add_axes_in, new_figure, title, wrap
from .data import AnswerKind, AnswerOption, BarsData
from .loading import load_matplotlib
from .style import (
    EDGE,
    FONT,
    FONT_SMALL,
    NOT_APPLICABLE_FILL,
    NOT_KNOWN_FILL,
    UNANSWERED_FILL,
    FillStyle,
    rating_fill,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

BAR = 0.78  # bar thickness, in rows
GAP = 1.45  # rows left above each section for its heading


def option_fill(option: AnswerOption) -> FillStyle:
    if option.kind is AnswerKind.RATING:
        return rating_fill(option.position, option.n_ratings)
    if option.kind is AnswerKind.NOT_KNOWN:
        return NOT_KNOWN_FILL
    if option.kind is AnswerKind.NOT_APPLICABLE:
        return NOT_APPLICABLE_FILL
    return UNANSWERED_FILL


def bar_rows(data: BarsData) -> tuple[list[float], list[float]]:
    """(y of each bar in section-major order, y of each section heading); y grows downwards."""
    bars: list[float] = []
    headings: list[float] = []
    y = 0.0
    for _ in data.sections:
        headings.append(y)
        y += GAP
        for _ in data.raters:
            bars.append(y)
            y += 1.0
        y += 0.25
    return bars, headings


def bars_chart(data: BarsData, *, width_in: float = 6.8, height_in: float | None = None) -> Figure:
    """Horizontal bars, grouped by section (a heading above each group), one bar per rater stacked by
    answer count, answers in scale order (best first) then Not known / N/A. Colours and hatching both
    tell the answers apart."""
    if not data.sections or not data.raters:
        raise ValueError("there is nothing to draw: no sections or no raters")
    shape_ok = len(data.counts) == len(data.sections) and all(
        len(per_rater) == len(data.raters) and all(len(c) == len(data.options) for c in per_rater)
        for per_rater in data.counts)
    if not shape_ok:
        raise ValueError("counts must be given per section, per rater, per answer option")
    load_matplotlib()
    from matplotlib.collections import PolyCollection
    from matplotlib.patches import Patch
    from matplotlib.transforms import blended_transform_factory

    ys, heading_ys = bar_rows(data)
    labels = [wrap(r, 30) for r in data.raters]
    longest = max(len(line) for label in labels for line in label.split("\n"))
    left_in = 0.25 + 0.058 * longest  # ~0.55 em per character at 7.5 pt
    legend_in = 0.3
    bottom_in = 0.55
    row_in = 0.125
    plot_in = row_in * (ys[-1] + 1.0)
    fig = new_figure(width_in, height_in or TITLE_BAND_IN + legend_in + plot_in + bottom_in)
    height = fig.get_size_inches()[1]
    title(fig, data.title)
    ax = add_axes_in(fig, left=left_in, right=0.2, top=TITLE_BAND_IN + legend_in, bottom=bottom_in)
    fills = [option_fill(o) for o in data.options]
    lefts = [0] * len(ys)
    handles = []
    for o, (option, fill) in enumerate(zip(data.options, fills, strict=True)):
        verts = []
        k = 0
        for per_rater in data.counts:
            for counts in per_rater:
                width = counts[o]
                if width:
                    x0, y0 = lefts[k], ys[k] - BAR / 2
                    verts.append([(x0, y0), (x0 + width, y0), (x0 + width, y0 + BAR), (x0, y0 + BAR)])
                lefts[k] += width
                k += 1
        ax.add_collection(PolyCollection(verts, facecolors=fill.colour, edgecolors=EDGE, linewidths=0.4,
                                         hatch=fill.hatch or None))
        handles.append(Patch(facecolor=fill.colour, edgecolor=EDGE, linewidth=0.4, hatch=fill.hatch or None,
                             label=option.label))
    top = max(max(lefts), 1)
    ax.set_xlim(0, top + 0.2)
    ax.set_ylim(ys[-1] + 0.8, -0.2)  # inverted: the first section at the top
    ax.set_xticks(range(0, top + 1, 1 if top <= 12 else 2))
    # rater labels as plain texts, not tick labels: a tick is four artists, and there is one per bar
    ax.set_yticks([])
    beside = blended_transform_factory(ax.transAxes, ax.transData)
    for y, label in zip(ys, labels * len(data.sections), strict=True):
        ax.text(-0.008, y, label, transform=beside, ha="right", va="center", fontsize=FONT_SMALL)
    ax.tick_params(axis="x", labelsize=FONT_SMALL)
    ax.grid(axis="x", color="#DDDDDD", linewidth=0.5)
    ax.set_axisbelow(True)
    for section, y in zip(data.sections, heading_ys, strict=True):
        ax.text(0, y + 0.55, section, fontsize=FONT, fontweight="bold", va="center", ha="left")
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_xlabel("Number of items (only the items that apply to the child at this round)", fontsize=FONT_SMALL)
    fig.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 1 - (TITLE_BAND_IN - 0.04) / height),
               ncols=min(len(handles), 6), fontsize=FONT_SMALL, frameon=False, handlelength=2.4,
               handleheight=1.1)
    return fig
