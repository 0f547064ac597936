"""Figures of the numerical-stability lab: where exp overflows, and what each method returns.

``overflow_gauge`` puts the largest exponent a naive softmax must evaluate on a log axis,
with float32's and float64's overflow points marked. ``log_probability_bars`` shows
log-probabilities, which stay finite where the probabilities underflow to 0.
"""

import numpy as np

from ..formatting import class_labels, format_short
from ..softmax import OVERFLOW_POINTS
from .style import COLORS, new_figure

GAUGE_RANGE = (1.0, 1.0e5)
LABEL_POINTS = 9  # the smallest text of any course figure


def overflow_gauge(largest_exponent, dtype="float64", ax=None):
    """A horizontal bar at the largest exponent, against the overflow points of exp.

    Parameters
    ----------
    largest_exponent : float
        ``max(x / T)``: what a naive softmax passes to ``exp``. Values outside the log
        axis (below 1, above 10⁵) are drawn at its ends.
    dtype : {"float32", "float64"}
        The bar turns vermillion past this type's overflow point.
    ax : matplotlib.axes.Axes, optional
        Where to draw; by default a new figure.

    Returns
    -------
    bar : matplotlib.patches.Rectangle
        Pass it to :func:`update_overflow_gauge`.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> bar = overflow_gauge(100.0, "float32")
    >>> round(bar.get_width(), 1), bar.get_facecolor() == plt.matplotlib.colors.to_rgba("#D55E00")
    (100.0, True)
    >>> plt.close(bar.figure)
    """
    if ax is None:
        _, ax = new_figure(6.0, 1.6)
    (bar,) = ax.barh([0], [GAUGE_RANGE[0]], height=0.6, left=0.0)
    ax.set_xscale("log")
    ax.set_xlim(*GAUGE_RANGE)
    ax.set_ylim(-0.6, 1.6)
    ax.set_yticks([])
    ax.set_xlabel("largest exponent in a naive softmax: max(x) / T")
    for name, point in OVERFLOW_POINTS.items():
        ax.axvline(point, color=COLORS["black"], linestyle="--", linewidth=1.0)
        ax.text(point, 0.5, f" {name} overflows\n above {point:.2f}", fontsize=LABEL_POINTS,
                va="bottom", ha="left")
    update_overflow_gauge(bar, largest_exponent, dtype)
    return bar


def update_overflow_gauge(bar, largest_exponent, dtype="float64"):
    """Move the gauge's bar to ``largest_exponent`` and colour it for ``dtype``.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> bar = overflow_gauge(10.0)
    >>> update_overflow_gauge(bar, 1e9)  # off the axis: drawn at its end
    >>> bar.get_width()
    100000.0
    >>> plt.close(bar.figure)
    """
    overflows = largest_exponent > OVERFLOW_POINTS[dtype]
    bar.set_width(float(np.clip(largest_exponent, *GAUGE_RANGE)))
    bar.set_color(COLORS["vermillion"] if overflows else COLORS["blue"])


def log_probability_bars(log_probs, ax=None):
    """Draw log-probabilities (all ≤ 0) as downward bars, each labelled with its value.

    Parameters
    ----------
    log_probs : array_like
        Shape (D,), finite (as from ``log_softmax``).
    ax : matplotlib.axes.Axes, optional
        Where to draw; by default a new figure.

    Returns
    -------
    bars : matplotlib.container.BarContainer
        Pass it to :func:`update_log_probability_bars`.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> bars = log_probability_bars([0.0, -500.0])
    >>> [float(bar.get_height()) for bar in bars]
    [0.0, -500.0]
    >>> plt.close(bars[0].figure)
    """
    log_probs = np.asarray(log_probs, dtype=float)
    if ax is None:
        _, ax = new_figure(4.0, 3.0)
    positions = np.arange(log_probs.size)
    bars = ax.bar(positions, log_probs, width=0.7, color=COLORS["green"],
                  edgecolor=COLORS["black"])
    ax.set_xticks(positions, class_labels(log_probs.size))
    ax.set_ylabel("log σᵢ")
    ax.axhline(0.0, color=COLORS["black"], linewidth=0.8)
    for position in positions:
        ax.text(position, 0.0, "", ha="center", va="top", fontsize=LABEL_POINTS,
                gid="log-probability-value")
    update_log_probability_bars(bars, log_probs)
    return bars


def update_log_probability_bars(bars, log_probs):
    """New heights, labels and y-limits for bars drawn by :func:`log_probability_bars`.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> bars = log_probability_bars([0.0, -1.0])
    >>> update_log_probability_bars(bars, [-2000.0, 0.0])
    >>> [text.get_text() for text in bars[0].axes.texts]
    ['−2000', '0']
    >>> plt.close(bars[0].figure)
    """
    log_probs = np.asarray(log_probs, dtype=float)
    ax = bars[0].axes
    labels = [text for text in ax.texts if text.get_gid() == "log-probability-value"]
    for bar, label, value in zip(bars, labels, log_probs, strict=True):
        bar.set_height(float(value))
        label.set_text(format_short(value))
    lowest = min(float(log_probs.min()), -1.0)
    for label, value in zip(labels, log_probs, strict=True):
        # under the bar's end, and under the zero line for a 0: never drawn on the line
        label.set_position((label.get_position()[0], float(value) + 0.03 * lowest))
    ax.set_ylim(1.25 * lowest, -0.12 * lowest)
