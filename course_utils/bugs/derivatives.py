"""Mistakes in the derivative: the Jacobian (notebooks 02, 03) and the backward pass (05).

``{jacobian_fix}`` in an explanation is the right Jacobian written in the style the exercise
asks for (loops in 02, broadcasting in 03); the checker fills it in.
"""

import numpy as np

from .catalogue import mistake


def _softmax(logits):
    exps = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return exps / exps.sum(axis=-1, keepdims=True)


# --- the Jacobian -----------------------------------------------------------------------------


@mistake(
    "check_softmax_jacobian",
    "diagonal_only_jacobian",
    "only the diagonal of the Jacobian",
    "02",
    "{name} fills only the diagonal σᵢ(1 − σᵢ) and leaves the off-diagonal entries 0. But every "
    "probability depends on every logit — they share the denominator Σ exp(xₖ) — so "
    "∂σᵢ/∂xⱼ = −σᵢσⱼ for i ≠ j. The whole matrix is J = diag(σ) − σσᵀ: {jacobian_fix}.",
)
def jacobian_diagonal_only(logits):
    probs = _softmax(logits)
    return np.diag(probs * (1 - probs))


@mistake(
    "check_softmax_jacobian",
    "diagonal_only_jacobian",
    "only the diagonal of the Jacobian, as a vector",
    "02",
    "{name} returns the vector σᵢ(1 − σᵢ): only the diagonal of the Jacobian, and as a vector, "
    "not a (D, D) matrix. Every probability depends on every logit, so ∂σᵢ/∂xⱼ = −σᵢσⱼ for "
    "i ≠ j: J = diag(σ) − σσᵀ, {jacobian_fix}.",
)
def jacobian_diagonal_vector(logits):
    probs = _softmax(logits)
    return probs * (1 - probs)


_OFF_DIAGONAL = (
    "The off-diagonal entries of {name}'s Jacobian have the wrong sign: ∂σᵢ/∂xⱼ = −σᵢσⱼ for "
    "i ≠ j — raising another logit xⱼ takes probability away from class i. With the right sign "
    "each row sums to 0: J = diag(σ) − σσᵀ, {jacobian_fix}."
)


@mistake(
    "check_softmax_jacobian", "off_diagonal_sign", "+σᵢσⱼ off the diagonal: the sign", "02", _OFF_DIAGONAL
)
def jacobian_plus_outer(logits):
    probs = _softmax(logits)
    return np.diag(probs) + np.outer(probs, probs)


@mistake(
    "check_softmax_jacobian", "off_diagonal_sign", "+σᵢσⱼ off the diagonal: the sign", "02", _OFF_DIAGONAL
)
def jacobian_positive_off_diagonal(logits):
    probs = _softmax(logits)
    jacobian = np.outer(probs, probs)
    np.fill_diagonal(jacobian, probs * (1 - probs))
    return jacobian


@mistake(
    "check_softmax_jacobian",
    "sign_flip",
    "the sign is flipped everywhere",
    "02",
    "{name}'s Jacobian has the opposite sign everywhere. On the diagonal ∂σᵢ/∂xᵢ = σᵢ(1 − σᵢ) > 0 "
    "(raising a logit raises its own probability); off it −σᵢσⱼ < 0: J = diag(σ) − σσᵀ, not "
    "σσᵀ − diag(σ).",
)
def jacobian_sign_flipped(logits):
    probs = _softmax(logits)
    return np.outer(probs, probs) - np.diag(probs)


@mistake(
    "check_softmax_jacobian",
    "missing_probs",
    "δᵢⱼ − σᵢσⱼ: the diagonal lacks its factor σᵢ",
    "02",
    "{name} computes δᵢⱼ − σᵢσⱼ, so its diagonal is 1 − σᵢ² instead of σᵢ(1 − σᵢ): the factor σᵢ "
    "multiplies the whole bracket, Jᵢⱼ = σᵢ(δᵢⱼ − σⱼ) = σᵢδᵢⱼ − σᵢσⱼ. {jacobian_fix}.",
)
def jacobian_eye_minus_outer(logits):
    probs = _softmax(logits)
    return np.eye(len(probs)) - np.outer(probs, probs)


@mistake(
    "check_softmax_jacobian",
    "inner_product",
    "the inner product σ·σ where the outer product σσᵀ belongs",
    "03",
    "{name} subtracts the number σ·σ = Σ σₖ² from every entry: for a vector `p @ p.T` is the "
    "inner product (.T does nothing to a 1-D array). σσᵀ is the OUTER product, a (D, D) matrix "
    "whose entry (i, j) is σᵢσⱼ: {jacobian_fix}.",
)
def jacobian_inner_product(logits):
    probs = _softmax(logits)
    return np.diag(probs) - probs @ probs.T


