"""What every explorer shares: the range of D, the temperature's range, the presets, checks.

``PRESETS`` are data, so a notebook cell (or a test) can apply the same teaching moment
the buttons do and check what it shows. The sliders themselves live in the browser
(``assets/explorer.js``): see ``explorers`` for why.
"""

import math

import numpy as np

MIN_CLASSES, MAX_CLASSES = 2, 10
TEMPERATURE_RANGE = (0.01, 10.0)  # the temperature slider spans 10⁻² to 10¹
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


def tidy_value(value):
    """A slider value from the browser, without its binary noise: 12 significant digits.

    A temperature slider moves an exponent: the browser sends 10**-0.3 with the last bits
    of its own ``pow``. The kernel keeps the value a person would read; values set from
    Python are already tidy.

    Examples
    --------
    >>> tidy_value(4.300000000000001), tidy_value(0.5), tidy_value(-999.9000000000001)
    (4.3, 0.5, -999.9)
    """
    return float(f"{value:.12g}")


def check_logits(logits):
    """``logits`` as a float64 array, or a clear error unless it holds 2 to 10 finite values.

    Examples
    --------
    >>> check_logits([1, 2]).tolist()
    [1.0, 2.0]
    >>> check_logits([1.0, float("nan")])
    Traceback (most recent call last):
    ...
    ValueError: the explorers take finite logits, got [1.0, nan]
    """
    logits = np.asarray(logits, dtype=float)
    if logits.ndim != 1 or not MIN_CLASSES <= logits.size <= MAX_CLASSES:
        raise ValueError(
            f"the explorers take {MIN_CLASSES} to {MAX_CLASSES} logits, got shape {logits.shape}"
        )
    if not np.isfinite(logits).all():
        raise ValueError(f"the explorers take finite logits, got {logits.tolist()}")
    return logits


def check_temperature_setting(temperature):
    """The temperature as a float, or a clear error unless it lies in the slider's range.

    Examples
    --------
    >>> check_temperature_setting(0.5)
    0.5
    >>> check_temperature_setting(0.0)
    Traceback (most recent call last):
    ...
    ValueError: the explorers take a temperature from 0.01 to 10, got 0.0
    """
    low, high = TEMPERATURE_RANGE
    value = float(temperature)
    # a slider at its end sends 10**-2 with the last bits of the browser's pow
    if not (math.isfinite(value) and low * (1 - 1e-9) <= value <= high * (1 + 1e-9)):
        raise ValueError(f"the explorers take a temperature from {low:g} to {high:g}, got {value}")
    return value
