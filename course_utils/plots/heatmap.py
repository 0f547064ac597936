"""The Jacobian of softmax as a heatmap: ∂σᵢ/∂xⱼ in row i, column j.

Colours come from the course's diverging, colour-blind-safe colormap, white at 0, with
fixed symmetric limits (±1/4 by default: at temperature 1 no entry of a softmax Jacobian
is larger than that), so two heatmaps are compared by their colours alone. Diagonal
cells carry a black outline and bold values, because they are the positive ones,
σᵢ(1 − σᵢ), and the off-diagonal ones are −σᵢσⱼ.

``jacobian_heatmap`` draws once; ``update_jacobian_heatmap`` changes the data of the same
artists (and adapts to a new size), so a widget never builds a new figure.
"""

import matplotlib as mpl
import numpy as np
from matplotlib.colors import TwoSlopeNorm, to_hex
from matplotlib.patches import Rectangle

from ..formatting import class_labels, format_matrix
from .style import COLORS, DIVERGING_CMAP, new_figure

# At temperature 1 every entry of a softmax Jacobian lies in [-1/4, 1/4]:
# σᵢ(1 − σᵢ) ≤ 1/4 on the diagonal, σᵢσⱼ ≤ σᵢ(1 − σᵢ) ≤ 1/4 off it.
DEFAULT_LIMIT = 0.25
ANNOTATE_UP_TO = 6  # D above this: cells too small for readable numbers
ENTRY_FONT_POINTS = 9  # the smallest text of any course figure

_ENTRY_GID = "jacobian-entry"
_DIAGONAL_GID = "jacobian-diagonal"
_LABEL = "∂σᵢ/∂xⱼ"


def jacobian_heatmap(
    jacobian, ax=None, annotate=None, limit=DEFAULT_LIMIT, colorbar=True, extend=None
):
    """Draw a (D, D) Jacobian as a heatmap, centred at 0 with fixed symmetric colour limits.

    Parameters
    ----------
    jacobian : array_like
        Shape (D, D); entry (i, j) is ∂σᵢ/∂xⱼ.
    ax : matplotlib.axes.Axes, optional
        Where to draw; by default a new figure of the course's size.
    annotate : bool or None, optional
        Write each value in its cell. ``None`` (the default) annotates when D ≤ 6.
    limit : float, optional
        Colours span ``[-limit, limit]``; larger entries (temperatures below 1) show in the
        end colours, and the colour bar then grows arrows. Default 1/4, the bound at T = 1.
    colorbar : bool, optional
        Add a colour bar labelled ∂σᵢ/∂xⱼ.
    extend : {None, "neither", "both"}, optional
        Arrows on the colour bar for values beyond the limits; ``None`` draws them when
        this Jacobian has such values. A live figure whose temperature can fall below 1
        passes ``"both"``.

    Returns
    -------
    image : matplotlib.image.AxesImage
        The heatmap; pass it to :func:`update_jacobian_heatmap` to show new values.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from course_utils import softmax_jacobian
    >>> image = jacobian_heatmap(softmax_jacobian([0.0, 0.0]))
    >>> image.get_array().tolist()
    [[0.25, -0.25], [-0.25, 0.25]]
    >>> image.norm.vmin, image.norm.vcenter, image.norm.vmax
    (-0.25, 0.0, 0.25)
    >>> [text.get_text() for text in image.axes.texts]
    ['0.250', '−0.250', '−0.250', '0.250']
    >>> plt.close(image.figure)
    """
    jacobian = _as_square(jacobian)
    if ax is None:
        _, ax = new_figure(5.0, 4.2)
    limit = float(limit)
    image = ax.imshow(
        jacobian,
        cmap=DIVERGING_CMAP,
        norm=TwoSlopeNorm(vcenter=0.0, vmin=-limit, vmax=limit),
        interpolation="nearest",
    )
    ax.set_title(f"Jacobian  {_LABEL}")
    ax.set_xlabel("j  (logit xⱼ)")
    ax.set_ylabel("i  (probability σᵢ)")
    _draw_structure(image, jacobian.shape[0], annotate)
    _write_entries(image, jacobian)
    if colorbar:
        if extend is None:
            extend = "both" if np.abs(jacobian).max() > limit else "neither"
        bar = ax.figure.colorbar(image, ax=ax, shrink=0.9, extend=extend)
        bar.set_label(_LABEL)
    return image


