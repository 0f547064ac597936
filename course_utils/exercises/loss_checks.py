"""Checkers for the loss: cross-entropy from logits and its gradient (σ − y) / N."""

import numpy as np

from ..bugs import MISTAKES, mistakes_for
from ..cross_entropy import cross_entropy, cross_entropy_backward
from .comparing import TOLERANCE, Bug, close
from .feedback import format_sums
from .probing import (
    SHIFT_HEADING,
    Case,
    Finding,
    probe_far_apart,
    probe_integers,
    probe_overflow,
    run_check,
    shift_message,
)

SEED = 20240606
FLOAT32_TOLERANCE = TOLERANCE[np.dtype(np.float32)]


def check_cross_entropy(fn, notebook=None):
    """Check a student's mean cross-entropy and say precisely what is wrong with it.

    The contract: ``fn(logits, targets)`` takes a batch of logits of shape (N, D) and the
    N target classes as integers of shape (N,), and returns ONE number: the mean over the
    N samples of ``−log softmax(logits)[n, targets[n]]``. It must stay exact for extreme
    logits (compute it from log-softmax / log-sum-exp, never ``log(σ)``), must not modify
    its inputs and must accept float32 and integer logits.

    Parameters
    ----------
    fn : callable
        The function to check, called as ``fn(logits, targets)``.
    notebook : str, optional
        The notebook whose exercise this is ("06" or "07").

    Returns
    -------
    CheckResult
        ``.passed``, ``.diagnosis`` (None or a code such as ``"not_averaged"``,
        ``"divided_by_class_count"``, ``"log_eps"``) and ``.message``.

    Examples
    --------
    >>> from course_utils import cross_entropy
    >>> check_cross_entropy(cross_entropy).passed
    True
    >>> check_cross_entropy(lambda logits, targets: 4 * cross_entropy(logits, targets)).diagnosis
    'not_averaged'
    """
    return run_check("check_cross_entropy", fn, _probe_loss, notebook)


def check_cross_entropy_backward(fn, notebook=None):
    """Check a student's gradient of the mean cross-entropy and say what is wrong with it.

    The contract: ``fn(logits, targets)`` takes logits of shape (N, D) and the N target
    classes as integers of shape (N,), and returns dL/dlogits of shape (N, D):
    ``(softmax(logits) − one_hot(targets)) / N``. It must not modify its inputs, must keep
    float32 as float32 and accept integer logits.

    Parameters
    ----------
    fn : callable
        The function to check, called as ``fn(logits, targets)``.
    notebook : str, optional
        The notebook whose exercise this is ("06" or "07").

    Returns
    -------
    CheckResult
        ``.passed``, ``.diagnosis`` (None or a code such as ``"sign_flip"``,
        ``"averaged_twice"``) and ``.message``.

    Examples
    --------
    >>> from course_utils import cross_entropy_backward
    >>> check_cross_entropy_backward(cross_entropy_backward).passed
    True
    >>> flipped = lambda logits, targets: -cross_entropy_backward(logits, targets)
    >>> check_cross_entropy_backward(flipped).diagnosis
    'sign_flip'
    """
    return run_check("check_cross_entropy_backward", fn, _probe_gradient, notebook)


def _inputs():
    rng = np.random.default_rng(SEED)
    logits = rng.normal(0.0, 2.0, size=(4, 5)).round(1)
    targets = np.array([2, 0, 4, 1])
    return logits, targets


def _compared(check, case, scale):
    """The catalogue's mistakes for ``check``, recognised by their output on ``case``."""
    return [Bug.of(m, case.args, **scale) for m in mistakes_for(check) if m.compared]


def _probe_loss(session):
    logits, targets = _inputs()
    n_samples, n_classes = logits.shape
    scale = {"name": session.name, "N": n_samples, "D": n_classes, "ND": n_samples * n_classes}
    case = Case("a batch of 4 samples, 5 classes", {"logits": logits, "targets": targets})
    session.array(
        case,
        cross_entropy(logits, targets),
        bugs=_compared("check_cross_entropy", case, scale),
        near_miss=lambda: _log_eps_probe(session, logits, targets),
    )
    _shift_probes(session, logits, targets, cross_entropy)
    _log_eps_probe(session, logits, targets, always=True)
    _far_apart_probe(session, logits, targets, cross_entropy)
    _dtype_probes(session, logits, targets, cross_entropy, dtype=None)


def _probe_gradient(session):
    logits, targets = _inputs()
    n_samples, n_classes = logits.shape
    scale = {"name": session.name, "N": n_samples, "D": n_classes, "ND": n_samples * n_classes}
    case = Case("a batch of 4 samples, 5 classes", {"logits": logits, "targets": targets})
    session.array(
        case,
        cross_entropy_backward(logits, targets),
        dtype=np.float64,
        bugs=_compared("check_cross_entropy_backward", case, scale),
        observe=_observe_gradient,
    )
    _shift_probes(session, logits, targets, cross_entropy_backward)
    _far_apart_probe(session, logits, targets, cross_entropy_backward)
    _dtype_probes(session, logits, targets, cross_entropy_backward, dtype=np.float32)


def _shift_probes(session, logits, targets, reference):
    """Logits near ±1000: NaN, inf or an overflow error means no max-subtraction."""
    for offset in (1000.0, -1000.0):
        label = f"the same batch {offset:+.0f} (logits near {offset:+.0f})"
        case = Case(label, {"logits": logits + offset, "targets": targets})
        gradient = reference is cross_entropy_backward
        naive = MISTAKES["grad_naive" if gradient else "loss_naive"]
        dtype = np.float64 if gradient else None
        probe_overflow(
            session, case, reference(logits + offset, targets), naive.explanation, dtype, naive.heading
        )


