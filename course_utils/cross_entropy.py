"""Softmax followed by cross-entropy, whose gradient with respect to the logits is ``p - y``."""

import numpy as np

from ._checks import as_array, as_float_array, check_row_max, quiet_overflow, row_blocks

# Probability targets must sum to 1 per row within this tolerance (rows are summed in float64).
TARGET_SUM_TOLERANCE = 1e-6


def cross_entropy(logits, targets):
    r"""Mean cross-entropy between ``softmax(logits)`` and ``targets`` over the batch.

    Parameters
    ----------
    logits : array_like
        Shape (D,) for ONE sample, or (N, D) for a batch of N samples.
    targets : int, array_like
        Class indices (an int for one sample, ints of shape (N,) for a batch) or probability
        rows of the logits' shape (each entry >= 0, each row summing to 1: one-hot or soft).

    Returns
    -------
    float
        The loss averaged over the N samples (never over the D classes).

    Raises
    ------
    ValueError
        On bad logits (see :func:`~course_utils.softmax`) or logits that are not 1-D or 2-D,
        ragged targets, an index out of range, negative or not an integer, probability rows
        with NaN, inf or a negative entry or not summing to 1 (within 1e-6), a target shape
        that does not match the logits, a target on a class whose logit is -inf, or a loss
        that overflows.
    TypeError
        If logits or targets are not real numbers (booleans, strings) or are masked arrays.

    Notes
    -----
    .. math:: L = -\frac{1}{N}\sum_n \sum_i y_{ni} \log \sigma(x_n)_i
              = \frac{1}{N}\sum_n \Big(\operatorname{logsumexp}(x_n) - \sum_i y_{ni} x_{ni}\Big)

    computed from log-sum-exp, so it stays exact where a probability underflows to 0.

    Examples
    --------
    >>> round(cross_entropy([-1.2, 1.6, 0.9], 0), 3)
    3.243
    >>> round(cross_entropy([[2.0, 0.0], [0.0, 2.0]], [0, 1]), 4)
    0.1269
    """
    loss, _ = _forward(logits, targets, want_grad=False)
    return loss


def cross_entropy_backward(logits, targets):
    r"""Gradient of :func:`cross_entropy` with respect to the logits: ``(p - y) / N``.

    Parameters
    ----------
    logits, targets
        As for :func:`cross_entropy`.

    Returns
    -------
    grad : ndarray
        The logits' shape: ``p - y`` for one sample, ``(p - y) / N`` for a batch of N.

    Raises
    ------
    ValueError, TypeError
        On bad logits or targets, exactly as :func:`cross_entropy`.

    Examples
    --------
    >>> cross_entropy_backward([0.0, 0.0], 1)
    array([ 0.5, -0.5])
    >>> cross_entropy_backward([[0.0, 0.0], [0.0, 0.0]], [1, 1])
    array([[ 0.25, -0.25],
           [ 0.25, -0.25]])
    """
    _, grad = _forward(logits, targets, want_grad=True)
    return grad


