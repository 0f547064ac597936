"""The checker of notebook 09's exercise: the attention weights softmax(QKᵀ/√d + M)."""

import numpy as np

from ..attention import attention, causal_mask, padding_mask
from ..softmax import softmax
from .attempt import Attempt

SEED = 20260909


def check_attention_weights(fn):
    """Check a student's attention weights and name the mistake.

    The contract: ``fn(queries, keys, mask)`` takes queries (n_queries, d), keys (n_keys, d)
    and a mask (n_queries, n_keys) of 0 (keep) and −inf (mask), and returns the weights
    ``softmax(QKᵀ/√d + mask)``, a softmax along the keys (each row sums to 1), of shape
    (n_queries, n_keys), without changing its inputs.

    Examples
    --------
    >>> right = lambda queries, keys, mask: attention(queries, keys, keys, mask)[1]
    >>> check_attention_weights(right).passed
    True
    >>> unscaled = lambda queries, keys, mask: softmax(queries @ keys.T + mask)
    >>> check_attention_weights(unscaled).diagnosis
    'unscaled_scores'
    """
    attempt = Attempt("check_attention_weights", fn)
    return attempt.finish(lambda: _probes(attempt))


def _probes(attempt):
    rng = np.random.default_rng(SEED)
    queries, keys = rng.normal(size=(3, 4)).round(1), rng.normal(size=(5, 4)).round(1)
    cases = [
        ("3 queries, 5 keys of width d = 4, no mask", queries, keys, np.zeros((3, 5))),
        ("the same with the last 2 keys masked (padding)", queries, keys, padding_mask(3, 3, 5)),
        ("4 positions attending to themselves with a causal mask", keys[:4], keys[:4], causal_mask(4)),
        ("queries × 1000 (scores in the thousands)", queries * 1000.0, keys, padding_mask(3, 3, 5)),
    ]
    for label, q, k, mask in cases:
        attempt.expect(label, (q, k, mask), attention(q, k, k, mask)[1], _bugs(attempt.name, q, k, mask))


def _bugs(name, queries, keys, mask):
    scores = queries @ keys.T
    d = queries.shape[1]
    bugs = [
        ("unscaled_scores", _UNSCALED.format(name=name), softmax(scores + mask)),
        ("scaled_by_d", _BY_D.format(name=name, d=d, root=np.sqrt(d)), softmax(scores / d + mask)),
        ("mask_ignored", _IGNORED.format(name=name), softmax(scores / np.sqrt(d))),
    ]
    if (~np.isneginf(mask)).any(axis=0).all():  # a column of only -inf: softmax over axis 0 fails
        bugs.append(("wrong_axis", _AXIS.format(name=name), softmax(scores / np.sqrt(d) + mask, axis=0)))
    transposed = keys @ queries.T / np.sqrt(d)
    if transposed.shape == mask.shape:
        bugs.append(("transposed_scores", _TRANSPOSED.format(name=name), softmax(transposed + mask)))
    else:
        bugs.append(("transposed_scores", _TRANSPOSED.format(name=name), softmax(transposed)))
    return bugs


_UNSCALED = (
    "{name} takes the softmax of QKᵀ without dividing by √d. A dot product of two d-dimensional "
    "vectors with unit-variance entries has variance d, so the scores grow with d and the softmax "
    "saturates; dividing by √d (a temperature T = √d) brings them back to variance 1: "
    "`queries @ keys.T / np.sqrt(d)` with d = queries.shape[1]."
)
_BY_D = (
    "{name} divides the scores by d = {d} instead of √d = {root:.4g}: the scores' standard "
    "deviation grows like √d, so √d is what brings it back to 1. Use `np.sqrt(queries.shape[1])`."
)
_IGNORED = (
    "{name} leaves out the mask: the masked keys get weight. Add the mask to the scaled scores "
    "BEFORE the softmax (−inf becomes exp(−inf) = 0): `softmax(scores + mask)`."
)
_AXIS = (
    "{name} normalises down the columns (over the queries, axis=0). Each query's weights over the "
    "keys must sum to 1: softmax along the last axis, `axis=-1`."
)
_TRANSPOSED = (
    "{name} computes KQᵀ, one row per KEY. Row i of the weights belongs to query i: "
    "`queries @ keys.T`, shape (n_queries, n_keys)."
)
