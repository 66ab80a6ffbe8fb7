"""Charts drawn with matplotlib's object API (a Figure per chart; never pyplot, no global state).

Importing this package is cheap: matplotlib is imported inside the functions that draw or render.
Each chart takes plain data (see :mod:`neglect_tool.charts.data`, with adapters from a comparison or a
trend) and returns a ``matplotlib.figure.Figure``; :func:`to_png` / :func:`to_svg` turn it into bytes.
The Qt screen can show the same Figure in a ``FigureCanvasQTAgg``.
"""

from .bars import bars_chart
from .data import (
    AnswerKind,
    AnswerOption,
    BarsData,
    RadarData,
    RadarSeries,
    TrendChartData,
    TrendLine,
    bars_data,
    radar_data,
    trend_data,
)
from .radar import radar_chart
from .render import PRINT_DPI, to_png, to_svg
from .trend import trend_chart

__all__ = [
    "PRINT_DPI",
    "AnswerKind",
    "AnswerOption",
    "BarsData",
    "RadarData",
    "RadarSeries",
    "TrendChartData",
    "TrendLine",
    "bars_chart",
    "bars_data",
    "radar_chart",
    "radar_data",
    "to_png",
    "to_svg",
    "trend_chart",
    "trend_data",
]
