"""The controls every explorer shares: D, one slider per logit, temperature and presets.

``PRESETS`` are data, so a notebook cell (or a test) can apply the same teaching moment
the buttons do and check what it shows.

Why the sliders update on release (``continuous_update=False``)
-----------------------------------------------------------------
Measured in JupyterLab with ipywidgets 8.1: with continuous updates, every value or range
the kernel sets makes the browser's slider snap it to its step grid (``10**-0.30`` for a
log slider asked for 0.5; a slightly different float after a range change) and send that
back. Those echoes arrive after the kernel has moved on, so a cell that sets several
values in a row (a preset, a loop) ends with stale values in its sliders: after "Run All",
x₂ read 1.00 where the preset had set 999. With updates on release, the browser only sends
what a person did (a drag released, a key pressed), and the kernel's values stay exact.

Why the kernel never writes a person's value back
-------------------------------------------------
The browser sends 4.300000000000001 for 4.3. The kernel tidies such values when it reads
them (:func:`tidy_value`), not by setting the slider to the tidy value: that write would
travel back to the browser, and arriving while the next key press is on its way it would
reset the slider and lose that press (seen in Voilà: six quick PageUp presses moved five).
"""

import contextlib
import math

import ipywidgets as widgets
import numpy as np

from ..plots.bars import class_labels

MIN_CLASSES, MAX_CLASSES = 2, 10
LOGIT_RANGE = 10.0  # sliders span ±10 unless a preset's logits need more
LOGIT_STEP = 0.1
TEMPERATURE_EXPONENTS = (-2.0, 1.0)  # the temperature slider spans 10⁻² to 10¹
DEFAULT_LOGITS = (1.0, 2.0, 3.0)

# name -> (logits, temperature): the teaching moments, one button each.
PRESETS = {
    # J = (diag(σ) − σσᵀ): every σᵢ = 1/D, the most spread-out Jacobian
    "all equal": ((0.0, 0.0, 0.0), 1.0),
    # σ near one-hot: every entry of J near 0, softmax saturates
    "one dominant": ((6.0, 0.0, 0.0), 1.0),
    # the two tied classes trade probability: a ±1/4 block
    "two tied": ((3.0, 3.0, 0.0), 1.0),
    # shift invariance: the same σ and J as (2, 1, 0), and no overflow
    "huge scale": ((1000.0, 999.0, 998.0), 1.0),
    # T → 0 sharpens σ towards one-hot; J shrinks although its factor 1/T grows
    "low temperature": ((2.0, 1.0, 0.0), 0.1),
}


def slider_bound(logits):
    """The slider range ±bound that holds ``logits``: 10, or the next power of 10.

    Examples
    --------
    >>> slider_bound([1.0, -3.0]), slider_bound([1000.0, 999.0]), slider_bound([-12.5])
    (10.0, 1000.0, 100.0)
    """
    largest = float(np.max(np.abs(logits)))
    if largest <= LOGIT_RANGE:
        return LOGIT_RANGE
    return 10.0 ** math.ceil(math.log10(largest))


