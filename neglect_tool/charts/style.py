"""Colours, markers and hatching shared by every chart: Okabe-Ito colours, and never colour alone.

The Okabe-Ito palette stays distinguishable with the common colour-vision deficiencies; each series also
gets its own marker and line style, and each answer its own hatching, so the charts read in greyscale
(a photocopied meeting paper) too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

# Okabe & Ito (2008), "Color Universal Design".
BLACK: Final = "#000000"
ORANGE: Final = "#E69F00"
SKY_BLUE: Final = "#56B4E9"
BLUISH_GREEN: Final = "#009E73"
YELLOW: Final = "#F0E442"
BLUE: Final = "#0072B2"
VERMILLION: Final = "#D55E00"
REDDISH_PURPLE: Final = "#CC79A7"
GREY: Final = "#BBBBBB"
WHITE: Final = "#FFFFFF"
EDGE: Final = "#333333"

# Series (raters, sections): black is kept for the consensus; yellow last, it is faint on white.
SERIES_COLOURS: Final = (BLUE, ORANGE, BLUISH_GREEN, VERMILLION, SKY_BLUE, REDDISH_PURPLE, YELLOW)
MARKERS: Final = ("o", "s", "^", "D", "v", "P", "X", "h", "<", ">")
LINESTYLES: Final = ("-", "--", ":", "-.")

CONSENSUS_COLOUR: Final = BLACK
CONSENSUS_MARKER: Final = "*"

# Ordered answers, best (need met) first: colours run green -> vermillion, hatching gets denser.
_RAMPS: Final = {
    1: (BLUISH_GREEN,),
    2: (BLUISH_GREEN, VERMILLION),
    3: (BLUISH_GREEN, ORANGE, VERMILLION),
    4: (BLUISH_GREEN, YELLOW, ORANGE, VERMILLION),
    5: (BLUISH_GREEN, SKY_BLUE, YELLOW, ORANGE, VERMILLION),
}
_HATCHES: Final = ("", "//", "xx", "\\\\\\", "++", "oo", "--", "||")

FONT_SMALL: Final = 7.5
FONT: Final = 8.5
FONT_TITLE: Final = 10.5


@dataclass(frozen=True, slots=True)
class SeriesStyle:
    colour: str
    marker: str
    linestyle: str


def outline_effects(colour: str, linewidth: float) -> list[object]:
    """A thin dark outline under a pale line (yellow), so it still shows on white and in greyscale."""
    if colour != YELLOW:
        return []
    from matplotlib.patheffects import Normal, Stroke

    return [Stroke(linewidth=linewidth + 1.2, foreground="#666666"), Normal()]


def series_style(index: int) -> SeriesStyle:
    """The style of the index-th series: colour, marker and line style all differ between neighbours."""
    return SeriesStyle(
        SERIES_COLOURS[index % len(SERIES_COLOURS)],
        MARKERS[index % len(MARKERS)],
        # offset by 2 per lap of the colours, so a series never shares colour *and* line with another
        LINESTYLES[(index + 2 * (index // len(SERIES_COLOURS))) % len(LINESTYLES)],
    )


@dataclass(frozen=True, slots=True)
class FillStyle:
    colour: str
    hatch: str


def rating_fill(position: int, n_ratings: int) -> FillStyle:
    """The fill of the position-th rating option (0 = best) on a scale of n_ratings options."""
    if n_ratings in _RAMPS:
        colour = _RAMPS[n_ratings][position]
    else:  # long scales (0-10): spread over the five-step ramp
        ramp = _RAMPS[5]
        colour = ramp[round(position * (len(ramp) - 1) / max(n_ratings - 1, 1))]
    return FillStyle(colour, _HATCHES[position % len(_HATCHES)])


NOT_KNOWN_FILL: Final = FillStyle(GREY, "..")
NOT_APPLICABLE_FILL: Final = FillStyle(WHITE, "")
UNANSWERED_FILL: Final = FillStyle(WHITE, "--")
