"""The softmax explorer and the Jacobian explorer: drawn in the browser, checked in Python.

Why the browser draws (measured, see the README's speed section)
------------------------------------------------------------------
Drawing each frame in the kernel (matplotlib, ~25 ms a frame) gave 0 frames per second
while the mouse dragged, 50-66 ms from a key press to a frame, and a kernel core per few
students. Each explorer is now an ``anywidget``: its front end (``assets/explorer.js``)
holds the sliders, computes σ and J (D ≤ 10: microseconds) and draws them on a canvas at
animation-frame rate, at the resolution the canvas is shown at. The kernel only receives
the values (latest value wins, at most twice a second while dragging, and at once on
release), so Python's ``logits``, ``temperature``, ``probs`` and ``jacobian`` follow what
the sliders show; NumPy stays the reference the browser tests compare the page with.

Values the kernel sets (a preset, ``set_logits``, a cell) are shown exactly as set: the
front end never sends back a copy snapped to a slider's step, the stale echo that made
the kernel-drawn version update on release only.

Displayed, an explorer offers three representations:

* the live widget, for JupyterLab and Voilà;
* ``image/png``, the figure drawn by matplotlib, for renderers without a kernel (GitHub,
  nbviewer, a notebook reopened after its kernel stopped);
* ``text/plain``, the readout, which nbval compares, so an executed notebook's stored
  output is checked like any printed result.
"""

import base64
import io
import weakref

import anywidget
import numpy as np
import traitlets
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .. import softmax, softmax_jacobian
from ..plots.bars import probability_bars
from ..plots.heatmap import colormap_samples, jacobian_heatmap
from ..plots.presentation import is_presentation_mode
from .controls import (
    DEFAULT_LOGITS,
    PRESETS,
    check_logits,
    check_temperature_setting,
    tidy_value,
)
from .front_end import asset_text, esm
from .readouts import jacobian_text, probabilities_text

# The explorers alive in this kernel, so that one call resets them all (reset_explorers).
_LIVE = weakref.WeakSet()


def reset_explorers():
    """Return every explorer of this kernel (on the page or not) to its starting values.

    One step for the instructor after a discussion left sliders everywhere; each
    explorer's "reset" button does the same for that explorer alone.

    Returns
    -------
    int
        How many explorers were reset.

    Examples
    --------
    >>> first, second = softmax_explorer([1.0, 2.0]), jacobian_explorer([0.0, 1.0, 2.0])
    >>> first.set_logits([5.0, -5.0]); second.set_logits([3.0, 3.0, 3.0], 2.0)
    >>> reset_explorers() >= 2, first.logits.tolist(), second.temperature
    (True, [1.0, 2.0], 1.0)
    """
    live = [explorer for explorer in list(_LIVE) if explorer.comm is not None]
    for explorer in live:
        explorer.reset()
    return len(live)


class Explorer(anywidget.AnyWidget):
    """Controls on the left; a live figure and its readout on the right, drawn in the page.

    Subclasses name their ``kind`` (what ``explorer.js`` draws), write the readout
    (:meth:`_readout`) and draw the fallback figure (:meth:`_draw_png`).
    """

    _esm = esm("explorer.js")
    _css = asset_text("explorer.css")

    kind = traitlets.Unicode("").tag(sync=True)
    title = traitlets.Unicode("").tag(sync=True)
    logit_values = traitlets.List(traitlets.Float()).tag(sync=True)
    temperature_value = traitlets.Float(1.0).tag(sync=True)
    scale_value = traitlets.Float(1.0).tag(sync=True)
    dtype_value = traitlets.Unicode("float64").tag(sync=True)
    presentation = traitlets.Bool(False).tag(sync=True)
    presets = traitlets.Dict().tag(sync=True)
    initial_values = traitlets.Dict().tag(sync=True)
    colormap = traitlets.List(traitlets.Unicode()).tag(sync=True)

    figure_size = (5.0, 4.0)  # inches, for the PNG fallback

    def __init__(self, logits=None, temperature=1.0, **extra):
        logits = list(check_logits(DEFAULT_LOGITS if logits is None else logits))
        temperature = check_temperature_setting(temperature)
        super().__init__(
            logit_values=logits, temperature_value=temperature, presets=_presets_json(),
            colormap=colormap_samples(), presentation=is_presentation_mode(),
            initial_values={"logits": logits, "temperature": temperature, **extra},
            **{f"{name}_value": value for name, value in extra.items()},
        )
        self.add_class("course-explorer-widget")
        _LIVE.add(self)

    @traitlets.validate("logit_values")
    def _valid_logits(self, proposal):
        return [float(value) for value in check_logits(proposal["value"])]

    @traitlets.validate("temperature_value")
    def _valid_temperature(self, proposal):
        return check_temperature_setting(proposal["value"])

    # -- what a notebook cell uses ----------------------------------------------------

    @property
    def logits(self):
        """The logits the sliders show now (float64, length D; tidied: see ``tidy_value``)."""
        return np.array([tidy_value(value) for value in self.logit_values], dtype=float)

    @property
    def temperature(self):
        """The temperature the slider shows now (tidied: see ``controls.tidy_value``)."""
        return tidy_value(self.temperature_value)

    @property
    def probs(self):
        """softmax(logits / T), as the figure shows it."""
        return softmax(self.logits, temperature=self.temperature)

    @property
    def jacobian(self):
        """∂σᵢ/∂xⱼ at the current logits and temperature, shape (D, D)."""
        return softmax_jacobian(self.logits, temperature=self.temperature)

    @property
    def readout_text(self):
        """The readout as plain text (what the page shows under the figure)."""
        return self._readout()

    @property
    def png(self):
        """The figure at the current values, drawn by matplotlib, as PNG bytes."""
        figure = Figure(figsize=self.figure_size, layout="constrained")
        FigureCanvasAgg(figure)
        self._draw_png(figure)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
        return buffer.getvalue()

    def set_logits(self, logits, temperature=None):
        """Move the sliders (D = ``len(logits)``) and optionally the temperature, in one update."""
        logits = [float(value) for value in check_logits(logits)]
        with self.hold_sync():
            self.logit_values = logits
            if temperature is not None:
                self.temperature_value = temperature

    def apply_preset(self, name):
        """Move the controls to ``course_utils.widgets.PRESETS[name]`` (a button does the same)."""
        logits, temperature = PRESETS[name]
        self.set_logits(logits, temperature)

    def reset(self):
        """Back to the values the explorer was made with, in one step (the "reset" button)."""
        values = dict(self.initial_values)
        with self.hold_sync():
            self.set_logits(values.pop("logits"), values.pop("temperature"))
            for name, value in values.items():
                setattr(self, f"{name}_value", value)

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        if isinstance(bundle, tuple):  # (data, metadata)
            data = bundle[0]
        else:
            data = bundle
        data["text/plain"] = f"{self.title}\n{self.readout_text}"
        data["image/png"] = base64.b64encode(self.png).decode("ascii")
        return bundle

    # -- what a subclass provides -------------------------------------------------------

    def _readout(self):
        raise NotImplementedError

    def _draw_png(self, figure):
        raise NotImplementedError


