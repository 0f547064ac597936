"""The numerical-stability lab: scale the logits past the points where exp overflows.

A naive softmax, ``exp(x) / sum(exp(x))`` (:func:`course_utils.bugs.naive_softmax`),
overflows once a logit passes log(largest float): about 88.7 in float32 and 709.8 in
float64. Shifting by the maximum first (the course's :func:`~course_utils.softmax`) never
overflows, and :func:`~course_utils.log_softmax` stays finite even where a probability
underflows to 0. The naive version's failure is shown as a message: its NaN is computed
(with NumPy's warnings silenced, on purpose and only there) but never drawn.

Like the explorers, the lab draws in the browser (``assets/explorer.js``, kind
"stability"): the gauge, titles and limits change with every frame at no kernel cost.
"""

import numpy as np
import traitlets

from .. import log_softmax, softmax
from ..bugs import DTYPES, naive_softmax
from ..formatting import format_number, format_signed
from ..plots.bars import probability_bars
from ..plots.stability import log_probability_bars, overflow_gauge
from ..plots.style import COLORS
from ..softmax import OVERFLOW_POINTS
from .controls import tidy_value
from .explorers import Explorer

SCALE_RANGE = (1.0, 1000.0)  # the scale slider spans 10⁰ to 10³
LAB_LOGITS = (1.0, 0.5, -1.0)  # largest logit 1: the largest exponent is scale / T


def compare_methods(logits, dtype="float64"):
    """Naive softmax, max-shifted softmax and log-softmax of the same logits, in ``dtype``.

    Parameters
    ----------
    logits : array_like
        Shape (D,), already scaled and divided by the temperature.
    dtype : {"float64", "float32"}

    Returns
    -------
    dict
        ``largest_exponent``; ``naive`` and ``naive_problem`` (see :func:`naive_softmax`);
        ``shifted`` (probabilities); ``log_probs`` (from log-softmax); ``underflowed`` (how
        many shifted probabilities are exactly 0: their log would be -inf).

    Examples
    --------
    >>> result = compare_methods([1000.0, 500.0, -1000.0])
    >>> result["naive_problem"] is not None, result["shifted"].round(4)
    (True, array([1., 0., 0.]))
    >>> result["log_probs"], result["underflowed"]  # exp(-2000) underflows to 0
    (array([    0.,  -500., -2000.]), 1)
    """
    values = np.asarray(logits, dtype=DTYPES[dtype])
    naive, problem = naive_softmax(values, dtype)
    shifted = softmax(values)
    return {
        "largest_exponent": float(values.max()),
        "naive": naive,
        "naive_problem": problem,
        "shifted": shifted,
        "log_probs": log_softmax(values),
        "underflowed": int(np.count_nonzero(shifted == 0)),
    }


def comparison_text(result, dtype="float64"):
    """The lab's readout: one line per method, with what went wrong or right.

    Examples
    --------
    >>> print(comparison_text(compare_methods([100.0, 90.0], "float32"), "float32"))
    largest exponent 100.0 (float32 overflows above 88.72)
    naive:       overflow: exp(100.0) = inf in float32, and inf / inf = NaN
    max-shifted: σ = [1.0000, 4.54e−05]   sum 1.0000 ✓
    log-softmax: log σ = [0.0000, −10.0000] ✓ finite
    """
    def vector(values):
        return ", ".join(format_number(value) for value in np.asarray(values, dtype=float))

    naive = (result["naive_problem"] if result["naive_problem"] is not None
             else f"σ = [{vector(result['naive'])}] ✓")
    lines = [
        f"largest exponent {format_signed(result['largest_exponent'])} "
        f"({dtype} overflows above {OVERFLOW_POINTS[dtype]:.2f})",
        f"naive:       {naive}",
        f"max-shifted: σ = [{vector(result['shifted'])}]   "
        f"sum {format_number(float(np.sum(result['shifted'], dtype=float)))} ✓",
        f"log-softmax: log σ = [{vector(result['log_probs'])}] ✓ finite",
    ]
    if result["underflowed"]:
        count = result["underflowed"]
        lines.append(
            f"{count} {'probability' if count == 1 else 'probabilities'} underflowed to 0: "
            "log(σ) would be −inf, log-softmax is not"
        )
    return "\n".join(lines)


