"""Checkers for the derivative of softmax: the full Jacobian and the backward pass."""

import numpy as np

from ..jacobian import softmax_backward, softmax_jacobian
from ..softmax import softmax
from .probing import (
    FAR_APART,
    FAR_APART_LABEL,
    TOLERANCE,
    Bug,
    Case,
    probe_far_apart,
    probe_integers,
    probe_overflow,
    run_check,
)

SEED = 20240603
FLOAT32_TOLERANCE = TOLERANCE[np.dtype(np.float32)]


def check_softmax_jacobian(fn):
    """Check a student's softmax Jacobian and say precisely what is wrong with it.

    The contract: ``fn(logits)`` takes ONE vector of D logits and returns the (D, D) matrix
    ``J[i, j] = ∂σᵢ/∂xⱼ = σᵢ(δᵢⱼ − σⱼ)``, i.e. ``diag(σ) − σσᵀ``. It must not modify
    ``logits``, must keep float32 as float32 and accept integers.

    Parameters
    ----------
    fn : callable
        The function to check, called as ``fn(logits)`` with a 1-D array.

    Returns
    -------
    CheckResult
        ``.passed``, ``.diagnosis`` (None or a code such as ``"diagonal_only_jacobian"``,
        ``"off_diagonal_sign"``) and ``.message``.

    Notes
    -----
    The probes, in order: vectors of 5 and of 3 logits; logits near ±1000; logits far apart,
    the vector × 400 and [-1000, 999, -1000, 1000, -1000] (the softmax shifted by the mean or
    the minimum instead of the maximum?); float32 and integer logits; the input compared with
    a copy after every call.

    Examples
    --------
    >>> import numpy as np
    >>> from course_utils import softmax, softmax_jacobian
    >>> check_softmax_jacobian(softmax_jacobian).passed
    True
    >>> def diagonal_only(logits):
    ...     probs = softmax(logits)
    ...     return np.diag(probs * (1 - probs))
    >>> check_softmax_jacobian(diagonal_only).diagnosis
    'diagonal_only_jacobian'
    """
    return run_check("check_softmax_jacobian", fn, _probe_jacobian)


def check_softmax_backward(fn):
    """Check a student's softmax backward pass and say precisely what is wrong with it.

    The contract: ``fn(probs, upstream)`` takes the output of softmax and ``upstream`` =
    dL/dσ of the same shape — one vector of D, or a batch (N, D) of rows — and returns
    dL/dx = ``σ ⊙ (g − ⟨g, σ⟩)`` row by row (the Jacobian-vector product, without forming
    the Jacobian), with the same shape. It must modify neither input and must keep float32.

    Parameters
    ----------
    fn : callable
        The function to check, called as ``fn(probs, upstream)``.

    Returns
    -------
    CheckResult
        ``.passed``, ``.diagnosis`` (None or a code such as ``"missing_dot_term"``,
        ``"off_diagonal_sign"``, ``"wrong_axis"``) and ``.message``.

    Examples
    --------
    >>> from course_utils import softmax_backward
    >>> check_softmax_backward(softmax_backward).passed
    True
    >>> check_softmax_backward(lambda probs, upstream: probs * upstream).diagnosis
    'missing_dot_term'
    """
    return run_check("check_softmax_backward", fn, _probe_backward)


