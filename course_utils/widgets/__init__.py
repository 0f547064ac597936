"""Interactive explorers for the course: sliders in, live figures and checked readouts out.

* :func:`softmax_explorer`: one slider per logit and a temperature slider; live bars and
  the probabilities.
* :func:`jacobian_explorer`: the same controls driving a live heatmap of ∂σᵢ/∂xⱼ and a
  readout of its properties (symmetry, row sums, eigenvalues and rank, diagonal ≤ 1/(4T)).
* :func:`stability_lab`: a scale slider taking logits past float32's and float64's
  overflow points, comparing naive softmax, the max-shifted one and log-softmax.
* :class:`MatrixHeatmap`: any matrix as a canvas heatmap, with its own labels, colour
  scale and number format (the explorers' drawing code, for other notebooks).

Every explorer has a "classes D" slider (2 to 10), one button per :data:`PRESETS` entry,
a "reset" button (``reset()`` from a cell; :func:`reset_explorers` resets every explorer
at once) and a "projector" toggle. The front end runs in
the browser (anywidget; see ``explorers``). Importing this package changes no global state.
"""

from .canvas import MatrixHeatmap
from .controls import PRESETS
from .explorers import (
    JacobianExplorer,
    SoftmaxExplorer,
    jacobian_explorer,
    reset_explorers,
    softmax_explorer,
)
from .stability import StabilityLab, stability_lab

__all__ = [
    "PRESETS",
    "JacobianExplorer",
    "MatrixHeatmap",
    "SoftmaxExplorer",
    "StabilityLab",
    "jacobian_explorer",
    "reset_explorers",
    "softmax_explorer",
    "stability_lab",
]
