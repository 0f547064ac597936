r"""Softmax inside attention: masks, scaled dot-product attention, and its backward pass (notebook 09).

Attention compares each query with every key, turns the scores into weights with a softmax
along the keys, and averages the values with those weights:

.. math:: A = \operatorname{softmax}\!\Big(\frac{QK^\top}{\sqrt d} + M\Big), \qquad O = AV,

with a mask M of 0 (keep) and −inf (never attend). Dividing by √d is a softmax temperature
T = √d. The backward pass is the chain rule through a matrix product, the course's softmax
VJP :func:`~course_utils.softmax_backward`, and another matrix product.
"""

import numpy as np

from ._checks import as_float_array, check_positive
from .jacobian import softmax_backward
from .softmax import softmax


def causal_mask(size):
    """The mask that lets position i attend to positions 0..i only: 0 on and below the diagonal, −inf above.

    Examples
    --------
    >>> causal_mask(3)
    array([[  0., -inf, -inf],
           [  0.,   0., -inf],
           [  0.,   0.,   0.]])
    """
    if not isinstance(size, (int, np.integer)) or size < 1:
        raise ValueError(f"size must be a positive integer, got {size!r}")
    return np.triu(np.full((size, size), -np.inf), k=1)


def padding_mask(n_queries, length, n_keys):
    """Mask the padding: every query may attend to the first ``length`` of ``n_keys`` keys only.

    Examples
    --------
    >>> padding_mask(2, 2, 3)
    array([[  0.,   0., -inf],
           [  0.,   0., -inf]])
    """
    if not 1 <= length <= n_keys:
        raise ValueError(f"length must be between 1 and n_keys = {n_keys}, got {length}")
    mask = np.zeros((n_queries, n_keys))
    mask[:, length:] = -np.inf
    return mask


def attention_scores(queries, keys, scale=None):
    r"""The scores :math:`QK^\top / s`, with ``s = √d`` unless ``scale`` is given.

    Parameters
    ----------
    queries : array_like
        Shape (n_queries, d).
    keys : array_like
        Shape (n_keys, d).
    scale : float, optional
        What the dot products are divided by; ``1.0`` leaves them unscaled.

    Returns
    -------
    ndarray
        Shape (n_queries, n_keys).

    Examples
    --------
    >>> attention_scores(np.ones((1, 4)), np.ones((2, 4)))  # 4 / √4
    array([[2., 2.]])
    """
    queries, keys = _matrix(queries, "queries"), _matrix(keys, "keys")
    if queries.shape[1] != keys.shape[1]:
        raise ValueError(
            f"queries and keys need the same width d, got {queries.shape[1]} and {keys.shape[1]}"
        )
    scale = np.sqrt(queries.shape[1]) if scale is None else check_positive(scale, "scale")
    return queries @ keys.T / scale


def attention(queries, keys, values, mask=None, scale=None):
    r"""Scaled dot-product attention: the outputs :math:`AV` and the weights A.

    Parameters
    ----------
    queries, keys, values : array_like
        Shapes (n_queries, d), (n_keys, d) and (n_keys, d_values).
    mask : array_like, optional
        Shape (n_queries, n_keys): 0 to keep a score, −inf to mask it. Every row must keep
        at least one key.
    scale : float, optional
        As for :func:`attention_scores`: √d by default.

    Returns
    -------
    outputs : ndarray
        Shape (n_queries, d_values).
    weights : ndarray
        Shape (n_queries, n_keys): each row is a softmax over the keys, 0 where masked.

    Raises
    ------
    ValueError
        On shapes that do not fit, NaN or +inf, or a row of the mask that masks every key.

    Examples
    --------
    >>> outputs, weights = attention(np.eye(2), np.eye(2), [[1.0], [3.0]], mask=causal_mask(2))
    >>> weights.round(4)
    array([[1.    , 0.    ],
           [0.3302, 0.6698]])
    """
    values = _matrix(values, "values")
    scores = attention_scores(queries, keys, scale)
    if values.shape[0] != scores.shape[1]:
        raise ValueError(f"there are {scores.shape[1]} keys but {values.shape[0]} values")
    weights = softmax(scores if mask is None else scores + _mask(mask, scores.shape))
    return weights @ values, weights


