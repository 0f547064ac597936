"""Training a linear softmax classifier by gradient descent, step by step (notebook 07).

The model is one linear layer, ``logits = features @ weights + bias``, followed by
:class:`~course_utils.SoftmaxCrossEntropy`. Everything here is plain NumPy and seeded, so a
run gives the same numbers every time.
"""

from dataclasses import dataclass, field

import numpy as np

from .cross_entropy import cross_entropy, cross_entropy_backward
from .gradcheck import gradient_check

# Three well-separated but overlapping clouds: a linear classifier gets most points right.
BLOB_CENTERS = ((0.0, 2.0), (-2.0, -1.0), (2.0, -1.0))


def make_blobs(n_per_class=50, centers=BLOB_CENTERS, spread=1.0, seed=7):
    """Synthetic 2-D data: one Gaussian cloud of points per class, from a seeded RNG.

    Parameters
    ----------
    n_per_class : int, optional
        Points drawn around each centre.
    centers : sequence of (float, float), optional
        One centre per class; class ``k`` is drawn around ``centers[k]``.
    spread : float, optional
        Standard deviation of each cloud.
    seed : int, optional
        Seed of :func:`numpy.random.default_rng`: the same seed gives the same data.

    Returns
    -------
    features : ndarray, shape (n_classes * n_per_class, 2)
    labels : ndarray of int, shape (n_classes * n_per_class,)
        Class ``k`` fills rows ``k * n_per_class`` to ``(k + 1) * n_per_class - 1``.

    Examples
    --------
    >>> features, labels = make_blobs(n_per_class=4)
    >>> features.shape, labels.tolist()
    ((12, 2), [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2])
    """
    centers = np.asarray(centers, dtype=float)
    if n_per_class < 1:
        raise ValueError(f"n_per_class must be at least 1, got {n_per_class}")
    rng = np.random.default_rng(seed)
    features = np.concatenate(
        [center + spread * rng.standard_normal((n_per_class, centers.shape[1]))
         for center in centers]
    )
    labels = np.repeat(np.arange(len(centers)), n_per_class)
    return features, labels


def linear_forward(features, weights, bias):
    """The logits of a linear layer: ``features @ weights + bias``, shape (N, classes).

    Examples
    --------
    >>> linear_forward(np.array([[1.0, 2.0]]), np.eye(2), np.array([0.5, 0.0]))
    array([[1.5, 2. ]])
    """
    return features @ weights + bias


def linear_backward(features, grad_logits):
    """Gradients of the loss with respect to the weights and bias, from ``dL/dlogits``.

    ``logits[n, c] = Σₖ features[n, k] weights[k, c] + bias[c]``, so by the chain rule
    ``dL/dweights = featuresᵀ @ dL/dlogits`` and ``dL/dbias`` sums ``dL/dlogits`` over samples.

    Examples
    --------
    >>> grad_weights, grad_bias = linear_backward(np.array([[1.0, 2.0]]), np.array([[0.5, -0.5]]))
    >>> grad_weights
    array([[ 0.5, -0.5],
           [ 1. , -1. ]])
    >>> grad_bias
    array([ 0.5, -0.5])
    """
    return features.T @ grad_logits, grad_logits.sum(axis=0)


def predict(features, weights, bias):
    """The predicted class of each sample: the largest logit (the first one on a tie).

    Examples
    --------
    >>> predict(np.array([[1.0, 0.0], [0.0, 1.0]]), np.eye(2), np.zeros(2)).tolist()
    [0, 1]
    """
    return np.argmax(linear_forward(features, weights, bias), axis=-1)


def accuracy(logits, labels):
    """The fraction of samples whose largest logit is their label.

    Examples
    --------
    >>> accuracy(np.array([[2.0, 0.0], [2.0, 0.0]]), np.array([0, 1]))
    0.5
    """
    return float(np.mean(np.argmax(logits, axis=-1) == labels))


