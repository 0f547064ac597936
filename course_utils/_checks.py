"""Input checks shared by the numerical modules.

Every public numerical function turns its input into a float array of rows here, so a
student who passes a list, a NaN or an empty array gets the same clear message everywhere.
The checks are built to cost no extra pass over the data: the row maximum that softmax needs
anyway reveals NaN (it propagates), +inf and rows of only -inf.
"""

import contextlib
import math
import numbers
import sys

import numpy as np

# Rows are processed in blocks of about this many bytes, so each block stays in cache while
# it is read several times (max, subtract, exp, sum, scale).
BLOCK_BYTES = 1 << 20


def as_array(values, name="logits"):
    """``np.asarray(values)``, raising a clear error for ragged lists and masked arrays."""
    if _is_masked(values):
        raise TypeError(
            f"{name} is a masked array, which is not supported (its mask would be lost): "
            "to mask an entry, set its logit to -inf, which gives it probability 0"
        )
    try:
        return np.asarray(values)
    except ValueError as error:  # ragged nested lists
        raise ValueError(f"{name} must be a rectangular array of numbers: {error}") from None


def _is_masked(values):
    masked = sys.modules.get("numpy.ma")  # no masked array exists before numpy.ma is imported
    return masked is not None and isinstance(values, masked.MaskedArray)


def as_float_array(values, name="logits"):
    """Return ``values`` as a float array, keeping float32/float64, turning integers into float64."""
    if values.__class__ is np.ndarray and values.dtype.kind == "f":  # the common case, fast
        return values
    array = as_array(values, name)
    if array.dtype.kind == "f":
        return array
    if array.dtype.kind in "iu":
        return array.astype(np.float64)
    if array.dtype.kind == "b":
        raise TypeError(f"{name} must be numbers, not booleans")
    if array.dtype.kind == "c":
        raise TypeError(f"{name} must be real numbers, not complex ({array.dtype})")
    raise TypeError(f"{name} must be numbers, got an array of dtype {array.dtype}")


def check_axis(array, axis, name="logits"):
    """Return ``axis`` as a non-negative index, or raise if it does not exist or is empty."""
    if axis == -1 and array.ndim and array.size:  # the common case, fast
        return array.ndim - 1
    if array.ndim == 0:
        raise ValueError(f"{name} must have at least one dimension (the classes), got a scalar")
    if array.size == 0:
        raise ValueError(f"{name} is empty (shape {array.shape}): there is nothing to normalise")
    if not isinstance(axis, (int, np.integer)) or isinstance(axis, bool):
        raise TypeError(f"axis must be an integer, got {axis!r}")
    if not -array.ndim <= axis < array.ndim:
        raise ValueError(f"axis {axis} is out of range for {name} of shape {array.shape}")
    return int(axis) % array.ndim


def check_positive(value, name):
    """Return ``value`` as a float, or raise unless it is a real number, finite and > 0."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {value!r}")  # '2' too: a string
    try:
        number = float(value)
    except OverflowError:  # an int such as 10**400
        raise ValueError(
            f"{name} must be finite and > 0, got {_magnitude(value)}: too large for a float"
        ) from None
    if not (math.isfinite(number) and number > 0):
        raise ValueError(f"{name} must be finite and > 0, got {number!r}")
    return number


def _magnitude(value):
    """A short name for a number too large for a float (its repr can have thousands of digits)."""
    if isinstance(value, numbers.Integral):
        sign = "-" if value < 0 else ""
        return f"{sign}about 10**{math.log10(abs(int(value))):.0f}"
    return f"a {type(value).__name__} beyond 1.8e308"


def check_temperature(temperature, dtype=None):
    """Return the temperature as a float, or raise unless it is finite and > 0, also in ``dtype``.

    ``dtype`` is that of the logits it will divide. A Python float always fits float64; in
    float32 or float16 a tiny temperature rounds to 0 and a huge one to inf, and dividing the
    logits by either gives NaN.
    """
    if not (temperature.__class__ is float and 0 < temperature < math.inf):  # the common case, fast
        temperature = check_positive(temperature, "temperature")
    if temperature != 1.0 and dtype is not None and dtype.itemsize < 8:
        _check_temperature_fits(temperature, dtype)
    return temperature


def _check_temperature_fits(temperature, dtype):
    """Raise if ``temperature`` rounds to 0 or to inf in ``dtype``, where it divides the logits."""
    with np.errstate(over="ignore"):
        rounded = dtype.type(temperature)
    if 0 < rounded < math.inf:
        return
    info = np.finfo(dtype)
    if rounded == 0:
        problem, bound = "0", f"at least {info.smallest_subnormal:.2g}"
    else:
        problem, bound = "inf", f"at most {info.max:.4g}"
    raise ValueError(
        f"temperature {temperature:g} is {problem} in {dtype}: for {dtype} logits it must be "
        f"{bound} (or pass float64 logits)"
    )


def as_rows(values, axis=-1, name="logits"):
    """Validate ``values`` and view them as a 2-D array of rows along ``axis``.

    Returns ``(rows, layout)``: ``rows`` has shape (N, D); ``layout`` (a :class:`RowLayout`)
    puts an (N, D) or (N, 1) result back into the input's shape and axis order, and names
    a row the way the caller sees it.
    """
    array = as_float_array(values, name)
    axis = check_axis(array, axis, name)
    layout = RowLayout(array.shape, axis)
    if array.ndim == 2 and axis == 1:  # the common case: already rows
        return array, layout
    if axis == array.ndim - 1:
        return array.reshape(-1, array.shape[-1]), layout
    moved = np.moveaxis(array, axis, -1)
    return moved.reshape(-1, moved.shape[-1]), layout


class RowLayout:
    """Where the rows of :func:`as_rows` sit in the caller's array: its ``shape``, classes on ``axis``.

    Examples
    --------
    >>> RowLayout((4, 3), axis=1).position(2)
    'row 2'
    >>> RowLayout((2, 2, 3), axis=1).position(4)  # the row x[1, :, 1]
    'the row at index (1, :, 1)'
    """

    def __init__(self, shape, axis):
        self.shape = shape
        self.axis = axis

    def restore(self, result):
        """Put an (N, D) or (N, 1) result back into the caller's shape and axis order."""
        shape, axis = self.shape, self.axis
        if len(shape) == 2 and axis == 1:  # the common case: already rows
            return result
        batch_shape = shape[:axis] + shape[axis + 1:]
        result = result.reshape(batch_shape + result.shape[-1:])
        return result if axis == len(shape) - 1 else np.moveaxis(result, -1, axis)

    def position(self, row):
        """Name row ``row`` as the caller sees it: ``'row 3'`` for 1-D or 2-D rows, else an index."""
        shape, axis = self.shape, self.axis
        if len(shape) <= 2 and axis == len(shape) - 1:
            return f"row {row}"
        index = [str(i) for i in np.unravel_index(row, shape[:axis] + shape[axis + 1:])]
        index.insert(axis, ":")
        return f"the row at index ({', '.join(index)})"


