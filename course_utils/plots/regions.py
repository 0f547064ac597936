"""Decision regions of a 2-D classifier: which class it predicts at every point of the plane.

The plane is shaded in a light version of each class's colour, and the data points are drawn
on top in the full colour with a marker per class, so a misclassified point is the one whose
marker sits in another class's shade.
"""

import numpy as np
from matplotlib.colors import ListedColormap, to_rgba

from .style import COLORS, new_figure

CLASS_COLORS = ("blue", "orange", "green", "vermillion", "purple", "sky")
CLASS_MARKERS = ("o", "s", "^", "D", "v", "P")
SHADE_ALPHA = 0.25


def region_grid(features, resolution=200, padding=0.5):
    """A regular grid of points covering the data with a margin.

    Parameters
    ----------
    features : array_like
        Shape (N, 2).
    resolution : int, optional
        Points along each axis.
    padding : float, optional
        Margin added on every side of the data's bounding box.

    Returns
    -------
    grid_x, grid_y : ndarray
        Shape (resolution, resolution) each, as from :func:`numpy.meshgrid`.

    Examples
    --------
    >>> grid_x, grid_y = region_grid(np.array([[0.0, 0.0], [1.0, 2.0]]), resolution=3, padding=0)
    >>> grid_x[0].tolist(), grid_y[:, 0].tolist()
    ([0.0, 0.5, 1.0], [0.0, 1.0, 2.0])
    """
    features = np.asarray(features, dtype=float)
    if features.ndim != 2 or features.shape[1] != 2:
        raise ValueError(f"features must have shape (N, 2), got {features.shape}")
    low = features.min(axis=0) - padding
    high = features.max(axis=0) + padding
    return np.meshgrid(
        np.linspace(low[0], high[0], resolution), np.linspace(low[1], high[1], resolution)
    )


def decision_regions(predict, features, labels, ax=None, class_names=None, resolution=200,
                     title="Decision regions"):
    """Shade the plane by predicted class and draw the labelled data on top.

    Parameters
    ----------
    predict : callable
        Takes points of shape (M, 2) and returns M class indices.
    features : array_like
        Shape (N, 2).
    labels : array_like
        Shape (N,), class indices.
    ax : matplotlib.axes.Axes, optional
        Where to draw; by default a new figure.
    class_names : sequence of str, optional
        Legend names, by default "class 0", "class 1", ...
    resolution : int, optional
        Grid points along each axis.
    title : str, optional
        The axes' title.

    Returns
    -------
    ax : matplotlib.axes.Axes
        The shaded regions are ``ax.images[0]`` (its array holds the predicted classes), the
        points one scatter collection per class.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> points = np.array([[-1.0, 0.0], [1.0, 0.0]])
    >>> ax = decision_regions(lambda p: (p[:, 0] > 0).astype(int), points, [0, 1], resolution=4)
    >>> ax.images[0].get_array()[0].tolist()
    [0, 0, 1, 1]
    >>> plt.close(ax.figure)
    """
    features = np.asarray(features, dtype=float)
    labels = np.asarray(labels)
    n_classes = int(labels.max()) + 1
    if n_classes > len(CLASS_COLORS):
        raise ValueError(f"at most {len(CLASS_COLORS)} classes can be told apart, got {n_classes}")
    names = class_names or [f"class {k}" for k in range(n_classes)]
    colors = [COLORS[CLASS_COLORS[k]] for k in range(n_classes)]
    grid_x, grid_y = region_grid(features, resolution)
    points = np.column_stack([grid_x.ravel(), grid_y.ravel()])
    predicted = np.asarray(predict(points)).reshape(grid_x.shape)
    if ax is None:
        _, ax = new_figure(5.0, 4.4)
    shades = ListedColormap([_lighten(color) for color in colors])
    ax.imshow(
        predicted, origin="lower", cmap=shades, vmin=-0.5, vmax=n_classes - 0.5,
        extent=(grid_x[0, 0], grid_x[0, -1], grid_y[0, 0], grid_y[-1, 0]),
        interpolation="nearest", aspect="auto",
    )
    for k in range(n_classes):
        chosen = labels == k
        ax.scatter(
            features[chosen, 0], features[chosen, 1], color=colors[k],
            marker=CLASS_MARKERS[k], edgecolor="white", linewidth=0.6, s=30, label=names[k],
        )
    ax.set_xlabel("feature 1")
    ax.set_ylabel("feature 2")
    ax.set_title(title)
    ax.legend(loc="upper right", framealpha=0.9)
    return ax


def _lighten(color):
    """The colour mixed with white, as an opaque RGBA (so shades never blend into each other)."""
    red, green, blue, _ = to_rgba(color)
    return tuple(SHADE_ALPHA * c + (1 - SHADE_ALPHA) for c in (red, green, blue)) + (1.0,)
