"""softmax, log_softmax and logsumexp: properties, a high-precision reference, bad input."""

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from course_utils import log_softmax, logsumexp, softmax, softmax_jacobian

# Against mpmath at 50 digits. Probabilities are accurate relative to themselves; log-softmax
# values near 0 (a dominant class) carry an absolute error of about one ulp of 1.
RTOL = 1e-13
LOG_ATOL = 1e-15

finite_logits = arrays(
    np.float64,
    st.tuples(st.integers(1, 4), st.integers(1, 8)),
    elements=st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False),
)
any_finite_logits = arrays(
    np.float64,
    st.tuples(st.integers(1, 3), st.integers(1, 6)),
    elements=st.floats(allow_nan=False, allow_infinity=False),
)


def reference_softmax(row, temperature=1.0):
    """softmax of one row in 50-digit arithmetic."""
    with mpmath.workdps(50):
        exps = [mpmath.exp(mpmath.mpf(float(x)) / temperature) for x in row]
        total = mpmath.fsum(exps)
        return np.array([float(e / total) for e in exps])


def reference_log_softmax(row):
    with mpmath.workdps(50):
        values = [mpmath.mpf(float(x)) for x in row]
        log_total = mpmath.log(mpmath.fsum(mpmath.exp(x) for x in values))
        return np.array([float(x - log_total) for x in values])


@settings(max_examples=60, deadline=None)
@given(finite_logits)
def test_matches_high_precision_reference(logits):
    probs = softmax(logits)
    expected = np.array([reference_softmax(row) for row in logits])
    np.testing.assert_allclose(probs, expected, rtol=RTOL, atol=1e-300)


@settings(max_examples=60, deadline=None)
@given(finite_logits)
def test_log_softmax_matches_high_precision_reference(logits):
    expected = np.array([reference_log_softmax(row) for row in logits])
    np.testing.assert_allclose(log_softmax(logits), expected, rtol=RTOL, atol=LOG_ATOL)


@settings(max_examples=100, deadline=None)
@given(any_finite_logits)
def test_any_finite_logits_give_finite_rows_summing_to_one(logits):
    probs = softmax(logits)
    assert np.isfinite(probs).all()
    assert (probs >= 0).all()
    np.testing.assert_allclose(probs.sum(axis=-1), 1.0, rtol=1e-12)
    assert np.isfinite(log_softmax(logits)).all()
    assert np.isfinite(logsumexp(logits)).all()


def test_log_probabilities_below_the_float_range_become_the_most_negative_float():
    lowest = -np.finfo(np.float64).max
    # hypothesis found it: the exact value, -1.797e308 - 9.98e291, rounds past the range
    np.testing.assert_array_equal(log_softmax([lowest, 9.97920155e291]), [lowest, 0.0])
    np.testing.assert_array_equal(log_softmax([-1e308, 1e308]), [lowest, 0.0])
    np.testing.assert_array_equal(log_softmax([0.0, -1.0], temperature=1e-310), [0.0, lowest])
    small = np.finfo(np.float32)
    np.testing.assert_array_equal(
        log_softmax(np.array([-3e38, 3e38], dtype=np.float32)), np.array([-small.max, 0.0], np.float32)
    )
    # a mask stays a mask, whatever the other logits
    np.testing.assert_array_equal(log_softmax([-np.inf, -1e308, 1e308]), [-np.inf, lowest, 0.0])
    np.testing.assert_array_equal(log_softmax([-np.inf, 0.0], temperature=0.5), [-np.inf, 0.0])


@settings(max_examples=100, deadline=None)
@given(finite_logits, st.floats(-1e3, 1e3))
def test_shift_invariance(logits, shift):
    np.testing.assert_allclose(softmax(logits + shift), softmax(logits), rtol=1e-9, atol=1e-15)


@settings(max_examples=100, deadline=None)
@given(finite_logits)
def test_order_is_preserved(logits):
    probs = softmax(logits)
    for row, prob_row in zip(logits, probs, strict=True):
        order = np.argsort(row, kind="stable")
        assert (np.diff(prob_row[order]) >= 0).all()


def test_scaling_is_not_an_invariance():
    logits = np.array([1.0, 2.0, 3.0])
    assert not np.allclose(softmax(2 * logits), softmax(logits))


def test_known_values():
    np.testing.assert_allclose(softmax([0.0, 0.0]), [0.5, 0.5])
    np.testing.assert_allclose(softmax([1.0, 2.0, 3.0]), reference_softmax([1, 2, 3]), rtol=RTOL)


def test_extremes_are_finite_and_exact():
    np.testing.assert_array_equal(softmax([1e300, -1e300]), [1.0, 0.0])
    np.testing.assert_array_equal(softmax([-1e300, 1e300]), [0.0, 1.0])
    np.testing.assert_allclose(softmax([1e300, 1e300]), [0.5, 0.5])
    np.testing.assert_allclose(softmax([1000.0, 1001.0]), reference_softmax([0, 1]), rtol=RTOL)
    np.testing.assert_array_equal(log_softmax([1000.0, 1.0]), [0.0, -999.0])
    largest = np.finfo(np.float64).max
    np.testing.assert_array_equal(softmax([largest, -largest]), [1.0, 0.0])


