"""The derivative of softmax: the full Jacobian, and the backward pass that never forms it."""

import numpy as np

from ._checks import as_float_array, check_temperature, row_blocks
from .softmax import softmax

# softmax_backward checks that each row of probs sums to 1 within this tolerance, to catch
# logits passed where probabilities were meant. float32 rows of many classes round more.
PROBS_SUM_TOLERANCE = {np.dtype(np.float64): 1e-6, np.dtype(np.float32): 1e-3}


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
        jacobian /= temperature
    return jacobian


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
        If the shapes differ, a row of ``probs`` does not sum to 1 (were logits passed?), or
        either input holds NaN or inf.

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
    dtype = np.result_type(probs, upstream)
    probs_rows = probs.reshape(-1, probs.shape[-1])
    upstream_rows = upstream.reshape(-1, upstream.shape[-1])
    grad = np.empty(probs_rows.shape, dtype=dtype)
    tolerance = PROBS_SUM_TOLERANCE.get(dtype, 1e-3)
    ones = np.ones(probs_rows.shape[1], dtype=probs_rows.dtype)
    for block in row_blocks(grad):
        p, g, out = probs_rows[block], upstream_rows[block], grad[block]
        dot = np.matmul(p[:, None, :], g[:, :, None])[:, :, 0]  # <g, σ> of each row
        _check_backward_block(p, g, dot, p @ ones, tolerance, block.start)
        np.subtract(g, dot, out=out)
        out *= p
    return grad.reshape(probs.shape)


def _check_backward_block(probs, upstream, dot, row_sums, tolerance, first_row):
    """Raise if a row of ``probs`` does not sum to 1, or if anything is NaN or inf.

    ``<g, σ>`` is finite exactly when every entry of both rows is (NaN and inf propagate,
    and ``inf * 0`` is NaN), so no extra pass over the data is needed for that; the row
    sums come from a matrix-vector product, the cheapest pass there is.
    """
    row_error = np.abs(row_sums - 1)
    if not (row_error <= tolerance).all():  # also catches NaN in probs
        row = first_row + int(np.flatnonzero(~(row_error <= tolerance))[0])
        raise ValueError(
            f"each row of probs must sum to 1 (within {tolerance:g}); row {row} does not: "
            "pass softmax(logits), not the logits themselves"
        )
    if np.isfinite(dot).all():
        return
    for name, values in (("probs", probs), ("upstream", upstream)):
        if np.isnan(values).any():
            raise ValueError(f"{name} contains NaN")
        if np.isinf(values).any():
            raise ValueError(f"{name} contains inf")
    raise ValueError("upstream is too large: <upstream, probs> overflows")
