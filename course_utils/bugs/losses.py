"""Mistakes in the loss: the mean cross-entropy (notebook 06) and its gradient (06, 07).

``{N}``, ``{D}`` and ``{ND}`` in an explanation are the checker's batch size, class count and
their product.
"""

import numpy as np

from ..softmax import softmax
from .catalogue import mistake


def _log_probs(logits):
    shifted = logits - logits.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def _picked(logits, targets):
    return _log_probs(logits)[np.arange(len(targets)), targets]


def _probs_and_one_hot(logits, targets):
    logits = np.asarray(logits, dtype=float)
    probs = softmax(logits)
    one_hot = np.eye(logits.shape[-1])[targets]
    n_samples = 1 if logits.ndim == 1 else logits.shape[0]
    return probs, one_hot, n_samples


# --- the loss ---------------------------------------------------------------------------------

_LOSS_SIGN = (
    "{name}'s loss is negative: cross-entropy is −log σ of the target class. A probability is "
    "at most 1, so log σ ≤ 0 and the loss is ≥ 0 — keep the minus sign."
)
_LOG_EPS_HEADING = "the log of a probability: inf or capped where it underflows"
_LOG_EPS = (
    "{name} is right for ordinary logits but not when a target's probability underflows to 0 "
    "(its logit far below the others): log(0) = −inf (and 0 · log 0 = nan), while log(σ + ε) or "
    "a clip caps the loss near −log ε (27.6 for ε = 1e-12) where the true loss is about 1000. "
    "Never take the log of a probability: −log softmax(x)ₜ = logsumexp(x) − xₜ, computed with "
    "the maximum subtracted."
)


@mistake(
    "check_cross_entropy",
    "per_sample_loss",
    "one loss per sample instead of their mean",
    "06",
    "{name} returns one loss per sample (shape ({N},)): the loss is their MEAN, one number. "
    "Finish with `.mean()` (or sum and divide by N = {N}).",
)
def loss_per_sample(logits, targets):
    return -_picked(logits, targets)


@mistake(
    "check_cross_entropy",
    "not_averaged",
    "summed over the batch instead of averaged",
    "06",
    "{name} returns the SUM of the per-sample losses, N = {N} times the mean. The loss is "
    "averaged over the batch, so its size (and the step size that suits it) does not depend on "
    "how many samples there are: divide by N, the number of rows.",
)
def loss_summed(logits, targets):
    return -_picked(logits, targets).sum()


@mistake(
    "check_cross_entropy",
    "averaged_twice",
    "divided by the batch size twice",
    "06",
    "{name} divides by the batch size twice: its loss is the mean divided again by N = {N}. "
    "Average once — `.mean()` over the per-sample losses already divides by N.",
)
def loss_averaged_twice(logits, targets):
    return -_picked(logits, targets).mean() / len(targets)


@mistake(
    "check_cross_entropy",
    "divided_by_class_count",
    "divided by the number of classes instead of the batch size",
    "06",
    "{name} divides the summed loss by the number of classes D = {D} instead of the batch size "
    "N = {N}. The mean is over the samples (rows): divide by N = logits.shape[0].",
)
def loss_by_classes(logits, targets):
    return -_picked(logits, targets).sum() / logits.shape[1]


@mistake(
    "check_cross_entropy",
    "divided_by_class_count",
    "averaged over every entry of the one-hot matrix",
    "06",
    "{name} averages over all N·D = {ND} entries (for example np.mean of y · log σ over the "
    "one-hot matrix), so its loss is D = {D} times too small. Sum over the classes, then average "
    "over the N = {N} samples: `-np.sum(y * log_p) / N`, or pick each sample's target "
    "log-probability and take the mean.",
)
def loss_mean_of_one_hot(logits, targets):
    one_hot = np.eye(logits.shape[1])[targets]
    return np.mean(-one_hot * _log_probs(logits))


@mistake("check_cross_entropy", "sign_flip", "the loss is negative: the sign", "06", _LOSS_SIGN)
def loss_sign_flipped(logits, targets):
    return _picked(logits, targets).mean()