class LogitControls:
    """The sliders and buttons of an explorer; ``on_change()`` runs once per user action.

    Parameters
    ----------
    logits : sequence of float
        Starting logits; their number is D (2 to 10).
    temperature : float
        Starting temperature, between 0.01 and 10.
    on_change : callable
        Called with no argument after any value changes; ``size_changed`` tells whether
        D changed since the previous call.

    Examples
    --------
    >>> calls = []
    >>> controls = LogitControls([0.0, 1.0], 1.0, on_change=lambda: calls.append(1))
    >>> controls.logit_sliders[0].value = 0.5
    >>> controls.logits.tolist(), len(calls)
    ([0.5, 1.0], 1)
    >>> controls.set_values([1.0, 2.0, 3.0], temperature=0.5)  # one call, not four
    >>> controls.size.value, controls.temperature.value, len(calls)
    (3, 0.5, 2)
    """

    def __init__(self, logits, temperature, on_change):
        logits = _check_logits(logits)
        self._on_change = on_change
        self._held = True  # no call while the controls are being built
        self._last_size = logits.size
        self.size_changed = True
        self.size = widgets.IntSlider(
            value=logits.size, min=MIN_CLASSES, max=MAX_CLASSES, description="classes D",
            continuous_update=False, style={"description_width": "initial"},
        )
        self.temperature = widgets.FloatLogSlider(
            value=temperature, base=10, min=TEMPERATURE_EXPONENTS[0],
            max=TEMPERATURE_EXPONENTS[1], step=0.01, description="T", readout_format=".3g",
            continuous_update=False,
        )
        self.logit_sliders = []
        self.slider_box = widgets.VBox()
        self.preset_buttons = {
            name: widgets.Button(description=name, tooltip=_preset_tooltip(name))
            for name in PRESETS
        }
        for name, button in self.preset_buttons.items():
            button.on_click(lambda _button, name=name: self.apply_preset(name))
        self._resize(logits.size)
        self._set_logit_values(logits)
        self._held = False
        self.size.observe(self._size_moved, names="value")
        self.temperature.observe(self._value_moved, names="value")
        self.widget = widgets.VBox([
            self.size,
            self.slider_box,
            self.temperature,
            widgets.HTML("<b>Presets</b>"),
            widgets.GridBox(
                list(self.preset_buttons.values()),
                layout=widgets.Layout(grid_template_columns="repeat(2, auto)"),
            ),
        ])

    @property
    def logits(self):
        """The logits the sliders show, as a float64 array of length D (tidied: see ``tidy_value``)."""
        return np.array([tidy_value(slider.value) for slider in self.logit_sliders], dtype=float)

    def set_values(self, logits, temperature=None):
        """Move the controls to ``logits`` (D = their length) and ``temperature``, then update once."""
        logits = _check_logits(logits)
        with self._hold():
            if logits.size != self.size.value:
                self.size.value = logits.size
                self._resize(logits.size)
            self._set_logit_values(logits)
            if temperature is not None:
                self.temperature.value = temperature

    def apply_preset(self, name):
        """Move the controls to one of :data:`PRESETS`."""
        logits, temperature = PRESETS[name]
        self.set_values(logits, temperature)

    @contextlib.contextmanager
    def _hold(self):
        """Change several controls and call ``on_change`` once, at the end."""
        if self._held:
            yield
            return
        self._held = True
        try:
            yield
        finally:
            self._held = False
        self._notify()

    def _notify(self):
        if self._held:
            return
        self.size_changed = self._last_size != len(self.logit_sliders)
        self._last_size = len(self.logit_sliders)
        self._on_change()

    def _value_moved(self, _change):
        self._notify()

    def _size_moved(self, change):
        with self._hold():
            self._resize(change["new"])

    def _resize(self, size):
        """Add sliders (at 0) or drop the last ones so there are ``size`` of them."""
        bound = self.logit_sliders[0].max if self.logit_sliders else LOGIT_RANGE
        while len(self.logit_sliders) < size:
            slider = widgets.FloatSlider(
                value=0.0, min=-bound, max=bound, step=LOGIT_STEP, readout_format=".2f",
                continuous_update=False,  # see the module docstring
                description=class_labels(len(self.logit_sliders) + 1, symbol="x")[-1],
            )
            slider.observe(self._value_moved, names="value")
            self.logit_sliders.append(slider)
        for slider in self.logit_sliders[size:]:
            slider.close()
        del self.logit_sliders[size:]
        self.slider_box.children = tuple(self.logit_sliders)

    def _set_logit_values(self, logits):
        """Set every slider, widening (or narrowing back) the ranges to hold the values."""
        bound = slider_bound(logits)
        with self._hold():
            for slider, value in zip(self.logit_sliders, logits, strict=True):
                # widen first, so the value is never clipped; then narrow to the new bound
                slider.max = max(slider.max, bound)
                slider.min = min(slider.min, -bound)
                slider.value = float(value)
                slider.min, slider.max = -bound, bound


def tidy_value(value):
    """A slider value from the browser, without its binary noise: 12 significant digits.

    The browser computes positions on the step grid in binary floating point and sends
    4.300000000000001 for 4.3 (or 10**0.3 through a log slider, with its last bits). The
    kernel keeps the value a person would read; values set from Python are already tidy.

    Examples
    --------
    >>> tidy_value(4.300000000000001), tidy_value(0.5), tidy_value(-999.9000000000001)
    (4.3, 0.5, -999.9)
    """
    return float(f"{value:.12g}")


def _check_logits(logits):
    logits = np.asarray(logits, dtype=float)
    if logits.ndim != 1 or not MIN_CLASSES <= logits.size <= MAX_CLASSES:
        raise ValueError(
            f"the explorers take {MIN_CLASSES} to {MAX_CLASSES} logits, got shape {logits.shape}"
        )
    if not np.isfinite(logits).all():
        raise ValueError("the explorers take finite logits")
    return logits


def _preset_tooltip(name):
    logits, temperature = PRESETS[name]
    return f"logits {tuple(logits)}, T = {temperature}"
