"""Code that is WRONG ON PURPOSE: plausible implementations with a bug, for the bug hunts.

Every function and class here looks like something a careful student could write, and
every one of them has a mistake (or, for :func:`one_sided_gradient` and
:func:`cross_entropy_log_eps`, a weakness) that the notebooks expose with a gradient check,
a row-sum assertion or a training run. Never use them for real work: the correct versions
are :func:`course_utils.softmax_backward`, :func:`course_utils.cross_entropy_backward`,
:class:`course_utils.SoftmaxCrossEntropy` and :func:`course_utils.numerical_gradient`.

The one exception is :class:`RepairedSoftmaxCrossEntropy`: the student's layer with its two
bugs fixed, kept next to the buggy one so that the two can be compared line by line.
"""

import numpy as np

from .formatting import format_signed
from .softmax import OVERFLOW_POINTS, softmax

# --- notebook 05: backward passes through softmax --------------------------------------


def softmax_backward_diagonal_only(probs, upstream):
    r"""WRONG: keeps only ``∂σⱼ/∂xⱼ`` and forgets that every σᵢ depends on xⱼ.

    The answer to "do I add them or multiply them?" that drops the off-diagonal paths:
    ``σⱼ(1 − σⱼ) gⱼ`` instead of ``Σᵢ gᵢ σᵢ(δᵢⱼ − σⱼ)``.

    Examples
    --------
    >>> softmax_backward_diagonal_only(np.array([0.5, 0.5]), np.array([1.0, 0.0]))
    array([0.25, 0.  ])
    """
    probs, upstream = np.asarray(probs, float), np.asarray(upstream, float)
    return probs * (1 - probs) * upstream


def softmax_backward_plain_mean(probs, upstream):
    r"""WRONG: subtracts the plain mean of ``g`` where the σ-weighted mean ⟨g, σ⟩ belongs.

    ``σ ⊙ (g − mean(g))``: exactly 0 for a constant upstream gradient, like the truth, so a
    test with ``upstream = ones`` cannot tell it apart.

    Examples
    --------
    >>> softmax_backward_plain_mean(np.array([0.2, 0.8]), np.array([3.0, 3.0]))
    array([0., 0.])
    """
    probs, upstream = np.asarray(probs, float), np.asarray(upstream, float)
    return probs * (upstream - upstream.mean(axis=-1, keepdims=True))


def softmax_backward_missing_probs(probs, upstream):
    r"""WRONG: ``g − ⟨g, σ⟩``, the right bracket without the factor σⱼ in front of it.

    Also exactly 0 for a constant upstream gradient.

    Examples
    --------
    >>> softmax_backward_missing_probs(np.array([0.25, 0.75]), np.array([2.0, 2.0]))
    array([0., 0.])
    """
    probs, upstream = np.asarray(probs, float), np.asarray(upstream, float)
    return upstream - np.sum(upstream * probs, axis=-1, keepdims=True)


# --- notebook 06: a softmax + cross-entropy layer with two bugs ------------------------


class BuggySoftmaxCrossEntropy:
    """WRONG: a softmax + cross-entropy layer that looks right and has two bugs.

    ``forward(logits, targets)`` takes logits of shape (D,) or (N, D) and class indices;
    ``backward()`` returns the gradient of the loss it computed. Notebook 06 hunts the bugs
    down, so the methods carry no comments that give them away; the answer is
    :class:`RepairedSoftmaxCrossEntropy`.

    Examples
    --------
    >>> layer = BuggySoftmaxCrossEntropy()
    >>> round(layer.forward([-1.2, 1.6, 0.9], 0), 3)  # the truth is 3.243
    1.081
    """

    def forward(self, logits, targets):
        logits = np.asarray(logits, dtype=float)
        exps = np.exp(logits - logits.max(axis=0))  # shift by the max for stability
        self.probs = exps / exps.sum(axis=0)
        self.one_hot = np.eye(logits.shape[-1])[targets]
        self.batch_size = logits.shape[0]
        return float(-np.sum(self.one_hot * np.log(self.probs)) / self.batch_size)

    def backward(self):
        return (self.probs - self.one_hot) / self.batch_size