def update_jacobian_heatmap(image, jacobian, annotate=None):
    """Show a new Jacobian in a heatmap drawn by :func:`jacobian_heatmap`, in place.

    The colour limits stay as they were. A Jacobian of another size redraws the ticks,
    outlines and value labels on the same axes; one of the same size only changes data.

    Parameters
    ----------
    image : matplotlib.image.AxesImage
        As returned by :func:`jacobian_heatmap`.
    jacobian : array_like
        Shape (D, D), any D.
    annotate : bool or None, optional
        As for :func:`jacobian_heatmap`; used when the size changes.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from course_utils import softmax_jacobian
    >>> image = jacobian_heatmap(softmax_jacobian([0.0, 0.0]))
    >>> update_jacobian_heatmap(image, softmax_jacobian([0.0, 0.0, 0.0]))
    >>> image.get_array().shape, len(image.axes.texts)
    ((3, 3), 9)
    >>> plt.close(image.figure)
    """
    jacobian = _as_square(jacobian)
    size = jacobian.shape[0]
    image.set_data(jacobian)
    if image.get_extent()[1] != size - 0.5:
        image.set_extent((-0.5, size - 0.5, size - 0.5, -0.5))
        _draw_structure(image, size, annotate)
    _write_entries(image, jacobian)


def heatmap_artists(image):
    """The artists that change with the Jacobian, in drawing order: image, outlines, values.

    A live figure redraws only these (see ``course_utils.widgets``); after a change of size
    the outlines and value labels are new artists, so ask again.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> image = jacobian_heatmap(np.zeros((2, 2)))
    >>> len(heatmap_artists(image))  # the image, 2 outlines, 4 values
    7
    >>> plt.close(image.figure)
    """
    ax = image.axes
    outlines = [patch for patch in ax.patches if patch.get_gid() == _DIAGONAL_GID]
    values = [text for text in ax.texts if text.get_gid() == _ENTRY_GID]
    return [image, *outlines, *values]


def colormap_samples(count=256, name=DIVERGING_CMAP):
    """The heatmap's colormap as ``count`` CSS colours, low to high, for the browser's canvas.

    The explorers' front end colours cells with these, so the page and matplotlib agree.
    With ``PuOr_r``: negative entries purple, positive ones orange, 0 white.

    Examples
    --------
    >>> colours = colormap_samples(5)
    >>> len(colours), colours[2]
    (5, '#f7f7f6')
    """
    cmap = mpl.colormaps[name]
    return [to_hex(cmap(index / (count - 1))) for index in range(count)]


def _as_square(jacobian):
    jacobian = np.asarray(jacobian, dtype=float)
    if jacobian.ndim != 2 or jacobian.shape[0] != jacobian.shape[1]:
        raise ValueError(f"jacobian must be a square (D, D) array, got shape {jacobian.shape}")
    return jacobian


def _draw_structure(image, size, annotate):
    """Ticks, diagonal outlines and (empty) value labels for a D x D heatmap."""
    ax = image.axes
    for artist in [*ax.texts, *ax.patches]:
        if artist.get_gid() in (_ENTRY_GID, _DIAGONAL_GID):
            artist.remove()
    positions = np.arange(size)
    ax.set_xticks(positions, class_labels(size, symbol="x"))
    ax.set_yticks(positions, class_labels(size))
    ax.set_xlim(-0.5, size - 0.5)
    ax.set_ylim(size - 0.5, -0.5)
    for index in positions:
        ax.add_patch(Rectangle(
            (index - 0.5, index - 0.5), 1.0, 1.0, fill=False,
            edgecolor=COLORS["black"], linewidth=2.0, gid=_DIAGONAL_GID,
        ))
    if annotate is None:
        annotate = size <= ANNOTATE_UP_TO
    if annotate:
        for row in positions:
            for column in positions:
                ax.text(
                    column, row, "", ha="center", va="center", gid=_ENTRY_GID,
                    fontsize=ENTRY_FONT_POINTS if size > 4 else "medium",
                    fontweight="bold" if row == column else "normal",
                )


def _write_entries(image, jacobian):
    """Put the values into the value labels, white on the dark end colours."""
    labels = [text for text in image.axes.texts if text.get_gid() == _ENTRY_GID]
    if not labels:
        return
    limit = image.norm.vmax
    texts = [text for row in format_matrix(jacobian) for text in row]  # one format for all
    for label, value, text in zip(labels, jacobian.ravel(), texts, strict=True):
        label.set_text(text)
        label.set_color("white" if abs(value) > 0.6 * limit else "black")
