"""Mistakes in the forward pass: softmax (notebook 01), log-softmax and the stability lab (notebook 04)."""

import numpy as np

from ..formatting import format_signed
from ..softmax import OVERFLOW_POINTS
from .catalogue import mistake

_SHIFT = (
    "Subtracting the same number c from every logit leaves softmax unchanged, but only c = the "
    "row's MAXIMUM (not the mean, the minimum or the first logit) makes every exponent "
    "xₖ − c ≤ 0, so that exp cannot overflow."
)


@mistake(
    "check_softmax",
    "no_max_subtraction",
    "overflow at large logits: subtract the maximum first",
    "01",
    "For {case}, {name} returns nan, inf or wrong values: exp(1000) overflows to inf (and "
    "exp(-1000) underflows to 0), so the division gives inf/inf or 0/0 = nan. Softmax does not "
    "change when the same number is subtracted from every logit: subtract each row's maximum "
    "first, `x - x.max(axis=-1, keepdims=True)`, so every exponent is ≤ 0.",
    compared=False,
)
def softmax_naive(logits):
    exps = np.exp(logits)
    return exps / exps.sum(axis=-1, keepdims=True)


# One mistake, two spellings of it (the minimum, the mean): one entry text for both.
_shifted_by_another_number = mistake(
    "check_softmax",
    "no_max_subtraction",
    "shifted by another number than each row's maximum: overflow",
    "01",
    _SHIFT,
    compared=False,
)


@_shifted_by_another_number
def softmax_subtracts_min(logits):
    exps = np.exp(logits - logits.min(axis=-1, keepdims=True))
    return exps / exps.sum(axis=-1, keepdims=True)


@_shifted_by_another_number
def softmax_subtracts_mean(logits):
    exps = np.exp(logits - logits.mean(axis=-1, keepdims=True))
    return exps / exps.sum(axis=-1, keepdims=True)


@mistake(
    "check_softmax",
    "wrong_axis",
    "normalised each column instead of each row",
    "01",
    "{name} normalised each COLUMN of the batch instead of each row: the columns of its output "
    "sum to 1, the rows do not. The classes are along the last axis: reduce with axis=-1 and "
    "keepdims=True, e.g. `x.max(axis=-1, keepdims=True)` and `exps.sum(axis=-1, keepdims=True)`.",
)
def softmax_columns(logits):
    exps = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return exps / exps.sum(axis=0, keepdims=True)


@mistake(
    "check_softmax",
    "wrong_axis",
    "normalised over the whole batch at once",
    "01",
    "{name} normalised over the WHOLE batch at once instead of each row on its own: all its "
    "probabilities together make one distribution. Reduce over the classes only: axis=-1 with "
    "keepdims=True (without `axis`, NumPy sums every entry).",
)
def softmax_whole_array(logits):
    exps = np.exp(logits - logits.max())
    return exps / exps.sum()


@mistake(
    "check_softmax",
    "wrong_axis",
    "one maximum for the whole batch",
    "01",
    "{name} is right for each row on its own, but not for a batch whose rows lie far apart: it "
    "subtracts ONE maximum for the whole batch, so the rows far below it underflow to "
    "exp(-2000) = 0, and 0/0 = nan. Subtract each row's own maximum: "
    "`x.max(axis=-1, keepdims=True)`.",
    compared=False,
)
def softmax_global_max(logits):
    exps = np.exp(logits - logits.max())
    return exps / exps.sum(axis=-1, keepdims=True)


@mistake(
    "check_softmax",
    "not_normalised",
    "the exponentials are not divided by their sum",
    "01",
    "{name} returns the exponentials exp(xᵢ − m) themselves: softmax divides each by the sum "
    "of its row, so that the probabilities sum to 1: `exps / exps.sum(axis=-1, keepdims=True)`.",
)
def softmax_unnormalised(logits):
    return np.exp(logits - logits.max(axis=-1, keepdims=True))


# --- log-softmax ------------------------------------------------------------------------------

_LOG_EPS_HEADING = "the log of a probability: -inf or capped where it underflows"
_LOG_EPS = (
    "{name} is right for ordinary logits but not for logits far apart: there the smallest "
    "probabilities underflow to 0 in floating point, so log(σ) is -inf, and log(σ + ε) or a "
    "clip gives about log ε (−27.6 for ε = 1e-12) where the true value is in the hundreds. "
    "Never take the log of a probability: compute x − m − log Σ exp(xₖ − m) with m = max x."
)


def _softmax(logits):
    shifted = logits - logits.max(axis=-1, keepdims=True)
    exps = np.exp(shifted)
    return exps / exps.sum(axis=-1, keepdims=True)


@mistake("check_log_softmax", "log_eps", _LOG_EPS_HEADING, "04", _LOG_EPS, compared=False)
def log_softmax_eps(logits):
    return np.log(_softmax(logits) + 1e-12)


@mistake("check_log_softmax", "log_eps", _LOG_EPS_HEADING, "04", _LOG_EPS, compared=False)
def log_softmax_of_softmax(logits):
    return np.log(_softmax(logits))


@mistake("check_log_softmax", "log_eps", _LOG_EPS_HEADING, "04", _LOG_EPS, compared=False)
def log_softmax_clip(logits):
    return np.log(np.clip(_softmax(logits), 1e-15, 1.0))


