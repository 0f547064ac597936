"""Advice applied as written: each ``before`` gets a piece of advice naming a change, ``after``
is ``before`` with exactly that change, and ``after`` passes, keeping float32 as float32 for
every input the checker tries (float64, float32, integers, batches)."""

import numpy as np
import pytest

import course_utils as cu
from course_utils import bugs, exercises


def softmax_float_before(logits):
    logits = np.asarray(logits, dtype=float)
    exps = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return exps / exps.sum(axis=-1, keepdims=True)


def softmax_float_after(logits):
    logits = np.asarray(logits)
    exps = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return exps / exps.sum(axis=-1, keepdims=True)


def jacobian_eye_before(logits):
    probs = cu.softmax(logits)
    return probs[:, None] * (np.eye(len(probs)) - probs[None, :])


def jacobian_eye_after(logits):
    probs = cu.softmax(logits)
    return probs[:, None] * (np.eye(len(probs), dtype=probs.dtype) - probs[None, :])


def gradient_eye_before(logits, targets):
    probs = cu.softmax(logits)
    return (probs - np.eye(logits.shape[1])[targets]) / logits.shape[0]


def gradient_eye_after(logits, targets):
    probs = cu.softmax(logits)
    return (probs - np.eye(logits.shape[1], dtype=probs.dtype)[targets]) / logits.shape[0]


def jacobian_logits_dtype_before(logits):
    probs = cu.softmax(logits)
    D = len(probs)
    jacobian = np.zeros((D, D), dtype=logits.dtype)
    for i in range(D):
        for j in range(D):
            jacobian[i, j] = probs[i] * ((1.0 if i == j else 0.0) - probs[j])
    return jacobian


def jacobian_logits_dtype_after(logits):
    probs = cu.softmax(logits)
    D = len(probs)
    jacobian = np.zeros((D, D), dtype=probs.dtype)
    for i in range(D):
        for j in range(D):
            jacobian[i, j] = probs[i] * ((1.0 if i == j else 0.0) - probs[j])
    return jacobian


def gradient_zeros_like_before(logits, targets):
    probs = cu.softmax(logits)
    grad = np.zeros_like(logits)
    grad[...] = probs
    grad[np.arange(len(targets)), targets] -= 1
    return grad / len(targets)


def gradient_zeros_like_after(logits, targets):
    probs = cu.softmax(logits)
    grad = np.zeros_like(probs)
    grad[...] = probs
    grad[np.arange(len(targets)), targets] -= 1
    return grad / len(targets)


def loss_in_place_copy_before(logits, targets):
    log_probs = logits.copy()
    log_probs -= log_probs.max(axis=-1, keepdims=True)
    log_probs -= np.log(np.exp(log_probs).sum(axis=-1, keepdims=True))
    return -log_probs[np.arange(len(targets)), targets].mean()


def loss_in_place_copy_after(logits, targets):
    if logits.dtype.kind != "f":
        logits = logits.astype(float)  # noqa: E701  (as the advice writes it)
    log_probs = logits.copy()
    log_probs -= log_probs.max(axis=-1, keepdims=True)
    log_probs -= np.log(np.exp(log_probs).sum(axis=-1, keepdims=True))
    return -log_probs[np.arange(len(targets)), targets].mean()


def softmax_in_place_before(logits):
    logits -= logits.max(axis=-1, keepdims=True)
    exps = np.exp(logits)
    return exps / exps.sum(axis=-1, keepdims=True)


def softmax_in_place_after(logits):
    shifted = logits - logits.max(axis=-1, keepdims=True)
    exps = np.exp(shifted)
    return exps / exps.sum(axis=-1, keepdims=True)


def backward_plain_mean_after(probs, upstream):
    return probs * (upstream - np.sum(upstream * probs, axis=-1, keepdims=True))


def loss_per_sample_after(logits, targets):
    return bugs.losses.loss_per_sample(logits, targets).mean()


def jacobian_row_after(logits):
    probs = cu.softmax(logits)
    D = len(probs)
    return probs[:, None] * (np.eye(D, dtype=probs.dtype) - probs[None, :])


