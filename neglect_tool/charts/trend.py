"""The agreed (consensus) concern index of each section across rounds."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from ._common import TITLE_BAND_IN, add_axes_in, caption, new_figure, title, wrap
from .data import TrendChartData
from .style import EDGE, FONT_SMALL, outline_effects, series_style

if TYPE_CHECKING:
    from matplotlib.figure import Figure

LEGEND_IN = 2.1


def trend_chart(data: TrendChartData, *, width_in: float = 6.8, height_in: float = 3.9) -> Figure:
    """One line per section over the rounds (equally spaced, labelled by date). Context-only sections
    are drawn thin and grey-dashed. With one round the points are drawn alone and the chart says so."""
    if not data.x_labels:
        raise ValueError("there is nothing to draw: no rounds")
    for line in data.lines:
        if len(line.values) != len(data.x_labels):
            raise ValueError(f"{line.label!r} needs one value per round ({len(data.x_labels)}), "
                             f"not {len(line.values)}")
    fig = new_figure(width_in, height_in)
    title(fig, data.title)
    caption_in = caption(fig, data.index_label)
    ax = add_axes_in(fig, left=0.75, right=LEGEND_IN, top=TITLE_BAND_IN + 0.05, bottom=caption_in + 0.3)
    xs = list(range(len(data.x_labels)))
    index = 0
    for line in data.lines:
        ys = [math.nan if v is None else v for v in line.values]
        if line.context_only:
            ax.plot(xs, ys, color="#777777", linestyle="--", linewidth=1.0, marker="o", markersize=4,
                    markerfacecolor="white", label=line.label)
            continue
        style = series_style(index)
        index += 1
        ax.plot(xs, ys, color=style.colour, linestyle=style.linestyle, linewidth=1.7, marker=style.marker,
                markersize=6, markeredgecolor=EDGE, markeredgewidth=0.5, label=line.label,
                path_effects=outline_effects(style.colour, 1.7))
    top = data.index_max or 1.0
    ax.set_ylim(-0.04 * top, top * 1.04)
    ax.set_xlim(-0.3, len(xs) - 0.7)
    ax.set_xticks(xs)
    ax.set_xticklabels(data.x_labels, fontsize=FONT_SMALL)
    ax.set_yticks([top * k / 4 for k in range(5)])
    ax.tick_params(axis="y", labelsize=FONT_SMALL)
    ax.set_ylabel("Concern index (visual aid)\nlower is better", fontsize=FONT_SMALL)
    ax.grid(axis="y", color="#CCCCCC", linewidth=0.5)
    ax.spines[["top", "right"]].set_visible(False)
    if len(xs) == 1:
        ax.text(0.5, 0.97, "One round so far: the trend starts at the next review", transform=ax.transAxes,
                ha="center", va="top", fontsize=FONT_SMALL, style="italic")
    handles, labels = ax.get_legend_handles_labels()
    fig.legend(handles, [wrap(t, 28) for t in labels], loc="center left",
               bbox_to_anchor=(1 - (LEGEND_IN - 0.1) / width_in, 0.55), fontsize=FONT_SMALL, frameon=False,
               handlelength=3.0)
    return fig