@mistake(
    "check_log_softmax",
    "no_max_subtraction",
    "overflow at large logits: use the log-sum-exp trick",
    "04",
    "For {case}, {name} returns nan, inf or wrong values: log(sum(exp(x))) computed directly "
    "overflows (exp(1000) = inf) or underflows (exp(-1000) = 0, log 0 = -inf). Use the "
    "log-sum-exp trick: log Σ exp(xₖ) = m + log Σ exp(xₖ − m) with m = max x, so every "
    "exponent is ≤ 0.",
    compared=False,
)
def log_softmax_naive(logits):
    return logits - np.log(np.exp(logits).sum(axis=-1, keepdims=True))


@mistake(
    "check_log_softmax",
    "missing_max",
    "off by each row's maximum: m is subtracted inside the log only",
    "04",
    "{name} returns log-softmax + m, with m each row's maximum: it subtracts m inside the "
    "exponentials but not in front. log σᵢ = xᵢ − m − log Σ exp(xₖ − m): the m appears twice, "
    "so subtract it from the logits first, `shifted = x - x.max(axis=-1, keepdims=True)`, and "
    "return `shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))`.",
)
def log_softmax_missing_max(logits):
    shifted = logits - logits.max(axis=-1, keepdims=True)
    return logits - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


@mistake(
    "check_log_softmax",
    "missing_max",
    "off by each row's maximum: m is subtracted in front only, not inside the exponentials",
    "04",
    "{name} returns log-softmax − m, with m each row's maximum: it subtracts m in front but "
    "exponentiates the unshifted logits (which also overflows for large ones). "
    "log σᵢ = xᵢ − m − log Σ exp(xₖ − m): shift first, `shifted = x - x.max(axis=-1, keepdims=True)`, "
    "and return `shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))`.",
)
def log_softmax_max_in_front_only(logits):
    top = logits.max(axis=-1, keepdims=True)
    return logits - top - np.log(np.exp(logits).sum(axis=-1, keepdims=True))


@mistake(
    "check_log_softmax",
    "wrong_axis",
    "normalised each column instead of each row",
    "04",
    "{name} normalised each COLUMN of the batch instead of each row: exp of each column of its "
    "output sums to 1. The classes are along the last axis: reduce with axis=-1 and "
    "keepdims=True, e.g. `x.max(axis=-1, keepdims=True)` and "
    "`np.log(np.exp(shifted).sum(axis=-1, keepdims=True))`.",
)
def log_softmax_columns(logits):
    shifted = logits - logits.max(axis=0, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=0, keepdims=True))


@mistake(
    "check_log_softmax",
    "wrong_axis",
    "normalised over the whole batch at once",
    "04",
    "{name} normalised over the WHOLE batch at once instead of each row on its own: all its "
    "log-probabilities together make one distribution. Reduce over the classes only: axis=-1 "
    "with keepdims=True (without `axis`, NumPy sums every entry).",
)
def log_softmax_whole_batch(logits):
    shifted = logits - logits.max()
    return shifted - np.log(np.exp(shifted).sum())


@mistake(
    "check_log_softmax",
    "wrong_axis",
    "one maximum for the whole batch",
    "04",
    "{name} is right for each row on its own, but not for a batch whose rows lie far apart: it "
    "subtracts ONE maximum for the whole batch, so the rows far below it underflow to "
    "exp(-2000) = 0 and their log is -inf. Subtract each row's own maximum: "
    "`x.max(axis=-1, keepdims=True)`.",
    compared=False,
)
def log_softmax_global_max(logits):
    shifted = logits - logits.max()
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


# --- notebook 04: the numerical-stability lab ------------------------------------------

DTYPES = {"float64": np.float64, "float32": np.float32}


def naive_softmax(logits, dtype="float64"):
    """WRONG for large logits: ``exp(x) / sum(exp(x))`` as textbooks write it, and what went wrong.

    Parameters
    ----------
    logits : array_like
        Shape (D,).
    dtype : {"float64", "float32"}
        The type the computation runs in.

    Returns
    -------
    probs : ndarray
        The result; wrong (NaN, or 0 where the sum overflowed) when ``problem`` is set.
    problem : str or None
        Why it failed ("overflow ..." or "underflow ..."), or ``None``.

    Examples
    --------
    >>> probs, problem = naive_softmax([1.0, 2.0, 3.0])
    >>> probs.round(4), problem
    (array([0.09  , 0.2447, 0.6652]), None)
    >>> print(naive_softmax([100.0, 0.0], "float32")[1])
    overflow: exp(100.0) = inf in float32, and inf / inf = NaN
    """
    values = np.asarray(logits, dtype=DTYPES[dtype])
    # The failure is the lesson: compute it quietly, then say what happened in words.
    with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
        probs = softmax_naive(values)
        total = np.exp(values).sum()
    if np.isfinite(total) and total > 0:
        return probs, None
    largest = float(values.max())
    if not np.isfinite(total):
        culprit = (f"exp({format_signed(largest)})" if largest > OVERFLOW_POINTS[dtype]
                   else "the sum of exp(x)")
        return probs, f"overflow: {culprit} = inf in {dtype}, and inf / inf = NaN"
    return probs, (
        f"underflow: every exp(x) = 0 in {dtype} (largest x = {format_signed(largest)}), "
        "and 0 / 0 = NaN"
    )
