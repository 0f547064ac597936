"""Presentation mode: larger fonts, lines and figures for a projector, switched on by a call.

Importing this module changes nothing; ``presentation_mode()`` changes only the matplotlib
settings listed in :data:`PRESENTATION_RC` and remembers their previous values, which
``presentation_mode(False)`` puts back. Figures drawn afterwards (including the explorers'
live figures) pick the settings up; figures already drawn keep theirs.
"""

import matplotlib as mpl

# figure.dpi scales every figure's pixels (so on screen it is larger, fonts included);
# font.size then makes the text larger again relative to the figure.
PRESENTATION_RC = {
    "figure.dpi": 130,
    "font.size": 15,
    "axes.titlesize": "large",
    "axes.labelsize": "medium",
    "xtick.labelsize": "medium",
    "ytick.labelsize": "medium",
    "legend.fontsize": "medium",
    "axes.linewidth": 1.2,
    "lines.linewidth": 2.5,
    "lines.markersize": 9.0,
}

_saved_rc = {}  # the values presentation mode replaced; empty while it is off


def presentation_mode(enabled=True):
    """Switch projector-friendly figure settings on (default) or back off.

    Parameters
    ----------
    enabled : bool, optional
        ``True`` applies :data:`PRESENTATION_RC`; ``False`` restores the values it replaced.
        Calling it twice with the same value changes nothing more.

    Examples
    --------
    >>> import matplotlib as mpl
    >>> before = mpl.rcParams["font.size"]
    >>> presentation_mode()
    >>> mpl.rcParams["font.size"], is_presentation_mode()
    (15.0, True)
    >>> presentation_mode(False)
    >>> mpl.rcParams["font.size"] == before, is_presentation_mode()
    (True, False)
    """
    if enabled:
        if not _saved_rc:
            _saved_rc.update({key: mpl.rcParams[key] for key in PRESENTATION_RC})
        mpl.rcParams.update(PRESENTATION_RC)
    elif _saved_rc:
        mpl.rcParams.update(_saved_rc)
        _saved_rc.clear()


def is_presentation_mode():
    """Whether :func:`presentation_mode` is on.

    Examples
    --------
    >>> is_presentation_mode()
    False
    """
    return bool(_saved_rc)
