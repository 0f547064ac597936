"""numerical_gradient, gradient_check and verdict."""

import numpy as np
import pytest

from course_utils import (
    cross_entropy,
    cross_entropy_backward,
    gradient_check,
    numerical_gradient,
    softmax,
    softmax_backward,
    verdict,
)


def test_numerical_gradient_of_a_known_function():
    point = np.array([[1.0, -2.0], [0.5, 3.0]])
    np.testing.assert_allclose(numerical_gradient(lambda x: np.sum(x**3), point), 3 * point**2, rtol=1e-8)


def test_numerical_gradient_does_not_mutate_and_keeps_shape():
    point = np.array([1.0, 2.0, 3.0])
    before = point.copy()
    grad = numerical_gradient(lambda x: float(np.sum(np.sin(x))), point)
    np.testing.assert_array_equal(point, before)
    assert grad.shape == point.shape
    np.testing.assert_allclose(grad, np.cos(point), atol=1e-9)


def test_float32_points_keep_their_rounding():
    point = np.array([0.3, -0.2, 0.1], dtype=np.float32)
    seen = []
    numerical_gradient(lambda x: seen.append(x.dtype) or float(x.sum()), point)
    assert set(seen) == {np.dtype(np.float32)}


def test_right_gradients_pass_and_wrong_ones_fail():
    rng = np.random.default_rng(0)
    logits = rng.normal(size=4)
    upstream = rng.normal(size=4)
    probs = softmax(logits)

    def loss(x):
        return float(softmax(x) @ upstream)

    right = gradient_check(loss, softmax_backward(probs, upstream), logits)
    assert verdict(right) == "right"
    diagonal_only = probs * (1 - probs) * upstream
    assert verdict(gradient_check(loss, diagonal_only, logits)) == "wrong"
    targets = 2
    ce_error = gradient_check(
        lambda x: cross_entropy(x, targets), lambda x: cross_entropy_backward(x, targets), logits
    )
    assert ce_error < 1e-7
    divided_by_classes = cross_entropy_backward(logits, targets) / 4
    error = gradient_check(lambda x: cross_entropy(x, targets), divided_by_classes, logits)
    assert verdict(error) == "wrong"


def test_saturated_but_right_gradient_is_not_called_wrong():
    logits = np.array([20.0, 0.0, -20.0, 3.0])
    error = gradient_check(
        lambda x: cross_entropy(x, 2), lambda x: cross_entropy_backward(x, 2), logits
    )
    assert verdict(error) != "wrong"


def test_verdict_thresholds():
    assert [verdict(e) for e in (0.0, 9e-6, 1e-5, 9e-3, 1e-2, 3.0)] == [
        "right", "right", "suspicious", "suspicious", "wrong", "wrong"
    ]


def test_bad_input():
    with pytest.raises(TypeError, match="f must be a function"):
        numerical_gradient(3.0, [1.0])
    with pytest.raises(ValueError, match="single number"):
        numerical_gradient(lambda x: x, [1.0, 2.0])
    with pytest.raises(ValueError, match="NaN or inf"):
        numerical_gradient(lambda x: x.sum(), [np.nan])
    with pytest.raises(ValueError, match="eps must be"):
        numerical_gradient(lambda x: x.sum(), [1.0], eps=0)
    with pytest.raises(ValueError, match="below the rounding step of float32"):
        numerical_gradient(lambda x: float(x.sum()), np.float32([1.0]), eps=1e-8)
    with pytest.raises(ValueError, match="returned nan"):
        numerical_gradient(lambda x: np.nan, [1.0])
    with pytest.raises(ValueError, match="shape"):
        gradient_check(lambda x: x.sum(), [1.0, 2.0, 3.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="analytic gradient contains NaN"):
        gradient_check(lambda x: x.sum(), [np.nan, 2.0], [1.0, 2.0])


@pytest.mark.parametrize("eps", ["1e-6", None, True, [1e-6]])
def test_eps_that_is_not_a_number_is_a_type_error(eps):
    with pytest.raises(TypeError, match="eps must be a number"):
        numerical_gradient(lambda x: x.sum(), [1.0], eps=eps)


@pytest.mark.parametrize("eps", [10**400, np.inf, -1e-6], ids=["10**400", "inf", "-1e-6"])
def test_eps_that_is_not_finite_and_positive_is_a_value_error(eps):
    with pytest.raises(ValueError, match="eps must be finite and > 0"):
        numerical_gradient(lambda x: x.sum(), [1.0], eps=eps)


def test_eps_that_is_inf_in_the_dtype_of_x_is_a_value_error():
    with pytest.raises(ValueError, match="eps=1e[+]39 is too large for float32"):
        numerical_gradient(lambda x: float(x.sum()), np.float32([1.0]), eps=1e39)


@pytest.mark.parametrize("tiny", [0, -1.0, np.nan, np.inf])
def test_tiny_must_be_finite_and_positive(tiny):
    with pytest.raises(ValueError, match="tiny must be finite and > 0"):
        gradient_check(lambda x: float(x.sum()), [0.0, 1.0], [1.0, 2.0], tiny=tiny)
    with pytest.raises(TypeError, match="tiny must be a number"):
        gradient_check(lambda x: float(x.sum()), [0.0, 1.0], [1.0, 2.0], tiny="small")


def test_an_empty_point_is_refused():
    with pytest.raises(ValueError, match="x is empty"):
        gradient_check(lambda x: 0.0, [], [])


def test_x_dtypes_follow_the_rest_of_the_api():
    with pytest.raises(TypeError, match="x must be numbers, not booleans"):
        numerical_gradient(lambda x: float(x.sum()), [True, False])
    with pytest.raises(TypeError, match="x is a masked array"):
        numerical_gradient(lambda x: float(x.sum()), np.ma.masked_array([1.0, 2.0], mask=[0, 1]))

@pytest.mark.parametrize("dtype", [np.int8, np.int16, np.uint8, np.int64])
def test_integer_points_become_float64(dtype):
    seen = []
    grad = numerical_gradient(lambda x: seen.append(x.dtype) or float((x**2).sum()), np.array([1, 2], dtype))
    assert set(seen) == {np.dtype(np.float64)}
    np.testing.assert_allclose(grad, [2.0, 4.0], rtol=1e-8)


def test_describe_error_writes_rounding_noise_as_a_bound():
    from course_utils import describe_error

    assert describe_error(2.5e-7) == describe_error(1.2e-7) == "< 1e-05 → right"
    assert describe_error(1.9e-3) == "1.9e-03 → suspicious"
    assert describe_error(1.0) == "1.0e+00 → wrong"


def test_a_callable_analytic_gradient_sees_x_as_f_does():
    seen = []

    def analytic(v):
        seen.append(v.dtype)
        return 2 * v

    assert gradient_check(lambda v: float((v**2).sum()), analytic, [1, 2]) < 1e-8
    assert seen == [np.float64]
