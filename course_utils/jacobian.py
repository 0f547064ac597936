"""The derivative of softmax: the full Jacobian, and the backward pass that never forms it."""

import numpy as np

from ._checks import RowLayout, as_float_array, check_temperature, row_blocks
from .softmax import softmax

# softmax_backward checks that each row of probs sums to 1 within this tolerance, to catch
# logits passed where probabilities were meant. It depends on the dtype of probs (not of the
# upstream gradient): float32 rows of many classes round more, and float16 keeps only 11 bits,
# so its softmax rows are off by up to a few of its steps of 1e-3. Other floats: float64's.
PROBS_SUM_TOLERANCE = {
    np.dtype(np.float64): 1e-6,
    np.dtype(np.float32): 1e-3,
    np.dtype(np.float16): 1e-2,
}


def softmax_jacobian(logits, temperature=1.0):
    r"""The Jacobian of softmax over the last axis: ``J[..., i, j] = dσ_i / dx_j``.

    Parameters
    ----------
    logits : array_like
        Shape (D,) for one vector or (N, D) for a batch (any leading shape works).
    temperature : float, optional
        As for :func:`~course_utils.softmax`; the chain rule brings a factor ``1 / T``.

    Returns
    -------
    jacobian : ndarray
        Shape (D, D) for one vector, (N, D, D) for a batch.

    Raises
    ------
    ValueError
        On bad logits or temperature, as for :func:`~course_utils.softmax`, or if the
        temperature is so small that an entry, up to ``1 / (4 T)``, overflows the dtype.
    TypeError
        If ``logits`` are not real numbers or a masked array, or ``temperature`` is not a number.

    Notes
    -----
    .. math:: \frac{\partial \sigma_i}{\partial x_j} = \frac{1}{T}\,\sigma_i(\delta_{ij} - \sigma_j),
              \qquad J = \frac{1}{T}\left(\operatorname{diag}(\sigma) - \sigma\sigma^\top\right)

    J is symmetric, each row sums to 0 (adding a constant to every logit changes nothing) and
    it costs D² numbers per row: use :func:`softmax_backward` inside a network.

    Examples
    --------
    >>> softmax_jacobian([0.0, 0.0])
    array([[ 0.25, -0.25],
           [-0.25,  0.25]])
    """
    temperature = check_temperature(temperature)
    probs = softmax(logits, temperature=temperature)
    jacobian = -probs[..., :, None] * probs[..., None, :]
    diagonal = np.arange(probs.shape[-1])
    jacobian[..., diagonal, diagonal] += probs
    if temperature != 1.0:
        _divide_by_temperature(jacobian, temperature)
    return jacobian


def _divide_by_temperature(jacobian, temperature):
    """``jacobian /= temperature``, raising if an entry (at most ``1 / (4 T)``) overflows."""
    if temperature > 0.5 / np.finfo(jacobian.dtype).max:  # the usual case: nothing can overflow
        jacobian /= temperature
        return
    with np.errstate(over="ignore"):
        jacobian /= temperature
    if np.isinf(jacobian).any():
        raise ValueError(
            f"the Jacobian overflows {jacobian.dtype} at temperature {temperature:g}: its entries "
            "reach 1 / (4 T); use a larger temperature"
        )