def test_float32_past_its_overflow_point():
    logits = np.array([100.0, 89.0, -100.0], dtype=np.float32)
    probs = softmax(logits)
    assert probs.dtype == np.float32
    # e^-189 is below float32's smallest number: the right float32 answer is 0
    expected = reference_softmax([100, 89, -100]).astype(np.float32)
    np.testing.assert_allclose(probs, expected, rtol=1e-6)


def test_temperature_divides_the_logits():
    logits = np.array([1.0, -2.0, 0.5])
    for temperature in (0.1, 0.5, 2.0, 100.0):
        np.testing.assert_allclose(
            softmax(logits, temperature=temperature),
            reference_softmax(logits, temperature),
            rtol=1e-12,
        )
        np.testing.assert_allclose(
            log_softmax(logits, temperature=temperature),
            np.log(reference_softmax(logits, temperature)),
            rtol=1e-12,
        )


def test_extreme_temperatures_stay_finite():
    logits = np.array([1.0, 2.0, 3.0])
    np.testing.assert_array_equal(softmax(logits, temperature=1e-300), [0.0, 0.0, 1.0])
    np.testing.assert_allclose(softmax(logits, temperature=1e300), [1 / 3] * 3)
    np.testing.assert_array_equal(softmax(logits, temperature=5e-324), [0.0, 0.0, 1.0])


def test_minus_inf_masks_an_entry():
    probs = softmax([1.0, -np.inf, 1.0])
    np.testing.assert_array_equal(probs, [0.5, 0.0, 0.5])
    np.testing.assert_array_equal(log_softmax([0.0, -np.inf]), [0.0, -np.inf])
    assert logsumexp([0.0, -np.inf]) == 0.0


@pytest.mark.parametrize("axis", [0, 1, 2, -1, -2])
def test_any_axis(axis):
    logits = np.random.default_rng(0).normal(size=(2, 3, 4))
    probs = softmax(logits, axis=axis)
    assert probs.shape == logits.shape
    np.testing.assert_allclose(probs.sum(axis=axis), 1.0)
    moved = np.moveaxis(logits, axis, -1)
    np.testing.assert_allclose(np.moveaxis(probs, axis, -1), softmax(moved))
    np.testing.assert_allclose(log_softmax(logits, axis=axis), np.log(probs))
    np.testing.assert_allclose(
        logsumexp(logits, axis=axis), np.log(np.exp(logits).sum(axis=axis))
    )
    assert logsumexp(logits, axis=axis, keepdims=True).shape == np.sum(
        logits, axis=axis, keepdims=True
    ).shape


def test_large_batches_cross_block_boundaries():
    logits = np.random.default_rng(1).normal(scale=5, size=(5000, 300))  # several 1 MiB blocks
    naive = np.exp(logits - logits.max(axis=1, keepdims=True))
    naive /= naive.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(softmax(logits), naive, rtol=1e-12)


def test_logsumexp_values():
    assert logsumexp([1000.0, 1000.0]) == pytest.approx(1000 + np.log(2), rel=1e-15)
    assert logsumexp([1e308, 1e308]) == 1e308
    np.testing.assert_allclose(logsumexp([[0.0, 0.0], [1.0, 1.0]]), np.log(2) + np.array([0, 1]))


def test_dtypes():
    assert softmax([1, 2, 3]).dtype == np.float64
    assert softmax(np.array([1, 2], dtype=np.int32)).dtype == np.float64
    assert softmax(np.array([1, 2], dtype=np.float32)).dtype == np.float32
    assert log_softmax(np.array([1, 2], dtype=np.float32)).dtype == np.float32
    assert logsumexp(np.array([1, 2], dtype=np.float32)).dtype == np.float32
    assert softmax(np.array([1, 2], dtype=np.float32), temperature=0.5).dtype == np.float32


def test_input_is_not_mutated():
    logits = np.array([[3.0, 1.0, -2.0], [0.0, 5.0, 5.0]])
    before = logits.copy()
    for function in (softmax, log_softmax, logsumexp):
        function(logits)
    softmax(logits, temperature=0.3)
    np.testing.assert_array_equal(logits, before)


BAD_LOGITS = [
    ([1.0, np.nan], "NaN"),
    ([1.0, np.inf], r"\+inf"),
    ([[0.0, 1.0], [-np.inf, -np.inf]], "only -inf"),
    ([], "empty"),
    (np.zeros((3, 0)), "empty"),
    (np.zeros((0, 3)), "empty"),
    (1.0, "at least one dimension"),
    ([[1.0, 2.0], [3.0]], "rectangular"),
]


