"""Probabilities as a bar chart: one bar per class, the y axis fixed from 0 to 1.

``probability_bars`` draws the chart once; ``update_probability_bars`` changes the heights
and value labels of the same artists, so a widget can redraw without building a new figure.
"""

import numpy as np

from ..formatting import class_labels
from .style import COLORS, new_figure

_VALUE_LABEL_GID = "probability-value"


def probability_bars(probs, ax=None, labels=None):
    """Draw probabilities as bars on a fixed 0-1 scale, each bar labelled with its value.

    Parameters
    ----------
    probs : array_like
        One probability per class, shape (D,).
    ax : matplotlib.axes.Axes, optional
        Where to draw; by default a new figure of the course's size.
    labels : sequence of str, optional
        One tick label per class; by default σ₁, σ₂, ..., σ_D.

    Returns
    -------
    bars : matplotlib.container.BarContainer
        The bars (``bars.patches``); pass it to :func:`update_probability_bars` to change
        the heights in place.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> bars = probability_bars([0.09, 0.2447, 0.6652])
    >>> [round(float(bar.get_height()), 4) for bar in bars]
    [0.09, 0.2447, 0.6652]
    >>> [label.get_text() for label in bars[0].axes.get_xticklabels()]
    ['σ₁', 'σ₂', 'σ₃']
    >>> plt.close(bars[0].figure)
    """
    probs = np.asarray(probs, dtype=float)
    if ax is None:
        _, ax = new_figure(5.0, 3.2)
    positions = np.arange(probs.size)
    bars = ax.bar(positions, probs, width=0.7, color=COLORS["blue"], edgecolor=COLORS["black"])
    ax.set_xticks(positions, labels if labels is not None else class_labels(probs.size))
    ax.set_ylim(0.0, 1.12)  # fixed, so bars of different logits compare at a glance
    ax.set_yticks([0.0, 0.25, 0.5, 0.75, 1.0])
    ax.set_ylabel("probability")
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    for position, prob in zip(positions, probs, strict=True):
        ax.text(
            position, prob + 0.02, f"{prob:.2f}", ha="center", va="bottom",
            fontsize="small", gid=_VALUE_LABEL_GID,
        )
    return bars


def bar_artists(bars):
    """The artists that change with the probabilities: the bars, then their value labels.

    A live figure redraws only these (see ``course_utils.widgets``).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> bars = probability_bars([0.5, 0.5])
    >>> len(bar_artists(bars))
    4
    >>> plt.close(bars[0].figure)
    """
    ax = bars[0].axes
    return [*bars.patches, *(text for text in ax.texts if text.get_gid() == _VALUE_LABEL_GID)]


def update_probability_bars(bars, probs):
    """Change the heights and value labels of bars drawn by :func:`probability_bars`.

    Parameters
    ----------
    bars : matplotlib.container.BarContainer
        As returned by :func:`probability_bars`.
    probs : array_like
        The new probabilities, as many as there are bars.

    Raises
    ------
    ValueError
        If ``probs`` does not have one value per bar.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> bars = probability_bars([0.5, 0.5])
    >>> update_probability_bars(bars, [0.25, 0.75])
    >>> [bar.get_height() for bar in bars]
    [0.25, 0.75]
    >>> plt.close(bars[0].figure)
    """
    probs = np.asarray(probs, dtype=float)
    if probs.shape != (len(bars),):
        raise ValueError(f"expected {len(bars)} probabilities, got shape {probs.shape}")
    ax = bars[0].axes
    value_labels = [text for text in ax.texts if text.get_gid() == _VALUE_LABEL_GID]
    for bar, label, prob in zip(bars, value_labels, probs, strict=True):
        bar.set_height(float(prob))
        label.set_y(prob + 0.02)
        label.set_text(f"{prob:.2f}")
