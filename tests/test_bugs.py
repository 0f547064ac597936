"""Tests for course_utils.bugs: each deliberate bug is wrong exactly the way the notebooks say."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import course_utils as cu
from course_utils import bugs

LOGITS = np.array([-1.2, 1.6, 0.9])
BATCH = np.array([[-1.2, 1.6, 0.9], [0.3, -0.5, 2.0]])
BATCH_TARGETS = np.array([0, 2])

logit_rows = arrays(np.float64, st.integers(2, 6), elements=st.floats(-5, 5))


def scalar_loss(upstream):
    """L(x) = <upstream, softmax(x)>, whose gradient dL/dσ is exactly ``upstream``."""
    return lambda logits: float(upstream @ cu.softmax(logits))


# --- backward passes through softmax ----------------------------------------------------

WRONG_BACKWARDS = [
    bugs.softmax_backward_diagonal_only,
    bugs.softmax_backward_plain_mean,
    bugs.softmax_backward_missing_probs,
]


@pytest.mark.parametrize("wrong", WRONG_BACKWARDS)
def test_wrong_backwards_fail_a_gradient_check_with_a_random_upstream(wrong):
    upstream = np.array([0.5, -1.0, 2.0])
    probs = cu.softmax(LOGITS)
    error = cu.gradient_check(scalar_loss(upstream), wrong(probs, upstream), LOGITS)
    assert cu.verdict(error) == "wrong"


@pytest.mark.parametrize("wrong", [bugs.softmax_backward_plain_mean,
                                   bugs.softmax_backward_missing_probs])
@given(logits=logit_rows, constant=st.floats(-10, 10))
def test_two_wrong_backwards_agree_with_the_truth_on_a_constant_upstream(wrong, logits, constant):
    probs = cu.softmax(logits)
    upstream = np.full_like(probs, constant)
    np.testing.assert_allclose(wrong(probs, upstream), 0.0, atol=1e-12)
    np.testing.assert_allclose(cu.softmax_backward(probs, upstream), 0.0, atol=1e-12)


def test_diagonal_only_keeps_exactly_the_diagonal_of_the_jacobian():
    probs = cu.softmax(LOGITS)
    upstream = np.array([0.5, -1.0, 2.0])
    diagonal = np.diag(cu.softmax_jacobian(LOGITS))
    np.testing.assert_allclose(bugs.softmax_backward_diagonal_only(probs, upstream),
                               diagonal * upstream)


# --- the student's softmax + cross-entropy layer -----------------------------------------


@pytest.mark.parametrize(("target", "buggy", "truth"),
                         [(0, 1.081, 3.243), (1, 0.148, 0.443), (2, 0.381, 1.143)])
def test_buggy_layer_divides_one_sample_by_the_class_count(target, buggy, truth):
    loss = bugs.BuggySoftmaxCrossEntropy().forward(LOGITS, target)
    assert round(loss, 3) == buggy
    assert round(cu.cross_entropy(LOGITS, target), 3) == truth
    assert loss == pytest.approx(cu.cross_entropy(LOGITS, target) / 3, rel=1e-12)


def test_buggy_layer_rows_do_not_sum_to_one_for_a_batch():
    layer = bugs.BuggySoftmaxCrossEntropy()
    layer.forward(BATCH, BATCH_TARGETS)
    assert not np.allclose(layer.probs.sum(axis=1), 1.0)
    np.testing.assert_allclose(layer.probs.sum(axis=0), 1.0)  # it normalised the columns


def test_buggy_layer_passes_its_own_gradient_check_for_one_sample():
    """Loss and gradient are wrong by the same factor 1/3: a self-check cannot see it."""
    layer = bugs.BuggySoftmaxCrossEntropy()
    layer.forward(LOGITS, 0)
    error = cu.gradient_check(lambda z: bugs.BuggySoftmaxCrossEntropy().forward(z, 0),
                              layer.backward(), LOGITS)
    assert cu.verdict(error) == "right"
    against_truth = cu.gradient_check(lambda z: cu.cross_entropy(z, 0), layer.backward(), LOGITS)
    assert against_truth == pytest.approx(2 / 3, rel=1e-6)


def test_buggy_layer_fails_its_own_gradient_check_for_a_batch():
    layer = bugs.BuggySoftmaxCrossEntropy()
    layer.forward(BATCH, BATCH_TARGETS)
    error = cu.gradient_check(
        lambda z: bugs.BuggySoftmaxCrossEntropy().forward(z, BATCH_TARGETS),
        layer.backward(), BATCH)
    assert cu.verdict(error) == "wrong"


@given(logits=arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(2, 5)),
                     elements=st.floats(-5, 5)),
       data=st.data())
@settings(max_examples=50)
def test_repaired_layer_matches_the_course_layer(logits, data):
    targets = np.array(data.draw(st.lists(st.integers(0, logits.shape[1] - 1),
                                          min_size=logits.shape[0], max_size=logits.shape[0])))
    repaired = bugs.RepairedSoftmaxCrossEntropy()
    course = cu.SoftmaxCrossEntropy()
    assert repaired.forward(logits, targets) == pytest.approx(course.forward(logits, targets))
    np.testing.assert_allclose(repaired.backward(), course.backward(), atol=1e-12)
    np.testing.assert_allclose(repaired.probs.sum(axis=-1), 1.0)


def test_repaired_layer_gives_the_true_single_sample_losses():
    losses = [bugs.RepairedSoftmaxCrossEntropy().forward(LOGITS, t) for t in range(3)]
    assert [round(loss, 3) for loss in losses] == [3.243, 0.443, 1.143]


def test_repaired_layer_stays_exact_where_a_probability_underflows():
    repaired = bugs.RepairedSoftmaxCrossEntropy()
    assert repaired.forward([0.0, -800.0], 1) == 800.0  # log(σ) would give inf
    np.testing.assert_array_equal(repaired.backward(), [1.0, -1.0])


def test_log_eps_caps_the_loss_where_log_softmax_is_exact():
    logits = np.array([0.0, -50.0])
    assert bugs.cross_entropy_log_eps(logits, 1) == pytest.approx(-np.log(1e-12), rel=1e-6)
    assert cu.cross_entropy(logits, 1) == pytest.approx(50.0, rel=1e-12)
    # where the probabilities are moderate, the epsilon does no harm
    assert bugs.cross_entropy_log_eps(LOGITS, 0) == pytest.approx(cu.cross_entropy(LOGITS, 0))


# --- wrong gradients of the loss ----------------------------------------------------------


def test_sign_flipped_is_minus_the_truth():
    np.testing.assert_allclose(bugs.cross_entropy_backward_sign_flipped(BATCH, BATCH_TARGETS),
                               -cu.cross_entropy_backward(BATCH, BATCH_TARGETS))


def test_diagonal_only_gradient_never_pushes_down_the_wrong_classes():
    grad = bugs.cross_entropy_backward_diagonal_only(BATCH, BATCH_TARGETS)
    one_hot = np.eye(3)[BATCH_TARGETS]
    assert (grad[one_hot == 0] == 0).all()
    assert (grad[one_hot == 1] < 0).all()
    probs = cu.softmax(BATCH)
    np.testing.assert_allclose(grad[one_hot == 1], -(1 - probs[one_hot == 1]) / 2)


@pytest.mark.parametrize("wrong", [bugs.cross_entropy_backward_sign_flipped,
                                   bugs.cross_entropy_backward_diagonal_only])
def test_wrong_loss_gradients_fail_the_gradient_check(wrong):
    error = cu.gradient_check(lambda z: cu.cross_entropy(z, BATCH_TARGETS),
                              wrong(BATCH, BATCH_TARGETS), BATCH)
    assert cu.verdict(error) == "wrong"


# --- one-sided differences ------------------------------------------------------------------


@pytest.mark.parametrize("eps", [1e-1, 1e-2, 1e-3])
def test_one_sided_error_is_about_half_the_step_for_exp(eps):
    """(e^h - 1) / h - 1 = h/2 + O(h²): first order, where centred differences are second."""
    error = bugs.one_sided_check(lambda v: float(np.exp(v).sum()), np.ones(1), [0.0], eps=eps)
    assert error == pytest.approx(eps / 2, rel=0.05)
    centred = cu.gradient_check(lambda v: float(np.exp(v).sum()), np.ones(1), [0.0], eps=eps)
    assert centred == pytest.approx(eps**2 / 6, rel=0.05)


def test_one_sided_raises_a_false_alarm_where_centred_differences_do_not():
    upstream = np.array([0.5, -1.0, 2.0])
    right = cu.softmax_backward(cu.softmax(LOGITS), upstream)
    assert cu.verdict(cu.gradient_check(scalar_loss(upstream), right, LOGITS, eps=1e-4)) == "right"
    one_sided = bugs.one_sided_check(scalar_loss(upstream), right, LOGITS, eps=1e-4)
    assert cu.verdict(one_sided) == "suspicious"


def test_one_sided_gradient_does_not_modify_its_input():
    x = np.array([1.0, 2.0])
    bugs.one_sided_gradient(lambda v: float(v.sum()), x)
    np.testing.assert_array_equal(x, [1.0, 2.0])


# --- the catalogue ---------------------------------------------------------------------------


def test_every_catalogued_mistake_names_its_checker_diagnosis_and_notebook():
    from pathlib import Path

    from course_utils import exercises
    from course_utils.exercises import attention_checks, autodiff_checks

    modules = (exercises, autodiff_checks, attention_checks)  # 08-09's checkers: their own modules
    checkers = {name for module in modules for name in dir(module) if name.startswith("check_")}
    notebooks = Path(__file__).resolve().parent.parent / "notebooks"
    assert len(bugs.MISTAKES) >= 50
    for name, entry in bugs.MISTAKES.items():
        assert entry.name == name and entry.function.mistake is entry
        assert entry.check in checkers, name
        assert entry.diagnosis in exercises.DIAGNOSES, name
        assert list(notebooks.glob(f"{entry.notebook}_*.ipynb")), name
        assert entry.heading and "{name}" in entry.explanation or not entry.compared, name


def test_the_bug_hunts_use_the_catalogues_own_functions():
    assert bugs.softmax_backward_plain_mean is bugs.MISTAKES["softmax_backward_plain_mean"].function
    assert bugs.cross_entropy_log_eps is bugs.MISTAKES["cross_entropy_log_eps"].function
    checks = {entry.check for entry in bugs.MISTAKES.values()}
    assert all(bugs.mistakes_for(check) for check in checks)
