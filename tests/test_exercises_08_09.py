"""The checkers of notebooks 08 and 09: each diagnosis is proved by a function with that one mistake.

Right answers written in several styles must pass; every wrong one gets the diagnosis it names.
"""

import numpy as np
import pytest

import course_utils as cu
from course_utils.exercises.attempt import TITLES
from course_utils.exercises.attention_checks import check_attention_weights
from course_utils.exercises.autodiff_checks import check_log_softmax_backward


def _naive_softmax(scores, axis=-1):
    exps = np.exp(scores)
    return exps / exps.sum(axis=axis, keepdims=True)


def _stable_softmax(scores, axis=-1):
    exps = np.exp(scores - scores.max(axis=axis, keepdims=True))
    return exps / exps.sum(axis=axis, keepdims=True)


# --- notebook 08: the log-softmax VJP ---------------------------------------------------------

def vjp_right_textbook(logits, upstream):
    probs = _stable_softmax(np.asarray(logits, dtype=float))
    return upstream - probs * np.sum(upstream, axis=-1, keepdims=True)


def vjp_right_by_jacobian(logits, upstream):
    logits = np.atleast_2d(logits)
    rows = []
    for x, g in zip(logits, np.atleast_2d(upstream), strict=True):
        probs = _stable_softmax(x)
        jacobian = np.eye(len(x)) - probs[None, :]  # J[i, j] = δij − σj
        rows.append(jacobian.T @ g)
    return np.array(rows).reshape(np.shape(upstream))


def vjp_returns_upstream(logits, upstream):
    return upstream.copy()


def vjp_of_softmax(logits, upstream):
    probs = cu.softmax(logits)
    return probs * (upstream - np.sum(upstream * probs, axis=-1, keepdims=True))


def vjp_not_transposed(logits, upstream):
    probs = cu.softmax(logits)
    return upstream - np.sum(upstream * probs, axis=-1, keepdims=True)


def vjp_diagonal_only(logits, upstream):
    return upstream * (1 - cu.softmax(logits))


def vjp_sign_flipped(logits, upstream):
    return cu.softmax(logits) * upstream.sum(axis=-1, keepdims=True) - upstream


def vjp_sums_whole_batch(logits, upstream):
    return upstream - cu.softmax(logits) * upstream.sum()


def vjp_naive_softmax(logits, upstream):
    return upstream - _naive_softmax(logits) * upstream.sum(axis=-1, keepdims=True)


def vjp_in_place(logits, upstream):
    upstream -= cu.softmax(logits) * upstream.sum(axis=-1, keepdims=True)
    return upstream


def vjp_stub(logits, upstream):
    raise NotImplementedError("your code here")


def vjp_raises(logits, upstream):
    return logits @ np.ones(3)


# --- notebook 09: the attention weights -------------------------------------------------------

def weights_right(queries, keys, mask):
    d = queries.shape[-1]
    return _stable_softmax(queries @ keys.T / np.sqrt(d) + mask)


def weights_right_with_where(queries, keys, mask):
    scores = np.einsum("qd,kd->qk", queries, keys) / queries.shape[1] ** 0.5
    scores = np.where(np.isneginf(mask), -np.inf, scores)
    return cu.softmax(scores)


def weights_unscaled(queries, keys, mask):
    return cu.softmax(queries @ keys.T + mask)


def weights_by_d(queries, keys, mask):
    return cu.softmax(queries @ keys.T / queries.shape[1] + mask)


def weights_no_mask(queries, keys, mask):
    return cu.softmax(queries @ keys.T / np.sqrt(queries.shape[1]))


def weights_transposed(queries, keys, mask):
    return cu.softmax(keys @ queries.T / np.sqrt(queries.shape[1]))


def weights_over_queries(queries, keys, mask):
    return _naive_softmax(queries @ keys.T / np.sqrt(queries.shape[1]) + mask, axis=0)


def weights_naive(queries, keys, mask):
    return _naive_softmax(queries @ keys.T / np.sqrt(queries.shape[1]) + mask)


def weights_stub(queries, keys, mask):
    raise NotImplementedError("your code here")


def weights_returns_none(queries, keys, mask):
    pass


RIGHT = [
    (check_log_softmax_backward, vjp_right_textbook),
    (check_log_softmax_backward, vjp_right_by_jacobian),
    (check_attention_weights, weights_right),
    (check_attention_weights, weights_right_with_where),
]
WRONG = [
    (check_log_softmax_backward, vjp_returns_upstream, "missing_softmax_term"),
    (check_log_softmax_backward, vjp_of_softmax, "softmax_vjp"),
    (check_log_softmax_backward, vjp_not_transposed, "jacobian_not_transposed"),
    (check_log_softmax_backward, vjp_diagonal_only, "diagonal_only_jacobian"),
    (check_log_softmax_backward, vjp_sign_flipped, "sign_flip"),
    (check_log_softmax_backward, vjp_sums_whole_batch, "wrong_axis"),
    (check_log_softmax_backward, vjp_naive_softmax, "no_max_subtraction"),
    (check_log_softmax_backward, vjp_in_place, "mutates_input"),
    (check_log_softmax_backward, vjp_stub, "not_implemented"),
    (check_log_softmax_backward, vjp_raises, "raised"),
    (check_attention_weights, weights_unscaled, "unscaled_scores"),
    (check_attention_weights, weights_by_d, "scaled_by_d"),
    (check_attention_weights, weights_no_mask, "mask_ignored"),
    (check_attention_weights, weights_transposed, "transposed_scores"),
    (check_attention_weights, weights_over_queries, "wrong_axis"),
    (check_attention_weights, weights_naive, "no_max_subtraction"),
    (check_attention_weights, weights_stub, "not_implemented"),
    (check_attention_weights, weights_returns_none, "not_implemented"),
]


@pytest.mark.parametrize(("check", "function"), RIGHT, ids=[f.__name__ for _, f in RIGHT])
def test_a_right_answer_passes(check, function):
    result = check(function)
    assert result.passed, repr(result)
    assert result.title.startswith("✓")


@pytest.mark.parametrize(("check", "function", "diagnosis"), WRONG, ids=[f.__name__ for _, f, _ in WRONG])
def test_each_mistake_gets_its_diagnosis_and_its_heading(check, function, diagnosis):
    result = check(function)
    assert (result.passed, result.diagnosis) == (False, diagnosis), repr(result)
    assert result.title.endswith(TITLES[diagnosis])
    assert function.__name__ in result.title
    style = "todo" if diagnosis == "not_implemented" else "failed"
    assert f"course-check-{style}" in result._repr_html_()


def test_a_checker_given_a_call_instead_of_a_function_says_so():
    assert check_attention_weights(None).diagnosis == "not_a_function"