@mistake("check_cross_entropy", "sign_flip", "the loss is negative: the sign", "06", _LOSS_SIGN)
def loss_summed_sign_flipped(logits, targets):
    return _picked(logits, targets).sum()


@mistake(
    "check_cross_entropy",
    "wrong_axis",
    "softmax down the columns, across samples",
    "06",
    "{name} takes the softmax down the COLUMNS of the batch (axis=0), mixing samples. Each row "
    "is one sample: normalise along the classes, axis=-1 with keepdims=True.",
)
def loss_columns(logits, targets):
    shifted = logits - logits.max(axis=0, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=0, keepdims=True))
    return -log_probs[np.arange(len(targets)), targets].mean()


@mistake(
    "check_cross_entropy",
    "every_row",
    "an N×N block of log-probabilities instead of one per sample",
    "06",
    "{name} picks `log_p[:, targets]`: an N×N block (every row at every target column), not one "
    "entry per sample. Pair row n with its own target: `log_p[np.arange(N), targets]`.",
)
def loss_every_row(logits, targets):
    return -_log_probs(logits)[:, targets].mean()


@mistake(
    "check_cross_entropy",
    "no_targets",
    "the targets are not used: the mean over every class",
    "06",
    "{name} averages −log σ over every class of every sample, so the targets never enter the loss. "
    "Each sample contributes only the log-probability of its own target: "
    "`-log_p[np.arange(N), targets].mean()`.",
)
def loss_ignores_targets(logits, targets):
    return -_log_probs(logits).mean()


@mistake(
    "check_cross_entropy",
    "no_max_subtraction",
    "overflow at large logits: subtract the maximum first",
    "06",
    "For {case}, {name} returns nan, inf or wrong values: exp(1000) overflows to inf and "
    "exp(-1000) underflows to 0. Subtract each row's maximum before exponentiating — "
    "log-softmax = x − m − log Σ exp(xₖ − m) with m = max x — or call your log_softmax.",
    compared=False,
)
def loss_naive(logits, targets):
    probs = np.exp(logits) / np.exp(logits).sum(axis=-1, keepdims=True)
    return -np.log(probs[np.arange(len(targets)), targets]).mean()


@mistake("check_cross_entropy", "log_eps", _LOG_EPS_HEADING, "06", _LOG_EPS, compared=False)
def cross_entropy_log_eps(logits, targets, eps=1e-12):
    r"""INACCURATE: mean ``−log(σ_target + eps)``, the "add a small epsilon" fix for log(0).

    The epsilon hides the ``-inf`` but caps the loss near ``−log(eps)`` (27.6 for 1e-12),
    so a confidently wrong prediction is charged far too little. Log-softmax is exact.

    Examples
    --------
    >>> round(cross_entropy_log_eps([0.0, -50.0], 1), 2)  # the truth is 50.0
    27.63
    """
    probs = softmax(np.asarray(logits, dtype=float))
    rows = probs.reshape(-1, probs.shape[-1])
    targets = np.asarray(targets).reshape(-1)
    picked = rows[np.arange(len(rows)), targets]
    return float(np.mean(-np.log(picked + eps)))


@mistake("check_cross_entropy", "log_eps", _LOG_EPS_HEADING, "06", _LOG_EPS, compared=False)
def loss_log_probs(logits, targets):
    probs = softmax(logits)
    return -np.log(probs[np.arange(len(targets)), targets]).mean()


# --- the gradient -----------------------------------------------------------------------------

_GRAD_SIGN = (
    "{name}'s gradient has the wrong sign: it is (y − σ), the direction that INCREASES "
    "probability of the target. dL/dx = (σ − y) / N: gradient descent subtracts it, which raises "
    "the target's logit."
)
_EVERY_ROW = (
    "{name} subtracts 1 in the target columns of EVERY row (`grad[:, targets] -= 1`). Each row n "
    "needs 1 subtracted at its own target only: `grad[np.arange(N), targets] -= 1`, then divide "
    "by N."
)


