"""The checker of notebook 09's exercise: the attention weights softmax(QKᵀ/√d + M)."""

import numpy as np

from ..attention import attention, causal_mask, padding_mask
from ..bugs import mistakes_for
from .attempt import Attempt
from .comparing import Bug

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
    >>> from course_utils.bugs.attention import attention_weights_unscaled
    >>> check_attention_weights(attention_weights_unscaled).diagnosis
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
    """The catalogue's mistakes of this exercise, run on this probe (None where one cannot run)."""
    d = queries.shape[1]
    args = {"queries": queries, "keys": keys, "mask": mask}
    return [Bug.of(m, args, name=name, d=d, root=np.sqrt(d)) for m in mistakes_for("check_attention_weights")]
