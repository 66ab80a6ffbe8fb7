"""Radar of the concern index by section: one line per professional, the agreed view in heavy black."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, cast

from ._common import LINE_IN, TITLE_BAND_IN, add_axes_in, caption, chars_across, new_figure, title, wrap
from .data import RadarData
from .style import CONSENSUS_COLOUR, CONSENSUS_MARKER, EDGE, FONT, FONT_SMALL, outline_effects, series_style

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from matplotlib.projections.polar import PolarAxes

LABEL_ROOM_IN = 1.0  # each side of the circle, for the section names


def radar_chart(data: RadarData, *, width_in: float = 6.2) -> Figure:
    """The radar as a Figure. Needs at least three axes (sections); values run from 0 (centre, no concern)
    to data.index_max (edge). A missing value (nothing rated) leaves a gap in that rater's line."""
    if len(data.axes) < 3:
        raise ValueError(f"a radar needs at least three sections; got {len(data.axes)}")
    for series in data.series:
        if len(series.values) != len(data.axes):
            raise ValueError(f"{series.label!r} needs one value per section ({len(data.axes)}), "
                             f"not {len(series.values)}")
    legend_rows = math.ceil(len(data.series) / 2)
    legend_in = 0.1 + 0.2 * legend_rows
    caption_text = data.index_label + ". Centre = no concern; edge = the most concern the index can show."
    caption_in = 0.1 + LINE_IN * (wrap(caption_text, chars_across(width_in)).count("\n") + 1)
    diameter = width_in - 2 * LABEL_ROOM_IN
    height_in = TITLE_BAND_IN + legend_in + 2 * 0.5 + diameter + caption_in
    fig = new_figure(width_in, height_in)
    title(fig, data.title)
    ax = cast("PolarAxes", add_axes_in(fig, left=LABEL_ROOM_IN, right=LABEL_ROOM_IN,
                                       top=TITLE_BAND_IN + legend_in + 0.5, bottom=caption_in + 0.5,
                                       projection="polar"))
    n = len(data.axes)
    angles = [2 * math.pi * k / n for k in range(n)]
    closed = [*angles, angles[0]]
    ax.set_theta_offset(math.pi / 2)
    ax.set_theta_direction(-1)
    ax.set_xticks(angles)
    ax.set_xticklabels([wrap(a, 16) for a in data.axes], fontsize=FONT)
    ax.tick_params(axis="x", pad=11)
    top = data.index_max or 1.0
    ax.set_ylim(0, top)
    ticks = [top * k / 4 for k in range(1, 5)]
    ax.set_yticks(ticks)
    ax.set_yticklabels([f"{t:g}" for t in ticks], fontsize=FONT_SMALL, color="#555555")
    ax.set_rlabel_position(180 / n)
    ax.grid(color="#999999", linewidth=0.5, linestyle=":")

    pro_index = 0
    for series in sorted(data.series, key=lambda s: s.consensus):  # consensus drawn last, on top
        values = [math.nan if v is None else v for v in series.values]
        ys = [*values, values[0]]
        if series.consensus:
            ax.plot(closed, ys, color=CONSENSUS_COLOUR, linewidth=2.6, marker=CONSENSUS_MARKER, markersize=11,
                    label=series.label, zorder=5)
            ax.fill(closed, [0 if math.isnan(y) else y for y in ys], color=CONSENSUS_COLOUR, alpha=0.07, zorder=4)
        else:
            style = series_style(pro_index)
            pro_index += 1
            ax.plot(closed, ys, color=style.colour, linestyle=style.linestyle, linewidth=1.5, marker=style.marker,
                    markersize=5.5, markeredgecolor=EDGE, markeredgewidth=0.5, label=series.label, alpha=0.95,
                    zorder=3, path_effects=outline_effects(style.colour, 1.5))
    handles, labels = ax.get_legend_handles_labels()
    fig.legend(handles, [wrap(t, 48) for t in labels], loc="upper center",
               bbox_to_anchor=(0.5, 1 - TITLE_BAND_IN / height_in), ncols=2, fontsize=FONT_SMALL, frameon=False,
               handlelength=3.2)
    caption(fig, caption_text)
    return fig
