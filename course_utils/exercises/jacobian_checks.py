"""Checkers for the derivative of softmax: the full Jacobian and the backward pass."""

import numpy as np

from ..bugs import mistakes_for
from ..jacobian import softmax_backward, softmax_jacobian
from ..softmax import softmax
from . import running
from .comparing import TOLERANCE, Bug
from .feedback import format_bytes, format_sums, format_whole
from .probing import (
    FAR_APART,
    FAR_APART_LABEL,
    Case,
    Finding,
    probe_far_apart,
    probe_integers,
    probe_overflow,
    run_check,
)

SEED = 20240603
FLOAT32_TOLERANCE = TOLERANCE[np.dtype(np.float32)]


def check_softmax_jacobian(fn, notebook=None):
    """Check a student's softmax Jacobian and say precisely what is wrong with it.

    The contract: ``fn(logits)`` takes ONE vector of D logits and returns the (D, D) matrix
    ``J[i, j] = ∂σᵢ/∂xⱼ = σᵢ(δᵢⱼ − σⱼ)``, i.e. ``diag(σ) − σσᵀ``. It must not modify
    ``logits``, must keep float32 as float32 and accept integers.

    Parameters
    ----------
    fn : callable
        The function to check, called as ``fn(logits)`` with a 1-D array.
    notebook : str, optional
        The notebook whose exercise this is: "02" (loops), "03" (no loop, no ``np.outer``,
        no ``np.diag``: enforced); the advice is written in that exercise's style.

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
    return run_check("check_softmax_jacobian", fn, _probe_jacobian, notebook)


def check_softmax_backward(fn, notebook=None):
    """Check a student's softmax backward pass and say precisely what is wrong with it.

    The contract: ``fn(probs, upstream)`` takes the output of softmax and ``upstream`` =
    dL/dσ of the same shape — one vector of D, or a batch (N, D) of rows — and returns
    dL/dx = ``σ ⊙ (g − ⟨g, σ⟩)`` row by row (the Jacobian-vector product, without forming
    the Jacobian), with the same shape. It must modify neither input and must keep float32.

    Parameters
    ----------
    fn : callable
        The function to check, called as ``fn(probs, upstream)``.
    notebook : str, optional
        "05" for notebook 05's exercise, which rules out forming the Jacobian: the function
        must then also work for D = 50,000 classes within a memory budget far below D×D.

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
    return run_check("check_softmax_backward", fn, _probe_backward, notebook)