class RepairedSoftmaxCrossEntropy:
    """RIGHT: :class:`BuggySoftmaxCrossEntropy` with its two bugs fixed, for comparison.

    ``logits.shape[0]`` is D, the class count, for one sample, so its loss comes out D times
    too small (for a batch it is N, which hides the bug); the gradient is divided by the same
    wrong number, so a gradient check of the layer against ITSELF cannot see it. ``axis=0``
    normalises over the BATCH for (N, D) logits, so rows do not sum to 1 (for one sample,
    axis 0 is the class axis, which hides that bug).

    The repair also takes the log the way notebook 06 recommends, from log-softmax: ``log(probs)``
    is -inf once a probability underflows to 0 (the loss of ``[0, -800]`` for target 1 is 800).

    Examples
    --------
    >>> layer = RepairedSoftmaxCrossEntropy()
    >>> round(layer.forward([-1.2, 1.6, 0.9], 0), 3)
    3.243
    >>> layer.forward([0.0, -800.0], 1)
    800.0
    """

    def forward(self, logits, targets):
        logits = np.asarray(logits, dtype=float)
        shifted = logits - logits.max(axis=-1, keepdims=True)  # FIX: each row's own maximum
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))  # FIX: never log(p)
        self.probs = np.exp(log_probs)  # rows sum to 1 (axis 0 runs over the batch)
        self.one_hot = np.eye(logits.shape[-1])[targets]
        self.batch_size = 1 if logits.ndim == 1 else logits.shape[0]  # FIX: samples, not classes
        return float(-np.sum(self.one_hot * log_probs) / self.batch_size)

    def backward(self):
        return (self.probs - self.one_hot) / self.batch_size


def cross_entropy_log_eps(logits, targets, eps=1e-12):
    r"""INACCURATE: mean ``−log(p_target + eps)``, the "add a small epsilon" fix for log(0).

    The epsilon hides the ``-inf`` but caps the loss near ``−log(eps)`` (27.6 for 1e-12),
    so a confidently wrong prediction is charged far too little. Log-softmax is exact.

    Examples
    --------
    >>> round(cross_entropy_log_eps([0.0, -50.0], 1), 2)  # the truth is 50.0
    27.63
    """
    probs = softmax(np.asarray(logits, dtype=float))
    rows = probs.reshape(-1, probs.shape[-1])
    targets = np.asarray(targets).reshape(-1)
    picked = rows[np.arange(len(rows)), targets]
    return float(np.mean(-np.log(picked + eps)))


# --- notebook 07: wrong gradients of the loss with respect to the logits ---------------


def cross_entropy_backward_sign_flipped(logits, targets):
    r"""WRONG: ``(y − p) / N``, the gradient with its sign flipped (descent becomes ascent).

    Examples
    --------
    >>> cross_entropy_backward_sign_flipped([0.0, 0.0], 1)
    array([-0.5,  0.5])
    """
    probs, one_hot, n_samples = _probs_and_one_hot(logits, targets)
    return (one_hot - probs) / n_samples


def cross_entropy_backward_diagonal_only(logits, targets):
    r"""WRONG: the chain rule through the DIAGONAL of the softmax Jacobian only.

    ``∂L/∂σ = −y/σ`` times ``∂σⱼ/∂xⱼ = σⱼ(1 − σⱼ)`` gives ``−y(1 − σ) / N``: the target
    logit is pushed up, the other logits are never pushed down.

    Examples
    --------
    >>> cross_entropy_backward_diagonal_only([0.0, 0.0], 1)
    array([ 0. , -0.5])
    """
    probs, one_hot, n_samples = _probs_and_one_hot(logits, targets)
    return -one_hot * (1 - probs) / n_samples + 0.0  # + 0.0 turns -0.0 into 0.0