_ALL_ROWS = (slice(0, None),)


def row_blocks(rows):
    """Slices of about ``BLOCK_BYTES`` worth of rows of a 2-D array."""
    if rows.nbytes <= BLOCK_BYTES:
        return _ALL_ROWS
    step = max(1, BLOCK_BYTES // (rows.shape[1] * rows.itemsize))
    return (slice(start, start + step) for start in range(0, rows.shape[0], step))


def check_row_max(row_max, first_row=0, name="logits", layout=None):
    """Raise a ValueError naming the problem if a row maximum is not finite.

    NaN propagates through ``max`` and +inf is the maximum of any row holding it, so the
    row maxima reveal both; a maximum of -inf means every entry of that row is -inf. The
    message names the row through ``layout`` (:meth:`RowLayout.position`), else "row N".

    Returns True when some maximum is so large (above about 2e292 in float64, 2e31 in
    float32) that ``x - max`` may overflow to -inf for a huge negative ``x``. That is
    harmless (``exp(-inf)`` is the right 0) but NumPy warns, so the caller silences it.
    """
    if row_max.size <= FEW_ROWS:  # Python floats: cheaper than two reductions here
        values = row_max.ravel().tolist()
        if all(map(math.isfinite, values)):
            return max(values) > _overflow_risk(row_max.dtype)
    else:
        lowest = np.minimum.reduce(row_max, axis=None)
        highest = np.maximum.reduce(row_max, axis=None)
        if -math.inf < lowest and highest < math.inf:  # False for NaN too
            return bool(highest > _overflow_risk(row_max.dtype))
    row_max = np.asarray(row_max).ravel()
    for problem, found in (
        ("contains NaN", np.isnan(row_max)),
        ("contains +inf (only -inf is allowed, as a mask)", row_max == np.inf),
        ("has a row of only -inf: each row needs at least one finite entry", row_max == -np.inf),
    ):
        if found.any():
            row = first_row + int(np.flatnonzero(found)[0])
            place = f"row {row}" if layout is None else layout.position(row)
            raise ValueError(f"{name} {problem} ({place})")
    raise AssertionError("unreachable: a non-finite maximum is NaN, +inf or -inf")


FEW_ROWS = 16
_OVERFLOW_RISK = {}


def _overflow_risk(dtype):
    """The row maximum above which ``x - max`` may overflow: about 2e292 in float64 (cached)."""
    risk = _OVERFLOW_RISK.get(dtype)
    if risk is None:
        info = np.finfo(dtype)
        risk = _OVERFLOW_RISK[dtype] = float(info.max * info.eps / 4)
    return risk


def quiet_overflow(needed):
    """``np.errstate(over="ignore")`` when ``needed``, else a context that costs nothing.

    Overflow to -inf in ``x - max`` or ``(x - max) / T`` is expected with huge logits or tiny
    temperatures and gives the right answer after ``exp``; no student should see a warning.
    """
    return np.errstate(over="ignore") if needed else _NO_CONTEXT


_NO_CONTEXT = contextlib.nullcontext()
