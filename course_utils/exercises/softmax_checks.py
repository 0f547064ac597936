"""Checkers for the forward pass: softmax and log-softmax over the last axis."""

import numpy as np

from ..softmax import log_softmax, softmax
from .probing import (
    FAR_APART,
    FAR_APART_LABEL,
    TOLERANCE,
    Bug,
    Case,
    Finding,
    probe_integers,
    probe_overflow,
    run_check,
    shift_message,
)

SEED = 20240601  # the probes are the same on every run, so stored notebook outputs reproduce
FLOAT32_TOLERANCE = TOLERANCE[np.dtype(np.float32)]
# Below this log-probability exp underflows (to subnormals, then to 0 near -745).
UNDERFLOW = -700.0


def check_softmax(fn):
    """Check a student's softmax and say precisely what is wrong with it.

    The contract: ``fn(logits)`` returns the softmax of ``logits`` over the LAST axis, with
    the same shape — one vector of D logits gives D probabilities summing to 1, a batch of
    shape (N, D) gives N such rows. It must not modify ``logits``, must keep float32 as
    float32 and accept integers.

    Parameters
    ----------
    fn : callable
        The function to check, called as ``fn(logits)``.

    Returns
    -------
    CheckResult
        ``.passed``, ``.diagnosis`` (None or a code such as ``"wrong_axis"``,
        ``"no_max_subtraction"``) and ``.message``; it shows as a green or red box in a
        notebook. The student's errors are reported in it, never raised.

    Notes
    -----
    The probes, in order: a vector; a batch of rows (wrong axis?); logits near +1000 and
    -1000 (overflow, underflow); logits far apart, the vector × 400 and
    [-1000, 999, -1000, 1000, -1000] (shifted by the mean or the minimum instead of the
    maximum?); a batch whose rows are 2000 apart (one maximum for the whole batch?); float32
    and integer logits. After every call the input is compared with a copy kept aside.

    Examples
    --------
    >>> import numpy as np
    >>> from course_utils import softmax
    >>> check_softmax(softmax).passed
    True
    >>> def naive(logits):
    ...     exps = np.exp(logits)
    ...     return exps / exps.sum(axis=-1, keepdims=True)
    >>> check_softmax(naive).diagnosis
    'no_max_subtraction'
    """
    return run_check("check_softmax", fn, lambda session: _probe(session, _SOFTMAX))


def check_log_softmax(fn):
    """Check a student's log-softmax and say precisely what is wrong with it.

    The contract: ``fn(logits)`` returns ``log(softmax(logits))`` over the LAST axis, with
    the same shape (a vector of D logits, or a batch of shape (N, D)), computed so that it
    stays exact where a probability underflows to 0: ``x - max - log(sum(exp(x - max)))``.
    It must not modify ``logits``, must keep float32 as float32 and accept integers.

    Parameters
    ----------
    fn : callable
        The function to check, called as ``fn(logits)``.

    Returns
    -------
    CheckResult
        As for :func:`check_softmax`; ``"log_eps"`` means ``log(softmax(x))`` or
        ``log(softmax(x) + eps)``, which fails when the logits are far apart.

    Examples
    --------
    >>> import numpy as np
    >>> from course_utils import log_softmax, softmax
    >>> check_log_softmax(log_softmax).passed
    True
    >>> check_log_softmax(lambda logits: np.log(softmax(logits) + 1e-12)).diagnosis
    'log_eps'
    """
    return run_check("check_log_softmax", fn, lambda session: _probe(session, _LOG_SOFTMAX))


def _inputs():
    rng = np.random.default_rng(SEED)
    vector = rng.normal(0.0, 2.0, size=5).round(1)
    batch = rng.normal(0.0, 2.0, size=(4, 5)).round(1)
    return vector, batch


