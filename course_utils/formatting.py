"""The text every layer writes: numbers (one format each, a true minus sign) and class labels.

Plots, readouts, the explorers' front end (``widgets/assets/canvas.js`` mirrors these rules)
and exercise messages all write numbers through this module, so "−0.25" looks the same in
a heatmap, a readout and a checker's message.
"""

import math

MINUS = "\N{MINUS SIGN}"
ROUNDING_NOISE = 1e-12  # relative to the largest entry (or 1): float64's rounding, shown as 0


def with_minus(text):
    """``text`` with every hyphen-minus replaced by the true minus sign U+2212.

    Examples
    --------
    >>> with_minus("-3.0e-02")
    '−3.0e−02'
    """
    return text.replace("-", MINUS)


def format_number(value, decimals=4):
    """A number for a readout: fixed decimals, a true minus sign, never "−0.0000".

    Positive values too small for the decimals show in scientific notation, so a
    probability that is tiny but not 0 does not read as 0.

    Examples
    --------
    >>> format_number(0.09003), format_number(-0.25), format_number(-1e-19)
    ('0.0900', '−0.2500', '0.0000')
    >>> format_number(4.54e-05), format_number(0.0), format_number(1.5, decimals=2)
    ('4.54e−05', '0.0000', '1.50')
    """
    value = float(value)
    if 0 < value < 0.5 * 10.0**-decimals:
        text = f"{value:.2e}"
    else:
        text = f"{value:.{decimals}f}"
        if float(text) == 0.0:
            text = text.lstrip("-")
    return with_minus(text)


def format_signed(value, decimals=1):
    """A number with fixed decimals and a true minus sign (no scientific notation).

    Examples
    --------
    >>> format_signed(-1000.0), format_signed(88.7228, 2)
    ('−1000.0', '88.72')
    """
    return with_minus(f"{float(value):.{decimals}f}")


def format_matrix(values, decimals=3):
    """Every entry of a matrix in ONE format, as a list of rows of strings.

    Fixed ``decimals`` when each entry is either large enough to show in them or
    rounding noise (below :data:`ROUNDING_NOISE` of the largest entry, written as 0);
    otherwise every entry in scientific notation with 2 significant digits, so "−7.0e−12"
    never stands beside "0.000".

    Examples
    --------
    >>> format_matrix([[0.25, -0.25], [-0.25, 1e-17]])
    [['0.250', '−0.250'], ['−0.250', '0.000']]
    >>> format_matrix([[6.2e-6, -6.2e-6], [-6.2e-6, 1e-20]])
    [['6.2e−06', '−6.2e−06'], ['−6.2e−06', '0']]
    """
    rows = [[float(value) for value in row] for row in values]
    scale = max([1.0, *(abs(value) for row in rows for value in row)])
    noise = ROUNDING_NOISE * scale
    tiny = any(noise < abs(value) < 0.5 * 10.0**-decimals for row in rows for value in row)

    def entry(value):
        if abs(value) <= noise:
            return "0" if tiny else f"{0.0:.{decimals}f}"
        return with_minus(f"{value:.1e}" if tiny else f"{value:.{decimals}f}")

    return [[entry(value) for value in row] for row in rows]


def format_bound(value):
    """A rounding-sized number as a bound that does not depend on its last bits: "< 1e−16".

    The exact value of a rounding error can differ between NumPy builds; its order of
    magnitude does not, so stored notebook outputs stay comparable. From 10⁻⁶ up the value
    itself is written, with 2 significant digits.

    Examples
    --------
    >>> format_bound(0.0), format_bound(2.7e-17), format_bound(0.03)
    ('0', '< 1e−16', '3.0e−02')
    """
    value = float(value)
    if value == 0.0:
        return "0"
    if value >= 1e-6:
        return with_minus(f"{value:.1e}")
    return with_minus(f"< 1e{math.floor(math.log10(value)) + 1}")


def format_short(value):
    """A bar's value label: 3 significant digits, whole numbers from 100, a true minus sign.

    Below 0.0005 in size it is "0": beside bars of −100 a log-probability of −1e−11 (a
    float32 rounding of 0) is not worth a label wider than its bar.

    Examples
    --------
    >>> format_short(0.0), format_short(-2000.0), format_short(-10.04), format_short(-1.4e-11)
    ('0', '−2000', '−10', '0')
    """
    value = float(value)
    if abs(value) < 0.0005:
        return "0"
    return with_minus(f"{value:.0f}" if abs(value) >= 100 else f"{value:.3g}")


def subscript(number):
    """``12`` -> ``'₁₂'``: class indices as they are written in the course's formulas.

    Examples
    --------
    >>> subscript(10)
    '₁₀'
    """
    return str(number).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


def class_labels(size, symbol="σ"):
    """Labels for ``size`` classes, numbered from 1 as in the formulas: σ₁, σ₂, ...

    Examples
    --------
    >>> class_labels(3)
    ['σ₁', 'σ₂', 'σ₃']
    >>> class_labels(2, symbol="x")
    ['x₁', 'x₂']
    """
    return [f"{symbol}{subscript(index)}" for index in range(1, size + 1)]