def _probs_and_one_hot(logits, targets):
    logits = np.asarray(logits, dtype=float)
    probs = softmax(logits)
    one_hot = np.eye(logits.shape[-1])[targets]
    n_samples = 1 if logits.ndim == 1 else logits.shape[0]
    return probs, one_hot, n_samples


# --- notebook 03: a gradient checker that raises false alarms --------------------------


def one_sided_gradient(f, x, eps=1e-6):
    r"""WEAK: forward differences ``(f(x + h eₖ) − f(x)) / h``, the textbook definition.

    Not a bug in itself, but its error is O(h) where centred differences have O(h²), so a
    gradient check built on it calls right gradients "suspicious" (see notebook 03).

    Examples
    --------
    >>> float(one_sided_gradient(lambda v: float(np.exp(v).sum()), [0.0], eps=1e-2)[0].round(4))
    1.005
    """
    point = np.array(x, dtype=float)
    base = f(point)
    grad = np.zeros_like(point)
    for index in np.ndindex(point.shape):
        shifted = point.copy()
        shifted[index] += eps
        grad[index] = (f(shifted) - base) / eps
    return grad


def one_sided_check(f, analytic_grad, x, eps=1e-6, tiny=1e-6):
    r"""Like :func:`course_utils.gradient_check`, but with :func:`one_sided_gradient`.

    The same relative error, ``|a − n| / max(|a|, |n|, tiny)``, largest over the entries.

    Examples
    --------
    >>> err = one_sided_check(lambda v: float(np.exp(v).sum()), np.ones(1), [0.0], eps=1e-2)
    >>> round(err, 4)  # about h / 2
    0.005
    """
    analytic = np.asarray(analytic_grad, dtype=float)
    numerical = one_sided_gradient(f, x, eps)
    scale = np.maximum(np.maximum(np.abs(analytic), np.abs(numerical)), tiny)
    return float(np.max(np.abs(analytic - numerical) / scale))


# --- notebook 04: the numerical-stability lab ------------------------------------------

DTYPES = {"float64": np.float64, "float32": np.float32}


def naive_softmax(logits, dtype="float64"):
    """WRONG for large logits: ``exp(x) / sum(exp(x))`` as textbooks write it, and what went wrong.

    Parameters
    ----------
    logits : array_like
        Shape (D,).
    dtype : {"float64", "float32"}
        The type the computation runs in.

    Returns
    -------
    probs : ndarray
        The result; wrong (NaN, or 0 where the sum overflowed) when ``problem`` is set.
    problem : str or None
        Why it failed ("overflow ..." or "underflow ..."), or ``None``.

    Examples
    --------
    >>> probs, problem = naive_softmax([1.0, 2.0, 3.0])
    >>> probs.round(4), problem
    (array([0.09  , 0.2447, 0.6652]), None)
    >>> print(naive_softmax([100.0, 0.0], "float32")[1])
    overflow: exp(100.0) = inf in float32, and inf / inf = NaN
    """
    values = np.asarray(logits, dtype=DTYPES[dtype])
    # The failure is the lesson: compute it quietly, then say what happened in words.
    with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
        exps = np.exp(values)
        total = exps.sum()
        probs = exps / total
    if np.isfinite(total) and total > 0:
        return probs, None
    largest = float(values.max())
    if not np.isfinite(total):
        culprit = (f"exp({format_signed(largest)})" if largest > OVERFLOW_POINTS[dtype]
                   else "the sum of exp(x)")
        return probs, f"overflow: {culprit} = inf in {dtype}, and inf / inf = NaN"
    return probs, (
        f"underflow: every exp(x) = 0 in {dtype} (largest x = {format_signed(largest)}), "
        "and 0 / 0 = NaN"
    )