def _probe(session, kind):
    """The probes shared by softmax and log-softmax; ``kind`` holds what differs."""
    vector, batch = _inputs()
    name = session.name
    session.array(
        Case("a vector of 5 logits", {"logits": vector}),
        kind.reference(vector),
        dtype=np.float64,
        observe=kind.observe,
        near_miss=(lambda: _log_eps_probe(session, kind, vector)) if kind.is_log else None,
    )
    batch_case = Case("a batch of 4 rows of 5 logits", {"logits": batch})
    session.array(
        batch_case,
        kind.reference(batch),
        dtype=np.float64,
        observe=kind.observe,
        bugs=[
            Bug("wrong_axis", kind.columns_message.format(name=name), kind.columns_sum_to_one),
            Bug("wrong_axis", kind.whole_message.format(name=name), kind.all_sum_to_one),
        ],
    )
    for offset in (1000.0, -1000.0):
        shifted = vector + offset
        label = f"the same vector {offset:+.0f} (logits near {offset:+.0f})"
        case = Case(label, {"logits": shifted})
        probe_overflow(session, case, kind.reference(vector), kind.overflow_message, np.float64)
    _spread_probe(session, kind, vector)
    _extreme_probe(session, kind, Case(FAR_APART_LABEL, {"logits": FAR_APART}))
    far_apart = np.stack([vector + 1000.0, vector - 1000.0])
    case = Case("a batch whose two rows are 2000 apart", {"logits": far_apart})
    try:
        session.array(case, kind.reference(far_apart), dtype=np.float64)
    except Finding as finding:
        if finding.diagnosis in ("wrong_values", "raised"):
            raise Finding("wrong_axis", kind.global_max_message.format(name=name), finding.details) from None
        raise
    single = batch.astype(np.float32)
    session.array(
        Case("a batch of float32 logits", {"logits": single}),
        kind.reference(single.astype(np.float64)),
        dtype=np.float32,
        tolerance=FLOAT32_TOLERANCE,
    )
    integers = np.array([3, -1, 0, 2, 2])
    case = Case("integer logits such as [3, -1, 0, 2, 2]", {"logits": integers})
    probe_integers(session, case, kind.reference(integers), _INTEGER_FIX)


def _log_eps_probe(session, kind, vector):
    """A nearly right log-softmax: is it log(p + eps)? Only that diagnosis is worth giving."""
    try:
        _spread_probe(session, kind, vector)
    except Finding as finding:
        if finding.diagnosis == "log_eps":
            raise


def _spread_probe(session, kind, vector):
    """The vector × 400, logits about 1000 apart: tiny probabilities underflow to 0."""
    _extreme_probe(session, kind, Case("logits far apart (the vector × 400)", {"logits": vector * 400.0}))


def _extreme_probe(session, kind, case):
    """Logits far apart, once logits near ±1000 passed.

    A log-softmax that takes the log of a probability is right where the probability is
    representable and -inf (log p) or too high (log(p + eps), a clip) where it underflowed;
    any other failure, such as nan or -inf everywhere, is an overflow: the code subtracts
    something other than each row's maximum.
    """
    expected = kind.reference(case.args["logits"])
    try:
        session.array(case, expected, dtype=np.float64)
    except Finding as finding:
        if finding.diagnosis not in ("wrong_values", "raised"):
            raise
        capped = finding.diagnosis == "wrong_values" and _log_of_probability(finding.received, expected)
        if kind.is_log and capped:
            raise Finding("log_eps", _LOG_EPS_MESSAGE.format(name=session.name), finding.details) from None
        if finding.diagnosis == "raised" and not isinstance(finding.exception, OverflowError):
            raise
        message = shift_message(session.name, case, kind.shift_fix)
        raise Finding("no_max_subtraction", message, finding.details) from None


def _log_of_probability(received, expected):
    """Whether a wrong log-softmax is log(p), log(p + eps) or log(clip(p)) of a stable softmax."""
    if received.shape != expected.shape or np.isnan(received).any() or (received == np.inf).any():
        return False
    tiny = expected < UNDERFLOW  # where p underflows: log p is -inf, a cap is above the truth
    if ((received == -np.inf) & ~tiny).any():
        return False
    finite = np.isfinite(received)
    return bool((received[finite] >= expected[finite] - np.where(tiny[finite], 1.0, 1e-6)).all())


