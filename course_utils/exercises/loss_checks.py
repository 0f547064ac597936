"""Checkers for the loss: cross-entropy from logits and its gradient (p − y) / N."""

import numpy as np

from ..cross_entropy import cross_entropy, cross_entropy_backward
from ..softmax import log_softmax, softmax
from .probing import (
    TOLERANCE,
    Bug,
    Case,
    Finding,
    as_numbers,
    close,
    probe_far_apart,
    probe_integers,
    probe_overflow,
    run_check,
    shift_message,
)

SEED = 20240606
FLOAT32_TOLERANCE = TOLERANCE[np.dtype(np.float32)]


def check_cross_entropy(fn):
    """Check a student's mean cross-entropy and say precisely what is wrong with it.

    The contract: ``fn(logits, targets)`` takes a batch of logits of shape (N, D) and the
    N target classes as integers of shape (N,), and returns ONE number: the mean over the
    N samples of ``−log softmax(logits)[n, targets[n]]``. It must stay exact for extreme
    logits (compute it from log-softmax / log-sum-exp, never ``log(p)``), must not modify
    its inputs and must accept float32 and integer logits.

    Parameters
    ----------
    fn : callable
        The function to check, called as ``fn(logits, targets)``.

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
    return run_check("check_cross_entropy", fn, _probe_loss)


def check_cross_entropy_backward(fn):
    """Check a student's gradient of the mean cross-entropy and say what is wrong with it.

    The contract: ``fn(logits, targets)`` takes logits of shape (N, D) and the N target
    classes as integers of shape (N,), and returns dL/dlogits of shape (N, D):
    ``(softmax(logits) − one_hot(targets)) / N``. It must not modify its inputs, must keep
    float32 as float32 and accept integer logits.

    Parameters
    ----------
    fn : callable
        The function to check, called as ``fn(logits, targets)``.

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
    return run_check("check_cross_entropy_backward", fn, _probe_gradient)


def _inputs():
    rng = np.random.default_rng(SEED)
    logits = rng.normal(0.0, 2.0, size=(4, 5)).round(1)
    targets = np.array([2, 0, 4, 1])
    return logits, targets


def _probe_loss(session):
    logits, targets = _inputs()
    name = session.name
    rows = np.arange(len(targets))
    n_samples, n_classes = logits.shape
    loss = cross_entropy(logits, targets)
    per_sample = -log_softmax(logits)[rows, targets]
    scale = {"name": name, "N": n_samples, "D": n_classes, "ND": n_samples * n_classes}
    session.array(
        Case("a batch of 4 samples, 5 classes", {"logits": logits, "targets": targets}),
        loss,
        bugs=[
            Bug("not_averaged", _PER_SAMPLE.format(**scale), per_sample),
            Bug("not_averaged", _LOSS_SUMMED.format(**scale), n_samples * loss),
            Bug("averaged_twice", _LOSS_TWICE.format(**scale), loss / n_samples),
            Bug("divided_by_class_count", _LOSS_BY_D.format(**scale), loss * n_samples / n_classes),
            Bug("divided_by_class_count", _LOSS_BY_ND.format(**scale), loss / n_classes),
            Bug("sign_flip", _LOSS_SIGN.format(**scale), -loss),
            Bug("sign_flip", _LOSS_SIGN.format(**scale), -n_samples * loss),
            Bug("wrong_axis", _LOSS_AXIS.format(**scale), -log_softmax(logits, axis=0)[rows, targets].mean()),
            Bug("wrong_values", _LOSS_INDEXING.format(**scale), -log_softmax(logits)[:, targets].mean()),
        ],
        near_miss=lambda: _log_eps_probe(session, logits, targets),
    )
    _shift_probes(session, logits, targets, cross_entropy)
    _log_eps_probe(session, logits, targets, always=True)
    _far_apart_probe(session, logits, targets, cross_entropy)
    _dtype_probes(session, logits, targets, cross_entropy, dtype=None)


