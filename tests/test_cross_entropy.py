"""cross_entropy, its gradient p - y and the fused SoftmaxCrossEntropy layer."""

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from course_utils import (
    SoftmaxCrossEntropy,
    cross_entropy,
    cross_entropy_backward,
    numerical_gradient,
    softmax,
)


def reference_loss(logits, targets):
    """Mean cross-entropy with class indices, in 50-digit arithmetic."""
    with mpmath.workdps(50):
        losses = []
        for row, target in zip(np.atleast_2d(logits), np.atleast_1d(targets), strict=True):
            values = [mpmath.mpf(float(x)) for x in row]
            losses.append(mpmath.log(mpmath.fsum(mpmath.exp(x) for x in values)) - values[target])
        return float(mpmath.fsum(losses) / len(losses))


batches = st.integers(1, 5).flatmap(
    lambda n: st.integers(2, 6).flatmap(
        lambda d: st.tuples(
            arrays(np.float64, (n, d), elements=st.floats(-50, 50)),
            arrays(np.int64, (n,), elements=st.integers(0, d - 1)),
        )
    )
)


def test_the_quoted_numbers():
    logits = [-1.2, 1.6, 0.9]
    assert [round(cross_entropy(logits, target), 3) for target in range(3)] == [3.243, 0.443, 1.143]


@settings(max_examples=60, deadline=None)
@given(batches)
def test_matches_high_precision_reference(batch):
    logits, targets = batch
    expected = reference_loss(logits, targets)
    assert cross_entropy(logits, targets) == pytest.approx(expected, rel=1e-12, abs=1e-15)


def test_one_sample_is_not_divided_by_the_class_count():
    logits = np.array([-1.2, 1.6, 0.9])
    expected = -np.log(softmax(logits)[0])
    assert cross_entropy(logits, 0) == pytest.approx(expected, rel=1e-14)
    assert cross_entropy(logits[None, :], [0]) == pytest.approx(expected, rel=1e-14)
    np.testing.assert_allclose(cross_entropy_backward(logits, 0), softmax(logits) - [1, 0, 0])


def test_batch_mean_and_gradient_p_minus_y_over_n():
    logits = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
    targets = np.array([0, 2])
    probs = softmax(logits)
    assert cross_entropy(logits, targets) == pytest.approx(
        -(np.log(probs[0, 0]) + np.log(probs[1, 2])) / 2
    )
    one_hot = np.eye(3)[targets]
    np.testing.assert_allclose(cross_entropy_backward(logits, targets), (probs - one_hot) / 2)


@settings(max_examples=40, deadline=None)
@given(batches)
def test_gradient_equals_finite_differences(batch):
    logits, targets = batch
    logits = logits / 10  # moderate logits: finite differences are accurate there
    numerical = numerical_gradient(lambda x: cross_entropy(x, targets), logits)
    np.testing.assert_allclose(cross_entropy_backward(logits, targets), numerical, atol=1e-8)


def test_probability_targets_one_hot_equal_indices():
    logits = np.random.default_rng(0).normal(size=(4, 5))
    targets = np.array([0, 3, 4, 1])
    one_hot = np.eye(5)[targets]
    assert cross_entropy(logits, one_hot) == pytest.approx(cross_entropy(logits, targets), rel=1e-14)
    np.testing.assert_allclose(
        cross_entropy_backward(logits, one_hot), cross_entropy_backward(logits, targets), atol=1e-16
    )


def test_soft_labels():
    logits = np.array([[1.0, 2.0, 0.5]])
    soft = np.array([[0.2, 0.5, 0.3]])
    expected = -(soft * np.log(softmax(logits))).sum()
    assert cross_entropy(logits, soft) == pytest.approx(expected, rel=1e-14)
    np.testing.assert_allclose(cross_entropy_backward(logits, soft), softmax(logits) - soft)
    numerical = numerical_gradient(lambda x: cross_entropy(x, soft), logits)
    np.testing.assert_allclose(cross_entropy_backward(logits, soft), numerical, atol=1e-8)


def test_extreme_logits_stay_finite_and_exact():
    assert cross_entropy([1000.0, 1.0], 1) == pytest.approx(999.0, rel=1e-15)
    assert cross_entropy([1000.0, 1.0], 0) == 0.0
    assert cross_entropy([1e300, -1e300], 0) == 0.0
    np.testing.assert_array_equal(cross_entropy_backward([1e300, -1e300], 0), [0.0, 0.0])
    np.testing.assert_array_equal(cross_entropy_backward([1e300, -1e300], 1), [1.0, -1.0])
    assert cross_entropy([1e300, 0.0], 1) == pytest.approx(1e300)
    with pytest.raises(ValueError, match="overflows"):
        cross_entropy([1e308, -1e308], 1)


def test_minus_inf_mask():
    assert cross_entropy([0.0, 0.0, -np.inf], 1) == pytest.approx(np.log(2))
    np.testing.assert_allclose(cross_entropy_backward([0.0, 0.0, -np.inf], 1), [0.5, -0.5, 0.0])
    assert cross_entropy([0.0, 0.0, -np.inf], [0.5, 0.5, 0.0]) == pytest.approx(np.log(2))
    with pytest.raises(ValueError, match="target class of row 0 has logit -inf"):
        cross_entropy([0.0, 0.0, -np.inf], 2)
    with pytest.raises(ValueError, match="probability on a class with logit -inf"):
        cross_entropy([0.0, 0.0, -np.inf], [0.5, 0.0, 0.5])