@mistake(
    "check_softmax_jacobian",
    "sigma_j_for_sigma_i",
    "σⱼ in place of σᵢ: σ broadcast as a row, not a column",
    "03",
    "{name} multiplies entry (i, j) by σⱼ where σᵢ belongs: it computes σⱼ(δᵢⱼ − σⱼ), whose "
    "off-diagonal entries are −σⱼ² instead of −σᵢσⱼ. A 1-D `probs` (or `probs[None, :]`) "
    "broadcasts as a ROW, scaling column j; the factor σᵢ must scale ROW i, so it must be a "
    "COLUMN, `probs[:, None]`: {jacobian_fix}.",
)
def jacobian_row_for_column(logits):
    probs = _softmax(logits)
    return probs * (np.eye(len(probs), dtype=probs.dtype) - probs[None, :])


@mistake(
    "check_softmax_jacobian",
    "missing_delta",
    "δᵢⱼ taken as 1 everywhere: σᵢ(1 − σⱼ) off the diagonal",
    "02",
    "{name} computes σᵢ(1 − σⱼ) for every entry: the diagonal is right, but off it δᵢⱼ = 0, so the "
    "entry is σᵢ(0 − σⱼ) = −σᵢσⱼ. Keep the δ: J = diag(σ) − σσᵀ, {jacobian_fix}.",
)
def jacobian_missing_delta(logits):
    probs = _softmax(logits)
    return np.outer(probs, 1 - probs)


# --- the backward pass ------------------------------------------------------------------------

_DOT_FIX = "⟨g, σ⟩ = `np.sum(upstream * probs, axis=-1, keepdims=True)`"


@mistake(
    "check_softmax_backward",
    "missing_dot_term",
    "the ⟨g, σ⟩ term is missing",
    "05",
    "{name} returns σ ⊙ g: it keeps only the diagonal part of the chain rule and misses the "
    "term that the off-diagonal entries −σᵢσⱼ contribute. dL/dxⱼ = Σᵢ gᵢ σᵢ(δᵢⱼ − σⱼ) = "
    f"σⱼ (gⱼ − ⟨g, σ⟩): subtract {_DOT_FIX} before multiplying by σ.",
)
def backward_missing_dot(probs, upstream):
    return probs * upstream


@mistake(
    "check_softmax_backward",
    "off_diagonal_sign",
    "⟨g, σ⟩ is added instead of subtracted",
    "05",
    "{name} adds the ⟨g, σ⟩ term instead of subtracting it. The term comes from the "
    "off-diagonal entries −σᵢσⱼ of the Jacobian, and their minus sign is easy to drop: "
    "dL/dx = σ ⊙ (g − ⟨g, σ⟩).",
)
def backward_plus_dot(probs, upstream):
    dot = np.sum(upstream * probs, axis=-1, keepdims=True)
    return probs * (upstream + dot)


@mistake(
    "check_softmax_backward",
    "off_diagonal_sign",
    "+σᵢσⱼ off the diagonal of the Jacobian: the sign",
    "05",
    "{name} multiplies g by a Jacobian whose off-diagonal entries have the wrong sign "
    "(+σᵢσⱼ instead of −σᵢσⱼ). With J = diag(σ) − σσᵀ the product simplifies to "
    "dL/dx = σ ⊙ (g − ⟨g, σ⟩), and no Jacobian is needed.",
)
def backward_flipped_jacobian(probs, upstream):
    jacobian = np.diag(probs) + np.outer(probs, probs)
    np.fill_diagonal(jacobian, probs * (1 - probs))
    return jacobian @ upstream


@mistake(
    "check_softmax_backward",
    "diagonal_only_jacobian",
    "only the diagonal of the Jacobian",
    "05",
    "{name} multiplies g by σᵢ(1 − σᵢ) entry by entry: that uses only the diagonal of the "
    "Jacobian. Every probability depends on every logit (off-diagonal −σᵢσⱼ), which gives "
    "dL/dx = σ ⊙ (g − ⟨g, σ⟩).",
)
def softmax_backward_diagonal_only(probs, upstream):
    r"""WRONG: keeps only ``∂σⱼ/∂xⱼ`` and forgets that every σᵢ depends on xⱼ.

    The answer to "do I add them or multiply them?" that drops the off-diagonal paths:
    ``σⱼ(1 − σⱼ) gⱼ`` instead of ``Σᵢ gᵢ σᵢ(δᵢⱼ − σⱼ)``.

    Examples
    --------
    >>> softmax_backward_diagonal_only(np.array([0.5, 0.5]), np.array([1.0, 0.0]))
    array([0.25, 0.  ])
    """
    probs, upstream = np.asarray(probs, float), np.asarray(upstream, float)
    return probs * (1 - probs) * upstream