@mistake(
    "check_cross_entropy_backward",
    "not_averaged",
    "the gradient of the summed loss: not divided by N",
    "06",
    "{name} returns σ − y, the gradient of the SUMMED loss: N = {N} times too large. The loss is "
    "the mean over N samples, so its gradient is (σ − y) / N.",
)
def grad_not_averaged(logits, targets):
    return softmax(logits) - np.eye(logits.shape[1])[targets]


@mistake(
    "check_cross_entropy_backward",
    "averaged_twice",
    "divided by the batch size twice",
    "06",
    "{name} divides by the batch size twice: (σ − y) / N², with N = {N}. Divide once.",
)
def grad_averaged_twice(logits, targets):
    return grad_not_averaged(logits, targets) / len(targets) ** 2


@mistake(
    "check_cross_entropy_backward",
    "divided_by_class_count",
    "divided by the number of classes instead of the batch size",
    "06",
    "{name} divides by the number of classes D = {D} instead of the batch size N = {N}: the "
    "gradient of the mean over N samples is (σ − y) / N, with N = logits.shape[0].",
)
def grad_by_classes(logits, targets):
    return grad_not_averaged(logits, targets) / logits.shape[1]


@mistake(
    "check_cross_entropy_backward",
    "divided_by_class_count",
    "divided by N·D, as if averaged over every entry",
    "06",
    "{name} divides by N·D = {ND}, as if the loss were averaged over every entry; it is averaged "
    "over the N = {N} samples only: (σ − y) / N.",
)
def grad_by_every_entry(logits, targets):
    return grad_not_averaged(logits, targets) / logits.size


@mistake("check_cross_entropy_backward", "sign_flip", "the sign is flipped: y − σ", "07", _GRAD_SIGN)
def cross_entropy_backward_sign_flipped(logits, targets):
    r"""WRONG: ``(y − σ) / N``, the gradient with its sign flipped (descent becomes ascent).

    Examples
    --------
    >>> cross_entropy_backward_sign_flipped([0.0, 0.0], 1)
    array([-0.5,  0.5])
    """
    probs, one_hot, n_samples = _probs_and_one_hot(logits, targets)
    return (one_hot - probs) / n_samples


@mistake(
    "check_cross_entropy_backward", "sign_flip", "the sign is flipped, and not divided by N", "07", _GRAD_SIGN
)
def grad_sign_flipped_summed(logits, targets):
    return np.eye(logits.shape[1])[targets] - softmax(logits)


@mistake(
    "check_cross_entropy_backward",
    "wrong_axis",
    "softmax down the columns, across samples",
    "06",
    "{name} takes the softmax down the COLUMNS of the batch (axis=0), mixing samples. Normalise "
    "each row along the classes (axis=-1, keepdims=True), then subtract the one-hot targets and "
    "divide by N.",
)
def grad_columns(logits, targets):
    exps = np.exp(logits - logits.max(axis=0, keepdims=True))
    probs = exps / exps.sum(axis=0, keepdims=True)
    return (probs - np.eye(logits.shape[1])[targets]) / len(targets)


@mistake(
    "check_cross_entropy_backward",
    "diagonal_only_jacobian",
    "the chain rule through the diagonal of the Jacobian only",
    "07",
    "{name} returns −y ⊙ (1 − p) / N: the chain rule through the DIAGONAL of the softmax "
    "Jacobian only. The target's logit is pushed up, but the other logits are never pushed down, "
    "although each of them takes probability from the target (off-diagonal −σᵢσⱼ). With the "
    "whole Jacobian, −y/σ times diag(σ) − σσᵀ collapses to (σ − y) / N.",
)
def cross_entropy_backward_diagonal_only(logits, targets):
    r"""WRONG: the chain rule through the DIAGONAL of the softmax Jacobian only.

    ``∂L/∂σ = −y/σ`` times ``∂σⱼ/∂xⱼ = σⱼ(1 − σⱼ)`` gives ``−y(1 − σ) / N``: the target
    logit is pushed up, the other logits are never pushed down.

    Examples
    --------
    >>> cross_entropy_backward_diagonal_only([0.0, 0.0], 1)
    array([ 0. , -0.5])
    """
    probs, one_hot, n_samples = _probs_and_one_hot(logits, targets)
    return -one_hot * (1 - probs) / n_samples + 0.0  # + 0.0 turns -0.0 into 0.0