def test_float32_preserved_and_inputs_not_mutated():
    logits = np.array([[1.0, 2.0, 3.0], [0.0, 1.0, 0.0]], dtype=np.float32)
    targets = np.array([2, 1])
    before = logits.copy(), targets.copy()
    grad = cross_entropy_backward(logits, targets)
    assert grad.dtype == np.float32
    assert isinstance(cross_entropy(logits, targets), float)
    np.testing.assert_array_equal(logits, before[0])
    np.testing.assert_array_equal(targets, before[1])
    assert cross_entropy_backward([[1, 2], [3, 4]], [0, 1]).dtype == np.float64


def test_large_batches_cross_block_boundaries():
    rng = np.random.default_rng(2)
    logits = rng.normal(scale=3, size=(3000, 300))
    targets = rng.integers(0, 300, size=3000)
    probs = softmax(logits)
    expected_loss = -np.log(probs[np.arange(3000), targets]).mean()
    assert cross_entropy(logits, targets) == pytest.approx(expected_loss, rel=1e-12)
    expected_grad = (probs - np.eye(300)[targets]) / 3000
    np.testing.assert_allclose(cross_entropy_backward(logits, targets), expected_grad, atol=1e-17)


def test_fused_layer():
    layer = SoftmaxCrossEntropy()
    with pytest.raises(RuntimeError, match="forward"):
        layer.backward()
    logits = np.array([[2.0, 0.0, -1.0], [0.5, 0.5, 3.0]])
    targets = [0, 1]
    loss = layer.forward(logits, targets)
    assert loss == pytest.approx(cross_entropy(logits, targets), rel=1e-15)
    assert layer.loss == loss
    np.testing.assert_allclose(layer.backward(), cross_entropy_backward(logits, targets), atol=1e-17)
    assert "loss=" in repr(layer)
    assert layer(logits[0], 0) == pytest.approx(cross_entropy(logits[0], 0))
    assert layer.backward().shape == (3,)


@pytest.mark.parametrize(
    ("logits", "targets", "message"),
    [
        ([1.0, 2.0, 3.0], 3, "class index 3 is out of range for 3 classes"),
        ([1.0, 2.0, 3.0], -1, "must be >= 0"),
        ([1.0, 2.0, 3.0], 1.5, "must be integers"),
        ([[1.0, 2.0], [3.0, 4.0]], [0, 1, 1], r"do not match logits of shape \(2, 2\)"),
        ([[1.0, 2.0], [3.0, 4.0]], [[1.0, 0.0, 0.0]] * 2, "do not match"),
        ([[1.0, 2.0], [3.0, 4.0]], [[0.5, 0.6], [1.0, 0.0]], r"sum to 1 \(within 1e-06\); row 0"),
        ([[1.0, 2.0], [3.0, 4.0]], [[1.5, -0.5], [1.0, 0.0]], ">= 0"),
        ([[1.0, 2.0], [3.0, 4.0]], [[np.nan, 1.0], [1.0, 0.0]], "NaN"),
        ([1.0, np.nan], 0, "NaN"),
        ([1.0, np.inf], 0, r"\+inf"),
        ([], 0, "empty"),
        (np.zeros((2, 0)), [0, 0], "empty"),
        (np.zeros((2, 2, 2)), 0, "1-D .* or 2-D"),
        ([-np.inf, -np.inf], 0, "only -inf"),
        ([[1.0, 2.0, 3.0], [0.0, 0.0, 5.0]], np.array([1e20, 0.0]),
         r"class index 1e\+20 is out of range for 3 classes \(0..2\)"),
        ([1.0, 2.0, 3.0], -2.0**70, "class indices must be >= 0, got -1.18059e\\+21"),
        ([[1.0, 2.0, 3.0], [0.0, 0.0, 5.0]], [[1, 0, 0], [1]], "targets must be a rectangular array"),
    ],
)
@pytest.mark.parametrize("function", [cross_entropy, cross_entropy_backward])
def test_bad_input_raises_a_clear_error(function, logits, targets, message):
    with pytest.raises(ValueError, match=message):
        function(logits, targets)


def test_integral_float_indices_are_accepted():
    assert cross_entropy([[1.0, 2.0]], np.array([1.0])) == cross_entropy([[1.0, 2.0]], [1])


@pytest.mark.parametrize("targets", [True, "a", [None]])
def test_non_numeric_targets_raise_type_error(targets):
    with pytest.raises(TypeError, match="targets must be"):
        cross_entropy([1.0, 2.0], targets)


def test_fused_layer_hands_over_its_gradient_once():
    layer = SoftmaxCrossEntropy()
    logits, targets = np.array([[2.0, 0.0, -1.0], [0.5, 0.5, 3.0]]), [0, 1]
    layer.forward(logits, targets)
    grad = layer.backward()
    grad[:] = 99.0  # the caller's array now: the layer keeps nothing that this could change
    with pytest.raises(RuntimeError, match="already returned the gradient"):
        layer.backward()
    layer.forward(logits, targets)
    np.testing.assert_allclose(layer.backward(), cross_entropy_backward(logits, targets), atol=1e-17)


def test_fused_layer_forgets_everything_when_forward_raises():
    layer = SoftmaxCrossEntropy()
    layer.forward([1.0, 2.0], 0)
    with pytest.raises(ValueError, match="out of range"):
        layer.forward([1.0, 2.0], 5)
    assert layer.loss is None
    with pytest.raises(RuntimeError, match=r"call forward\(logits, targets\) before backward\(\)"):
        layer.backward()


def test_masked_arrays_are_refused():
    with pytest.raises(TypeError, match="logits is a masked array.*-inf"):
        cross_entropy(np.ma.masked_array([1.0, 2.0], mask=[False, True]), 0)
    with pytest.raises(TypeError, match="targets is a masked array"):
        cross_entropy([[1.0, 2.0], [0.0, 1.0]], np.ma.masked_array([0, 1], mask=[False, True]))
