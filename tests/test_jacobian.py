"""softmax_jacobian and softmax_backward: structure, finite differences, high precision, bad input."""

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from course_utils import numerical_gradient, softmax, softmax_backward, softmax_jacobian

logit_rows = arrays(
    np.float64,
    st.tuples(st.integers(1, 4), st.integers(1, 7)),
    elements=st.floats(-30, 30, allow_nan=False),
)


def reference_jacobian(row):
    """dσ_i/dx_j by mpmath's numerical differentiation of 50-digit softmax."""
    with mpmath.workdps(50):
        def sigma(i, *xs):
            exps = [mpmath.exp(x) for x in xs]
            return exps[i] / mpmath.fsum(exps)

        size = len(row)
        point = [mpmath.mpf(float(x)) for x in row]
        jacobian = np.empty((size, size))
        for i in range(size):
            for j in range(size):
                order = [1 if k == j else 0 for k in range(size)]
                jacobian[i, j] = float(mpmath.diff(lambda *xs, i=i: sigma(i, *xs), point, order))
        return jacobian


@pytest.mark.parametrize(
    "row", [[1.0, 2.0, 3.0], [0.0, 0.0], [5.0, -3.0, 0.5, 0.5], [20.0, 0.0, -4.0]]
)
def test_matches_high_precision_derivative(row):
    np.testing.assert_allclose(softmax_jacobian(row), reference_jacobian(row), rtol=1e-12, atol=1e-15)


@settings(max_examples=80, deadline=None)
@given(logit_rows)
def test_structure(logits):
    jacobian = softmax_jacobian(logits)
    size = logits.shape[-1]
    assert jacobian.shape == (len(logits), size, size)
    np.testing.assert_allclose(jacobian, np.swapaxes(jacobian, -1, -2), atol=1e-15)  # symmetric
    np.testing.assert_allclose(jacobian.sum(axis=-1), 0.0, atol=1e-15)  # rows sum to 0
    eigenvalues = np.linalg.eigvalsh(jacobian)
    assert (eigenvalues > -1e-15).all()  # positive semidefinite
    assert (np.abs(jacobian) <= 0.25 + 1e-15).all()


@settings(max_examples=40, deadline=None)
@given(arrays(np.float64, st.integers(1, 6), elements=st.floats(-5, 5)))
def test_equals_finite_differences(logits):
    jacobian = softmax_jacobian(logits)
    for i in range(len(logits)):
        numerical = numerical_gradient(lambda x, i=i: softmax(x)[i], logits)
        np.testing.assert_allclose(jacobian[i], numerical, atol=1e-8)


def test_formula_and_shapes():
    logits = np.array([1.0, 2.0, 3.0])
    probs = softmax(logits)
    assert softmax_jacobian(logits).shape == (3, 3)
    np.testing.assert_allclose(softmax_jacobian(logits), np.diag(probs) - np.outer(probs, probs))
    batch = np.random.default_rng(0).normal(size=(2, 5, 4))
    assert softmax_jacobian(batch).shape == (2, 5, 4, 4)


def test_temperature_brings_a_factor():
    logits = np.array([1.0, -1.0, 0.5])
    temperature = 0.25
    numerical = np.array(
        [numerical_gradient(lambda x, i=i: softmax(x, temperature=temperature)[i], logits)
         for i in range(3)]
    )
    np.testing.assert_allclose(softmax_jacobian(logits, temperature=temperature), numerical, atol=1e-8)


def test_extremes_stay_finite():
    for logits in ([1e300, -1e300, 0.0], [1000.0, 1000.0], [0.0, -np.inf, 1.0]):
        jacobian = softmax_jacobian(logits)
        assert np.isfinite(jacobian).all()
    np.testing.assert_allclose(softmax_jacobian([1e300, 1e300]), [[0.25, -0.25], [-0.25, 0.25]])
    np.testing.assert_array_equal(softmax_jacobian([1e300, -1e300]), np.zeros((2, 2)))


@settings(max_examples=80, deadline=None)
@given(logit_rows, st.integers(0, 2**32 - 1))
def test_backward_equals_jacobian_transpose_times_upstream(logits, seed):
    upstream = np.random.default_rng(seed).normal(size=logits.shape)
    probs = softmax(logits)
    expected = np.einsum("nij,ni->nj", softmax_jacobian(logits), upstream)
    np.testing.assert_allclose(softmax_backward(probs, upstream), expected, atol=1e-14)


@settings(max_examples=50, deadline=None)
@given(logit_rows, st.floats(-1e3, 1e3))
def test_constant_upstream_gives_zero(logits, constant):
    probs = softmax(logits)
    upstream = np.full_like(logits, constant)
    np.testing.assert_allclose(softmax_backward(probs, upstream), 0.0, atol=1e-12 * (1 + abs(constant)))


def test_backward_equals_finite_differences_of_a_loss():
    rng = np.random.default_rng(3)
    logits = rng.normal(size=(3, 4))
    upstream = rng.normal(size=(3, 4))
    numerical = numerical_gradient(lambda x: np.sum(softmax(x) * upstream), logits)
    np.testing.assert_allclose(softmax_backward(softmax(logits), upstream), numerical, atol=1e-8)


def test_backward_shapes_dtypes_and_no_mutation():
    rng = np.random.default_rng(4)
    probs = softmax(rng.normal(size=(2, 3, 5)))
    upstream = rng.normal(size=(2, 3, 5))
    before = probs.copy(), upstream.copy()
    assert softmax_backward(probs, upstream).shape == (2, 3, 5)
    np.testing.assert_array_equal(probs, before[0])
    np.testing.assert_array_equal(upstream, before[1])
    grad32 = softmax_backward(probs.astype(np.float32), upstream.astype(np.float32))
    assert grad32.dtype == np.float32
    assert softmax_backward([0.5, 0.5], [1, 0]).dtype == np.float64
    big = softmax(rng.normal(size=(3000, 200)))  # several blocks
    big_upstream = rng.normal(size=(3000, 200))
    expected = big * (big_upstream - (big * big_upstream).sum(axis=1, keepdims=True))
    np.testing.assert_allclose(softmax_backward(big, big_upstream), expected, atol=1e-15)