@mistake(
    "check_cross_entropy_backward",
    "no_targets",
    "the one-hot targets are not subtracted",
    "06",
    "{name} returns softmax(logits) / N: subtract the one-hot targets, (σ − y) / N — that is, "
    "subtract 1 at each row's target class.",
)
def grad_without_targets(logits, targets):
    return softmax(logits) / len(targets)


@mistake(
    "check_cross_entropy_backward",
    "no_targets",
    "1 subtracted from every entry instead of at each target",
    "06",
    "{name} subtracts 1 from every entry, (σ − 1) / N: y is 1 only at each row's own target and 0 "
    "elsewhere. Subtract it there only: `grad[np.arange(N), targets] -= 1`, then divide by N.",
)
def grad_minus_one_everywhere(logits, targets):
    return (softmax(logits) - 1) / len(targets)


@mistake(
    "check_cross_entropy_backward",
    "not_averaged",
    "only y divided by N: brackets around (σ − y)",
    "06",
    "{name} computes σ − y / N: division binds tighter than subtraction, so only y is divided by "
    "N = {N}. Put the brackets in: `(probs - one_hot) / N`.",
)
def grad_precedence(logits, targets):
    return softmax(logits) - np.eye(logits.shape[1])[targets] / len(targets)


@mistake(
    "check_cross_entropy_backward",
    "logits_for_probs",
    "the logits where the probabilities belong",
    "06",
    "{name} uses the logits where the probabilities belong: the gradient is (softmax(logits) − y) / N.",
)
def grad_uses_logits(logits, targets):
    return (logits - np.eye(logits.shape[1])[targets]) / len(targets)


@mistake(
    "check_cross_entropy_backward",
    "every_row",
    "1 subtracted in every row's target columns",
    "06",
    _EVERY_ROW,
)
def grad_every_row(logits, targets):
    grad = softmax(logits)
    grad[:, targets] -= 1
    return grad / len(targets)


@mistake(
    "check_cross_entropy_backward",
    "every_row",
    "1 subtracted in every row's target columns, and not divided by N",
    "06",
    _EVERY_ROW,
)
def grad_every_row_summed(logits, targets):
    grad = softmax(logits)
    grad[:, targets] -= 1
    return grad


@mistake(
    "check_cross_entropy_backward",
    "no_max_subtraction",
    "overflow at large logits: subtract the maximum first",
    "06",
    "For {case}, {name} returns nan, inf or wrong values: exp(1000) overflows to inf and "
    "exp(-1000) underflows to 0. Subtract each row's maximum before exponentiating — or call "
    "your softmax if it passes check_softmax.",
    compared=False,
)
def grad_naive(logits, targets):
    exps = np.exp(logits)
    probs = exps / exps.sum(axis=-1, keepdims=True)
    return (probs - np.eye(logits.shape[1])[targets]) / len(targets)


@mistake(
    "check_cross_entropy_backward",
    "chain_rule_underflow",
    "−y/σ is 0/0 where a probability underflowed to 0",
    "06",
    "{name} is right for ordinary logits, but for {case} some probabilities underflow to "
    "exactly 0, and the chain rule's upstream gradient −y/σ divides 0 by 0 there (nan) or 1 by 0 "
    "(−inf): the softmax backward pass cannot recover from that. The chain rule, carried through "
    "by hand, simplifies to (σ − y) / N with no division by σ: compute that directly.",
    compared=False,
)
def grad_through_softmax_backward(logits, targets):
    from ..jacobian import softmax_backward

    probs = softmax(logits)
    one_hot = np.eye(logits.shape[1])[targets]
    return softmax_backward(probs, -one_hot / probs) / len(targets)
