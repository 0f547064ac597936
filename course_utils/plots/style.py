"""What every figure of the course shares: colours, sizes and the diverging colormap."""

import matplotlib.pyplot as plt

# Okabe-Ito: distinguishable with every common colour-vision deficiency.
COLORS = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}

# Diverging and colour-blind safe, white at 0: for Jacobians, whose entries change sign.
DIVERGING_CMAP = "PuOr_r"


def new_figure(width=6.0, height=4.0, **subplots_kwargs):
    """A new figure and axes in the course's size, drawn with constrained layout.

    Parameters
    ----------
    width, height : float
        Inches; ``presentation_mode`` scales fonts, not these.
    **subplots_kwargs
        Passed to :func:`matplotlib.pyplot.subplots` (``ncols=2``, ...).

    Returns
    -------
    fig, ax
        As from :func:`matplotlib.pyplot.subplots`.

    Examples
    --------
    >>> fig, ax = new_figure(4, 3)
    >>> fig.get_size_inches().tolist()
    [4.0, 3.0]
    >>> plt.close(fig)
    """
    return plt.subplots(figsize=(width, height), layout="constrained", **subplots_kwargs)