@mistake(
    "check_softmax_backward",
    "sign_flip",
    "the sign is flipped",
    "05",
    "{name}'s gradient has the opposite sign: dL/dx = σ ⊙ (g − ⟨g, σ⟩), not σ ⊙ (⟨g, σ⟩ − g).",
)
def backward_sign_flipped(probs, upstream):
    dot = np.sum(upstream * probs, axis=-1, keepdims=True)
    return probs * (dot - upstream)


@mistake(
    "check_softmax_backward",
    "plain_mean",
    "the plain mean of g where the σ-weighted mean ⟨g, σ⟩ belongs",
    "05",
    "{name} subtracts the plain mean of g where the σ-weighted mean ⟨g, σ⟩ = Σᵢ gᵢσᵢ belongs "
    "(both give 0 for a constant g, so only a varied upstream gradient tells them apart): "
    f"dL/dx = σ ⊙ (g − ⟨g, σ⟩), with {_DOT_FIX}.",
)
def softmax_backward_plain_mean(probs, upstream):
    r"""WRONG: subtracts the plain mean of ``g`` where the σ-weighted mean ⟨g, σ⟩ belongs.

    ``σ ⊙ (g − mean(g))``: exactly 0 for a constant upstream gradient, like the truth, so a
    test with ``upstream = ones`` cannot tell it apart.

    Examples
    --------
    >>> softmax_backward_plain_mean(np.array([0.2, 0.8]), np.array([3.0, 3.0]))
    array([0., 0.])
    """
    probs, upstream = np.asarray(probs, float), np.asarray(upstream, float)
    return probs * (upstream - upstream.mean(axis=-1, keepdims=True))


@mistake(
    "check_softmax_backward",
    "unweighted_sum",
    "the plain sum of g where the σ-weighted sum ⟨g, σ⟩ belongs",
    "05",
    "{name} subtracts Σᵢ gᵢ, the plain sum of g, where ⟨g, σ⟩ = Σᵢ gᵢσᵢ belongs: each gᵢ must be "
    f"weighted by its probability. dL/dx = σ ⊙ (g − ⟨g, σ⟩), with {_DOT_FIX}.",
)
def backward_plain_sum(probs, upstream):
    return probs * (upstream - np.sum(upstream, axis=-1, keepdims=True))


@mistake(
    "check_softmax_backward",
    "missing_probs",
    "the factor σ in front of (g − ⟨g, σ⟩) is missing",
    "05",
    "{name} returns g − ⟨g, σ⟩ without the factor σ: dL/dxⱼ = σⱼ (gⱼ − ⟨g, σ⟩). Multiply by "
    "the probabilities.",
)
def softmax_backward_missing_probs(probs, upstream):
    r"""WRONG: ``g − ⟨g, σ⟩``, the right bracket without the factor σⱼ in front of it.

    Also exactly 0 for a constant upstream gradient.

    Examples
    --------
    >>> softmax_backward_missing_probs(np.array([0.25, 0.75]), np.array([2.0, 2.0]))
    array([0., 0.])
    """
    probs, upstream = np.asarray(probs, float), np.asarray(upstream, float)
    return upstream - np.sum(upstream * probs, axis=-1, keepdims=True)


@mistake(
    "check_softmax_backward",
    "missing_probs",
    "⟨g, σ⟩ subtracted without its factor σ",
    "05",
    "{name} returns σ ⊙ g − ⟨g, σ⟩: the factor σⱼ multiplies the whole bracket, "
    "dL/dxⱼ = σⱼ (gⱼ − ⟨g, σ⟩), so ⟨g, σ⟩ is multiplied by σⱼ too: "
    f"`probs * (upstream - dot)`, with dot = {_DOT_FIX}.",
)
def backward_dot_without_probs(probs, upstream):
    return probs * upstream - np.sum(upstream * probs, axis=-1, keepdims=True)


@mistake(
    "check_softmax_backward",
    "wrong_axis",
    "⟨g, σ⟩ summed down the columns, across samples",
    "05",
    "{name} sums upstream * probs down the COLUMNS of the batch (axis=0), mixing different "
    f"samples. Each row needs its own {_DOT_FIX}.",
)
def backward_dot_columns(probs, upstream):
    return probs * (upstream - np.sum(upstream * probs, axis=0))


@mistake(
    "check_softmax_backward",
    "wrong_axis",
    "one ⟨g, σ⟩ for the whole batch",
    "05",
    "{name} sums upstream * probs over the WHOLE batch, so every row gets the same ⟨g, σ⟩. "
    f"Each row needs its own: {_DOT_FIX}.",
)
def backward_dot_whole(probs, upstream):
    return probs * (upstream - np.sum(upstream * probs))