class SoftmaxExplorer(Explorer):
    """Bars of softmax(logits / T), redrawn in the page as the sliders move."""

    figure_size = (5.0, 3.4)

    def __init__(self, logits=None, temperature=1.0):
        super().__init__(logits, temperature)
        self.kind = "softmax"
        self.title = "Softmax explorer: move the logits, watch the probabilities"

    def _readout(self):
        return probabilities_text(self.probs, self.temperature)

    def _draw_png(self, figure):
        ax = figure.subplots()
        probability_bars(self.probs, ax=ax)
        ax.set_title("probabilities σ = softmax(x / T)")


class JacobianExplorer(Explorer):
    """The heatmap of ∂σᵢ/∂xⱼ and its checked properties, redrawn in the page as sliders move."""

    figure_size = (5.0, 4.2)

    def __init__(self, logits=None, temperature=1.0):
        super().__init__(logits, temperature)
        self.kind = "jacobian"
        self.title = "Jacobian explorer: move the logits, watch ∂σᵢ/∂xⱼ"

    def _readout(self):
        return jacobian_text(self.probs, self.jacobian, self.temperature)

    def _draw_png(self, figure):
        # colours fixed at ±1/4, the bound at T = 1: at lower temperatures entries grow as
        # 1/T and show in the end colours (the colour bar's arrows); the values stay written
        jacobian_heatmap(self.jacobian, ax=figure.subplots(), extend="both")


def _presets_json():
    return {name: [list(logits), temperature] for name, (logits, temperature) in PRESETS.items()}


def softmax_explorer(logits=None, temperature=1.0):
    """One slider per logit and one for the temperature; live bars and the probabilities.

    Parameters
    ----------
    logits : sequence of float, optional
        Starting logits, 2 to 10 of them (default (1, 2, 3)); a "classes D" slider changes
        how many.
    temperature : float, optional
        Starting temperature, 0.01 to 10.

    Returns
    -------
    SoftmaxExplorer
        A widget: make it a cell's last expression to display it. Its ``probs``,
        ``readout_text``, ``set_logits``, ``apply_preset`` and ``reset`` let later cells
        check and steer what it shows.

    Examples
    --------
    >>> explorer = softmax_explorer([1.0, 2.0, 3.0])
    >>> explorer.probs.round(4)
    array([0.09  , 0.2447, 0.6652])
    >>> explorer.logit_values = [3.0, 2.0, 3.0]  # what a student's drag sends
    >>> print(explorer.readout_text.splitlines()[1])
    σ₁ = 0.4223
    >>> explorer.reset(); explorer.logits
    array([1., 2., 3.])
    """
    return SoftmaxExplorer(logits, temperature)


def jacobian_explorer(logits=None, temperature=1.0):
    """The explorer's controls driving a live heatmap of the Jacobian and its properties.

    The readout checks, at every change, that J is symmetric, that its rows sum to 0,
    its eigenvalues and rank, and that its largest diagonal entry is at most 1/(4T).

    Parameters
    ----------
    logits : sequence of float, optional
        Starting logits, 2 to 10 of them (default (1, 2, 3)).
    temperature : float, optional
        Starting temperature, 0.01 to 10.

    Returns
    -------
    JacobianExplorer
        A widget, with ``jacobian``, ``readout_text``, ``set_logits``, ``apply_preset``
        and ``reset`` for later cells.

    Examples
    --------
    >>> explorer = jacobian_explorer([0.0, 0.0])
    >>> explorer.jacobian
    array([[ 0.25, -0.25],
           [-0.25,  0.25]])
    >>> explorer.apply_preset("one dominant")
    >>> float(abs(explorer.jacobian).max()) < 0.01
    True
    """
    return JacobianExplorer(logits, temperature)
