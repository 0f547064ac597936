"""Measuring how long the two backward passes through softmax take (notebook 05).

The machine is shared and noisy, so each time is the median of a few repeats, and the two
methods are measured side by side (interleaved) at every size.
"""

import time

import numpy as np

from .jacobian import softmax_backward, softmax_jacobian
from .softmax import softmax


def median_seconds(func, repeats=5):
    """The median wall-clock time of ``func()`` over ``repeats`` calls, in seconds.

    Examples
    --------
    >>> median_seconds(lambda: sum(range(100)), repeats=3) > 0
    True
    """
    if repeats < 1:
        raise ValueError(f"repeats must be at least 1, got {repeats}")
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return float(np.median(times))


def backward_via_jacobian(logits, upstream):
    """Form every row's (D, D) Jacobian, then multiply: ``Jᵀ g`` for each row, O(D²) per row.

    Examples
    --------
    >>> backward_via_jacobian(np.zeros((1, 2)), np.array([[1.0, 0.0]]))
    array([[ 0.25, -0.25]])
    """
    return np.einsum("nij,ni->nj", softmax_jacobian(logits), upstream)


def backward_jacobian_free(logits, upstream):
    """``σ ⊙ (g − ⟨g, σ⟩)`` from the probabilities, never forming the Jacobian: O(D) per row.

    Examples
    --------
    >>> backward_jacobian_free(np.zeros((1, 2)), np.array([[1.0, 0.0]]))
    array([[ 0.25, -0.25]])
    """
    return softmax_backward(softmax(logits), upstream)


def time_backward(dims, n_rows=32, repeats=5, seed=0):
    """Median seconds of :func:`backward_via_jacobian` and :func:`backward_jacobian_free`.

    Both start from the same logits and upstream gradient (a batch of ``n_rows`` rows of
    ``D`` classes, drawn from a seeded RNG) and include computing the probabilities.

    Parameters
    ----------
    dims : sequence of int
        The numbers of classes D to measure.
    n_rows : int, optional
        Rows in the batch.
    repeats : int, optional
        Each time is the median of this many calls.
    seed : int, optional
        Seed of the random logits and upstream gradients.

    Returns
    -------
    dict
        ``{"form the Jacobian": [seconds per D], "Jacobian-free": [seconds per D]}``.

    Examples
    --------
    >>> times = time_backward([4, 8], n_rows=2, repeats=1)
    >>> sorted(times), [len(seconds) for seconds in times.values()]
    (['Jacobian-free', 'form the Jacobian'], [2, 2])
    """
    rng = np.random.default_rng(seed)
    methods = {"form the Jacobian": backward_via_jacobian, "Jacobian-free": backward_jacobian_free}
    times = {name: [] for name in methods}
    for dim in dims:
        logits = rng.standard_normal((n_rows, dim))
        upstream = rng.standard_normal((n_rows, dim))
        samples = {name: [] for name in methods}
        for _ in range(repeats):  # interleaved, so a busy moment slows both alike
            for name, method in methods.items():
                samples[name].append(
                    median_seconds(lambda m=method, x=logits, g=upstream: m(x, g), 1)
                )
        for name in methods:
            times[name].append(float(np.median(samples[name])))
    return times
