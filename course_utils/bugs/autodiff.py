"""Mistakes in the backward pass of log-softmax (notebook 08): dL/dx = g − σ Σᵢ gᵢ row by row.

Each function takes ``(logits, upstream)`` like the exercise, with σ = softmax(logits) and
g = upstream.
"""

import numpy as np

from ..softmax import softmax
from .catalogue import mistake

CHECK = "check_log_softmax_backward"
_ROW_SUM = "Each row needs its own sum: `upstream.sum(axis=-1, keepdims=True)`."


def _dot(probs, upstream):
    return (probs * upstream).sum(axis=-1, keepdims=True)


@mistake(
    CHECK,
    "missing_softmax_term",
    "the σ Σg term is missing",
    "08",
    "{name} returns the upstream gradient unchanged. log σᵢ = xᵢ − log Σₖ exp(xₖ): the first term "
    "passes g through, but every logit also sits in the log-sum-exp, whose derivative is σⱼ. "
    "Subtract σ times the sum of g: `upstream - p * upstream.sum(axis=-1, keepdims=True)`.",
)
def log_softmax_backward_upstream_only(logits, upstream):
    return upstream.copy()


@mistake(
    CHECK,
    "softmax_vjp",
    "that is the backward pass of softmax, not of log-softmax",
    "08",
    "{name} returns σ ⊙ (g − ⟨g, σ⟩), the backward pass of softmax (notebook 05). Log-softmax has "
    "the Jacobian δᵢⱼ − σⱼ, so its backward pass is g − σ Σᵢ gᵢ: no factor σ in front.",
)
def log_softmax_backward_of_softmax(logits, upstream):
    probs = softmax(logits)
    return probs * (upstream - _dot(probs, upstream))


@mistake(
    CHECK,
    "jacobian_not_transposed",
    "J g instead of Jᵀ g",
    "08",
    "{name} computes J g, with J the log-softmax Jacobian Jᵢⱼ = δᵢⱼ − σⱼ, which gives g − ⟨g, σ⟩. "
    "Unlike softmax's, this Jacobian is not symmetric: the backward pass is Jᵀ g, "
    "(Jᵀg)ⱼ = Σᵢ gᵢ (δᵢⱼ − σⱼ) = gⱼ − σⱼ Σᵢ gᵢ.",
)
def log_softmax_backward_not_transposed(logits, upstream):
    return upstream - _dot(softmax(logits), upstream)


@mistake(
    CHECK,
    "diagonal_only_jacobian",
    "only the diagonal of the Jacobian",
    "08",
    "{name} multiplies g by 1 − σ entry by entry: only the diagonal δⱼⱼ − σⱼ of the Jacobian. "
    "Every log σᵢ depends on every logit (off-diagonal −σⱼ): dL/dx = g − σ Σᵢ gᵢ.",
)
def log_softmax_backward_diagonal_only(logits, upstream):
    return upstream * (1 - softmax(logits))


@mistake(
    CHECK,
    "sign_flip",
    "the sign is flipped",
    "08",
    "{name}'s gradient has the opposite sign: dL/dx = g − σ Σᵢ gᵢ, not σ Σᵢ gᵢ − g.",
)
def log_softmax_backward_sign_flipped(logits, upstream):
    return softmax(logits) * upstream.sum(axis=-1, keepdims=True) - upstream


@mistake(
    CHECK,
    "wrong_axis",
    "the upstream gradient summed over the whole batch",
    "08",
    "{name} sums the upstream gradient over the WHOLE batch, mixing samples. " + _ROW_SUM,
)
def log_softmax_backward_sums_whole_batch(logits, upstream):
    return upstream - softmax(logits) * upstream.sum()


@mistake(
    CHECK,
    "wrong_axis",
    "the upstream gradient summed down the columns",
    "08",
    "{name} sums the upstream gradient down the COLUMNS (axis=0), mixing samples. " + _ROW_SUM,
)
def log_softmax_backward_sums_columns(logits, upstream):
    return upstream - softmax(logits) * np.sum(upstream, axis=0)