@pytest.mark.parametrize("function", [softmax, log_softmax, logsumexp])
@pytest.mark.parametrize(("logits", "message"), BAD_LOGITS)
def test_bad_logits_raise_a_clear_error(function, logits, message):
    with pytest.raises(ValueError, match=message):
        function(logits)


def test_error_names_the_row():
    with pytest.raises(ValueError, match="row 2"):
        softmax([[0.0, 1.0], [1.0, 1.0], [np.nan, 0.0]])


@pytest.mark.parametrize("temperature", [0.0, -1.0, np.inf, np.nan, -np.inf])
def test_bad_temperature_raises(temperature):
    with pytest.raises(ValueError, match="temperature must be finite and > 0"):
        softmax([1.0, 2.0], temperature=temperature)


@pytest.mark.parametrize("temperature", ["hot", None, [1.0, 2.0], True])
def test_temperature_must_be_a_number(temperature):
    with pytest.raises(TypeError, match="temperature must be a number"):
        softmax([1.0, 2.0], temperature=temperature)


@pytest.mark.parametrize(
    ("logits", "error"),
    [(["a", "b"], TypeError), ([True, False], TypeError), ([1 + 2j, 3.0], TypeError)],
)
def test_non_numbers_raise_type_error(logits, error):
    with pytest.raises(error, match="logits must be"):
        softmax(logits)


def test_bad_axis():
    with pytest.raises(ValueError, match="axis 2 is out of range"):
        softmax([[1.0, 2.0]], axis=2)
    with pytest.raises(TypeError, match="axis must be an integer"):
        softmax([[1.0, 2.0]], axis=1.0)


@pytest.mark.parametrize("function", [softmax, log_softmax, softmax_jacobian])
@pytest.mark.parametrize(
    ("dtype", "temperature", "message"),
    [
        (np.float32, 1e-50, "temperature 1e-50 is 0 in float32"),
        (np.float16, 1e-8, "temperature 1e-08 is 0 in float16"),
        (np.float32, 1e39, "temperature 1e[+]39 is inf in float32"),
        (np.float16, 1e5, "temperature 100000 is inf in float16"),
    ],
)
def test_temperature_that_rounds_to_0_or_inf_in_the_dtype_raises(function, dtype, temperature, message):
    with pytest.raises(ValueError, match=message):
        function(np.array([1.0, 2.0], dtype=dtype), temperature=temperature)


def test_temperature_that_fits_the_dtype_still_works():
    tiny = softmax(np.float32([1.0, 2.0]), temperature=1e-40)  # a float32 subnormal: still > 0
    np.testing.assert_array_equal(tiny, np.float32([0.0, 1.0]))
    masked = softmax(np.float16([1.0, 2.0, -np.inf]), temperature=6e4)
    np.testing.assert_allclose(masked, [0.5, 0.5, 0.0], atol=1e-3)
    np.testing.assert_array_equal(softmax([1.0, 2.0], temperature=1e-50), [0.0, 1.0])  # float64


@pytest.mark.parametrize("temperature", ["2", b"2", np.str_("2"), np.True_])
def test_temperature_given_as_text_is_a_type_error(temperature):
    with pytest.raises(TypeError, match="temperature must be a number"):
        softmax([1.0, 2.0], temperature=temperature)


@pytest.mark.parametrize("temperature", [10**400, -(10**400)], ids=["10**400", "-10**400"])
def test_temperature_too_large_for_a_float_is_a_value_error(temperature):
    with pytest.raises(ValueError, match=r"temperature must be finite and > 0, got -?about 10\*\*400"):
        softmax([1.0, 2.0], temperature=temperature)


@pytest.mark.parametrize("function", [softmax, log_softmax, logsumexp])
def test_errors_name_the_place_in_the_callers_array(function):
    logits = np.zeros((2, 2, 3))
    logits[1, 1, 1] = np.nan
    with pytest.raises(ValueError, match=r"NaN \(the row at index \(1, :, 1\)\)"):
        function(logits, axis=1)
    with pytest.raises(ValueError, match=r"NaN \(the row at index \(1, 1, :\)\)"):
        function(logits)
    columns = np.zeros((3, 2))
    columns[:, 1] = -np.inf
    with pytest.raises(ValueError, match=r"only -inf.*\(the row at index \(:, 1\)\)"):
        function(columns, axis=0)
    with pytest.raises(ValueError, match=r"\+inf.*\(row 1\)$"):  # 2-D, classes last: as before
        function([[0.0, 1.0], [np.inf, 0.0]])


@pytest.mark.parametrize("function", [softmax, log_softmax, logsumexp])
def test_masked_arrays_are_refused(function):
    logits = np.ma.masked_array([1.0, 2.0, 3.0], mask=[False, True, False])
    with pytest.raises(TypeError, match="masked array, which is not supported.*-inf"):
        function(logits)
