"""The attention explorer: a slider for the scale of QKᵀ and a live heatmap of the weights (notebook 09).

Kernel side, like the other explorers: the figure is drawn by matplotlib outside pyplot and
redrawn in place into an image widget (``live_figure``), and the readout (the weights, each
row's largest weight, the size of the scores' gradient) is computed by
:mod:`course_utils.attention`. Displayed, it offers the live widget, ``image/png`` and the
readout as ``text/plain``, which nbval compares.
"""

import base64
import html

import ipywidgets as widgets
import numpy as np

from ..attention import attention, causal_mask
from ..jacobian import softmax_backward
from ..plots.attention_map import attention_heatmap, update_attention_heatmap
from .live_figure import LiveFigure, live_figure_canvas

# Scales offered by the slider, as multiples of √d: 1 is the standard scale, small values
# mean "no scaling" (a temperature far below √d), large ones flatten the weights.
SCALE_RANGE = (0.05, 4.0)


class AttentionExplorer(widgets.VBox):
    """Seeded random queries and keys, a causal mask, and a slider for the scale s = factor · √d.

    Examples
    --------
    >>> explorer = AttentionExplorer(n_tokens=4, width=16)
    >>> explorer.weights.shape, bool(np.allclose(explorer.weights.sum(axis=1), 1))
    ((4, 4), True)
    >>> explorer.set_factor(0.05)
    >>> explorer.readout_text.splitlines()[0]
    'scale s = 0.05 · √d = 0.2'
    """

    title = "Attention weights: softmax(QKᵀ / s + causal mask)"

    def __init__(self, n_tokens=6, width=16, factor=1.0, seed=0):
        rng = np.random.default_rng(seed)
        self.query_matrix = rng.standard_normal((n_tokens, width))
        self.key_matrix = rng.standard_normal((n_tokens, width))
        self.value_matrix = rng.standard_normal((n_tokens, width))
        self.upstream = rng.standard_normal((n_tokens, n_tokens))  # a random dL/dA
        self.mask = causal_mask(n_tokens)
        self.slider = widgets.FloatSlider(
            value=factor, min=SCALE_RANGE[0], max=SCALE_RANGE[1], step=0.05,
            description="s / √d", readout_format=".2f", continuous_update=True,
        )
        figure = live_figure_canvas(4.8, 3.8)
        self.image = attention_heatmap(self._weights(factor), ax=figure.subplots(),
                                       masked=np.isneginf(self.mask))
        self.live = LiveFigure(figure)
        self.live.set_changing([self.image, *self.image.axes.patches])  # hatching over the image
        self.readout = widgets.HTML()
        self._readout_text = ""
        self.slider.observe(lambda change: self.update(), names="value")
        self.update()
        heading = widgets.HTML(f"<b>{html.escape(self.title)}</b>")
        super().__init__([heading, self.slider, widgets.HBox([self.live.image, self.readout])])
        self.add_class("course-explorer")

    @property
    def factor(self):
        """The slider's value: the scale as a multiple of √d."""
        return round(float(self.slider.value), 2)

    @property
    def scale(self):
        """What the scores are divided by: factor · √d (the softmax temperature)."""
        return self.factor * np.sqrt(self.query_matrix.shape[1])

    @property
    def weights(self):
        """The attention weights the heatmap shows now."""
        return self._weights(self.factor)

    @property
    def readout_text(self):
        return self._readout_text

    @property
    def png(self):
        return self.live.png

    def set_factor(self, factor):
        """Move the slider (the scale in multiples of √d)."""
        self.slider.value = factor

    def update(self):
        """Redraw the heatmap and the readout from the slider's value."""
        weights = self.weights
        update_attention_heatmap(self.image, weights)
        self.live.redraw()
        grad_scores = softmax_backward(weights, self.upstream)
        typical = np.median(np.sqrt(np.mean(grad_scores**2, axis=1)))
        self._readout_text = "\n".join([
            f"scale s = {self.factor:.2f} · √d = {self.scale:.3g}",
            f"largest weight of each query: {np.array2string(weights.max(axis=1), precision=2)}",
            f"typical size of dL/dscores: {typical:.2g}",
        ])
        self.readout.value = f"<pre>{html.escape(self._readout_text)}</pre>"

    def _weights(self, factor):
        scale = round(float(factor), 2) * np.sqrt(self.query_matrix.shape[1])
        return attention(self.query_matrix, self.key_matrix, self.value_matrix, self.mask, scale=scale)[1]

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = f"{self.title}\n{self._readout_text}"
        bundle["image/png"] = base64.b64encode(self.png).decode("ascii")
        return bundle


def attention_explorer(n_tokens=6, width=16, factor=1.0, seed=0):
    """An :class:`AttentionExplorer`: move the slider and watch the weights sharpen or flatten.

    Examples
    --------
    >>> attention_explorer(n_tokens=3).weights.shape
    (3, 3)
    """
    return AttentionExplorer(n_tokens, width, factor, seed)
