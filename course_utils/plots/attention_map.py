"""A heatmap of attention weights: one row per query, one column per key, masked cells marked."""

import numpy as np
from matplotlib.patches import Rectangle

from .style import new_figure

WEIGHTS_CMAP = "viridis"  # sequential, colour-blind safe: weights lie in [0, 1]


def attention_heatmap(weights, ax=None, title="Attention weights", masked=None):
    """Draw the weights (rows sum to 1) on a fixed 0..1 colour scale, masked cells hatched grey.

    Parameters
    ----------
    weights : array_like
        Shape (n_queries, n_keys).
    ax : matplotlib.axes.Axes, optional
        Where to draw; by default a new figure.
    title : str, optional
        The axes' title.
    masked : array_like of bool, optional
        The weights' shape: True where the mask is −inf. Those cells are covered by grey
        hatching, so a masked weight is never mistaken for a small one.

    Returns
    -------
    image : matplotlib.image.AxesImage
        Its array is the weights; update it with :func:`update_attention_heatmap`.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> image = attention_heatmap(np.array([[1.0, 0.0], [0.5, 0.5]]))
    >>> image.get_array().tolist(), image.get_clim()
    ([[1.0, 0.0], [0.5, 0.5]], (0.0, 1.0))
    >>> plt.close(image.figure)
    """
    weights = np.asarray(weights, dtype=float)
    if weights.ndim != 2:
        raise ValueError(f"weights must be a matrix (queries, keys), got shape {weights.shape}")
    if ax is None:
        _, ax = new_figure(4.6, 3.6)
    image = ax.imshow(weights, cmap=WEIGHTS_CMAP, vmin=0.0, vmax=1.0, interpolation="nearest")
    ax.figure.colorbar(image, ax=ax, label="weight")
    ax.set_xlabel("key")
    ax.set_ylabel("query")
    ax.set_xticks(range(weights.shape[1]))
    ax.set_yticks(range(weights.shape[0]))
    ax.set_title(title)
    if masked is not None:
        for row, column in np.argwhere(np.asarray(masked, dtype=bool)):
            ax.add_patch(Rectangle((column - 0.5, row - 0.5), 1, 1, facecolor="#e6e6e6",
                                   edgecolor="#8c8c8c", hatch="///", linewidth=0))
    return image


def update_attention_heatmap(image, weights, title=None):
    """Put new weights (same shape) into a heatmap from :func:`attention_heatmap`.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> image = attention_heatmap(np.eye(2))
    >>> update_attention_heatmap(image, np.full((2, 2), 0.5), title="flat")
    >>> image.get_array().tolist(), image.axes.get_title()
    ([[0.5, 0.5], [0.5, 0.5]], 'flat')
    >>> plt.close(image.figure)
    """
    weights = np.asarray(weights, dtype=float)
    if weights.shape != image.get_array().shape:
        raise ValueError(f"weights of shape {weights.shape} do not fit a {image.get_array().shape} heatmap")
    image.set_data(weights)
    if title is not None:
        image.axes.set_title(title)
