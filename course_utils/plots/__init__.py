"""The course's one plotting layer: every figure of every notebook is drawn through it.

One module per kind of figure; ``style`` holds what they share (colours, sizes, the
diverging colormap). Importing this package changes no global matplotlib state:
``course_utils.presentation_mode()`` does that, and only when called.
"""

from .style import COLORS, DIVERGING_CMAP, new_figure

__all__ = ["COLORS", "DIVERGING_CMAP", "new_figure"]