class SoftmaxCrossEntropy:
    """Softmax and cross-entropy as one layer: ``forward`` gives the loss, ``backward`` its gradient.

    Fusing the two is faster and more accurate than chaining them: the Jacobian of softmax
    and the ``1/p`` of the log cancel, leaving ``(p - y) / N``, which ``forward`` computes
    in the same pass as the loss. Each forward's gradient is handed over once, by
    :meth:`backward`.

    Examples
    --------
    >>> layer = SoftmaxCrossEntropy()
    >>> round(layer.forward([[2.0, 0.0], [0.0, 2.0]], [0, 1]), 4)
    0.1269
    >>> layer.backward().round(4)
    array([[-0.0596,  0.0596],
           [ 0.0596, -0.0596]])
    """

    def __init__(self):
        self.loss = None
        self._grad = None

    def forward(self, logits, targets):
        """Compute the mean cross-entropy and keep its gradient for :meth:`backward`.

        Parameters
        ----------
        logits : array_like
            Shape (D,) for one sample or (N, D) for a batch, as for :func:`cross_entropy`.
        targets : int, array_like
            Class indices or probability rows, as for :func:`cross_entropy`.

        Returns
        -------
        float
            The loss averaged over the N samples, also kept as ``self.loss``.

        Raises
        ------
        ValueError, TypeError
            On bad logits or targets, as :func:`cross_entropy`. The layer then holds no
            loss and no gradient: :meth:`backward` raises instead of returning an old one.
        """
        self.loss, self._grad = None, None  # a forward that raises leaves nothing behind
        self.loss, self._grad = _forward(logits, targets, want_grad=True)
        return self.loss

    __call__ = forward

    def backward(self):
        """Hand over the gradient of the last :meth:`forward`, ``dL/dlogits = (p - y) / N``.

        Returns
        -------
        grad : ndarray
            The logits' shape: ``p - y`` for one sample, ``(p - y) / N`` for a batch of N.
            The array is yours: the layer forgets it (no copy is made), so changing it in
            place changes nothing in the layer.

        Raises
        ------
        RuntimeError
            If no :meth:`forward` succeeded since the last ``backward()``: before the first
            forward, after a forward that raised, or on a second ``backward()`` for the same
            forward (keep the array the first one returned).
        """
        if self._grad is None:
            if self.loss is not None:
                raise RuntimeError(
                    "backward() already returned the gradient of the last forward(): "
                    "keep that array, or call forward(logits, targets) again"
                )
            raise RuntimeError("call forward(logits, targets) before backward()")
        grad, self._grad = self._grad, None
        return grad

    def __repr__(self):
        state = "no forward yet" if self.loss is None else f"loss={self.loss:.6g}"
        return f"SoftmaxCrossEntropy({state})"


def _forward(logits, targets, want_grad):
    """The loss and, if asked, its gradient, in one blocked pass over the logits."""
    logits = as_float_array(logits)
    if logits.ndim not in (1, 2):
        raise ValueError(
            "logits must be 1-D (one sample) or 2-D (samples, classes), "
            f"got shape {logits.shape}"
        )
    if logits.size == 0:
        raise ValueError(f"logits is empty (shape {logits.shape})")
    rows = logits.reshape(-1, logits.shape[-1])
    labels = _as_labels(targets, logits.shape)
    n_samples = rows.shape[0]
    scratch = np.empty_like(rows) if want_grad else None
    total = 0.0
    for block in row_blocks(rows):
        out = scratch[block] if want_grad else np.empty_like(rows[block])
        block_labels = labels[block]
        block_loss, row_sum = _block_loss(rows[block], block_labels, out, block.start)
        total += block_loss
        if want_grad:  # out holds exp(x - max): turn it into (p - y) / N
            out /= row_sum * n_samples
            if block_labels.ndim == 1:
                out[np.arange(len(out)), block_labels] -= 1.0 / n_samples
            else:
                out -= block_labels / n_samples
    grad = scratch.reshape(logits.shape) if want_grad else None
    return total / n_samples, grad


