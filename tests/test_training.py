"""Tests for course_utils.training: data, the linear layer, its gradients and gradient descent."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import course_utils as cu
from course_utils import bugs, training


@pytest.fixture(scope="module")
def blobs():
    return training.make_blobs()


def test_make_blobs_is_seeded_and_shaped(blobs):
    features, labels = blobs
    again_features, again_labels = training.make_blobs()
    np.testing.assert_array_equal(features, again_features)
    np.testing.assert_array_equal(labels, again_labels)
    assert features.shape == (150, 2)
    assert np.bincount(labels).tolist() == [50, 50, 50]
    other, _ = training.make_blobs(seed=8)
    assert not np.array_equal(features, other)


def test_make_blobs_draws_each_class_around_its_centre(blobs):
    features, labels = blobs
    for k, center in enumerate(training.BLOB_CENTERS):
        mean = features[labels == k].mean(axis=0)
        assert np.linalg.norm(mean - center) < 0.5  # 50 points of spread 1: error ~0.14


def test_make_blobs_rejects_an_empty_class():
    with pytest.raises(ValueError, match="at least 1"):
        training.make_blobs(n_per_class=0)


@given(weights=arrays(np.float64, (2, 3), elements=st.floats(-3, 3)),
       bias=arrays(np.float64, (3,), elements=st.floats(-3, 3)))
@settings(max_examples=25, deadline=None)
def test_linear_gradients_pass_the_gradient_check(weights, bias):
    features, labels = training.make_blobs(n_per_class=4)
    bias = bias + np.array([0.1, -0.2, 0.3])  # keep the bias gradient away from exactly 0
    errors = training.check_gradients(weights, bias, features, labels)
    assert cu.verdict(errors["weights"]) == "right"
    assert cu.verdict(errors["bias"]) in ("right", "suspicious")  # tiny entries: see Notes


def test_linear_backward_matches_explicit_sums():
    rng = np.random.default_rng(1)
    features, grad_logits = rng.standard_normal((5, 2)), rng.standard_normal((5, 3))
    grad_weights, grad_bias = training.linear_backward(features, grad_logits)
    expected = sum(np.outer(features[n], grad_logits[n]) for n in range(5))
    np.testing.assert_allclose(grad_weights, expected)
    np.testing.assert_allclose(grad_bias, grad_logits.sum(axis=0))


def test_loss_is_the_true_loss_whatever_gradient_is_used(blobs):
    features, labels = blobs
    weights = np.array([[0.5, -1.0, 0.3], [0.2, 0.4, -0.7]])
    right = training.loss_and_gradients(weights, np.zeros(3), features, labels)
    flipped = training.loss_and_gradients(weights, np.zeros(3), features, labels,
                                          bugs.cross_entropy_backward_sign_flipped)
    assert right[0] == flipped[0]
    np.testing.assert_allclose(flipped[1], -right[1])


def test_check_gradients_flags_a_wrong_gradient(blobs):
    features, labels = blobs
    weights = np.array([[0.5, -1.0, 0.3], [0.2, 0.4, -0.7]])
    errors = training.check_gradients(weights, np.zeros(3), features, labels,
                                      bugs.cross_entropy_backward_diagonal_only)
    assert cu.verdict(errors["weights"]) == "wrong"


def test_accuracy_and_predict():
    logits = np.array([[2.0, 0.0, 1.0], [0.0, 3.0, 1.0], [1.0, 1.0, 5.0]])
    assert training.accuracy(logits, np.array([0, 1, 0])) == pytest.approx(2 / 3)
    features = np.eye(3)
    assert training.predict(features, logits, np.zeros(3)).tolist() == [0, 1, 2]


def test_training_starts_at_log_3_and_learns(blobs):
    features, labels = blobs
    run = training.train(features, labels)
    assert len(run.losses) == len(run.accuracies) == 501
    assert run.losses[0] == pytest.approx(np.log(3))
    assert run.accuracies[0] == pytest.approx(1 / 3)  # all ties: everything predicted class 0
    assert run.losses[-1] < 0.13
    assert run.accuracies[-1] > 0.9
    assert np.all(np.diff(run.losses) <= 1e-12)  # convex loss, small enough step: monotone
    final = training.linear_forward(features, run.weights, run.bias)
    assert cu.cross_entropy(final, labels) == run.losses[-1]


def test_training_is_deterministic(blobs):
    features, labels = blobs
    first, second = (training.train(features, labels, steps=50) for _ in range(2))
    assert first.losses == second.losses
    np.testing.assert_array_equal(first.weights, second.weights)


def test_train_matches_a_loop_written_out_with_the_fused_layer(blobs):
    features, labels = blobs
    weights, bias, layer, losses = np.zeros((2, 3)), np.zeros(3), cu.SoftmaxCrossEntropy(), []
    for step in range(21):
        losses.append(layer.forward(features @ weights + bias, labels))
        if step == 20:
            break
        grad_logits = layer.backward()
        weights -= 0.5 * features.T @ grad_logits
        bias -= 0.5 * grad_logits.sum(axis=0)
    run = training.train(features, labels, steps=20)
    assert run.losses == losses
    np.testing.assert_array_equal(run.weights, weights)


def test_sign_flipped_gradient_makes_the_loss_climb(blobs):
    features, labels = blobs
    run = training.train(features, labels, steps=50,
                         logits_grad=bugs.cross_entropy_backward_sign_flipped)
    assert np.all(np.diff(run.losses) > 0)
    assert run.accuracies[-1] == 0.0


def test_diagonal_only_gradient_learns_then_the_loss_rises(blobs):
    features, labels = blobs
    right = training.train(features, labels)
    diagonal = training.train(features, labels,
                              logits_grad=bugs.cross_entropy_backward_diagonal_only)
    lowest = int(np.argmin(diagonal.losses))
    assert 50 < lowest < 300
    assert diagonal.losses[-1] > diagonal.losses[lowest] + 0.02
    assert diagonal.losses[-1] > right.losses[-1] + 0.02
    assert diagonal.accuracies[-1] > 0.9  # the accuracy hides the bug
