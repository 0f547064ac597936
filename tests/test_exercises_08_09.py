"""The checkers of notebooks 08 and 09: each diagnosis is proved by a function with that one mistake.

Right answers written in several styles must pass; every wrong one gets the diagnosis it names.
The mistakes of the maths live once, in ``course_utils.bugs.MISTAKES`` (bugs/autodiff.py,
bugs/attention.py): they are taken from there, with their headings; this file adds only
generic slips (a stub, an error, a changed input, no max subtracted) and right answers.
"""

import numpy as np
import pytest

import course_utils as cu
from course_utils.bugs import mistakes_for
from course_utils.exercises import DIAGNOSES
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
CHECKS = (check_log_softmax_backward, check_attention_weights)
CATALOGUED = [
    (check, m.function, m.diagnosis, m.heading) for check in CHECKS for m in mistakes_for(check.__name__)
]
WRONG = [
    *CATALOGUED,
    (check_log_softmax_backward, vjp_naive_softmax, "no_max_subtraction", None),
    (check_log_softmax_backward, vjp_in_place, "mutates_input", None),
    (check_log_softmax_backward, vjp_stub, "not_implemented", None),
    (check_log_softmax_backward, vjp_raises, "raised", None),
    (check_attention_weights, weights_naive, "no_max_subtraction", None),
    (check_attention_weights, weights_stub, "not_implemented", None),
    (check_attention_weights, weights_returns_none, "not_implemented", None),
]


@pytest.mark.parametrize(("check", "function"), RIGHT, ids=[f.__name__ for _, f in RIGHT])
def test_a_right_answer_passes(check, function):
    result = check(function)
    assert result.passed, repr(result)
    assert result.title.startswith("✓")


@pytest.mark.parametrize(("check", "function", "diagnosis", "heading"), WRONG,
                         ids=[f.__name__ for _, f, *_ in WRONG])
def test_each_mistake_gets_its_diagnosis_and_its_heading(check, function, diagnosis, heading):
    result = check(function)
    assert (result.passed, result.diagnosis) == (False, diagnosis), repr(result)
    assert result.title.endswith(heading or DIAGNOSES[diagnosis])
    assert function.__name__ in result.title
    style = "todo" if diagnosis == "not_implemented" else "failed"
    assert f"course-check-{style}" in result._repr_html_()


def test_a_checker_given_a_call_instead_of_a_function_says_so():
    assert check_attention_weights(None).diagnosis == "not_a_function"


def test_every_catalogued_mistake_of_08_and_09_is_told_apart():
    notebooks = {check.__name__: {m.notebook for m in mistakes_for(check.__name__)} for check in CHECKS}
    assert notebooks == {"check_log_softmax_backward": {"08"}, "check_attention_weights": {"09"}}
    assert len(CATALOGUED) == 12
    headings = [heading for *_, heading in CATALOGUED]
    assert len(set(headings)) == len(headings), "each mistake has its own heading"