def _probe_jacobian(session):
    rng = np.random.default_rng(SEED)
    vector = rng.normal(0.0, 2.0, size=5).round(1)
    short = rng.normal(0.0, 2.0, size=3).round(1)
    name = session.name
    for logits, label in ((vector, "a vector of 5 logits"), (short, "a vector of 3 logits")):
        probs = softmax(logits)
        jacobian = softmax_jacobian(logits)
        diagonal = np.diag(np.diag(jacobian))
        session.array(
            Case(label, {"logits": logits}),
            jacobian,
            dtype=np.float64,
            observe=_observe_jacobian,
            bugs=[
                Bug("diagonal_only_jacobian", _DIAGONAL_ONLY.format(name=name), diagonal),
                Bug("diagonal_only_jacobian", _DIAGONAL_VECTOR.format(name=name), np.diag(jacobian)),
                Bug("off_diagonal_sign", _OFF_DIAGONAL.format(name=name), 2 * diagonal - jacobian),
                Bug(
                    "off_diagonal_sign",
                    _OFF_DIAGONAL.format(name=name),
                    np.diag(probs) + np.outer(probs, probs),
                ),
                Bug("sign_flip", _JACOBIAN_SIGN.format(name=name), -jacobian),
                Bug("wrong_values", _INNER_PRODUCT.format(name=name), np.diag(probs) - probs @ probs),
                Bug("wrong_values", _ELEMENTWISE.format(name=name), np.diag(probs) - probs * probs),
            ],
        )
    for logits, label in (
        (vector + 1000.0, "the same vector +1000 (logits near +1000)"),
        (vector - 1000.0, "the same vector -1000 (logits near -1000)"),
    ):
        case = Case(label, {"logits": logits})
        probe_overflow(session, case, softmax_jacobian(logits), _OVERFLOW, np.float64)
    far_apart = ((vector * 400.0, "logits far apart (the vector × 400)"), (FAR_APART, FAR_APART_LABEL))
    for logits, label in far_apart:
        case = Case(label, {"logits": logits})
        probe_far_apart(session, case, softmax_jacobian(logits), _SHIFT_FIX, np.float64)
    single = vector.astype(np.float32)
    session.array(
        Case("float32 logits", {"logits": single}),
        softmax_jacobian(single.astype(np.float64)),
        dtype=np.float32,
        tolerance=FLOAT32_TOLERANCE,
    )
    integers = np.array([2, 0, -1])
    case = Case("integer logits such as [2, 0, -1]", {"logits": integers})
    probe_integers(session, case, softmax_jacobian(integers), _INTEGER_FIX)


def _probe_backward(session):
    rng = np.random.default_rng(SEED + 1)
    logits = rng.normal(0.0, 2.0, size=5).round(1)
    probs = softmax(logits)
    upstream = rng.normal(0.0, 1.0, size=5).round(1)
    name = session.name
    dot = probs @ upstream
    expected = softmax_backward(probs, upstream)
    session.array(
        Case("a vector of 5 probs and its upstream gradient", {"probs": probs, "upstream": upstream}),
        expected,
        dtype=np.float64,
        observe=_observe_backward,
        bugs=[
            Bug("missing_dot_term", _MISSING_DOT.format(name=name), probs * upstream),
            Bug("off_diagonal_sign", _PLUS_DOT.format(name=name), probs * (upstream + dot)),
            Bug(
                "off_diagonal_sign",
                _FLIPPED_JACOBIAN.format(name=name),
                probs * (upstream + dot - 2 * upstream * probs),
            ),
            Bug(
                "diagonal_only_jacobian", _DIAGONAL_BACKWARD.format(name=name), probs * (1 - probs) * upstream
            ),
            Bug("sign_flip", _BACKWARD_SIGN.format(name=name), -expected),
            Bug(
                "missing_dot_term",
                _PLAIN_MEAN.format(name=name),
                probs * (upstream - upstream.mean()),
            ),
            Bug("wrong_values", _MISSING_PROBS.format(name=name), upstream - dot),
        ],
    )
    batch_probs = softmax(rng.normal(0.0, 2.0, size=(4, 5)).round(1))
    batch_upstream = rng.normal(0.0, 1.0, size=(4, 5)).round(1)
    products = batch_probs * batch_upstream
    session.array(
        Case(
            "a batch of 4 rows of 5 probs and their upstream gradients",
            {"probs": batch_probs, "upstream": batch_upstream},
        ),
        softmax_backward(batch_probs, batch_upstream),
        dtype=np.float64,
        observe=_observe_backward,
        bugs=[
            Bug(
                "wrong_axis",
                _DOT_COLUMNS.format(name=name),
                batch_probs * (batch_upstream - products.sum(axis=0)),
            ),
            Bug("wrong_axis", _DOT_WHOLE.format(name=name), batch_probs * (batch_upstream - products.sum())),
        ],
    )
    peaked = softmax(logits * 200.0)  # near one-hot, with exact zeros
    large = upstream * 100.0
    session.array(
        Case(
            "near one-hot probs (some exactly 0) and a large upstream gradient",
            {"probs": peaked, "upstream": large},
        ),
        softmax_backward(peaked, large),
        dtype=np.float64,
    )
    single = (batch_probs.astype(np.float32), batch_upstream.astype(np.float32))
    session.array(
        Case("a batch of float32 probs and upstream gradients", {"probs": single[0], "upstream": single[1]}),
        softmax_backward(*(array.astype(np.float64) for array in single)),
        dtype=np.float32,
        tolerance=FLOAT32_TOLERANCE,
    )


