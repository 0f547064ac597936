"""The numerical-stability lab: scale the logits past the points where exp overflows.

A naive softmax, ``exp(x) / sum(exp(x))``, overflows once a logit passes log(largest
float): about 88.7 in float32 and 709.8 in float64. Shifting by the maximum first (the
course's :func:`~course_utils.softmax`) never overflows, and :func:`~course_utils.log_softmax`
stays finite even where a probability underflows to 0. The naive version's failure is
shown as a message: its NaN is computed (with NumPy's warnings silenced, on purpose and
only there) but never drawn.
"""


import ipywidgets as widgets
import numpy as np

from .. import log_softmax, softmax
from ..plots.bars import probability_bars, update_probability_bars
from ..plots.stability import (
    OVERFLOW_POINTS,
    log_probability_bars,
    overflow_gauge,
    update_log_probability_bars,
    update_overflow_gauge,
)
from ..plots.style import COLORS
from .controls import tidy_value
from .explorers import Explorer
from .readouts import format_number

SCALE_EXPONENTS = (0.0, 3.0)  # the scale slider spans 1 to 1000
LAB_LOGITS = (1.0, 0.5, -1.0)  # largest logit 1: the largest exponent is scale / T
DTYPES = {"float64": np.float64, "float32": np.float32}


def naive_softmax(logits, dtype="float64"):
    """``exp(x) / sum(exp(x))`` as written in textbooks, and what went wrong, if anything.

    Parameters
    ----------
    logits : array_like
        Shape (D,).
    dtype : {"float64", "float32"}
        The type the computation runs in.

    Returns
    -------
    probs : ndarray
        The result; wrong (NaN, or 0 where the sum overflowed) when ``problem`` is set.
    problem : str or None
        Why it failed ("overflow ..." or "underflow ..."), or ``None``.

    Examples
    --------
    >>> probs, problem = naive_softmax([1.0, 2.0, 3.0])
    >>> probs.round(4), problem
    (array([0.09  , 0.2447, 0.6652]), None)
    >>> print(naive_softmax([100.0, 0.0], "float32")[1])
    overflow: exp(100.0) = inf in float32, and inf / inf = NaN
    """
    values = np.asarray(logits, dtype=DTYPES[dtype])
    # The failure is the lesson: compute it quietly, then say what happened in words.
    with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
        exps = np.exp(values)
        total = exps.sum()
        probs = exps / total
    if np.isfinite(total) and total > 0:
        return probs, None
    largest = float(values.max())
    if not np.isfinite(total):
        culprit = (f"exp({_signed(largest)})" if largest > OVERFLOW_POINTS[dtype]
                   else "the sum of exp(x)")
        return probs, f"overflow: {culprit} = inf in {dtype}, and inf / inf = NaN"
    return probs, (
        f"underflow: every exp(x) = 0 in {dtype} (largest x = {_signed(largest)}), "
        "and 0 / 0 = NaN"
    )


def _signed(value, decimals=1):
    """A number with fixed decimals and a true minus sign."""
    return f"{value:.{decimals}f}".replace("-", "\N{MINUS SIGN}")


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
        f"largest exponent {_signed(result['largest_exponent'])} "
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

    title = "Numerical-stability lab: naive softmax, max-shifted softmax, log-softmax"
    figure_size = (9.0, 5.0)
    full_redraw = True

    def __init__(self, logits=None, temperature=1.0, scale=1.0, dtype="float64"):
        self.scale_slider = widgets.FloatLogSlider(
            value=scale, base=10, min=SCALE_EXPONENTS[0], max=SCALE_EXPONENTS[1], step=0.01,
            description="scale", readout_format=".1f", continuous_update=False,
        )
        self.dtype_buttons = widgets.ToggleButtons(options=list(DTYPES), value=dtype)
        super().__init__(LAB_LOGITS if logits is None else logits, temperature)
        self.scale_slider.observe(lambda _change: self.update(), names="value")
        self.dtype_buttons.observe(lambda _change: self.update(), names="value")

    @property
    def scale(self):
        """The scale the slider shows now (tidied: see ``controls.tidy_value``)."""
        return tidy_value(self.scale_slider.value)

    @property
    def scaled_logits(self):
        """scale × logits / T: what every method receives."""
        return self.scale * self.logits / self.temperature

    @property
    def comparison(self):
        """:func:`compare_methods` at the current controls."""
        return compare_methods(self.scaled_logits, self.dtype_buttons.value)

    def _extra_controls(self):
        return [widgets.HTML("<b>Scale and type</b>"), self.scale_slider, self.dtype_buttons]

    def _draw(self):
        grid = self.live.figure.add_gridspec(2, 3, height_ratios=(1, 3))
        self._gauge_axes = self.live.figure.add_subplot(grid[0, :])
        self._method_axes = [self.live.figure.add_subplot(grid[1, column]) for column in range(3)]
        self._gauge = overflow_gauge(1.0, ax=self._gauge_axes)

    def _resize_figure(self):
        size = len(self.controls.logit_sliders)
        naive_axes, shifted_axes, log_axes = self._method_axes
        for ax in self._method_axes:
            ax.clear()
        self._naive_bars = probability_bars(np.zeros(size), ax=naive_axes)
        self._naive_problem = naive_axes.text(
            0.5, 0.55, "", transform=naive_axes.transAxes, ha="center", va="center",
            fontsize="small", color=COLORS["vermillion"], fontweight="bold",
        )
        self._shifted_bars = probability_bars(np.zeros(size), ax=shifted_axes)
        self._log_bars = log_probability_bars(np.zeros(size), ax=log_axes)
        shifted_axes.set_title("max-shifted ✓")
        log_axes.set_title("log-softmax ✓")

    def _update_figure(self):
        result = self.comparison
        dtype = self.dtype_buttons.value
        update_overflow_gauge(self._gauge, result["largest_exponent"], dtype)
        problem = result["naive_problem"]
        naive_ok = problem is None
        naive = result["naive"] if naive_ok else np.zeros(len(self._naive_bars))
        update_probability_bars(self._naive_bars, naive)
        for artist in [*self._naive_bars, *self._naive_bars[0].axes.texts]:
            if artist is not self._naive_problem:
                artist.set_visible(naive_ok)
        if naive_ok:
            self._naive_problem.set_text("")
        else:  # one clause per line, to fit a third of the figure
            self._naive_problem.set_text(problem.replace(": ", "\n").replace(", and ", "\n"))
        self._naive_bars[0].axes.set_title(f"naive {'✓' if naive_ok else '✗'}")
        update_probability_bars(self._shifted_bars, result["shifted"])
        update_log_probability_bars(self._log_bars, result["log_probs"])
        self._gauge_axes.set_title(
            f"{dtype}, largest exponent {_signed(result['largest_exponent'])}"
        )

    def _readout(self):
        return comparison_text(self.comparison, self.dtype_buttons.value)


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
        An ``ipywidgets.VBox`` with ``comparison``, ``readout_text`` and the sliders.

    Examples
    --------
    >>> lab = stability_lab(scale=100.0, dtype="float32")
    >>> lab.comparison["naive_problem"] is not None  # float32 overflows above 88.72
    True
    >>> lab.dtype_buttons.value = "float64"
    >>> lab.comparison["naive_problem"] is None
    True
    """
    return StabilityLab(logits, temperature, scale, dtype)