def _probe_gradient(session):
    logits, targets = _inputs()
    name = session.name
    n_samples, n_classes = logits.shape
    grad = cross_entropy_backward(logits, targets)
    probs = softmax(logits)
    one_hot = np.eye(n_classes)[targets]
    every_row = probs.copy()
    every_row[:, targets] -= 1.0
    scale = {"name": name, "N": n_samples, "D": n_classes, "ND": n_samples * n_classes}
    session.array(
        Case("a batch of 4 samples, 5 classes", {"logits": logits, "targets": targets}),
        grad,
        dtype=np.float64,
        bugs=[
            Bug("not_averaged", _GRAD_SUMMED.format(**scale), n_samples * grad),
            Bug("averaged_twice", _GRAD_TWICE.format(**scale), grad / n_samples),
            Bug("divided_by_class_count", _GRAD_BY_D.format(**scale), grad * n_samples / n_classes),
            Bug("divided_by_class_count", _GRAD_BY_ND.format(**scale), grad / n_classes),
            Bug("sign_flip", _GRAD_SIGN.format(**scale), -grad),
            Bug("sign_flip", _GRAD_SIGN.format(**scale), -n_samples * grad),
            Bug("wrong_axis", _GRAD_AXIS.format(**scale), (softmax(logits, axis=0) - one_hot) / n_samples),
            Bug(
                "diagonal_only_jacobian",
                _GRAD_DIAGONAL.format(**scale),
                -one_hot * (1 - probs) / n_samples,
            ),
            Bug("wrong_values", _GRAD_NO_TARGETS.format(**scale), probs / n_samples),
            Bug("wrong_values", _GRAD_LOGITS.format(**scale), (logits - one_hot) / n_samples),
            Bug("wrong_values", _GRAD_EVERY_ROW.format(**scale), every_row / n_samples),
            Bug("wrong_values", _GRAD_EVERY_ROW.format(**scale), every_row),
        ],
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
        dtype = np.float64 if reference is cross_entropy_backward else None
        probe_overflow(session, case, reference(logits + offset, targets), _OVERFLOW, dtype)


def _far_apart_probe(session, logits, targets, reference):
    """Each target's logit 1000, one other's 999, the rest -1000: the mean or min shift overflows."""
    rows = np.arange(len(targets))
    far = np.full(logits.shape, -1000.0)
    far[rows, targets] = 1000.0
    far[rows, (targets + 1) % logits.shape[1]] = 999.0
    label = "logits 2000 apart (each target's logit 1000, one other 999, the rest -1000)"
    dtype = np.float64 if reference is cross_entropy_backward else None
    case = Case(label, {"logits": far, "targets": targets})
    probe_far_apart(session, case, reference(far, targets), _SHIFT_FIX, dtype)


def _log_eps_probe(session, logits, targets, always=False):
    """Each target's logit 1000 below the rest: p underflows to 0, log(p) to -inf.

    A wrong loss there that is too small (log(p + eps) is bounded by -log eps), or inf or nan
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
                raise Finding("no_max_subtraction", message, finding.details) from None
            if not np.isfinite(received).all() or (received < expected).all():
                message = _LOG_EPS.format(name=session.name)
                raise Finding("log_eps", message, finding.details) from None
        if always:
            raise


def _overflows(session, logits, targets):
    """Whether the loss is wrong where one logit per row is 730 below the row's maximum.

    No probability underflows to 0 there (exp(-730) is a tiny but nonzero float), so log(p)
    stays finite and right; code that subtracts the minimum computes exp(730) = inf.
    """
    deep = logits.copy()
    deep[np.arange(len(targets)), (targets + 1) % logits.shape[1]] = logits.max(axis=-1) - 730.0
    case = Case("logits with one class per row 730 below the rest", {"logits": deep, "targets": targets})
    try:
        received = as_numbers(session.call(case)[0], session.name, case)
    except Finding:
        return True
    if received.size == 1:
        received = received.reshape(())
    return not close(received, np.asarray(cross_entropy(deep, targets)))


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
    expected = reference(integers, integer_targets)
    probe_integers(session, case, expected, _INTEGER_FIX, None if dtype is None else "floating")


def _observe_gradient(received):
    if received.ndim != 2:
        return []
    sums = received.sum(axis=-1)
    with np.errstate(all="ignore"):
        if np.allclose(sums, 0.0, atol=1e-9):
            return []
    shown = np.array2string(np.asarray(sums), precision=4, suppress_small=True)
    return [
        f"Note: the rows of your gradient sum to {shown}; each row of (p − y)/N sums to 0 "
        "(both p and y sum to 1)."
    ]


_PER_SAMPLE = (
    "{name} returns one loss per sample (shape ({N},)): the loss is their MEAN, one number. "
    "Finish with `.mean()` (or sum and divide by N = {N})."
)
_LOSS_SUMMED = (
    "{name} returns the SUM of the per-sample losses, N = {N} times the mean. The loss is "
    "averaged over the batch, so its size (and the step size that suits it) does not depend "
    "on how many samples there are: divide by N, the number of rows."
)
_LOSS_TWICE = (
    "{name} divides by the batch size twice: its loss is the mean divided again by N = {N}. "
    "Average once — `.mean()` over the per-sample losses already divides by N."
)
_LOSS_BY_D = (
    "{name} divides the summed loss by the number of classes D = {D} instead of the batch "
    "size N = {N}. The mean is over the samples (rows): divide by N = logits.shape[0]."
)
_LOSS_BY_ND = (
    "{name} averages over all N·D = {ND} entries (for example np.mean of y · log p over the "
    "one-hot matrix), so its loss is D = {D} times too small. Sum over the classes, then "
    "average over the N = {N} samples: `-np.sum(y * log_p) / N`, or pick each sample's "
    "target log-probability and take the mean."
)
_LOSS_SIGN = (
    "{name}'s loss is negative: cross-entropy is −log p of the target class. A probability "
    "is at most 1, so log p ≤ 0 and the loss is ≥ 0 — keep the minus sign."
)
_LOSS_AXIS = (
    "{name} takes the softmax down the COLUMNS of the batch (axis=0), mixing samples. Each "
    "row is one sample: normalise along the classes, axis=-1 with keepdims=True."
)
_LOSS_INDEXING = (
    "{name} picks `log_p[:, targets]`: an N×N block (every row at every target column), not "
    "one entry per sample. Pair row n with its own target: "
    "`log_p[np.arange(N), targets]`."
)
_OVERFLOW = (
    "For {case}, {name} returns nan, inf or wrong values: exp(1000) overflows to inf and "
    "exp(-1000) underflows to 0. Subtract each row's maximum before exponentiating — "
    "log-softmax = x − m − log Σ exp(xₖ − m) with m = max x — or call your log_softmax."
)
_SHIFT_FIX = (
    "Use log-softmax = x − m − log Σ exp(xₖ − m) with m = `logits.max(axis=-1, keepdims=True)`, "
    "or call your log_softmax or softmax if it passes its checker."
)
_LOG_EPS = (
    "{name} is right for ordinary logits but not when a target's probability underflows "
    "to 0 (its logit far below the others): log(0) = −inf (and 0 · log 0 = nan), while "
    "log(p + ε) or a clip caps the loss near −log ε (27.6 for ε = 1e-12) where the true loss "
    "is about 1000. Never take the log of a probability: −log softmax(x)ₜ = "
    "logsumexp(x) − xₜ, computed with the maximum subtracted."
)
_INTEGER_FIX = (
    "Arrays made with np.zeros_like(logits) or np.empty_like(logits) inherit the integer "
    "dtype; build the result from softmax(logits) (floating point) or convert integer "
    "logits first with `logits.astype(float)`."
)
_GRAD_SUMMED = (
    "{name} returns p − y, the gradient of the SUMMED loss: N = {N} times too large. The "
    "loss is the mean over N samples, so its gradient is (p − y) / N."
)
_GRAD_TWICE = "{name} divides by the batch size twice: (p − y) / N², with N = {N}. Divide once."
_GRAD_BY_D = (
    "{name} divides by the number of classes D = {D} instead of the batch size N = {N}: "
    "the gradient of the mean over N samples is (p − y) / N, with N = logits.shape[0]."
)
_GRAD_BY_ND = (
    "{name} divides by N·D = {ND}, as if the loss were averaged over every entry; it is "
    "averaged over the N = {N} samples only: (p − y) / N."
)
_GRAD_SIGN = (
    "{name}'s gradient has the wrong sign: it is (y − p), the direction that INCREASES "
    "probability of the target. dL/dx = (p − y) / N: gradient descent subtracts it, which "
    "raises the target's logit."
)
_GRAD_AXIS = (
    "{name} takes the softmax down the COLUMNS of the batch (axis=0), mixing samples. "
    "Normalise each row along the classes (axis=-1, keepdims=True), then subtract the "
    "one-hot targets and divide by N."
)
_GRAD_DIAGONAL = (
    "{name} returns −y ⊙ (1 − p) / N: the chain rule through the DIAGONAL of the softmax "
    "Jacobian only. The target's logit is pushed up, but the other logits are never pushed "
    "down, although each of them takes probability from the target (off-diagonal −σᵢσⱼ). "
    "With the whole Jacobian, −y/p times diag(p) − ppᵀ collapses to (p − y) / N."
)
_GRAD_NO_TARGETS = (
    "{name} returns softmax(logits) / N: subtract the one-hot targets, (p − y) / N — "
    "that is, subtract 1 at each row's target class."
)
_GRAD_LOGITS = (
    "{name} uses the logits where the probabilities belong: the gradient is (softmax(logits) − y) / N."
)
_GRAD_EVERY_ROW = (
    "{name} subtracts 1 in the target columns of EVERY row (`grad[:, targets] -= 1`). Each "
    "row n needs 1 subtracted at its own target only: `grad[np.arange(N), targets] -= 1`, "
    "then divide by N."
)