def softmax_backward(probs, upstream):
    r"""Gradient of a loss with respect to the logits, from softmax's output and ``dL/dσ``.

    Parameters
    ----------
    probs : array_like
        The output of :func:`~course_utils.softmax` (rows along the last axis summing to 1).
    upstream : array_like
        ``dL/dσ``, the gradient arriving from the layers above; the same shape as ``probs``.

    Returns
    -------
    grad : ndarray
        ``dL/dx``, the same shape as ``probs``.

    Raises
    ------
    ValueError
        If the shapes differ, ``probs`` holds NaN, inf or a negative entry, a row of ``probs``
        does not sum to 1 (were logits passed?) within the tolerance of ``probs``'s dtype
        (``PROBS_SUM_TOLERANCE``: 1e-6 for float64, 1e-3 for float32, 1e-2 for float16, whose
        11 bits round a softmax row by a few 1e-3), or ``upstream`` holds NaN or inf.
    TypeError
        If an input is not real numbers (booleans, complex, strings) or is a masked array.

    Notes
    -----
    .. math:: \frac{\partial L}{\partial x_j} = \sum_i g_i \sigma_i(\delta_{ij} - \sigma_j)
              = \sigma_j \left(g_j - \langle g, \sigma \rangle\right)

    This is :math:`J^\top g` (J is symmetric) in O(D) per row instead of O(D²). A constant
    upstream gradient gives exactly 0, so test a formula with random ``upstream`` values.

    Examples
    --------
    >>> probs = softmax([1.0, 2.0, 3.0])
    >>> softmax_backward(probs, [0.0, 0.0, 1.0]).round(4)
    array([-0.0599, -0.1628,  0.2227])
    >>> bool(np.abs(softmax_backward(probs, [5.0, 5.0, 5.0])).max() < 1e-15)  # 0 up to rounding
    True
    """
    probs = as_float_array(probs, "probs")
    upstream = as_float_array(upstream, "upstream")
    if probs.shape != upstream.shape:
        raise ValueError(
            f"probs and upstream must have the same shape, got {probs.shape} and {upstream.shape}"
        )
    if probs.ndim == 0 or probs.size == 0:
        raise ValueError(f"probs must be a non-empty array of rows, got shape {probs.shape}")
    probs_rows = probs.reshape(-1, probs.shape[-1])
    upstream_rows = upstream.reshape(-1, upstream.shape[-1])
    grad = np.empty(probs_rows.shape, dtype=np.result_type(probs, upstream))
    tolerance = PROBS_SUM_TOLERANCE.get(probs.dtype, 1e-6)
    ones = np.ones(probs_rows.shape[1], dtype=probs_rows.dtype)
    for block in row_blocks(grad):
        p, g, out = probs_rows[block], upstream_rows[block], grad[block]
        with np.errstate(over="ignore", invalid="ignore"):  # NaN, inf: the check names them
            dot = np.matmul(p[:, None, :], g[:, :, None])[:, :, 0]  # <g, σ> of each row
            row_sums = p @ ones
        _check_backward_block(p, g, dot, row_sums, tolerance, block.start, probs.shape)
        np.subtract(g, dot, out=out)
        out *= p
    return grad.reshape(probs.shape)


def _check_backward_block(probs, upstream, dot, row_sums, tolerance, first_row, shape):
    """Raise if ``probs`` are not probability rows, or if ``upstream`` holds NaN or inf.

    The block is in cache, so its minimum is cheap: it is negative for a negative entry and
    NaN for a NaN (it propagates). +inf shows in the row sums, which come from a
    matrix-vector product. ``<g, σ>`` is finite exactly when every entry of both rows is
    (NaN and inf propagate, and ``inf * 0`` is NaN), so ``upstream`` needs no pass of its own.
    """
    if not np.minimum.reduce(probs, axis=None) >= 0:  # True for NaN too
        _raise_bad_probability(probs, first_row, shape)
    row_error = np.abs(row_sums - 1)
    if not (row_error <= tolerance).all():
        _raise_bad_probability(probs, first_row, shape)  # +inf
        row = first_row + int(np.flatnonzero(~(row_error <= tolerance))[0])
        raise ValueError(
            f"each row of probs must sum to 1 (within {tolerance:g}); "
            f"{RowLayout(shape, len(shape) - 1).position(row)} does not: "
            "pass softmax(logits), not the logits themselves"
        )
    if np.isfinite(dot).all():
        return
    if np.isnan(upstream).any():
        raise ValueError("upstream contains NaN")
    if np.isinf(upstream).any():
        raise ValueError("upstream contains inf")
    raise ValueError("upstream is too large: <upstream, probs> overflows")