def _block_loss(logits, labels, out, first_row):
    """The sum of the block's losses and the row sums of ``exp(x - max)``, left in ``out``."""
    row_max = np.maximum.reduce(logits, axis=1, keepdims=True)
    huge = check_row_max(row_max, first_row)
    with quiet_overflow(huge):
        np.subtract(logits, row_max, out=out)
        gaps = row_max - logits if labels.ndim == 2 else None  # for soft labels
    np.exp(out, out=out)
    row_sum = np.add.reduce(out, axis=1, keepdims=True)
    log_row_sum = np.log(row_sum)
    if labels.ndim == 1:  # class indices: loss = (max - x_target) + log sum exp(x - max)
        target_logits = logits[np.arange(len(logits)), labels][:, None]
        if np.isneginf(target_logits).any():
            row = first_row + int(np.flatnonzero(np.isneginf(target_logits))[0])
            raise ValueError(f"the target class of row {row} has logit -inf: the loss is infinite")
        with quiet_overflow(huge):
            gap = row_max - target_logits
        if huge and np.isinf(gap).any():
            raise ValueError("the loss overflows: logits differ by more than the largest float")
        return float(np.sum(gap + log_row_sum, dtype=np.float64)), row_sum
    on_mask = (labels > 0) & np.isneginf(logits)
    if on_mask.any():
        row = first_row + int(np.flatnonzero(on_mask.any(axis=1))[0])
        raise ValueError(f"targets of row {row} put probability on a class with logit -inf")
    weighted_gap = np.zeros(logits.shape, dtype=np.float64)  # 0 * inf would be NaN: skip y = 0
    np.multiply(labels, gaps, out=weighted_gap, where=labels > 0)
    loss = np.sum(weighted_gap, dtype=np.float64) + np.sum(log_row_sum, dtype=np.float64)
    if not np.isfinite(loss):
        raise ValueError("the loss overflows: logits differ by more than the largest float")
    return float(loss), row_sum


def _as_labels(targets, logits_shape):
    """Class indices as an int array of shape (N,), or probability rows of shape (N, D)."""
    n_classes = logits_shape[-1]
    batch_shape = logits_shape[:-1]
    array = as_array(targets, "targets")
    if array.dtype.kind == "b":
        raise TypeError("targets must be class indices or probabilities, not booleans")
    if array.dtype.kind not in "iuf":
        raise TypeError(f"targets must be numbers, got dtype {array.dtype}")
    if array.shape == batch_shape:
        return _as_indices(array, n_classes).reshape(-1)
    if array.shape == logits_shape:
        return _as_probabilities(array).reshape(-1, n_classes)
    expected = "an int" if not batch_shape else f"shape {batch_shape} of class indices"
    raise ValueError(
        f"targets of shape {array.shape} do not match logits of shape {logits_shape}: "
        f"expected {expected}, or probability rows of shape {logits_shape}"
    )


def _as_indices(array, n_classes):
    """Class indices as an intp array; floats must be whole numbers. Checked before the cast."""
    if array.dtype.kind == "f":
        if not np.isfinite(array).all() or (array != np.round(array)).any():
            bad = array[~np.isfinite(array) | (array != np.round(array))].ravel()[0]
            raise ValueError(f"class indices must be integers, got {bad}")
    if (array < 0).any():
        raise ValueError(f"class indices must be >= 0, got {_as_text(array[array < 0].ravel()[0])}")
    if (array >= n_classes).any():
        bad = _as_text(array[array >= n_classes].ravel()[0])
        raise ValueError(f"class index {bad} is out of range for {n_classes} classes (0..{n_classes - 1})")
    return array.astype(np.intp)


def _as_text(index):
    """A class index as text: ``3`` for the int 3 and for the float 3.0, ``1e+20`` for 1e20."""
    return f"{index:g}" if isinstance(index, np.floating) else f"{index}"


def _as_probabilities(array):
    array = as_float_array(array, "targets")
    if not np.isfinite(array).all():
        raise ValueError("probability targets contain NaN or inf")
    if (array < 0).any():
        raise ValueError(f"probability targets must be >= 0, got {array[array < 0].ravel()[0]}")
    sums = array.reshape(-1, array.shape[-1]).sum(axis=1, dtype=np.float64)
    off = np.abs(sums - 1) > TARGET_SUM_TOLERANCE
    if off.any():
        row = int(np.flatnonzero(off)[0])
        raise ValueError(
            f"each row of probability targets must sum to 1 (within {TARGET_SUM_TOLERANCE:g}); "
            f"row {row} sums to {sums[row]:.6g}"
        )
    return array