def _far_apart_probe(session, logits, targets, reference):
    """Each target's logit 1000, one other's 999, the rest -1000: the mean or min shift overflows."""
    rows = np.arange(len(targets))
    far = np.full(logits.shape, -1000.0)
    far[rows, targets] = 1000.0
    far[rows, (targets + 1) % logits.shape[1]] = 999.0
    label = "logits 2000 apart (each target's logit 1000, one other 999, the rest -1000)"
    gradient = reference is cross_entropy_backward
    dtype = np.float64 if gradient else None
    case = Case(label, {"logits": far, "targets": targets})
    try:
        probe_far_apart(session, case, reference(far, targets), _SHIFT_FIX, dtype)
    except Finding as finding:
        if not gradient or finding.diagnosis != "no_max_subtraction":
            raise
        underflow = _one_class_underflows(logits, targets)
        if not _wrong_where(session, underflow, targets, reference):
            raise  # right where a probability is exactly 0: a shift by the mean
        if _overflows(session, logits, targets, reference):
            raise  # wrong where nothing underflows: a shift by the minimum
        mistake = MISTAKES["grad_through_softmax_backward"]  # right where no probability is 0
        raise Finding(
            mistake.diagnosis,
            mistake.explain(name=session.name, case=case.label),
            finding.details,
            heading=mistake.heading,
        ) from None


def _log_eps_probe(session, logits, targets, always=False):
    """Each target's logit 1000 below the rest: p underflows to 0, log(σ) to -inf.

    A wrong loss there that is too small (log(σ + eps) is bounded by -log eps), or inf or nan
    from code that is right where no probability underflows to 0, is the log-of-a-probability
    mistake; inf or nan from code that overflows even there subtracts the wrong shift. With
    ``always`` False (a near miss at ordinary logits) any other outcome is left to the
    caller's generic verdict.
    """
    far = logits.copy()
    far[np.arange(len(targets)), targets] -= 1000.0
    label = "logits where each target's logit is 1000 below the others"
    expected = cross_entropy(far, targets)
    case = Case(label, {"logits": far, "targets": targets})
    try:
        session.array(case, expected)
    except Finding as finding:
        received = finding.received
        if finding.diagnosis == "wrong_values" and received is not None:
            if not np.isfinite(received).all() and _overflows(session, logits, targets):
                message = shift_message(session.name, case, _SHIFT_FIX)
                raise Finding("no_max_subtraction", message, finding.details, heading=SHIFT_HEADING) from None
            if not np.isfinite(received).all() or (received < expected).all():
                mistake = MISTAKES["cross_entropy_log_eps"]
                raise Finding(
                    "log_eps", mistake.explain(name=session.name), finding.details, heading=mistake.heading
                ) from None
        if always:
            raise


def _one_class_underflows(logits, targets):
    """One class per row 800 below the rest: its probability is exactly 0, yet no shift overflows.

    The row's mean lies far less than 709 below its maximum, so a mean shift is right here.
    """
    rows = np.arange(len(targets))
    flat = np.zeros(logits.shape)
    flat[rows, (targets + 1) % logits.shape[1]] = -800.0
    return Case("logits with one class per row 800 below the rest", {"logits": flat, "targets": targets})


def _wrong_where(session, case, targets, reference):
    """Whether the student's function is wrong (or fails) on ``case``."""
    try:
        received = session.as_numbers(session.call(case)[0], case)
    except Finding:
        return True
    expected = np.asarray(reference(case.args["logits"], targets))
    if received.size == 1:
        received = received.reshape(())
    return not close(received, expected)


def _overflows(session, logits, targets, reference=cross_entropy):
    """Whether the loss is wrong where one logit per row is 730 below the row's maximum.

    No probability underflows to 0 there (exp(-730) is a tiny but nonzero float), so log(σ)
    stays finite and right; code that subtracts the minimum computes exp(730) = inf.
    """
    deep = logits.copy()
    deep[np.arange(len(targets)), (targets + 1) % logits.shape[1]] = logits.max(axis=-1) - 730.0
    case = Case("logits with one class per row 730 below the rest", {"logits": deep, "targets": targets})
    try:
        received = session.as_numbers(session.call(case)[0], case)
    except Finding:
        return True
    if received.size == 1:
        received = received.reshape(())
    return not close(received, np.asarray(reference(deep, targets)))


def _dtype_probes(session, logits, targets, reference, dtype):
    single = logits.astype(np.float32)
    session.array(
        Case("float32 logits", {"logits": single, "targets": targets}),
        reference(single.astype(np.float64), targets),
        dtype=dtype,
        tolerance=FLOAT32_TOLERANCE,
    )
    integers = np.array([[3, -1, 0, 2, 2], [0, 0, 1, -2, 4]])
    integer_targets = np.array([0, 4])
    case = Case("integer logits", {"logits": integers, "targets": integer_targets})
    probe_integers(session, case, reference(integers, integer_targets))


def _observe_gradient(received):
    if received.ndim != 2:
        return []
    sums = received.sum(axis=-1)
    with np.errstate(all="ignore"):
        if np.allclose(sums, 0.0, atol=1e-9):
            return []
    return [
        f"Note: the rows of your gradient sum to {format_sums(sums)}; each row of (σ − y)/N sums to 0 "
        "(both p and y sum to 1)."
    ]


_SHIFT_FIX = (
    "Use log-softmax = x − m − log Σ exp(xₖ − m) with m = `logits.max(axis=-1, keepdims=True)`, "
    "or call your log_softmax or softmax if it passes its checker."
)
