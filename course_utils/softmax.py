"""Softmax, log-softmax and log-sum-exp: logits in, probabilities (or their logs) out."""

import numpy as np

from ._checks import as_rows, check_row_max, check_temperature, quiet_overflow, row_blocks


def softmax(logits, axis=-1, temperature=1.0):
    r"""Turn logits into probabilities along ``axis``.

    Parameters
    ----------
    logits : array_like
        Real numbers; ``-inf`` masks an entry (probability 0) as long as its row keeps
        one finite entry. Integers and lists become float64; float32 stays float32.
    axis : int, optional
        The axis of the classes, by default the last one.
    temperature : float, optional
        Divides the logits before normalising: above 1 flattens the probabilities, below 1
        sharpens them. Must be finite and > 0.

    Returns
    -------
    probs : ndarray
        The same shape as ``logits``, each row positive (0 only where masked) and summing to 1.

    Raises
    ------
    ValueError
        On NaN, +inf, a row of only -inf, an empty array, an axis out of range, or a
        temperature that is not finite and > 0, or that is 0 or inf in the logits' dtype
        (``temperature=1e-50`` with float32 logits). The message names the row: "row N" for
        rows along the last axis of a 1-D or 2-D array, else an index like ``(1, :, 2)``
        with ``:`` on the class axis.
    TypeError
        If ``logits`` are not real numbers (booleans, complex, strings), are a masked array
        (use -inf to mask an entry), or ``temperature`` or ``axis`` is not a number.

    Notes
    -----
    .. math:: \sigma(x)_i = \frac{e^{x_i / T}}{\sum_k e^{x_k / T}}
              = \frac{e^{(x_i - m)/T}}{\sum_k e^{(x_k - m)/T}}, \quad m = \max_k x_k

    Subtracting the row maximum changes nothing mathematically and keeps every exponent
    :math:`\le 0`, so nothing overflows: any finite logits give finite probabilities. The
    work is done in place on blocks of rows that fit in cache (about 1 MiB), so the data
    crosses main memory once in each direction; the row maximum doubles as the input check.

    Examples
    --------
    >>> softmax([1.0, 2.0, 3.0]).round(4)
    array([0.09  , 0.2447, 0.6652])
    >>> softmax([1000.0, 1001.0]).round(4)
    array([0.2689, 0.7311])
    >>> softmax([1.0, 2.0, 3.0], temperature=100.0).round(4)
    array([0.33  , 0.3333, 0.3367])
    """
    rows, layout = as_rows(logits, axis)
    temperature = check_temperature(temperature, rows.dtype)
    probs = np.empty_like(rows)
    for block in row_blocks(rows):
        _softmax_block(rows[block], probs[block], temperature, block.start, layout)
    return layout.restore(probs)


def _softmax_block(logits, out, temperature, first_row, layout):
    """Write the softmax of a (rows, classes) block into ``out``.

    ``np.maximum.reduce`` and ``np.add.reduce`` are ``max`` and ``sum`` without their Python
    wrappers, which matter for the small arrays of the notebooks.
    """
    row_max = np.maximum.reduce(logits, axis=1, keepdims=True)
    huge = check_row_max(row_max, first_row, layout=layout)
    with quiet_overflow(huge or temperature != 1.0):
        np.subtract(logits, row_max, out=out)
        if temperature != 1.0:
            out /= temperature
    np.exp(out, out=out)
    out /= np.add.reduce(out, axis=1, keepdims=True)


