"""Any matrix as a heatmap drawn in the browser: the explorers' canvas front end, reusable.

API (stable; the JavaScript side is ``assets/canvas.js``'s ``drawHeatmap``)
-------------------------------------------------------------------------
``MatrixHeatmap(values, row_labels, col_labels, limits=(-1, 1), center=None,
colormap=None, decimals=3, annotate=None, outline_diagonal=False, title="", x_label="",
y_label="", colorbar_label=None, width=420, height=380, font_px=13, alt_text=None)``

* ``values``: a (rows, columns) array; set ``heatmap.values = new`` (or
  :meth:`MatrixHeatmap.show`) to redraw, at the next animation frame.
* ``row_labels`` / ``col_labels``: one string per row / column (e.g.
  :func:`course_utils.formatting.class_labels`).
* ``limits``: the values the colour scale spans; beyond, the end colours. ``center``: the
  value drawn in the colour scale's middle (default: the middle of the limits).
* ``colormap``: a matplotlib colormap name (default the course's diverging ``PuOr_r``:
  negative purple, positive orange, 0 white) or a list of CSS colours, low to high.
* ``decimals``: the written values follow :func:`course_utils.formatting.format_matrix`
  (one format for the whole matrix). ``annotate``: write them (default: cells ≥ 28 px).
* ``colorbar_label``: ``None`` draws no colour bar; a string (maybe empty) draws one.
* ``alt_text``: what a screen reader says (default: the title and the shape).

Examples
--------
>>> heatmap = MatrixHeatmap([[0.5, 0.5], [0.1, 0.9]], ["q₁", "q₂"], ["k₁", "k₂"],
...                         limits=(0, 1), colormap="viridis", title="attention")
>>> heatmap.values
[[0.5, 0.5], [0.1, 0.9]]
>>> heatmap.show([[1.0, 0.0], [0.0, 1.0]]); heatmap.values[0]
[1.0, 0.0]
"""

import anywidget
import numpy as np
import traitlets

from ..plots.heatmap import colormap_samples
from .front_end import asset_text, esm


class MatrixHeatmap(anywidget.AnyWidget):
    """A heatmap of any matrix, drawn on a canvas in the page (see the module docstring)."""

    _esm = esm("matrix.js")
    _css = asset_text("explorer.css")

    values = traitlets.List(traitlets.List(traitlets.Float())).tag(sync=True)
    row_labels = traitlets.List(traitlets.Unicode()).tag(sync=True)
    col_labels = traitlets.List(traitlets.Unicode()).tag(sync=True)
    limits = traitlets.List(traitlets.Float(), minlen=2, maxlen=2).tag(sync=True)
    center = traitlets.Float(None, allow_none=True).tag(sync=True)
    colormap = traitlets.List(traitlets.Unicode()).tag(sync=True)
    decimals = traitlets.Int(3).tag(sync=True)
    annotate = traitlets.Bool(None, allow_none=True).tag(sync=True)
    outline_diagonal = traitlets.Bool(False).tag(sync=True)
    title = traitlets.Unicode("").tag(sync=True)
    x_label = traitlets.Unicode("").tag(sync=True)
    y_label = traitlets.Unicode("").tag(sync=True)
    colorbar_label = traitlets.Unicode(None, allow_none=True).tag(sync=True)
    width = traitlets.Int(420).tag(sync=True)
    height = traitlets.Int(380).tag(sync=True)
    font_px = traitlets.Int(13).tag(sync=True)
    alt_text = traitlets.Unicode("").tag(sync=True)

    def __init__(self, values, row_labels, col_labels, limits=(-1.0, 1.0), colormap=None,
                 alt_text=None, **options):
        values = _matrix(values)
        if len(row_labels) != len(values) or len(col_labels) != len(values[0]):
            raise ValueError(
                f"{len(row_labels)} row and {len(col_labels)} column labels for a "
                f"{len(values)} x {len(values[0])} matrix"
            )
        if isinstance(colormap, str) or colormap is None:
            colormap = colormap_samples() if colormap is None else colormap_samples(name=colormap)
        if alt_text is None:
            alt_text = f"{options.get('title', 'heatmap')}: a {len(values)} by {len(values[0])} matrix"
        super().__init__(values=values, row_labels=list(row_labels), col_labels=list(col_labels),
                         limits=[float(limit) for limit in limits], colormap=list(colormap),
                         alt_text=alt_text, **options)

    def show(self, values):
        """Draw new ``values`` (same or new shape; set the labels first for a new shape)."""
        self.values = _matrix(values)


def _matrix(values):
    array = np.asarray(values, dtype=float)
    if array.ndim != 2 or 0 in array.shape:
        raise ValueError(f"a heatmap needs a non-empty 2-D matrix, got shape {array.shape}")
    if not np.isfinite(array).all():
        raise ValueError("a heatmap needs finite values (NaN or inf has no colour)")
    return array.tolist()