def _observe_jacobian(received):
    notes = []
    if received.ndim == 2 and received.shape[0] == received.shape[1]:
        sums = received.sum(axis=1)
        with np.errstate(all="ignore"):
            if not np.allclose(sums, 0.0, atol=1e-9):
                shown = np.array2string(sums, precision=4, suppress_small=True)
                notes.append(
                    f"Note: the rows of your Jacobian sum to {shown}; they should sum to 0 "
                    "(adding the same number to every logit changes no probability)."
                )
            if not np.allclose(received, received.T, atol=1e-9):
                notes.append("Note: your Jacobian is not symmetric; softmax's is.")
    return notes


def _observe_backward(received):
    sums = received.sum(axis=-1)
    with np.errstate(all="ignore"):
        if np.allclose(sums, 0.0, atol=1e-9):
            return []
    shown = np.array2string(np.asarray(sums), precision=4, suppress_small=True)
    return [
        f"Note: your gradient sums to {shown} (per row); it should sum to 0, because adding "
        "the same number to every logit changes nothing."
    ]


_DIAGONAL_ONLY = (
    "{name} fills only the diagonal σᵢ(1 − σᵢ) and leaves the off-diagonal entries 0. But "
    "every probability depends on every logit — they share the denominator Σ exp(xₖ) — so "
    "∂σᵢ/∂xⱼ = −σᵢσⱼ for i ≠ j. The whole matrix is diag(σ) − σσᵀ: "
    "`np.diag(p) - np.outer(p, p)`."
)
_DIAGONAL_VECTOR = (
    "{name} returns the vector σᵢ(1 − σᵢ): only the diagonal of the Jacobian, and as a "
    "vector, not a (D, D) matrix. Every probability depends on every logit, so "
    "∂σᵢ/∂xⱼ = −σᵢσⱼ for i ≠ j: the Jacobian is diag(σ) − σσᵀ = "
    "`np.diag(p) - np.outer(p, p)`."
)
_OFF_DIAGONAL = (
    "The off-diagonal entries of {name}'s Jacobian have the wrong sign: ∂σᵢ/∂xⱼ = −σᵢσⱼ for "
    "i ≠ j — raising another logit xⱼ takes probability away from class i. With the right "
    "sign each row sums to 0: J = diag(σ) − σσᵀ = `np.diag(p) - np.outer(p, p)`."
)
_JACOBIAN_SIGN = (
    "{name}'s Jacobian has the opposite sign everywhere. On the diagonal ∂σᵢ/∂xᵢ = σᵢ(1 − σᵢ) "
    "> 0 (raising a logit raises its own probability); off it −σᵢσⱼ < 0: "
    "J = diag(σ) − σσᵀ, not σσᵀ − diag(σ)."
)
_INNER_PRODUCT = (
    "{name} subtracts the number σ·σ = Σ σₖ² from every entry: for a vector `p @ p.T` is the "
    "inner product (.T does nothing to a 1-D array). σσᵀ is the OUTER product, a (D, D) "
    "matrix: `np.outer(p, p)`."
)
_ELEMENTWISE = (
    "{name} subtracts `p * p` (an elementwise square, shape (D,), broadcast over the rows) "
    "where the outer product σσᵀ belongs: entry (i, j) needs σᵢσⱼ. Use `np.outer(p, p)` or "
    "`p[:, None] * p[None, :]`."
)
_OVERFLOW = (
    "For {case}, {name} returns nan, inf or wrong values: the softmax inside it overflows "
    "(exp(1000) = inf) or underflows to 0/0. Compute σ with the maximum subtracted first "
    "(or call the softmax you already wrote, if it passes check_softmax)."
)
_SHIFT_FIX = (
    "Compute σ with `x - x.max()` subtracted first (or call the softmax you already wrote, if "
    "it passes check_softmax)."
)
_INTEGER_FIX = (
    "Arrays made with np.zeros_like(logits) inherit the integer dtype; build the Jacobian from "
    "σ (floating point) instead, e.g. `np.diag(p) - np.outer(p, p)`."
)
_MISSING_DOT = (
    "{name} returns σ ⊙ g: it keeps only the diagonal part of the chain rule and misses the "
    "term that the off-diagonal entries −σᵢσⱼ contribute. dL/dxⱼ = Σᵢ gᵢ σᵢ(δᵢⱼ − σⱼ) = "
    "σⱼ (gⱼ − ⟨g, σ⟩): subtract the dot product ⟨g, σ⟩ = "
    "`np.sum(upstream * probs, axis=-1, keepdims=True)` before multiplying by σ."
)
_PLUS_DOT = (
    "{name} adds the ⟨g, σ⟩ term instead of subtracting it. The term comes from the "
    "off-diagonal entries −σᵢσⱼ of the Jacobian, and their minus sign is easy to drop: "
    "dL/dx = σ ⊙ (g − ⟨g, σ⟩)."
)
_FLIPPED_JACOBIAN = (
    "{name} multiplies g by a Jacobian whose off-diagonal entries have the wrong sign "
    "(+σᵢσⱼ instead of −σᵢσⱼ). With J = diag(σ) − σσᵀ the product simplifies to "
    "dL/dx = σ ⊙ (g − ⟨g, σ⟩)."
)
_DIAGONAL_BACKWARD = (
    "{name} multiplies g by σᵢ(1 − σᵢ) entry by entry: that uses only the diagonal of the "
    "Jacobian. Every probability depends on every logit (off-diagonal −σᵢσⱼ), which gives "
    "dL/dx = σ ⊙ (g − ⟨g, σ⟩)."
)
_BACKWARD_SIGN = "{name}'s gradient has the opposite sign: dL/dx = σ ⊙ (g − ⟨g, σ⟩), not σ ⊙ (⟨g, σ⟩ − g)."
_PLAIN_MEAN = (
    "{name} subtracts the plain mean of g where the σ-weighted mean ⟨g, σ⟩ = Σᵢ gᵢσᵢ belongs "
    "(both give 0 for a constant g, so only a varied upstream gradient tells them apart): "
    "dL/dx = σ ⊙ (g − ⟨g, σ⟩), with ⟨g, σ⟩ = `np.sum(upstream * probs, axis=-1, keepdims=True)`."
)
_MISSING_PROBS = (
    "{name} returns g − ⟨g, σ⟩ without the factor σ: dL/dxⱼ = σⱼ (gⱼ − ⟨g, σ⟩). "
    "Multiply by the probabilities."
)
_DOT_COLUMNS = (
    "{name} sums upstream * probs down the COLUMNS of the batch (axis=0), mixing different "
    "samples. Each row needs its own ⟨g, σ⟩: `np.sum(upstream * probs, axis=-1, keepdims=True)`."
)
_DOT_WHOLE = (
    "{name} sums upstream * probs over the WHOLE batch, so every row gets the same ⟨g, σ⟩. "
    "Each row needs its own: `np.sum(upstream * probs, axis=-1, keepdims=True)`."
)