@pytest.mark.parametrize(
    ("probs", "upstream", "message"),
    [
        ([0.5, 0.5], [1.0, 2.0, 3.0], "same shape"),
        ([1.0, 2.0, 3.0], [1.0, 2.0, 3.0], "sum to 1.*not the logits"),
        ([np.nan, 0.5], [1.0, 2.0], r"probs contains NaN at probs\[0\]"),
        ([[0.5, 0.5], [np.inf, 0.0]], np.zeros((2, 2)), r"probs contains \+inf at probs\[1, 0\]"),
        ([[0.5, 0.5], [-np.inf, 1.0]], np.zeros((2, 2)), r"probs contains -inf at probs\[1, 0\]"),
        ([2.0, -1.0], [1.0, 2.0], r"probs must be >= 0 .*probs\[1\] = -1: pass softmax"),
        ([1.0, 0.0], [0.0, np.inf], "upstream contains inf"),  # inf * 0 in <g, σ>: no warning
        ([0.5, 0.5], [np.nan, 2.0], "upstream contains NaN"),
        ([0.5, 0.5], [np.inf, 2.0], "upstream contains inf"),
        ([], [], "non-empty"),
    ],
)
def test_backward_bad_input(probs, upstream, message):
    with pytest.raises(ValueError, match=message):
        softmax_backward(probs, upstream)


@pytest.mark.parametrize(
    ("logits", "message"), [([1.0, np.nan], "NaN"), ([np.inf, 1.0], r"\+inf"), ([], "empty")]
)
def test_jacobian_bad_input(logits, message):
    with pytest.raises(ValueError, match=message):
        softmax_jacobian(logits)


def test_quadratic_form_is_the_probability_weighted_variance():
    logits, direction = np.array([-1.2, 1.6, 0.9]), np.array([2.0, -1.0, 0.5])
    probs = softmax(logits)
    variance = probs @ (direction - probs @ direction) ** 2
    assert direction @ softmax_jacobian(logits) @ direction == pytest.approx(variance)


def test_saturation_a_dominant_logit_or_low_temperature_shrinks_the_jacobian():
    sizes = [np.abs(softmax_jacobian([gap, 0.0, 0.0])).max() for gap in (0, 5, 10, 20)]
    assert sizes == sorted(sizes, reverse=True) and sizes[-1] < 1e-8
    assert np.abs(softmax_jacobian([-1.2, 1.6, 0.9], temperature=0.05)).max() < 1e-4


def test_backward_tolerance_comes_from_the_dtype_of_probs():
    rng = np.random.default_rng(5)
    wide = softmax(rng.normal(size=(8, 100_000)).astype(np.float32))
    grad = softmax_backward(wide, np.zeros(wide.shape))  # float64 upstream: float32 tolerance
    assert grad.dtype == np.float64 and not grad.any()
    half = softmax(rng.normal(size=(4, 100)).astype(np.float16))
    for upstream in (np.ones(half.shape), np.ones(half.shape, dtype=np.float16)):
        np.testing.assert_allclose(softmax_backward(half, upstream), 0.0, atol=1e-3)
    with pytest.raises(ValueError, match=r"within 0.01\); row 0 does not"):
        softmax_backward(np.float16([0.5, 0.53]), [1.0, 0.0])
    with pytest.raises(ValueError, match=r"within 1e-06\); row 0 does not"):
        softmax_backward([0.5, 0.5001], np.float32([1.0, 0.0]))


def test_backward_names_the_row_in_the_callers_array():
    probs = np.full((2, 2, 3), 1 / 3)
    probs[0, 1, 2] = 0.5
    with pytest.raises(ValueError, match=r"the row at index \(0, 1, :\) does not"):
        softmax_backward(probs, np.zeros(probs.shape))
    probs[0, 1, 2] = -0.5
    with pytest.raises(ValueError, match=r"got probs\[0, 1, 2\] = -0.5"):
        softmax_backward(probs, np.zeros(probs.shape))
    big = np.full((3000, 200), 1 / 200)  # several blocks: the row counts from the first block
    big[2999, 7] = np.nan
    with pytest.raises(ValueError, match=r"NaN at probs\[2999, 7\]"):
        softmax_backward(big, np.zeros(big.shape))


def test_masked_arrays_are_refused():
    masked = np.ma.masked_array([0.5, 0.5], mask=[False, True])
    with pytest.raises(TypeError, match="probs is a masked array"):
        softmax_backward(masked, [1.0, 0.0])
    with pytest.raises(TypeError, match="upstream is a masked array"):
        softmax_backward([0.5, 0.5], masked)
    with pytest.raises(TypeError, match="logits is a masked array"):
        softmax_jacobian(masked)


def test_jacobian_overflowing_at_a_tiny_temperature_raises():
    with pytest.raises(ValueError, match="the Jacobian overflows float64 at temperature 1e-310"):
        softmax_jacobian([1.0, 1.0], temperature=1e-310)
    np.testing.assert_array_equal(softmax_jacobian([1.0, 2.0], temperature=1e-310), np.zeros((2, 2)))
    huge = softmax_jacobian([1.0, 1.0], temperature=1e-300)  # 1 / (4 T) still fits
    np.testing.assert_allclose(huge, [[2.5e299, -2.5e299], [-2.5e299, 2.5e299]])
