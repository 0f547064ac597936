"""The softmax explorer and the Jacobian explorer: sliders in, live figure and readout out.

Each explorer is an ``ipywidgets.VBox``. Displayed, it offers three representations:

* the live widget, for JupyterLab and Voilà;
* ``image/png``, the figure as it is, for renderers without a kernel (GitHub, nbviewer,
  a notebook reopened after its kernel stopped), so a stored notebook shows the figure;
* ``text/plain``, the readout, which nbval compares, so an executed notebook's stored
  output is checked like any printed result.
"""

import base64
import html

import ipywidgets as widgets

from .. import softmax, softmax_jacobian
from ..plots.bars import bar_artists, probability_bars, update_probability_bars
from ..plots.heatmap import heatmap_artists, jacobian_heatmap, update_jacobian_heatmap
from ..plots.presentation import is_presentation_mode
from .controls import DEFAULT_LOGITS, LogitControls, tidy_value
from .live_figure import LiveFigure, live_figure_canvas
from .readouts import jacobian_text, probabilities_text

# Read by JupyterLab and Voilà alike; scoped to explorers made in presentation mode.
PRESENTATION_CSS = """<style>
.course-presentation { font-size: 1.35em; }
.course-presentation .widget-label, .course-presentation .widget-readout,
.course-presentation .widget-html-content, .course-presentation button,
.course-presentation pre { font-size: 1.35em !important; line-height: 1.4; }
.course-presentation .widget-slider { width: 28em !important; }
.course-presentation .widget-button, .course-presentation .widget-toggle-button {
  width: auto !important; height: auto !important; padding: 0.1em 0.8em; }
.course-presentation .widget-html-content b { font-size: 1.2em; }
</style>"""


class Explorer(widgets.VBox):
    """Controls on the left; a live figure and a text readout on the right.

    Subclasses draw the figure (:meth:`_draw`), update it (:meth:`_update_figure`) and
    write the readout (:meth:`_readout`).
    """

    title = ""
    figure_size = (5.0, 4.0)
    full_redraw = False  # True: every update draws the whole figure (limits, titles change)

    def __init__(self, logits=None, temperature=1.0):
        logits = DEFAULT_LOGITS if logits is None else logits
        self.controls = LogitControls(logits, temperature, on_change=self.update)
        self.live = LiveFigure(live_figure_canvas(*self.figure_size))
        self.readout = widgets.HTML()
        self.readout.add_class("course-readout")
        self._readout_text = ""
        self._draw()
        self.update()
        heading = widgets.HTML(f"<b>{html.escape(self.title)}</b>")
        if is_presentation_mode():  # larger controls and readout, for a projector
            heading.value += PRESENTATION_CSS
        controls = widgets.VBox([self.controls.widget, *self._extra_controls()])
        body = widgets.HBox(
            [controls, widgets.VBox([self.live.image, self.readout])],
            layout=widgets.Layout(flex_flow="row wrap", align_items="flex-start"),
        )
        super().__init__([heading, body])
        self.add_class("course-explorer")
        if is_presentation_mode():
            self.add_class("course-presentation")

    # -- what a notebook cell uses ----------------------------------------------------

    @property
    def logits(self):
        """The logits the sliders show now (float64, length D)."""
        return self.controls.logits

    @property
    def temperature(self):
        """The temperature the slider shows now (tidied: see ``controls.tidy_value``)."""
        return tidy_value(self.controls.temperature.value)

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
        """The readout as plain text (what the widget shows under the figure)."""
        return self._readout_text

    @property
    def png(self):
        """The figure as shown now, as PNG bytes."""
        return self.live.png

    def set_logits(self, logits, temperature=None):
        """Move the sliders (D = ``len(logits)``) and optionally the temperature."""
        self.controls.set_values(logits, temperature)

    def apply_preset(self, name):
        """Move the controls to ``course_utils.widgets.PRESETS[name]``."""
        self.controls.apply_preset(name)

    def update(self):
        """Redraw the figure in place and rewrite the readout from the controls' values."""
        if self.controls.size_changed:
            self._resize_figure()
        self._update_figure()
        self.live.redraw(full=self.full_redraw)
        self._readout_text = self._readout()
        self.readout.value = f"<pre>{html.escape(self._readout_text)}</pre>"

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = f"{self.title}\n{self._readout_text}"
        bundle["image/png"] = base64.b64encode(self.png).decode("ascii")
        return bundle

    # -- what a subclass provides -------------------------------------------------------

    def _extra_controls(self):
        """Widgets to show under the shared controls."""
        return []

    def _draw(self):
        raise NotImplementedError

    def _resize_figure(self):
        raise NotImplementedError

    def _update_figure(self):
        raise NotImplementedError

    def _readout(self):
        raise NotImplementedError


class SoftmaxExplorer(Explorer):
    """Bars of softmax(logits / T), redrawn as the sliders move."""

    title = "Softmax explorer: move the logits, watch the probabilities"
    figure_size = (5.0, 3.4)

    def _draw(self):
        self._axes = self.live.figure.subplots()  # the bars come with the first update

    def _resize_figure(self):
        self._axes.clear()
        self._bars = probability_bars(self.probs, ax=self._axes)
        self._axes.set_title("probabilities σ = softmax(x / T)")
        self.live.set_changing(bar_artists(self._bars))

    def _update_figure(self):
        update_probability_bars(self._bars, self.probs)

    def _readout(self):
        return probabilities_text(self.probs, self.temperature)


class JacobianExplorer(Explorer):
    """The heatmap of ∂σᵢ/∂xⱼ and its checked properties, redrawn as the sliders move."""

    title = "Jacobian explorer: move the logits, watch ∂σᵢ/∂xⱼ"
    figure_size = (5.0, 4.2)

    def _draw(self):
        axes = self.live.figure.subplots()
        # colours fixed at ±1/4, the bound at T = 1: at lower temperatures entries grow as
        # 1/T and show in the end colours (the colour bar's arrows); the values stay written
        self._image = jacobian_heatmap(self.jacobian, ax=axes, extend="both")
        self.live.set_changing(heatmap_artists(self._image))

    def _resize_figure(self):
        update_jacobian_heatmap(self._image, self.jacobian)
        self.live.set_changing(heatmap_artists(self._image))

    def _update_figure(self):
        update_jacobian_heatmap(self._image, self.jacobian)

    def _readout(self):
        return jacobian_text(self.probs, self.jacobian, self.temperature)


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
        An ``ipywidgets.VBox``: make it a cell's last expression to display it. Its
        ``probs``, ``readout_text``, ``set_logits`` and ``apply_preset`` let later cells
        check what it shows.

    Examples
    --------
    >>> explorer = softmax_explorer([1.0, 2.0, 3.0])
    >>> explorer.probs.round(4)
    array([0.09  , 0.2447, 0.6652])
    >>> explorer.controls.logit_sliders[0].value = 3.0  # what a student's drag does
    >>> print(explorer.readout_text.splitlines()[1])
    σ₁ = 0.4223
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
        An ``ipywidgets.VBox``, with ``jacobian``, ``readout_text``, ``set_logits`` and
        ``apply_preset`` for later cells.

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
