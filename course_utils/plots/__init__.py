"""The course's one plotting layer: every figure of every notebook is drawn through it.

One module per kind of figure; ``style`` holds what they share (colours, sizes, the
diverging colormap). Importing this package changes no global matplotlib state:
``course_utils.presentation_mode()`` does that, and only when called.
"""

from .bars import probability_bars, update_probability_bars
from .curves import line_chart, loss_curves, timing_lines
from .heatmap import jacobian_heatmap, update_jacobian_heatmap
from .network import softmax_network_diagram
from .regions import decision_regions
from .style import COLORS, DIVERGING_CMAP, new_figure

__all__ = [
    "COLORS",
    "DIVERGING_CMAP",
    "decision_regions",
    "jacobian_heatmap",
    "line_chart",
    "loss_curves",
    "new_figure",
    "probability_bars",
    "softmax_network_diagram",
    "timing_lines",
    "update_jacobian_heatmap",
    "update_probability_bars",
]
