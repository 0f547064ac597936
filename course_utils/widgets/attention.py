"""The attention explorer: a slider for the scale of QKᵀ and a live heatmap of the weights (notebook 09).

Drawn in the browser like the other explorers (``anywidget``; see ``explorers``): the front
end, ``assets/attention.js``, computes softmax(QKᵀ/s + mask) for the slider's scale at every
animation frame and draws it with the course's canvas heatmap, masked cells hatched; the
kernel receives the slider's value (latest wins, at most 10 times a second while dragging),
so :attr:`AttentionExplorer.weights` and :attr:`~AttentionExplorer.readout_text`, computed
with NumPy by :mod:`course_utils.attention`, follow the page and are what the tests compare it
with. Displayed, it also offers ``image/png`` (matplotlib) and the readout as ``text/plain``.
"""

import base64
import io

import anywidget
import numpy as np
import traitlets
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ..attention import attention, causal_mask
from ..jacobian import softmax_backward
from ..plots.attention_map import WEIGHTS_CMAP, attention_heatmap
from ..plots.heatmap import colormap_samples
from .front_end import asset_text, esm

# The slider: the scale s as a multiple of √d. 1 is standard attention; small values divide
# the scores by too little (the softmax saturates); large ones flatten the weights.
FACTOR_MIN, FACTOR_MAX, FACTOR_STEP = 0.05, 4.0, 0.05


class AttentionExplorer(anywidget.AnyWidget):
    """Seeded random queries and keys, a causal mask, and a slider for s = factor · √d.

    Examples
    --------
    >>> explorer = AttentionExplorer(n_tokens=4, width=16)
    >>> explorer.weights.shape, bool(np.allclose(explorer.weights.sum(axis=1), 1))
    ((4, 4), True)
    >>> explorer.set_factor(0.05)
    >>> explorer.readout_text.splitlines()[0]
    'scale s = 0.05 · √d = 0.2'
    """

    _esm = esm("attention.js")
    _css = asset_text("explorer.css")

    title = traitlets.Unicode("Attention weights: softmax(QKᵀ / s + causal mask)").tag(sync=True)
    query_rows = traitlets.List().tag(sync=True)
    key_rows = traitlets.List().tag(sync=True)
    upstream_rows = traitlets.List().tag(sync=True)
    masked = traitlets.List().tag(sync=True)
    factor = traitlets.Float(1.0).tag(sync=True)
    factor_min = traitlets.Float(FACTOR_MIN).tag(sync=True)
    factor_max = traitlets.Float(FACTOR_MAX).tag(sync=True)
    factor_step = traitlets.Float(FACTOR_STEP).tag(sync=True)
    colormap = traitlets.List(traitlets.Unicode()).tag(sync=True)

    def __init__(self, n_tokens=6, width=16, factor=1.0, seed=0):
        rng = np.random.default_rng(seed)
        self.query_matrix = rng.standard_normal((n_tokens, width))
        self.key_matrix = rng.standard_normal((n_tokens, width))
        self.value_matrix = rng.standard_normal((n_tokens, width))
        self.upstream = rng.standard_normal((n_tokens, n_tokens))  # a random dL/dA for the readout
        self.mask = causal_mask(n_tokens)
        super().__init__(
            query_rows=self.query_matrix.tolist(), key_rows=self.key_matrix.tolist(),
            upstream_rows=self.upstream.tolist(), masked=np.isneginf(self.mask).tolist(),
            factor=factor, colormap=colormap_samples(name=WEIGHTS_CMAP),
        )

    @traitlets.validate("factor")
    def _valid_factor(self, proposal):
        value = float(proposal["value"])
        if not FACTOR_MIN <= value <= FACTOR_MAX:
            raise traitlets.TraitError(
                f"the factor must lie between {FACTOR_MIN} and {FACTOR_MAX}, got {value}"
            )
        return value

    @property
    def scale(self):
        """What the scores are divided by: factor · √d (the softmax temperature)."""
        return self.factor * np.sqrt(self.query_matrix.shape[1])

    @property
    def weights(self):
        """The attention weights at the slider's scale, by :func:`course_utils.attention.attention`."""
        inputs = (self.query_matrix, self.key_matrix, self.value_matrix)
        return attention(*inputs, self.mask, scale=self.scale)[1]

    @property
    def readout_text(self):
        """What the page writes under the heatmap, computed here with NumPy."""
        weights = self.weights
        grad_scores = softmax_backward(weights, self.upstream)
        typical = np.median(np.sqrt(np.mean(grad_scores**2, axis=1)))
        largest = " ".join(f"{value:.2f}" for value in weights.max(axis=1))
        return "\n".join([
            f"scale s = {self.factor:.2f} · √d = {self.scale:.3g}",
            f"largest weight of each query: {largest}",
            f"typical size of dL/dscores: {typical:.1e}",
        ])

    @property
    def png(self):
        """The heatmap at the current scale, drawn by matplotlib, as PNG bytes."""
        figure = Figure(figsize=(4.8, 3.8), layout="constrained")
        FigureCanvasAgg(figure)
        attention_heatmap(self.weights, ax=figure.subplots(), masked=np.isneginf(self.mask))
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
        return buffer.getvalue()

    def set_factor(self, factor):
        """Move the slider: the scale s = factor · √d."""
        self.factor = factor

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        data["text/plain"] = f"{self.title}\n{self.readout_text}"
        data["image/png"] = base64.b64encode(self.png).decode("ascii")
        return bundle


def attention_explorer(n_tokens=6, width=16, factor=1.0, seed=0):
    """An :class:`AttentionExplorer`: move the slider and watch the weights sharpen or flatten.

    Examples
    --------
    >>> attention_explorer(n_tokens=3).weights.shape
    (3, 3)
    """
    return AttentionExplorer(n_tokens, width, factor, seed)
