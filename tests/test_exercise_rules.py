"""The verdicts the issue asked for: stated rules enforced, headings that name the mistake,
advice that works when applied as written, and the course's own repaired layer passing."""

import numpy as np
import pytest

import course_utils as cu
from course_utils import bugs, exercises
from course_utils.exercises import rules, running


def broadcast_jacobian(logits):
    probs = cu.softmax(logits)
    return probs[:, None] * (np.eye(len(probs), dtype=probs.dtype) - probs[None, :])


def outer_jacobian(logits):
    probs = cu.softmax(logits)
    return np.diag(probs) - np.outer(probs, probs)


def loop_jacobian(logits):
    probs = cu.softmax(logits)
    size = len(probs)
    jacobian = np.zeros((size, size), dtype=probs.dtype)
    for i in range(size):
        for j in range(size):
            jacobian[i, j] = probs[i] * ((1.0 if i == j else 0.0) - probs[j])
    return jacobian


def vectorised_backward(probs, upstream):
    return probs * (upstream - np.sum(upstream * probs, axis=-1, keepdims=True))


def jacobian_backward(probs, upstream):
    jacobians = probs[..., :, None] * (np.eye(probs.shape[-1], dtype=probs.dtype) - probs[..., None, :])
    return np.einsum("...ij,...i->...j", jacobians, upstream)


def test_notebook_03_rules_out_loops_and_np_outer_but_02_allows_them():
    assert exercises.check_softmax_jacobian(broadcast_jacobian, notebook="03").passed
    for function, what in ((loop_jacobian, "a loop"), (outer_jacobian, "np.outer")):
        result = exercises.check_softmax_jacobian(function, notebook="03")
        assert result.diagnosis == "broken_rule", repr(result)
        assert what in result.heading and "right values" in result.heading
        assert "np.outer" not in result.message.split("is `")[-1]  # the fix obeys the rules
        assert exercises.check_softmax_jacobian(function, notebook="02").passed
        assert exercises.check_softmax_jacobian(function).passed


def test_notebook_05_rules_out_the_jacobian_at_fifty_thousand_classes():
    assert exercises.check_softmax_backward(vectorised_backward, notebook="05").passed
    assert exercises.check_softmax_backward(jacobian_backward).passed  # no rule without the exercise
    result = exercises.check_softmax_backward(jacobian_backward, notebook="05")
    assert result.diagnosis == "forms_jacobian", repr(result)
    assert "50,000" in result.message and result.title.endswith("the D×D Jacobian is formed")


def test_where_memory_cannot_be_capped_a_smaller_d_still_rules_out_the_jacobian(monkeypatch):
    monkeypatch.setattr(running, "_address_space", lambda: None)  # as off Linux
    result = exercises.check_softmax_backward(jacobian_backward, notebook="05")
    assert (
        result.diagnosis == "forms_jacobian"
        and "3,000" in result.message
        and "MB at its peak" in result.message
    )
    assert exercises.check_softmax_backward(vectorised_backward, notebook="05").passed


def test_the_memory_cap_is_lifted_after_the_call():
    resource = pytest.importorskip("resource")
    before = resource.getrlimit(resource.RLIMIT_AS)
    exercises.check_softmax_backward(jacobian_backward, notebook="05")
    assert resource.getrlimit(resource.RLIMIT_AS) == before


def test_an_unknown_notebook_is_a_clear_error():
    with pytest.raises(ValueError, match="no exercise for notebook '99'"):
        exercises.check_softmax(cu.softmax, notebook="99")


def test_advice_in_03_never_names_what_03_forbids():
    result = exercises.check_softmax_jacobian(bugs.derivatives.jacobian_row_for_column, notebook="03")
    assert result.diagnosis == "sigma_j_for_sigma_i"
    assert "np.outer" not in result.message and "probs[:, None]" in result.message
    assert rules.rules_for("03").jacobian_fix.strip("`") in result.message


# --- the headings the issue listed --------------------------------------------------------


