r"""A network with one hidden layer, trained end to end with the course's gradients (notebook 09).

.. math:: h = \tanh(F W_1 + b_1), \qquad x = h W_2 + b_2, \qquad L = \operatorname{CE}(x, y)

The backward pass starts from :math:`G = (p - y)/N` and applies the chain rule one layer at a
time: the dense layer of notebook 07, the derivative :math:`1 - h^2` of tanh, and the first
dense layer. Everything is plain NumPy and seeded.
"""

import numpy as np

from .cross_entropy import cross_entropy, cross_entropy_backward
from .gradcheck import gradient_check
from .training import make_blobs

# Two classes in an XOR pattern: class 0 at two opposite corners, class 1 at the other two.
# No straight line separates them, so a linear classifier cannot do better than chance.
XOR_CENTERS = ((-1.5, -1.5), (1.5, 1.5), (-1.5, 1.5), (1.5, -1.5))
PARAMETERS = ("W1", "b1", "W2", "b2")


def make_xor(n_per_corner=40, spread=0.6, seed=3):
    """2-D points in four clouds: class 0 at (−1.5, −1.5) and (1.5, 1.5), class 1 at the other corners.

    Examples
    --------
    >>> features, labels = make_xor(n_per_corner=2)
    >>> features.shape, labels.tolist()
    ((8, 2), [0, 0, 0, 0, 1, 1, 1, 1])
    """
    features, corners = make_blobs(n_per_corner, XOR_CENTERS, spread, seed)
    return features, corners // 2


def init_network(n_features=2, n_hidden=8, n_classes=2, seed=0):
    """Small random weights (scaled by 1/√fan-in) and zero biases, from a seeded generator.

    Returns
    -------
    dict
        ``{"W1": (n_features, n_hidden), "b1": (n_hidden,), "W2": (n_hidden, n_classes),
        "b2": (n_classes,)}``.

    Examples
    --------
    >>> {name: value.shape for name, value in init_network().items()}
    {'W1': (2, 8), 'b1': (8,), 'W2': (8, 2), 'b2': (2,)}
    """
    rng = np.random.default_rng(seed)
    return {
        "W1": rng.standard_normal((n_features, n_hidden)) / np.sqrt(n_features),
        "b1": np.zeros(n_hidden),
        "W2": rng.standard_normal((n_hidden, n_classes)) / np.sqrt(n_hidden),
        "b2": np.zeros(n_classes),
    }


def network_forward(params, features):
    """The hidden activations h and the logits x of every sample.

    Examples
    --------
    >>> hidden, logits = network_forward(init_network(), np.zeros((3, 2)))
    >>> hidden.shape, logits.shape
    ((3, 8), (3, 2))
    """
    hidden = np.tanh(features @ params["W1"] + params["b1"])
    return hidden, hidden @ params["W2"] + params["b2"]


def network_gradients(params, features, labels):
    r"""The mean cross-entropy and its gradient with respect to every parameter.

    .. math:: G = \frac{p - y}{N},\quad \frac{\partial L}{\partial W_2} = h^\top G,\quad
              \frac{\partial L}{\partial h} = G W_2^\top,\quad
              \frac{\partial L}{\partial a} = \frac{\partial L}{\partial h} \odot (1 - h^2),\quad
              \frac{\partial L}{\partial W_1} = F^\top \frac{\partial L}{\partial a}

    (a is the hidden layer before tanh; each bias gets its layer's gradient summed over samples.)

    Returns
    -------
    loss : float
    grads : dict
        Keyed like ``params``, each gradient shaped like its parameter.

    Examples
    --------
    >>> loss, grads = network_gradients(init_network(), *make_xor(n_per_corner=5))
    >>> round(loss, 4), sorted(grads)
    (0.7875, ['W1', 'W2', 'b1', 'b2'])
    """
    hidden, logits = network_forward(params, features)
    grad_logits = cross_entropy_backward(logits, labels)       # (σ − y) / N, notebook 06
    grad_hidden = grad_logits @ params["W2"].T                 # through the second dense layer
    grad_before_tanh = grad_hidden * (1.0 - hidden**2)         # tanh' = 1 − tanh²
    grads = {
        "W1": features.T @ grad_before_tanh,
        "b1": grad_before_tanh.sum(axis=0),
        "W2": hidden.T @ grad_logits,
        "b2": grad_logits.sum(axis=0),
    }
    return cross_entropy(logits, labels), grads


def check_network_gradients(params, features, labels):
    """Each parameter's gradient against finite differences: ``{name: relative error}``.

    Examples
    --------
    >>> errors = check_network_gradients(init_network(), *make_xor(n_per_corner=5))
    >>> all(error < 1e-5 for error in errors.values())
    True
    """
    _, grads = network_gradients(params, features, labels)
    errors = {}
    for name in PARAMETERS:
        def loss_of(trial, name=name):
            return cross_entropy(network_forward({**params, name: trial}, features)[1], labels)

        errors[name] = gradient_check(loss_of, grads[name], params[name])
    return errors


def train_network(features, labels, n_hidden=8, learning_rate=0.5, steps=1000, seed=0):
    """Gradient descent on the whole network; returns the final parameters and the losses.

    ``losses[k]`` is measured before update k, so there are ``steps + 1`` of them.

    Examples
    --------
    >>> params, losses = train_network(*make_xor(n_per_corner=10), steps=50)
    >>> len(losses), losses[-1] < losses[0]
    (51, True)
    """
    params = init_network(features.shape[1], n_hidden, int(labels.max()) + 1, seed)
    losses = []
    for step in range(steps + 1):
        loss, grads = network_gradients(params, features, labels)
        losses.append(loss)
        if step < steps:
            for name in PARAMETERS:
                params[name] = params[name] - learning_rate * grads[name]
    return params, losses


def predict_network(params, points):
    """The predicted class of each point: its largest logit.

    Examples
    --------
    >>> predict_network(init_network(), np.zeros((2, 2))).tolist()
    [0, 0]
    """
    return np.argmax(network_forward(params, points)[1], axis=-1)