def log_softmax(logits, axis=-1, temperature=1.0):
    r"""The logarithm of :func:`softmax`, computed without ever taking ``log`` of a tiny number.

    Parameters
    ----------
    logits : array_like
        As for :func:`softmax`.
    axis : int, optional
        The axis of the classes, by default the last one.
    temperature : float, optional
        As for :func:`softmax`.

    Returns
    -------
    log_probs : ndarray
        ``log(softmax(logits))``, exact even where the probabilities underflow to 0.

    Raises
    ------
    ValueError
        As for :func:`softmax`: NaN, +inf, a row of only -inf, an empty array, an axis out
        of range, or a temperature that is not finite and > 0 (also in the logits' dtype).
    TypeError
        As for :func:`softmax`: logits that are not real numbers or a masked array, or a
        ``temperature`` or ``axis`` that is not a number.

    Notes
    -----
    .. math:: \log \sigma(x)_i = \frac{x_i - m}{T} - \log \sum_k e^{(x_k - m)/T}

    A log-probability can lie below the most negative float, -1.797e308 in float64: only
    when logits differ by more than that, or a small temperature stretches them so far. It
    is then returned as that most negative float, the nearest finite value, so finite logits
    always give finite results; a logit of -inf (a mask) still gives -inf.

    Examples
    --------
    >>> log_softmax([1000.0, 1.0])
    array([   0., -999.])
    >>> float(softmax([1000.0, 1.0])[1])  # underflowed: its log would be -inf
    0.0
    """
    rows, layout = as_rows(logits, axis)
    temperature = check_temperature(temperature, rows.dtype)
    log_probs = np.empty_like(rows)
    for block in row_blocks(rows):
        out = log_probs[block]
        row_max = rows[block].max(axis=1, keepdims=True)
        huge = check_row_max(row_max, block.start, layout=layout)
        with quiet_overflow(huge or temperature != 1.0):
            np.subtract(rows[block], row_max, out=out)
            if temperature != 1.0:
                out /= temperature
        out -= np.log(np.exp(out).sum(axis=1, keepdims=True))
        if huge or temperature < 1.0:  # only then can x - m or (x - m) / T overflow
            _clamp_overflowed(out, rows[block])
    return layout.restore(log_probs)


def _clamp_overflowed(log_probs, logits):
    """Replace a -inf that a finite logit overflowed to by the most negative finite float."""
    overflowed = np.isneginf(log_probs) & np.isfinite(logits)
    np.copyto(log_probs, -np.finfo(log_probs.dtype).max, where=overflowed)


def logsumexp(logits, axis=-1, keepdims=False):
    r"""``log(sum(exp(logits)))`` along ``axis``, without overflow.

    Parameters
    ----------
    logits : array_like
        As for :func:`softmax`.
    axis : int, optional
        The axis to reduce, by default the last one.
    keepdims : bool, optional
        Keep the reduced axis with length 1.

    Returns
    -------
    ndarray or numpy scalar
        The log-sum-exp of each row.

    Raises
    ------
    ValueError
        As for :func:`softmax`: NaN, +inf, a row of only -inf, an empty array or an axis out
        of range.
    TypeError
        As for :func:`softmax`: logits that are not real numbers or a masked array, or an
        ``axis`` that is not an integer.

    Notes
    -----
    .. math:: \log \sum_k e^{x_k} = m + \log \sum_k e^{x_k - m}, \quad m = \max_k x_k

    Examples
    --------
    >>> float(logsumexp([1000.0, 1000.0]))  # 1000 + log 2
    1000.6931471805599
    """
    rows, layout = as_rows(logits, axis)
    totals = np.empty((rows.shape[0], 1), dtype=rows.dtype)
    for block in row_blocks(rows):
        row_max = rows[block].max(axis=1, keepdims=True)
        with quiet_overflow(check_row_max(row_max, block.start, layout=layout)):
            shifted = rows[block] - row_max
        shifted_sum = np.exp(shifted).sum(axis=1, keepdims=True)
        totals[block] = row_max + np.log(shifted_sum)
    result = layout.restore(totals)
    return result if keepdims else result.squeeze(axis)[()]


# exp(x) overflows to inf for x above log(largest finite number) of the type: about 88.72
# in float32 and 709.78 in float64. Where a naive softmax breaks, and the stability lab's marks.
OVERFLOW_POINTS = {
    name: float(np.log(np.finfo(dtype).max)) for name, dtype in
    (("float32", np.float32), ("float64", np.float64))
}