@pytest.mark.parametrize(
    ("check", "function", "heading"),
    [
        ("check_softmax_backward", bugs.softmax_backward_plain_mean, "the plain mean of g"),
        ("check_cross_entropy", bugs.losses.loss_per_sample, "one loss per sample"),
        ("check_log_softmax", bugs.forward.log_softmax_missing_max, "off by each row's maximum"),
        ("check_cross_entropy_backward", bugs.losses.grad_through_softmax_backward, "underflowed"),
    ],
)
def test_the_heading_names_the_mistake(check, function, heading):
    result = getattr(exercises, check)(function)
    assert heading in result.title, repr(result)
    assert "none of the usual" not in result.message


def test_none_of_the_usual_mistakes_only_when_none_matched():
    result = exercises.check_softmax(lambda logits: cu.softmax(logits, temperature=2.0))
    assert result.diagnosis == "wrong_values" and "none of the usual" in result.message


# --- advice applied as written ------------------------------------------------------------


def jacobian_loops_plain_zeros(logits):
    probs = cu.softmax(logits)
    D = len(probs)
    jacobian = np.zeros((D, D))
    for i in range(D):
        for j in range(D):
            jacobian[i, j] = probs[i] * ((1.0 if i == j else 0.0) - probs[j])
    return jacobian


def jacobian_loops_advice_applied(logits):  # `np.zeros(..., dtype=probs.dtype)`, as advised
    probs = cu.softmax(logits)
    D = len(probs)
    jacobian = np.zeros((D, D), dtype=probs.dtype)
    for i in range(D):
        for j in range(D):
            jacobian[i, j] = probs[i] * ((1.0 if i == j else 0.0) - probs[j])
    return jacobian


def jacobian_logits_dtype(logits):  # the advice the issue found going in circles
    probs = cu.softmax(logits)
    D = len(probs)
    jacobian = np.zeros((D, D), dtype=logits.dtype)
    for i in range(D):
        for j in range(D):
            jacobian[i, j] = probs[i] * ((1.0 if i == j else 0.0) - probs[j])
    return jacobian


def softmax_zeros_like_logits(logits):
    probs = cu.softmax(logits)
    out = np.zeros_like(logits)
    out[...] = probs
    return out


def softmax_zeros_like_advice_applied(logits):  # `np.zeros_like(probs)`, as advised
    probs = cu.softmax(logits)
    out = np.zeros_like(probs)
    out[...] = probs
    return out


def test_the_precision_advice_applied_as_written_keeps_float32():
    before = exercises.check_softmax_jacobian(jacobian_loops_plain_zeros, notebook="02")
    assert before.passed and "`np.zeros(..., dtype=probs.dtype)`" in before.notes[0]
    after = exercises.check_softmax_jacobian(jacobian_loops_advice_applied, notebook="02")
    assert after.passed and after.notes == ()


def test_the_integer_advice_applied_as_written_passes():
    circular = exercises.check_softmax_jacobian(jacobian_logits_dtype, notebook="02")
    assert circular.diagnosis == "integer_input" and "`dtype=probs.dtype`" in circular.message
    assert exercises.check_softmax_jacobian(jacobian_loops_advice_applied, notebook="02").passed
    before = exercises.check_softmax(softmax_zeros_like_logits)
    assert before.diagnosis == "integer_input" and "`np.zeros_like(probs)`" in before.message
    after = exercises.check_softmax(softmax_zeros_like_advice_applied)
    assert after.passed and after.notes == ()


# --- the course's own objects pass their checkers -----------------------------------------


def repaired_loss(logits, targets):
    return bugs.RepairedSoftmaxCrossEntropy().forward(logits, targets)


def repaired_gradient(logits, targets):
    layer = bugs.RepairedSoftmaxCrossEntropy()
    layer.forward(logits, targets)
    return layer.backward()


def test_the_repaired_layer_passes_every_check_as_notebook_06_says():
    assert exercises.check_cross_entropy(repaired_loss, notebook="06").passed
    result = exercises.check_cross_entropy_backward(repaired_gradient, notebook="06")
    assert result.passed, repr(result)
