"""Checking a derivative against finite differences."""

import numpy as np

from ._checks import as_float_array, check_positive

# Below these relative errors a gradient is "right" or only "suspicious" (see verdict()).
# Centred differences in float64 are good to about 1e-9 relative for moderate inputs; far
# from 0 (a loss of 40, say) their rounding noise grows with |f| / eps, so "suspicious" is
# the verdict that says "look closer", and only errors of 1 % and more are called wrong.
RIGHT_BELOW = 1e-5
SUSPICIOUS_BELOW = 1e-2


def numerical_gradient(f, x, eps=1e-6):
    r"""Centred finite differences of a scalar function ``f`` at ``x``.

    Parameters
    ----------
    f : callable
        Takes an array shaped like ``x`` and returns a number.
    x : array_like
        Where to differentiate. Its float dtype is kept (float32 stays float32, so its
        rounding shows); integers and lists become float64. It is never modified.
    eps : float, optional
        The step on each side, finite and > 0.

    Returns
    -------
    grad : ndarray of float64
        ``x``'s shape.

    Raises
    ------
    ValueError
        If ``x`` is ragged or holds NaN or inf, ``eps`` is not finite and > 0 or is below the
        rounding step of ``x``'s dtype, or ``f`` returns more than one number or NaN or inf.
    TypeError
        If ``f`` is not callable, ``x`` is not real numbers (booleans, complex, strings) or
        is a masked array, or ``eps`` is not a number.

    Notes
    -----
    .. math:: \frac{\partial f}{\partial x_k} \approx \frac{f(x + h e_k) - f(x - h e_k)}{2h}

    The error is O(h²) from the Taylor series plus about ``machine eps * |f| / h`` from
    rounding: 1e-6 balances both in float64; in float32 no step is good.

    Examples
    --------
    >>> numerical_gradient(lambda v: (v ** 2).sum(), [1.0, -2.0]).round(6)
    array([ 2., -4.])
    """
    if not callable(f):
        raise TypeError(f"f must be a function, got {type(f).__name__}")
    point = np.array(as_float_array(x, "x"), copy=True)
    if not np.isfinite(point).all():
        raise ValueError("x contains NaN or inf")
    eps = check_positive(eps, "eps")
    with np.errstate(over="ignore"):
        step = point.dtype.type(eps)
    if step == np.inf:
        raise ValueError(f"eps={eps:g} is too large for {point.dtype}: it is inf there")
    grad = np.zeros(point.shape, dtype=np.float64)
    for index in np.ndindex(point.shape):
        original = point[index]
        point[index] = original + step
        upper, f_upper = point[index], _scalar(f(point.copy()))
        point[index] = original - step
        lower, f_lower = point[index], _scalar(f(point.copy()))
        point[index] = original
        if upper == lower:
            raise ValueError(
                f"eps={eps:g} is below the rounding step of {point.dtype} at x = {float(original):g}: "
                "x + eps == x - eps. Use a larger eps, or float64."
            )
        grad[index] = (f_upper - f_lower) / (float(upper) - float(lower))
    return grad


def gradient_check(f, analytic_grad, x, eps=1e-6, tiny=1e-6):
    r"""The largest relative error between an analytic gradient and finite differences.

    Parameters
    ----------
    f : callable
        The scalar function, as for :func:`numerical_gradient`.
    analytic_grad : array_like or callable
        The gradient to check at ``x``, or a function returning it when called on ``x``.
    x : array_like
        Where to check.
    eps : float, optional
        The finite-difference step.
    tiny : float, optional
        A floor for the denominator: entries smaller than this in both gradients are
        compared absolutely (finite differences cannot resolve them: their rounding
        noise is about ``1e-16 * |f| / eps``). Must be finite and > 0.

    Returns
    -------
    float
        :math:`\max_k |a_k - n_k| / \max(|a_k|, |n_k|, \text{tiny})`; see :func:`verdict`.

    Raises
    ------
    ValueError
        On bad ``f``, ``x`` or ``eps`` (see :func:`numerical_gradient`), an empty ``x``, an
        analytic gradient of another shape or holding NaN or inf, or ``tiny`` not finite and > 0.
    TypeError
        As for :func:`numerical_gradient`, or if ``tiny`` is not a number.

    Examples
    --------
    >>> f = lambda v: (v ** 3).sum()
    >>> gradient_check(f, lambda v: 3 * v ** 2, [1.0, 2.0]) < 1e-8
    True
    >>> verdict(gradient_check(f, lambda v: 2 * v ** 2, [1.0, 2.0]))
    'wrong'
    """
    tiny = check_positive(tiny, "tiny")
    if callable(analytic_grad):  # it sees x as f does: float64 for integers and lists
        analytic_grad = analytic_grad(np.array(as_float_array(x, "x"), copy=True))
    analytic = analytic_grad
    analytic = np.asarray(analytic, dtype=np.float64)
    numerical = numerical_gradient(f, x, eps)
    if numerical.size == 0:
        raise ValueError(f"x is empty (shape {numerical.shape}): there is no gradient to check")
    if analytic.shape != numerical.shape:
        raise ValueError(
            f"the analytic gradient has shape {analytic.shape}, but x has shape {numerical.shape}"
        )
    if not np.isfinite(analytic).all():
        raise ValueError("the analytic gradient contains NaN or inf")
    scale = np.maximum(np.maximum(np.abs(analytic), np.abs(numerical)), tiny)
    return float(np.max(np.abs(analytic - numerical) / scale))


def verdict(relative_error):
    """Name a relative error from :func:`gradient_check`: ``'right'``, ``'suspicious'`` or ``'wrong'``.

    Examples
    --------
    >>> verdict(3e-10), verdict(2e-4), verdict(0.5)
    ('right', 'suspicious', 'wrong')
    """
    if relative_error < RIGHT_BELOW:
        return "right"
    if relative_error < SUSPICIOUS_BELOW:
        return "suspicious"
    return "wrong"


def describe_error(relative_error):
    """A relative error and its verdict, as the notebooks print them.

    Below ``RIGHT_BELOW`` the error is rounding noise, and its digits depend on the
    processor (which vector and BLAS kernels NumPy picks), so it is written as that bound:
    the same text on every machine. Larger errors are real, and written as they are.

    Examples
    --------
    >>> describe_error(1.23e-7), describe_error(2e-3), describe_error(0.65)
    ('< 1e-05 → right', '2.0e-03 → suspicious', '6.5e-01 → wrong')
    """
    shown = f"< {RIGHT_BELOW:.0e}" if relative_error < RIGHT_BELOW else f"{relative_error:.1e}"
    return f"{shown} → {verdict(relative_error)}"


def _scalar(value):
    value = np.asarray(value)
    if value.size != 1:
        raise ValueError(f"f must return a single number, got shape {value.shape}")
    value = float(value.reshape(()))
    if not np.isfinite(value):
        raise ValueError(f"f returned {value} during the finite differences")
    return value
