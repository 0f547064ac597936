"""The bug hunts' objects: a layer with two bugs (notebook 06) and a weak gradient check (03).

:class:`RepairedSoftmaxCrossEntropy` is the buggy layer with its two bugs fixed, kept next to
it so that the two can be compared line by line; it passes ``check_cross_entropy`` and
``check_cross_entropy_backward`` (see ``tests/test_bugs.py``).
"""

import numpy as np

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
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))  # FIX: never log(σ)
        self.probs = np.exp(log_probs)  # rows sum to 1 (axis 0 runs over the batch)
        self.one_hot = np.eye(logits.shape[-1])[targets]
        self.batch_size = 1 if logits.ndim == 1 else logits.shape[0]  # FIX: samples, not classes
        return float(-np.sum(self.one_hot * log_probs) / self.batch_size)

    def backward(self):
        return (self.probs - self.one_hot) / self.batch_size


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