class _Kind:
    """What differs between softmax and log-softmax: the reference and the messages."""

    def __init__(self, is_log):
        self.is_log = is_log
        self.reference = log_softmax if is_log else softmax
        what = "log-probabilities" if is_log else "probabilities"
        self.columns_message = (
            "{name} normalised each COLUMN of the batch instead of each row: "
            + (
                "exp of each column of its output sums to 1. "
                if is_log
                else "the columns of its output sum to 1, the rows do not. "
            )
            + "The classes are along the last axis: reduce with axis=-1 and keepdims=True, "
            "e.g. `x.max(axis=-1, keepdims=True)` and "
            + (
                "`np.log(np.exp(shifted).sum(axis=-1, keepdims=True))`."
                if is_log
                else "`exps.sum(axis=-1, keepdims=True)`."
            )
        )
        self.whole_message = (
            "{name} normalised over the WHOLE batch at once instead of each row on its own: "
            f"all its {what} together make one distribution. Reduce over the classes only: "
            "axis=-1 with keepdims=True (without `axis`, NumPy sums every entry)."
        )
        self.global_max_message = (
            "{name} is right for each row on its own, but not for a batch whose rows lie far "
            "apart: it subtracts ONE maximum for the whole batch, so the rows far below it "
            "underflow to exp(-2000) = 0"
            + (" and their log is -inf" if is_log else ", and 0/0 = nan")
            + ". Subtract each row's own maximum: `x.max(axis=-1, keepdims=True)`."
        )
        self.shift_fix = (
            "Use the log-sum-exp trick with m = `x.max(axis=-1, keepdims=True)`: "
            "x − m − log Σ exp(xₖ − m)."
            if is_log
            else "Use `x - x.max(axis=-1, keepdims=True)`."
        )
        if is_log:
            self.overflow_message = (
                "For {case}, {name} returns nan, inf or wrong values: log(sum(exp(x))) "
                "computed directly overflows (exp(1000) = inf) or underflows "
                "(exp(-1000) = 0, log 0 = -inf). Use the log-sum-exp trick: "
                "log Σ exp(xₖ) = m + log Σ exp(xₖ − m) with m = max x, so every exponent is ≤ 0."
            )
        else:
            self.overflow_message = (
                "For {case}, {name} returns nan, inf or wrong values: exp(1000) overflows to "
                "inf (and exp(-1000) underflows to 0), so the division gives inf/inf or 0/0 = "
                "nan. Softmax does not change when the same number is subtracted from every "
                "logit: subtract each row's maximum first, `x - x.max(axis=-1, keepdims=True)`, "
                "so every exponent is ≤ 0."
            )

    def columns_sum_to_one(self, received):
        """Normalised down the columns (whatever was subtracted first), rows not."""
        return _sums_to_one(self._probs(received), axis=0) and not _sums_to_one(
            self._probs(received), axis=-1
        )

    def all_sum_to_one(self, received):
        """Normalised over every entry of the batch at once."""
        return _sums_to_one(self._probs(received).ravel(), axis=0)

    def _probs(self, received):
        return np.exp(received) if self.is_log else received

    def observe(self, received):
        sums = np.exp(received).sum(axis=-1) if self.is_log else received.sum(axis=-1)
        with np.errstate(all="ignore"):
            off = not np.allclose(sums, 1.0, rtol=0, atol=1e-6)
        if not off:
            return []
        what = "exp of its rows" if self.is_log else "its rows"
        shown = np.array2string(np.asarray(sums, dtype=np.float64), precision=4, suppress_small=True)
        return [f"Note: {what} sum to {shown}, not 1."]


def _sums_to_one(values, axis):
    if values.ndim == 0:
        return False
    return bool(np.allclose(values.astype(np.float64).sum(axis=axis), 1.0, rtol=0, atol=1e-6))


_SOFTMAX = _Kind(is_log=False)
_LOG_SOFTMAX = _Kind(is_log=True)

_LOG_EPS_MESSAGE = (
    "{name} is right for ordinary logits but not for logits far apart: there the smallest "
    "probabilities underflow to 0 in floating point, so log(p) is -inf, and log(p + ε) or a "
    "clip gives about log ε (−27.6 for ε = 1e-12) where the true value is in the hundreds. "
    "Never take the log of a probability: compute x − m − log Σ exp(xₖ − m) with m = max x."
)

_INTEGER_FIX = (
    "An array made with np.zeros_like(logits) or np.empty_like(logits) inherits the integer "
    "dtype, and in-place operations (`x -= ...`, `out=`) cannot store floats in it. Build the "
    "result from np.exp(...) (always floating point) or convert first: "
    "`if logits.dtype.kind != 'f': logits = logits.astype(float)`."
)
