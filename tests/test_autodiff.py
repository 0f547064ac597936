"""The reverse-mode engine of course_utils.autodiff agrees with autograd and with finite differences."""

import numpy as np
import pytest

import course_utils as cu
from course_utils import autodiff as ad
from course_utils import autograd_reference as reference
from course_utils.agreement import compare

RNG = np.random.default_rng(8)


def gradient_of(build, value):
    """The engine's gradient of the number ``build(Tensor(value))`` with respect to ``value``."""
    x = ad.Tensor(value)
    build(x).backward()
    return x.grad


def test_softmax_vjp_matches_autograd_and_finite_differences():
    logits, upstream = RNG.normal(size=5), RNG.normal(size=5)
    ours = gradient_of(lambda x: ad.total(ad.softmax(x) * upstream), logits)
    np.testing.assert_allclose(ours, reference.softmax_vjp(logits, upstream), rtol=1e-12, atol=1e-15)
    assert cu.gradient_check(lambda x: float(cu.softmax(x) @ upstream), ours, logits) < 1e-7


def test_log_softmax_vjp_matches_autograd():
    logits, upstream = RNG.normal(size=(3, 4)), RNG.normal(size=(3, 4))
    ours = gradient_of(lambda x: ad.total(ad.log_softmax(x) * upstream), logits)
    np.testing.assert_allclose(ours, reference.log_softmax_vjp(logits, upstream), rtol=1e-12, atol=1e-15)


def test_cross_entropy_of_a_tempered_linear_layer_matches_autograd():
    features, weights = RNG.normal(size=(6, 3)), RNG.normal(size=(3, 4))
    labels = np.array([0, 1, 2, 3, 0, 1])

    def loss(w):
        return ad.cross_entropy(ad.scale(ad.matmul(features, w), 0.5), labels)

    ours = gradient_of(loss, weights)  # the chain rule: dL/dW = Fᵀ (T⁻¹ dL/dlogits)
    theirs = features.T @ (0.5 * reference.cross_entropy_gradient(0.5 * features @ weights, labels))
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-15)


def test_broadcast_addition_sums_the_gradient_back_to_the_bias_shape():
    bias = np.array([1.0, -2.0, 0.5])
    rows = RNG.normal(size=(4, 3))
    ours = gradient_of(lambda b: ad.total(ad.tanh(ad.add(rows, b))), bias)
    expected = (1 - np.tanh(rows + bias) ** 2).sum(axis=0)
    np.testing.assert_allclose(ours, expected, rtol=1e-12)


def test_a_value_used_twice_adds_both_paths():
    assert gradient_of(lambda x: ad.total(x * x + x), np.array([3.0])).tolist() == [7.0]


def test_backward_needs_a_single_number():
    with pytest.raises(ValueError, match="single number"):
        ad.softmax(ad.Tensor([1.0, 2.0])).backward()


def test_the_engine_finds_a_wrong_vjp():
    """If softmax's VJP dropped its ⟨g, σ⟩ term, the comparison with autograd would fail."""
    logits, upstream = RNG.normal(size=4), RNG.normal(size=4)
    wrong = cu.softmax(logits) * upstream
    assert "close: no" in compare("softmax", wrong, reference.softmax_vjp(logits, upstream))


def test_compare_reports_exact_close_and_the_difference():
    assert compare("a", [1.0, 2.0], [1.0, 2.0]) == "a  exact: yes  close: yes  max difference: 0"
    assert compare("b", [1.0], [1.5]).endswith("close: no   max difference: 0.5")
    with pytest.raises(ValueError, match="shapes differ"):
        compare("c", [1.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="NaN or inf"):
        compare("d", [np.nan], [1.0])


def test_arrays_on_the_left_of_a_tensor_build_tensors():
    features, weights = RNG.normal(size=(2, 3)), RNG.normal(size=(3, 2))
    ours = gradient_of(lambda w: ad.total(features @ w + 1.0), weights)
    np.testing.assert_allclose(ours, features.T @ np.ones((2, 2)))
    assert isinstance(2.0 * ad.Tensor(1.0), ad.Tensor)
