"""Lines against a step or a size: loss and accuracy curves, measured times against D.

Each curve gets the next course colour and a marker style of its own, so curves stay apart
in grey print and for every colour vision.
"""

import numpy as np

from .style import COLORS, new_figure

CURVE_COLORS = ("blue", "vermillion", "green", "orange", "purple", "sky")
CURVE_STYLES = ("-", "--", ":", "-.")


def line_chart(x, curves, ax=None, xlabel="", ylabel="", title=None, log_x=False, log_y=False,
               markers=False):
    """Draw several named curves over the same x values, with a legend.

    Parameters
    ----------
    x : array_like
        Shape (M,), shared by every curve.
    curves : dict
        ``{label: y values of shape (M,)}``, drawn in order.
    ax : matplotlib.axes.Axes, optional
        Where to draw; by default a new figure of the course's size.
    xlabel, ylabel, title : str, optional
        Axis labels and title.
    log_x, log_y : bool, optional
        Logarithmic axes.
    markers : bool, optional
        Mark each point (for a few measured points rather than a long curve).

    Returns
    -------
    ax : matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> ax = line_chart([0, 1, 2], {"a": [3, 2, 1], "b": [1, 1, 1]}, ylabel="loss")
    >>> [line.get_label() for line in ax.get_lines()], ax.get_ylabel()
    (['a', 'b'], 'loss')
    >>> plt.close(ax.figure)
    """
    x = np.asarray(x, dtype=float)
    if not curves:
        raise ValueError("curves is empty: pass at least one {label: values}")
    if ax is None:
        _, ax = new_figure(6.0, 3.6)
    for index, (label, values) in enumerate(curves.items()):
        values = np.asarray(values, dtype=float)
        if values.shape != x.shape:
            raise ValueError(f"curve {label!r} has shape {values.shape}, but x has {x.shape}")
        ax.plot(
            x, values, label=label,
            color=COLORS[CURVE_COLORS[index % len(CURVE_COLORS)]],
            linestyle=CURVE_STYLES[index % len(CURVE_STYLES)],
            marker="os^Dv*"[index % 6] if markers else None, linewidth=2,
        )
    ax.set_xscale("log" if log_x else "linear")
    ax.set_yscale("log" if log_y else "linear")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(frameon=False)
    return ax


def loss_curves(curves, ax=None, ylabel="training loss (cross-entropy)", title=None,
                log_y=False):
    """Training curves against the step number: ``{label: one value per step}``.

    All curves must have the same length; step 0 is the untrained model.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> ax = loss_curves({"right gradient": [1.1, 0.5, 0.3]})
    >>> ax.get_lines()[0].get_xdata().tolist(), ax.get_xlabel()
    ([0.0, 1.0, 2.0], 'step')
    >>> plt.close(ax.figure)
    """
    lengths = {len(values) for values in curves.values()}
    if len(lengths) > 1:
        raise ValueError(f"the curves have different lengths: {sorted(lengths)}")
    steps = np.arange(lengths.pop() if lengths else 0)
    return line_chart(steps, curves, ax=ax, xlabel="step", ylabel=ylabel, title=title,
                      log_y=log_y)


def timing_lines(dims, seconds, ax=None, title="Backward pass through softmax"):
    """Measured time against the number of classes D, both axes logarithmic.

    On log-log axes a cost growing like D^k is a straight line of slope k, so O(D) and
    O(D²) separate at a glance. Two grey guide lines help read the slopes: slope 2 through
    the last point of the slowest method, slope 1 through the last point of the fastest.
    (At small D every call costs about the same fixed overhead, so curves start flat.)

    Parameters
    ----------
    dims : array_like
        The numbers of classes measured.
    seconds : dict
        ``{method: seconds at each D}``, as from :func:`course_utils.timing.time_backward`.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> ax = timing_lines([8, 64], {"a": [1e-5, 1e-3], "b": [1e-5, 2e-5]})
    >>> ax.get_xscale(), ax.get_yscale(), len(ax.get_lines())
    ('log', 'log', 4)
    >>> plt.close(ax.figure)
    """
    dims = np.asarray(dims, dtype=float)
    ax = line_chart(dims, seconds, ax=ax, xlabel="number of classes D",
                    ylabel="seconds per batch (median)", title=title, log_x=True, log_y=True,
                    markers=True)
    ax.set_xticks(dims, [f"{dim:g}" for dim in dims], minor=False)
    ax.set_xticks([], minor=True)  # label the measured sizes, nothing in between
    ends = [float(values[-1]) for values in seconds.values()]
    for slope, end, style in ((2, max(ends), (0, (4, 3))), (1, min(ends), (0, (1, 3)))):
        ax.plot(dims, end * (dims / dims[-1]) ** slope, color="0.55", linestyle=style,
                linewidth=1.2, label=f"guide: slope {slope}, time ∝ D{'²' if slope == 2 else ''}")
    ax.legend(frameon=False)
    return ax