def loss_and_gradients(weights, bias, features, labels, logits_grad=cross_entropy_backward):
    """The mean cross-entropy of the linear classifier and its gradients.

    Parameters
    ----------
    weights, bias : ndarray
        Shapes (features, classes) and (classes,).
    features, labels : ndarray
        The data, shapes (N, features) and (N,).
    logits_grad : callable, optional
        ``logits_grad(logits, labels)`` returns ``dL/dlogits``; by default the right one,
        ``(σ − y) / N``. Pass a wrong one to see what it does to learning.

    Returns
    -------
    loss : float
        Always the TRUE loss, whatever ``logits_grad`` is.
    grad_weights, grad_bias : ndarray
        Shaped like ``weights`` and ``bias``.

    Examples
    --------
    >>> loss, grad_weights, grad_bias = loss_and_gradients(
    ...     np.zeros((1, 2)), np.zeros(2), np.array([[1.0]]), np.array([0]))
    >>> round(loss, 4), grad_bias.tolist()
    (0.6931, [-0.5, 0.5])
    """
    logits = linear_forward(features, weights, bias)
    loss = cross_entropy(logits, labels)
    grad_weights, grad_bias = linear_backward(features, logits_grad(logits, labels))
    return loss, grad_weights, grad_bias


def check_gradients(weights, bias, features, labels, logits_grad=cross_entropy_backward):
    """Relative errors of the weight and bias gradients against finite differences.

    Returns
    -------
    dict
        ``{"weights": error, "bias": error}``, each from :func:`~course_utils.gradient_check`.

    Notes
    -----
    Where a gradient is exactly 0 (the bias at zero weights, with as many samples in each
    class), finite differences return rounding noise of about ``1e-16 * loss / eps`` and the
    check reports "suspicious": check after the first update instead.

    Examples
    --------
    >>> features, labels = make_blobs(n_per_class=3)
    >>> weights = np.array([[0.5, -1.0, 0.3], [0.2, 0.4, -0.7]])
    >>> errors = check_gradients(weights, np.zeros(3), features, labels)
    >>> all(error < 1e-5 for error in errors.values())
    True
    """
    _, grad_weights, grad_bias = loss_and_gradients(weights, bias, features, labels, logits_grad)

    def loss_of_weights(trial_weights):
        return cross_entropy(linear_forward(features, trial_weights, bias), labels)

    def loss_of_bias(trial_bias):
        return cross_entropy(linear_forward(features, weights, trial_bias), labels)

    return {
        "weights": gradient_check(loss_of_weights, grad_weights, weights),
        "bias": gradient_check(loss_of_bias, grad_bias, bias),
    }


@dataclass
class TrainingRun:
    """What :func:`train` returns: the final parameters and one entry per step.

    ``losses[k]`` and ``accuracies[k]`` are measured BEFORE update ``k``, so index 0 is the
    untrained model and the last index is after all updates.
    """

    weights: np.ndarray
    bias: np.ndarray
    losses: list = field(default_factory=list)
    accuracies: list = field(default_factory=list)


def train(features, labels, n_classes=None, learning_rate=0.5, steps=500,
          logits_grad=cross_entropy_backward):
    """Gradient descent on a linear softmax classifier, starting from zero weights.

    Parameters
    ----------
    features, labels : ndarray
        Shapes (N, features) and (N,).
    n_classes : int, optional
        By default one more than the largest label.
    learning_rate : float, optional
        The step size.
    steps : int, optional
        The number of updates.
    logits_grad : callable, optional
        As for :func:`loss_and_gradients`.

    Returns
    -------
    TrainingRun
        With ``steps + 1`` losses and accuracies (before each update, and after the last).

    Examples
    --------
    >>> features, labels = make_blobs()
    >>> run = train(features, labels, steps=100)
    >>> round(run.losses[0], 4), round(run.losses[-1], 4), round(run.accuracies[-1], 3)
    (1.0986, 0.1308, 0.947)
    """
    n_classes = int(labels.max()) + 1 if n_classes is None else n_classes
    weights = np.zeros((features.shape[1], n_classes))
    bias = np.zeros(n_classes)
    run = TrainingRun(weights, bias)
    for step in range(steps + 1):
        loss, grad_weights, grad_bias = loss_and_gradients(
            weights, bias, features, labels, logits_grad
        )
        run.losses.append(loss)
        run.accuracies.append(accuracy(linear_forward(features, weights, bias), labels))
        if step < steps:
            weights -= learning_rate * grad_weights
            bias -= learning_rate * grad_bias
    return run