def _raise_bad_probability(probs, first_row, shape):
    """Raise naming the first NaN, inf or negative entry of a block of ``probs``, if there is one."""
    for found in (np.isnan(probs), np.isinf(probs), probs < 0):
        if found.any():
            first = np.flatnonzero(found)[0]
            value = probs.flat[first]
            index = np.unravel_index(first_row * probs.shape[1] + first, shape)
            entry = f"probs[{', '.join(str(i) for i in index)}]"
            if np.isfinite(value):  # then it is negative
                raise ValueError(
                    f"probs must be >= 0 (they are probabilities), got {entry} = {value:g}: "
                    "pass softmax(logits), not the logits themselves"
                )
            raise ValueError(f"probs contains {'NaN' if np.isnan(value) else f'{value:+g}'} at {entry}")


# Entries of a softmax Jacobian are products of probabilities (≤ 1) divided by T, so their
# rounding errors are a few ulps of 1/T, whatever the size of the entries themselves.
# A row sum or an asymmetry below this multiple of 1/T is rounding; so is an eigenvalue
# below 4·D ulps of 1/T (one that small from true probabilities is still far above that).
RELATIVE_TOLERANCE = 1e-12


def jacobian_properties(jacobian, temperature=1.0):
    """The facts the Jacobian explorer checks live, computed from the matrix itself.

    Parameters
    ----------
    jacobian : array_like
        A (D, D) softmax Jacobian.
    temperature : float, optional
        The temperature it was computed at: the diagonal bound is ``1 / (4T)``.

    Returns
    -------
    dict
        ``symmetric`` (bool) and ``asymmetry`` (largest ``|J - Jᵀ|``); ``row_sums`` (array)
        and ``rows_sum_to_zero`` (bool); ``eigenvalues`` (ascending), ``rank`` and the
        ``tolerance`` below which an eigenvalue counts as 0 (rounding, a few ulps of D / T);
        ``largest_diagonal``, ``diagonal_bound`` and ``diagonal_within_bound`` (bool).

    Examples
    --------
    >>> from course_utils import softmax_jacobian
    >>> facts = jacobian_properties(softmax_jacobian([0.0, 0.0, 0.0]))
    >>> facts["symmetric"], facts["rows_sum_to_zero"], facts["rank"]
    (True, True, 2)
    >>> facts["eigenvalues"].round(4)
    array([0.    , 0.3333, 0.3333])
    >>> round(facts["largest_diagonal"], 4), facts["diagonal_bound"]
    (0.2222, 0.25)
    """
    jacobian = np.asarray(jacobian, dtype=float)
    scale = max(1.0 / float(temperature), float(np.abs(jacobian).max()))
    tolerance = RELATIVE_TOLERANCE * scale
    asymmetry = float(np.abs(jacobian - jacobian.T).max())
    row_sums = jacobian.sum(axis=1)
    symmetric = asymmetry <= tolerance
    rank_tolerance = 4 * jacobian.shape[0] * np.finfo(float).eps * scale
    # eigvalsh assumes symmetry; it is checked above and reported, never assumed silently
    eigenvalues = np.linalg.eigvalsh(jacobian) if symmetric else np.linalg.eigvals(jacobian)
    largest_diagonal = float(np.diagonal(jacobian).max())
    diagonal_bound = 1.0 / (4.0 * float(temperature))
    return {
        "symmetric": symmetric,
        "asymmetry": asymmetry,
        "row_sums": row_sums,
        "rows_sum_to_zero": bool(np.abs(row_sums).max() <= tolerance * jacobian.shape[0]),
        "eigenvalues": eigenvalues,
        "rank": int(np.sum(np.abs(eigenvalues) > rank_tolerance)),
        "tolerance": rank_tolerance,
        "largest_diagonal": largest_diagonal,
        "diagonal_bound": diagonal_bound,
        "diagonal_within_bound": largest_diagonal <= diagonal_bound * (1 + RELATIVE_TOLERANCE),
    }
