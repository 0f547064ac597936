"""Checkers for the forward pass: softmax and log-softmax over the last axis."""

import numpy as np

from ..bugs import MISTAKES
from ..softmax import log_softmax, softmax
from .comparing import TOLERANCE, Bug
from .feedback import format_sums
from .probing import (
    FAR_APART,
    FAR_APART_LABEL,
    SHIFT_HEADING,
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


def check_softmax(fn, notebook=None):
    """Check a student's softmax and say precisely what is wrong with it.

    The contract: ``fn(logits)`` returns the softmax of ``logits`` over the LAST axis, with
    the same shape — one vector of D logits gives D probabilities summing to 1, a batch of
    shape (N, D) gives N such rows. It must not modify ``logits``, must keep float32 as
    float32 and accept integers.

    Parameters
    ----------
    fn : callable
        The function to check, called as ``fn(logits)``.
    notebook : str, optional
        The notebook whose exercise this is ("01"): its rules and the style of its advice.

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
    return run_check("check_softmax", fn, lambda session: _probe(session, _SOFTMAX), notebook)


def check_log_softmax(fn, notebook=None):
    """Check a student's log-softmax and say precisely what is wrong with it.

    The contract: ``fn(logits)`` returns ``log(softmax(logits))`` over the LAST axis, with
    the same shape (a vector of D logits, or a batch of shape (N, D)), computed so that it
    stays exact where a probability underflows to 0: ``x - max - log(sum(exp(x - max)))``.
    It must not modify ``logits``, must keep float32 as float32 and accept integers.

    Parameters
    ----------
    fn : callable
        The function to check, called as ``fn(logits)``.
    notebook : str, optional
        The notebook whose exercise this is ("04").

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
    return run_check("check_log_softmax", fn, lambda session: _probe(session, _LOG_SOFTMAX), notebook)


def _inputs():
    rng = np.random.default_rng(SEED)
    vector = rng.normal(0.0, 2.0, size=5).round(1)
    batch = rng.normal(0.0, 2.0, size=(4, 5)).round(1)
    return vector, batch


def _probe(session, kind):
    """The probes shared by softmax and log-softmax; ``kind`` holds what differs."""
    vector, batch = _inputs()
    name = session.name
    vector_case = Case("a vector of 5 logits", {"logits": vector})
    session.array(
        vector_case,
        kind.reference(vector),
        dtype=np.float64,
        observe=kind.observe,
        bugs=kind.compared_bugs(vector_case, name),
        near_miss=(lambda: _log_eps_probe(session, kind, vector)) if kind.is_log else None,
    )
    batch_case = Case("a batch of 4 rows of 5 logits", {"logits": batch})
    session.array(
        batch_case,
        kind.reference(batch),
        dtype=np.float64,
        observe=kind.observe,
        bugs=[
            Bug.of(MISTAKES[kind.prefix + "columns"], {}, kind.columns_sum_to_one, name=name),
            Bug.of(MISTAKES[kind.whole], {}, kind.all_sum_to_one, name=name),
            *kind.compared_bugs(batch_case, name),
        ],
    )
    for offset in (1000.0, -1000.0):
        shifted = vector + offset
        label = f"the same vector {offset:+.0f} (logits near {offset:+.0f})"
        case = Case(label, {"logits": shifted})
        naive = MISTAKES[kind.prefix + "naive"]
        probe_overflow(session, case, kind.reference(vector), naive.explanation, np.float64, naive.heading)
    _spread_probe(session, kind, vector)
    _extreme_probe(session, kind, Case(FAR_APART_LABEL, {"logits": FAR_APART}))
    far_apart = np.stack([vector + 1000.0, vector - 1000.0])
    case = Case("a batch whose two rows are 2000 apart", {"logits": far_apart})
    try:
        session.array(case, kind.reference(far_apart), dtype=np.float64)
    except Finding as finding:
        if finding.diagnosis in ("wrong_values", "raised"):
            mistake = MISTAKES[kind.prefix + "global_max"]
            raise Finding(
                "wrong_axis", mistake.explain(name=name), finding.details, heading=mistake.heading
            ) from None
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
    probe_integers(session, case, kind.reference(integers))


def _log_eps_probe(session, kind, vector):
    """A nearly right log-softmax: is it log(σ + eps)? Only that diagnosis is worth giving."""
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
    representable and -inf (log σ) or too high (log(σ + eps), a clip) where it underflowed;
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
            mistake = MISTAKES["log_softmax_eps"]
            raise Finding(
                "log_eps", mistake.explain(name=session.name), finding.details, heading=mistake.heading
            ) from None
        if finding.diagnosis == "raised" and not isinstance(finding.exception, OverflowError):
            raise
        message = shift_message(session.name, case, kind.shift_fix)
        raise Finding("no_max_subtraction", message, finding.details, heading=SHIFT_HEADING) from None


def _log_of_probability(received, expected):
    """Whether a wrong log-softmax is log(σ), log(σ + eps) or log(clip(σ)) of a stable softmax."""
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
        self.prefix = "log_softmax_" if is_log else "softmax_"
        self.whole = "log_softmax_whole_batch" if is_log else "softmax_whole_array"
        self.shift_fix = (
            "Use the log-sum-exp trick with m = `x.max(axis=-1, keepdims=True)`: x − m − log Σ exp(xₖ − m)."
            if is_log
            else "Use `x - x.max(axis=-1, keepdims=True)`."
        )

    def compared_bugs(self, case, name):
        """The catalogue's mistakes recognised by their output on ``case``."""
        check = "check_log_softmax" if self.is_log else "check_softmax"
        mistakes = [m for m in MISTAKES.values() if m.check == check and m.compared]
        families = (self.prefix + "columns", self.whole)
        return [Bug.of(m, case.args, name=name) for m in mistakes if m.name not in families]

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
        return [f"Note: {what} sum to {format_sums(sums)}, not 1."]


def _sums_to_one(values, axis):
    if values.ndim == 0:
        return False
    return bool(np.allclose(values.astype(np.float64).sum(axis=axis), 1.0, rtol=0, atol=1e-6))


_SOFTMAX = _Kind(is_log=False)
_LOG_SOFTMAX = _Kind(is_log=True)