def jacobian_loops_in_03(logits):
    probs = cu.softmax(logits)
    D = len(probs)
    jacobian = np.zeros((D, D), dtype=probs.dtype)
    for i in range(D):
        for j in range(D):
            jacobian[i, j] = probs[i] * ((1.0 if i == j else 0.0) - probs[j])
    return jacobian


def backward_jacobian_in_05(probs, upstream):
    return (np.diag(probs) - np.outer(probs, probs)) @ upstream


def gradient_chain_rule_after(logits, targets):
    probs = cu.softmax(logits)
    return (probs - np.eye(logits.shape[1], dtype=probs.dtype)[targets]) / len(targets)


CASES = [
    # (checker, notebook, before, the advice as written, after)
    ("check_softmax", "01", softmax_float_before, "`np.asarray(x)`", softmax_float_after),
    (
        "check_softmax_jacobian",
        "03",
        jacobian_eye_before,
        "`np.eye(..., dtype=probs.dtype)`",
        jacobian_eye_after,
    ),
    (
        "check_cross_entropy_backward",
        "07",
        gradient_eye_before,
        "`np.eye(..., dtype=probs.dtype)`",
        gradient_eye_after,
    ),
    (
        "check_softmax_jacobian",
        "02",
        jacobian_logits_dtype_before,
        "`dtype=probs.dtype`",
        jacobian_logits_dtype_after,
    ),
    (
        "check_cross_entropy_backward",
        "06",
        gradient_zeros_like_before,
        "`np.zeros_like(probs)`",
        gradient_zeros_like_after,
    ),
    (
        "check_cross_entropy",
        "06",
        loss_in_place_copy_before,
        "`if logits.dtype.kind != 'f': logits = logits.astype(float)`",
        loss_in_place_copy_after,
    ),
    (
        "check_softmax",
        "01",
        softmax_in_place_before,
        "`shifted = x - x.max(axis=-1, keepdims=True)`",
        softmax_in_place_after,
    ),
    (
        "check_softmax_backward",
        "05",
        bugs.softmax_backward_plain_mean,
        "`np.sum(upstream * probs, axis=-1, keepdims=True)`",
        backward_plain_mean_after,
    ),
    ("check_cross_entropy", "06", bugs.losses.loss_per_sample, "`.mean()`", loss_per_sample_after),
    (
        "check_softmax_jacobian",
        "03",
        bugs.derivatives.jacobian_row_for_column,
        "`probs[:, None] * (np.eye(D, dtype=probs.dtype) - probs[None, :])`",
        jacobian_row_after,
    ),
    (
        "check_softmax_jacobian",
        "03",
        jacobian_loops_in_03,
        "`probs[:, None] * (np.eye(D, dtype=probs.dtype) - probs[None, :])`",
        jacobian_row_after,
    ),
    (
        "check_softmax_backward",
        "05",
        backward_jacobian_in_05,
        "`probs * (upstream - np.sum(upstream * probs, axis=-1, keepdims=True))`",
        backward_plain_mean_after,
    ),
    (
        "check_cross_entropy_backward",
        "06",
        bugs.losses.grad_through_softmax_backward,
        "(σ − y) / N",
        gradient_chain_rule_after,
    ),
]


@pytest.mark.parametrize(
    ("check", "notebook", "before", "advice", "after"), CASES, ids=[case[2].__name__ for case in CASES]
)
def test_the_advice_applied_as_written_makes_the_answer_pass(check, notebook, before, advice, after):
    checker = getattr(exercises, check)
    given = checker(before, notebook=notebook)
    said = "\n".join([given.message, *given.notes])
    assert advice in said, repr(given)
    fixed = checker(after, notebook=notebook)
    assert fixed.passed and fixed.notes == (), repr(fixed)


def test_the_advice_blames_only_what_the_code_uses():
    result = exercises.check_softmax_jacobian(jacobian_logits_dtype_before, notebook="02")
    assert "zeros_like" not in result.message and "np.outer" not in result.message
    note = exercises.check_softmax_jacobian(jacobian_eye_before, notebook="03").notes[0]
    assert "dtype=logits.dtype`" not in note.replace("(not `dtype=logits.dtype`", "")
    assert "np.outer" not in note and "np.diag" not in note
