"""The course's derivatives recomputed by autograd, an automatic-differentiation library (notebooks 08-09).

autograd (HIPS) differentiates NumPy code written with ``autograd.numpy``: it records the
operations of a forward pass and runs them backwards, each with its own derivative rule. Each
function here writes a forward pass the textbook way, from ``exp`` and sums, and lets autograd
find the derivative: nothing in it uses the formulas derived in the course, so agreeing with
them is evidence.
"""

import autograd
import autograd.numpy as anp
import numpy as np


def _softmax(logits, temperature=1.0):
    shifted = (logits - anp.max(logits, axis=-1, keepdims=True)) / temperature
    exps = anp.exp(shifted)
    return exps / anp.sum(exps, axis=-1, keepdims=True)


def _log_softmax(logits):
    shifted = logits - anp.max(logits, axis=-1, keepdims=True)
    return shifted - anp.log(anp.sum(anp.exp(shifted), axis=-1, keepdims=True))


def _mean_cross_entropy(logits, labels):
    log_probs = _log_softmax(logits)
    rows = log_probs.reshape(-1, log_probs.shape[-1])
    return -anp.mean(rows[np.arange(rows.shape[0]), np.reshape(labels, -1)])


def softmax_jacobian(logits, temperature=1.0):
    """∂σᵢ/∂xⱼ of ``softmax(logits / T)`` for one vector, by ``autograd.jacobian``.

    Examples
    --------
    >>> softmax_jacobian(np.array([0.0, 0.0]))
    array([[ 0.25, -0.25],
           [-0.25,  0.25]])
    """
    return autograd.jacobian(lambda x: _softmax(x, temperature))(np.asarray(logits, dtype=float))


def softmax_vjp(logits, upstream):
    """The gradient of ``⟨upstream, softmax(logits)⟩`` with respect to the logits, by ``autograd.grad``.

    Examples
    --------
    >>> softmax_vjp(np.array([0.0, 0.0]), np.array([1.0, 0.0]))
    array([ 0.25, -0.25])
    """
    upstream = np.asarray(upstream, dtype=float)
    return autograd.grad(lambda x: anp.sum(upstream * _softmax(x)))(np.asarray(logits, dtype=float))


def log_softmax_vjp(logits, upstream):
    """The gradient of ``⟨upstream, log_softmax(logits)⟩`` with respect to the logits.

    Examples
    --------
    >>> log_softmax_vjp(np.array([0.0, 0.0]), np.array([1.0, 0.0]))
    array([ 0.5, -0.5])
    """
    upstream = np.asarray(upstream, dtype=float)
    return autograd.grad(lambda x: anp.sum(upstream * _log_softmax(x)))(np.asarray(logits, dtype=float))


def cross_entropy_gradient(logits, labels):
    """The gradient of the mean cross-entropy (one sample or a batch) with respect to the logits.

    Examples
    --------
    >>> cross_entropy_gradient(np.array([0.0, 0.0]), 1)
    array([ 0.5, -0.5])
    """
    return autograd.grad(_mean_cross_entropy)(np.asarray(logits, dtype=float), labels)


def cross_entropy_hessian(logits, label):
    """The matrix of second derivatives of the cross-entropy of one sample, by ``autograd.hessian``.

    Examples
    --------
    >>> cross_entropy_hessian(np.array([0.0, 0.0]), 0)
    array([[ 0.25, -0.25],
           [-0.25,  0.25]])
    """
    return autograd.hessian(_mean_cross_entropy)(np.asarray(logits, dtype=float), label)


def attention_gradients(queries, keys, values, upstream, mask=None, scale=None):
    """Gradients of ``⟨upstream, softmax(QKᵀ/s + M) V⟩`` with respect to Q, K and V.

    Examples
    --------
    >>> grads = attention_gradients(np.eye(2), np.eye(2), np.ones((2, 1)), np.ones((2, 1)))
    >>> [g.shape for g in grads]
    [(2, 2), (2, 2), (2, 1)]
    """
    queries, keys, values = (np.asarray(a, dtype=float) for a in (queries, keys, values))
    upstream = np.asarray(upstream, dtype=float)
    scale = np.sqrt(queries.shape[1]) if scale is None else scale
    mask = 0.0 if mask is None else np.asarray(mask, dtype=float)

    def loss(q, k, v):
        weights = _softmax(anp.dot(q, k.T) / scale + mask)
        return anp.sum(upstream * anp.dot(weights, v))

    return tuple(autograd.grad(loss, argnum)(queries, keys, values) for argnum in range(3))


def network_gradients(params, features, labels):
    """The gradients of the one-hidden-layer network's loss (see ``hidden_layer``), by autograd.

    Examples
    --------
    >>> from course_utils.hidden_layer import init_network
    >>> sorted(network_gradients(init_network(), np.zeros((2, 2)), np.array([0, 1])))
    ['W1', 'W2', 'b1', 'b2']
    """
    def loss(weights):
        hidden = anp.tanh(anp.dot(features, weights["W1"]) + weights["b1"])
        return _mean_cross_entropy(anp.dot(hidden, weights["W2"]) + weights["b2"], labels)

    return autograd.grad(loss)(dict(params))