class StabilityLab(Explorer):
    """Scale the logits until a naive softmax breaks; the stable methods do not."""

    figure_size = (9.0, 5.0)

    def __init__(self, logits=None, temperature=1.0, scale=1.0, dtype="float64"):
        super().__init__(LAB_LOGITS if logits is None else logits, temperature,
                         scale=float(scale), dtype=dtype)
        self.kind = "stability"
        self.title = "Numerical-stability lab: naive softmax, max-shifted softmax, log-softmax"

    @traitlets.validate("scale_value")
    def _valid_scale(self, proposal):
        value = float(proposal["value"])
        low, high = SCALE_RANGE
        if not (np.isfinite(value) and low * (1 - 1e-9) <= value <= high * (1 + 1e-9)):
            raise ValueError(f"the lab's scale goes from {low:g} to {high:g}, got {value}")
        return value

    @traitlets.validate("dtype_value")
    def _valid_dtype(self, proposal):
        if proposal["value"] not in DTYPES:
            raise ValueError(f"dtype must be one of {list(DTYPES)}, got {proposal['value']!r}")
        return proposal["value"]

    @property
    def scale(self):
        """The scale the slider shows now (tidied: see ``controls.tidy_value``)."""
        return tidy_value(self.scale_value)

    @scale.setter
    def scale(self, value):
        self.scale_value = value

    @property
    def dtype(self):
        """The floating-point type the lab computes in: "float64" or "float32"."""
        return self.dtype_value

    @dtype.setter
    def dtype(self, value):
        self.dtype_value = value

    @property
    def scaled_logits(self):
        """scale × logits / T: what every method receives."""
        return self.scale * self.logits / self.temperature

    @property
    def comparison(self):
        """:func:`compare_methods` at the current controls."""
        return compare_methods(self.scaled_logits, self.dtype)

    def _readout(self):
        return comparison_text(self.comparison, self.dtype)

    def _draw_png(self, figure):
        result = self.comparison
        grid = figure.add_gridspec(2, 3, height_ratios=(1, 3))
        gauge_axes = figure.add_subplot(grid[0, :])
        naive_axes, shifted_axes, log_axes = (figure.add_subplot(grid[1, k]) for k in range(3))
        overflow_gauge(result["largest_exponent"], self.dtype, ax=gauge_axes)
        gauge_axes.set_title(f"{self.dtype}, largest exponent {format_signed(result['largest_exponent'])}")
        problem = result["naive_problem"]
        if problem is None:
            probability_bars(result["naive"], ax=naive_axes)
        else:  # one clause per line, to fit a third of the figure
            naive_axes.set_axis_off()
            naive_axes.text(0.5, 0.55, problem.replace(": ", "\n").replace(", and ", "\n"),
                            transform=naive_axes.transAxes, ha="center", va="center",
                            fontsize=9, color=COLORS["vermillion"], fontweight="bold")
        naive_axes.set_title(f"naive {'✓' if problem is None else '✗'}")
        probability_bars(result["shifted"], ax=shifted_axes)
        shifted_axes.set_title("max-shifted ✓")
        log_probability_bars(result["log_probs"], ax=log_axes)
        log_axes.set_title("log-softmax ✓")


def stability_lab(logits=None, temperature=1.0, scale=1.0, dtype="float64"):
    """A scale slider taking the logits past float32's and float64's overflow points.

    Parameters
    ----------
    logits : sequence of float, optional
        Base logits (default (1, 0.5, −1)), multiplied by the scale.
    temperature : float, optional
        Divides the scaled logits.
    scale : float, optional
        Starting scale, 1 to 1000.
    dtype : {"float64", "float32"}, optional
        Starting type.

    Returns
    -------
    StabilityLab
        A widget with ``comparison``, ``readout_text``, ``scale``, ``dtype`` and ``reset``.

    Examples
    --------
    >>> lab = stability_lab(scale=100.0, dtype="float32")
    >>> lab.comparison["naive_problem"] is not None  # float32 overflows above 88.72
    True
    >>> lab.dtype = "float64"
    >>> lab.comparison["naive_problem"] is None
    True
    """
    return StabilityLab(logits, temperature, scale, dtype)
