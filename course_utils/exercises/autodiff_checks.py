"""The checker of notebook 08's exercise: the backward pass (VJP) of log-softmax."""

import numpy as np

from ..bugs import mistakes_for
from ..softmax import log_softmax, softmax
from .attempt import Attempt
from .comparing import Bug

SEED = 20260808


def log_softmax_vjp(logits, upstream):
    """The right answer: ``g − σ Σᵢ gᵢ`` row by row (σ = softmax(logits), g = upstream)."""
    return upstream - softmax(logits) * upstream.sum(axis=-1, keepdims=True)


def check_log_softmax_backward(fn):
    """Check a student's log-softmax VJP and name the mistake.

    The contract: ``fn(logits, upstream)`` takes logits and ``upstream`` = dL/d(log σ) of the
    same shape, one vector of D or a batch (N, D), and returns dL/dx = ``g − σ Σᵢ gᵢ`` row by
    row, the same shape, without changing its inputs.

    Examples
    --------
    >>> check_log_softmax_backward(log_softmax_vjp).passed
    True
    >>> check_log_softmax_backward(lambda logits, upstream: upstream).diagnosis
    'missing_softmax_term'
    """
    attempt = Attempt("check_log_softmax_backward", fn)
    return attempt.finish(lambda: _probes(attempt))


def _probes(attempt):
    rng = np.random.default_rng(SEED)
    logits, upstream = rng.normal(0, 2, 5).round(1), rng.normal(0, 1, 5).round(1)
    attempt.expect("a vector of 5 logits and a random upstream gradient", (logits, upstream),
                   log_softmax_vjp(logits, upstream), _bugs(attempt.name, logits, upstream))
    batch, batch_upstream = rng.normal(0, 2, (3, 5)).round(1), rng.normal(0, 1, (3, 5)).round(1)
    attempt.expect("a batch of 3 rows of 5 logits", (batch, batch_upstream),
                   log_softmax_vjp(batch, batch_upstream), _bugs(attempt.name, batch, batch_upstream))
    far = logits * 400.0
    attempt.expect("logits far apart (the vector × 400)", (far, upstream), log_softmax_vjp(far, upstream))
    shifted = logits + 1000.0
    attempt.expect("the vector + 1000", (shifted, upstream), log_softmax_vjp(shifted, upstream))
    assert np.isfinite(log_softmax(far)).all()


def _bugs(name, logits, upstream):
    """The catalogue's mistakes of this exercise, run on this probe."""
    args = {"logits": logits, "upstream": upstream}
    return [Bug.of(m, args, name=name) for m in mistakes_for("check_log_softmax_backward")]