def attention_backward(queries, keys, values, weights, upstream, scale=None):
    r"""Gradients of a loss with respect to Q, K and V, from the weights and ``dL/dO``.

    With :math:`O = AV`, :math:`A = \operatorname{softmax}(S)` row by row and
    :math:`S = QK^\top/s`:

    .. math:: \frac{\partial L}{\partial V} = A^\top G, \quad
              \frac{\partial L}{\partial A} = G V^\top, \quad
              \frac{\partial L}{\partial S} = A \odot \Big(\frac{\partial L}{\partial A}
              - \big\langle \tfrac{\partial L}{\partial A}, A \big\rangle\Big), \quad
              \frac{\partial L}{\partial Q} = \frac{1}{s}\frac{\partial L}{\partial S} K, \quad
              \frac{\partial L}{\partial K} = \frac{1}{s}\Big(\frac{\partial L}{\partial S}\Big)^\top Q.

    A masked weight is exactly 0, so the softmax VJP gives its score exactly 0 gradient.

    Returns
    -------
    grad_queries, grad_keys, grad_values : ndarray
        Shaped like ``queries``, ``keys`` and ``values``.

    Examples
    --------
    >>> q, k, v = np.eye(2), np.eye(2), np.array([[1.0], [3.0]])
    >>> _, weights = attention(q, k, v)
    >>> grads = attention_backward(q, k, v, weights, np.ones((2, 1)))
    >>> [g.shape for g in grads]
    [(2, 2), (2, 2), (2, 1)]
    """
    queries, keys = _matrix(queries, "queries"), _matrix(keys, "keys")
    values, upstream = _matrix(values, "values"), _matrix(upstream, "upstream")
    scale = np.sqrt(queries.shape[1]) if scale is None else check_positive(scale, "scale")
    grad_values = weights.T @ upstream
    grad_scores = softmax_backward(weights, upstream @ values.T)
    return grad_scores @ keys / scale, grad_scores.T @ queries / scale, grad_values


def saturation_by_width(widths, scaled=True, n_tokens=8, seed=0):
    r"""What the scale does as the width d grows, for random unit-variance queries and keys.

    For each d: the standard deviation of the scores, the mean of each query's largest weight
    (1 means one-hot: saturated) and the typical size of the scores' gradient (the median over
    the queries of each row's root mean square) for a
    random upstream gradient of the weights, ``dL/dA`` with unit-variance entries.

    Parameters
    ----------
    widths : sequence of int
        The widths d to try.
    scaled : bool, optional
        Divide the scores by √d (True) or leave them unscaled (False).
    n_tokens : int, optional
        Queries, keys and values per trial.
    seed : int, optional
        Seed of the random generator: the same numbers on every run.

    Returns
    -------
    dict of ndarray
        ``"score_std"``, ``"max_weight"``, ``"grad_rms"``, one entry per width.

    Examples
    --------
    >>> result = saturation_by_width([4, 400], scaled=False)
    >>> bool(result["max_weight"][1] > result["max_weight"][0])
    True
    """
    rng = np.random.default_rng(seed)
    score_std, max_weight, grad_rms = [], [], []
    for width in widths:
        queries, keys = rng.standard_normal((n_tokens, width)), rng.standard_normal((n_tokens, width))
        upstream = rng.standard_normal((n_tokens, n_tokens))
        scores = attention_scores(queries, keys, None if scaled else 1.0)
        weights = softmax(scores)
        grad_scores = softmax_backward(weights, upstream)
        score_std.append(scores.std())
        max_weight.append(weights.max(axis=1).mean())
        grad_rms.append(np.median(np.sqrt(np.mean(grad_scores**2, axis=1))))
    return {"score_std": np.array(score_std), "max_weight": np.array(max_weight),
            "grad_rms": np.array(grad_rms)}


def _matrix(values, name):
    array = as_float_array(values, name)
    if array.ndim != 2:
        raise ValueError(f"{name} must be a matrix (rows, width), got shape {array.shape}")
    return array


def _mask(mask, shape):
    mask = as_float_array(mask, "mask")
    if mask.shape != shape:
        raise ValueError(f"the mask has shape {mask.shape}, the scores {shape}")
    if np.isnan(mask).any() or (mask == np.inf).any():
        raise ValueError("a mask holds 0 (keep) or -inf (mask), never NaN or +inf")
    every_key = np.isneginf(mask).all(axis=1)
    if every_key.any():
        row = int(np.flatnonzero(every_key)[0])
        raise ValueError(
            f"row {row} of the mask masks every key: each query must attend to at least one key "
            "(its softmax would be 0/0)"
        )
    return mask
