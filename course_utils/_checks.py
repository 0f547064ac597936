"""Input checks shared by the numerical modules.

Every public numerical function turns its input into a float array of rows here, so a
student who passes a list, a NaN or an empty array gets the same clear message everywhere.
The checks are built to cost no extra pass over the data: the row maximum that softmax needs
anyway reveals NaN (it propagates), +inf and rows of only -inf.
"""

import contextlib
import math

import numpy as np

# Rows are processed in blocks of about this many bytes, so each block stays in cache while
# it is read several times (max, subtract, exp, sum, scale).
BLOCK_BYTES = 1 << 20


def as_float_array(values, name="logits"):
    """Return ``values`` as a float array, keeping float32/float64, turning integers into float64."""
    try:
        array = np.asarray(values)
    except ValueError as error:  # ragged nested lists
        raise ValueError(f"{name} must be a rectangular array of numbers: {error}") from None
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


def check_temperature(temperature):
    """Return the temperature as a float, or raise unless it is a finite number > 0."""
    if temperature.__class__ is float and 0 < temperature < math.inf:  # the common case, fast
        return temperature
    if isinstance(temperature, bool) or not np.isscalar(temperature):
        raise TypeError(f"temperature must be a number, got {temperature!r}")
    try:
        value = float(temperature)
    except (TypeError, ValueError):
        raise TypeError(f"temperature must be a number, got {temperature!r}") from None
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"temperature must be finite and > 0, got {value!r}")
    return value


def as_rows(values, axis=-1, name="logits"):
    """Validate ``values`` and view them as a 2-D array of rows along ``axis``.

    Returns ``(rows, restore)`` where ``rows`` has shape (N, D) and ``restore(result)`` puts
    an (N, D) or (N, 1) result back into the input's shape and axis order.
    """
    array = as_float_array(values, name)
    axis = check_axis(array, axis, name)
    if array.ndim == 2 and axis == 1:  # the common case: already rows
        return array, _unchanged
    if axis == array.ndim - 1:
        shape = array.shape
        return array.reshape(-1, shape[-1]), lambda result: result.reshape(shape[:-1] + result.shape[-1:])
    moved = np.moveaxis(array, axis, -1)
    rows = moved.reshape(-1, moved.shape[-1])

    def restore(result):
        return np.moveaxis(result.reshape(moved.shape[:-1] + result.shape[-1:]), -1, axis)

    return rows, restore


_ALL_ROWS = (slice(0, None),)


def _unchanged(result):
    return result


def row_blocks(rows):
    """Slices of about ``BLOCK_BYTES`` worth of rows of a 2-D array."""
    if rows.nbytes <= BLOCK_BYTES:
        return _ALL_ROWS
    step = max(1, BLOCK_BYTES // (rows.shape[1] * rows.itemsize))
    return (slice(start, start + step) for start in range(0, rows.shape[0], step))


def check_row_max(row_max, first_row=0, name="logits"):
    """Raise a ValueError naming the problem if a row maximum is not finite.

    NaN propagates through ``max`` and +inf is the maximum of any row holding it, so the
    row maxima reveal both; a maximum of -inf means every entry of that row is -inf.

    Returns True when some maximum is so large (above about 2e292 in float64, 2e31 in
    float32) that ``x - max`` may overflow to -inf for a huge negative ``x``. That is
    harmless (``exp(-inf)`` is the right 0) but NumPy warns, so the caller silences it.
    """
    lowest = np.minimum.reduce(row_max, axis=None)
    highest = np.maximum.reduce(row_max, axis=None)
    if -math.inf < lowest and highest < math.inf:  # False for NaN too
        info = np.finfo(row_max.dtype)
        return bool(highest > info.max * info.eps / 4)
    row_max = np.asarray(row_max).ravel()
    for problem, found in (
        ("contains NaN", np.isnan(row_max)),
        ("contains +inf (only -inf is allowed, as a mask)", row_max == np.inf),
        ("has a row of only -inf: each row needs at least one finite entry", row_max == -np.inf),
    ):
        if found.any():
            row = first_row + int(np.flatnonzero(found)[0])
            raise ValueError(f"{name} {problem} (row {row})")
    raise AssertionError("unreachable: a non-finite maximum is NaN, +inf or -inf")


def quiet_overflow(needed):
    """``np.errstate(over="ignore")`` when ``needed``, else a context that costs nothing.

    Overflow to -inf in ``x - max`` or ``(x - max) / T`` is expected with huge logits or tiny
    temperatures and gives the right answer after ``exp``; no student should see a warning.
    """
    return np.errstate(over="ignore") if needed else _NO_CONTEXT


_NO_CONTEXT = contextlib.nullcontext()
