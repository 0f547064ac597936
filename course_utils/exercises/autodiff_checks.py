"""The checker of notebook 08's exercise: the backward pass (VJP) of log-softmax."""

import numpy as np

from ..softmax import log_softmax, softmax
from .attempt import Attempt

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
    name = attempt.name
    probs = softmax(logits)
    attempt.expect("a vector of 5 logits and a random upstream gradient", (logits, upstream),
                   log_softmax_vjp(logits, upstream), _bugs(name, logits, upstream, probs))
    batch, batch_upstream = rng.normal(0, 2, (3, 5)).round(1), rng.normal(0, 1, (3, 5)).round(1)
    everything = batch_upstream - softmax(batch) * batch_upstream.sum()
    columns = batch_upstream - softmax(batch) * batch_upstream.sum(axis=0)
    attempt.expect("a batch of 3 rows of 5 logits", (batch, batch_upstream),
                   log_softmax_vjp(batch, batch_upstream),
                   [("wrong_axis", _WHOLE.format(name=name), everything),
                    ("wrong_axis", _COLUMNS.format(name=name), columns),
                    *_bugs(name, batch, batch_upstream, softmax(batch))])
    far = logits * 400.0
    attempt.expect("logits far apart (the vector × 400)", (far, upstream), log_softmax_vjp(far, upstream))
    shifted = logits + 1000.0
    attempt.expect("the vector + 1000", (shifted, upstream), log_softmax_vjp(shifted, upstream))
    assert np.isfinite(log_softmax(far)).all()


def _bugs(name, logits, upstream, probs):
    total = upstream.sum(axis=-1, keepdims=True)
    dot = (probs * upstream).sum(axis=-1, keepdims=True)
    return [
        ("missing_softmax_term", _MISSING.format(name=name), upstream),
        ("softmax_vjp", _SOFTMAX_VJP.format(name=name), probs * (upstream - dot)),
        ("jacobian_not_transposed", _NOT_TRANSPOSED.format(name=name), upstream - dot),
        ("diagonal_only_jacobian", _DIAGONAL.format(name=name), upstream * (1 - probs)),
        ("sign_flip", _SIGN.format(name=name), probs * total - upstream),
    ]


_MISSING = (
    "{name} returns the upstream gradient unchanged. log σᵢ = xᵢ − log Σₖ exp(xₖ): the first term "
    "passes g through, but every logit also sits in the log-sum-exp, whose derivative is σⱼ. "
    "Subtract σ times the sum of g: `upstream - p * upstream.sum(axis=-1, keepdims=True)`."
)
_SOFTMAX_VJP = (
    "{name} returns σ ⊙ (g − ⟨g, σ⟩), the backward pass of softmax (notebook 05). Log-softmax has "
    "the Jacobian δᵢⱼ − σⱼ, so its backward pass is g − σ Σᵢ gᵢ: no factor σ in front."
)
_NOT_TRANSPOSED = (
    "{name} computes J g, with J the log-softmax Jacobian Jᵢⱼ = δᵢⱼ − σⱼ, which gives g − ⟨g, σ⟩. "
    "Unlike softmax's, this Jacobian is not symmetric: the backward pass is Jᵀ g, "
    "(Jᵀg)ⱼ = Σᵢ gᵢ (δᵢⱼ − σⱼ) = gⱼ − σⱼ Σᵢ gᵢ."
)
_DIAGONAL = (
    "{name} multiplies g by 1 − σ entry by entry: only the diagonal δⱼⱼ − σⱼ of the Jacobian. "
    "Every log σᵢ depends on every logit (off-diagonal −σⱼ): dL/dx = g − σ Σᵢ gᵢ."
)
_SIGN = "{name}'s gradient has the opposite sign: dL/dx = g − σ Σᵢ gᵢ, not σ Σᵢ gᵢ − g."
_WHOLE = (
    "{name} sums the upstream gradient over the WHOLE batch, mixing samples. Each row needs its "
    "own sum: `upstream.sum(axis=-1, keepdims=True)`."
)
_COLUMNS = (
    "{name} sums the upstream gradient down the COLUMNS (axis=0), mixing samples. Each row needs "
    "its own sum: `upstream.sum(axis=-1, keepdims=True)`."
)