def _probe_jacobian(session):
    rng = np.random.default_rng(SEED)
    vector = rng.normal(0.0, 2.0, size=5).round(1)
    short = rng.normal(0.0, 2.0, size=3).round(1)
    name = session.name
    fields = {"name": name, "jacobian_fix": session.rules.jacobian_fix}
    for logits, label in ((vector, "a vector of 5 logits"), (short, "a vector of 3 logits")):
        case = Case(label, {"logits": logits})
        session.array(
            case,
            softmax_jacobian(logits),
            dtype=np.float64,
            observe=_observe_jacobian,
            bugs=[Bug.of(m, case.args, **fields) for m in mistakes_for("check_softmax_jacobian")],
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
    probe_integers(session, case, softmax_jacobian(integers))


def _probe_backward(session):
    rng = np.random.default_rng(SEED + 1)
    logits = rng.normal(0.0, 2.0, size=5).round(1)
    probs = softmax(logits)
    upstream = rng.normal(0.0, 1.0, size=5).round(1)
    name = session.name
    case = Case("a vector of 5 probs and its upstream gradient", {"probs": probs, "upstream": upstream})
    compared = [m for m in mistakes_for("check_softmax_backward") if m.compared]
    session.array(
        case,
        softmax_backward(probs, upstream),
        dtype=np.float64,
        observe=_observe_backward,
        bugs=[Bug.of(m, case.args, name=name) for m in compared if m.diagnosis != "wrong_axis"],
    )
    batch_probs = softmax(rng.normal(0.0, 2.0, size=(4, 5)).round(1))
    batch_upstream = rng.normal(0.0, 1.0, size=(4, 5)).round(1)
    case = Case(
        "a batch of 4 rows of 5 probs and their upstream gradients",
        {"probs": batch_probs, "upstream": batch_upstream},
    )
    session.array(
        case,
        softmax_backward(batch_probs, batch_upstream),
        dtype=np.float64,
        observe=_observe_backward,
        bugs=[Bug.of(m, case.args, name=name) for m in compared],
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
    if session.rules.no_jacobian:
        _probe_many_classes(session)


# The backward pass of notebook 05 runs at D = 50,000 classes: a D×D matrix of float64 would
# take 20 GB, the σ ⊙ (g − ⟨g, σ⟩) of the exercise a few arrays of 400 kB each. Where the
# address space cannot be capped (so a 20 GB array would really be filled), D = 3,000: its
# D×D matrix (72 MB) is still far above the budget, and harmless.
MANY_CLASSES = 50_000
FEWER_CLASSES = 3_000


def memory_budget(classes):
    """Bytes the backward pass may use for D classes: 64 float64 vectors of D (25.6 MB at 50,000)."""
    return 64 * 8 * classes


def _probe_many_classes(session):
    """D = 50,000 within its memory budget: rules out the D×D Jacobian, however it is built."""
    classes = MANY_CLASSES if running.can_cap_memory() else FEWER_CLASSES
    budget = memory_budget(classes)
    rng = np.random.default_rng(SEED + 2)
    probs = softmax(rng.normal(0.0, 3.0, size=classes))
    upstream = rng.normal(0.0, 1.0, size=classes)
    label = f"a vector of {format_whole(classes)} probs and its upstream gradient"
    outcome, peak = running.call_with_memory(session.function, {"probs": probs, "upstream": upstream}, budget)
    too_much = isinstance(outcome.error, MemoryError) or (peak is not None and peak > budget)
    if too_much:
        if isinstance(outcome.error, MemoryError):
            used = "an array too large to allocate (MemoryError)"
        else:
            used = f"{format_bytes(peak)} at its peak"
        raise Finding(
            "forms_jacobian",
            f"{session.name} is right for small vectors, but for {label} it needs {used}: "
            f"the exercise rules out forming the D×D Jacobian (at D = {format_whole(classes)} it "
            f"holds {format_whole(classes**2)} numbers, {format_bytes(classes**2 * 8)} of float64), "
            f"and this check allows {format_bytes(budget)}. Compute σ ⊙ (g − ⟨g, σ⟩) directly: "
            "`probs * (upstream - np.sum(upstream * probs, axis=-1, keepdims=True))` needs "
            "only arrays of shape (D,).",
        )
    session.array(
        Case(label, {"probs": probs, "upstream": upstream}),
        softmax_backward(probs, upstream),
        dtype=np.float64,
    )


def _observe_jacobian(received):
    notes = []
    if received.ndim == 2 and received.shape[0] == received.shape[1]:
        sums = received.sum(axis=1)
        with np.errstate(all="ignore"):
            if not np.allclose(sums, 0.0, atol=1e-9):
                notes.append(
                    f"Note: the rows of your Jacobian sum to {format_sums(sums)}; they should sum to 0 "
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
    return [
        f"Note: your gradient sums to {format_sums(sums)} (per row); it should sum to 0, because adding "
        "the same number to every logit changes nothing."
    ]


_OVERFLOW = (
    "For {case}, {name} returns nan, inf or wrong values: the softmax inside it overflows "
    "(exp(1000) = inf) or underflows to 0/0. Compute σ with the maximum subtracted first "
    "(or call the softmax you already wrote, if it passes check_softmax)."
)
_SHIFT_FIX = (
    "Compute σ with `x - x.max()` subtracted first (or call the softmax you already wrote, if "
    "it passes check_softmax)."
)
