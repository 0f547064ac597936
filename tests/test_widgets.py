"""Tests for course_utils.widgets, without a browser: set the values as a cell or the browser
does, and check what the kernel side reports (probs, Jacobian, readout, PNG fallback).

The browser tests (tests/browser/) check that the front end draws and writes the same
numbers, in JupyterLab and Voilà.
"""

import base64
import io
import itertools
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from course_utils import log_softmax, softmax, softmax_jacobian
from course_utils.bugs import naive_softmax
from course_utils.formatting import format_number
from course_utils.jacobian import jacobian_properties
from course_utils.softmax import OVERFLOW_POINTS
from course_utils.widgets import (
    PRESETS,
    MatrixHeatmap,
    jacobian_explorer,
    softmax_explorer,
    stability_lab,
)
from course_utils.widgets.controls import MAX_CLASSES, MIN_CLASSES
from course_utils.widgets.front_end import asset_text, esm
from course_utils.widgets.readouts import jacobian_text, probabilities_text
from course_utils.widgets.stability import compare_methods, comparison_text


def pixels(png):
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


@pytest.fixture(params=["softmax", "jacobian", "stability"])
def explorer(request):
    make = {"softmax": softmax_explorer, "jacobian": jacobian_explorer,
            "stability": stability_lab}[request.param]
    return make([1.0, 2.0, 3.0])


# -- the kernel side follows the values the browser sends ------------------------------------


def test_softmax_explorer_readout_and_png_follow_the_logits():
    explorer = softmax_explorer([1.0, 2.0, 3.0])
    png_before = explorer.png
    explorer.logit_values = [3.0, 2.0, 3.0]  # what the front end sends after a drag
    np.testing.assert_allclose(explorer.probs, softmax([3.0, 2.0, 3.0]))
    assert explorer.readout_text == probabilities_text(softmax([3.0, 2.0, 3.0]))
    assert explorer.png != png_before


def test_temperature_changes_the_probabilities():
    explorer = softmax_explorer([1.0, 2.0, 3.0])
    explorer.temperature_value = 10.0
    np.testing.assert_allclose(explorer.probs, softmax([1.0, 2.0, 3.0], temperature=10.0))
    assert explorer.readout_text.startswith("T = 10.00")


def test_jacobian_explorer_readout_follows_the_logits():
    explorer = jacobian_explorer([1.0, 2.0, 3.0])
    explorer.logit_values = [0.0, 0.0, 0.0]
    np.testing.assert_allclose(explorer.jacobian, np.eye(3) / 3 - 1 / 9)
    assert explorer.readout_text == jacobian_text(softmax(np.zeros(3)), explorer.jacobian)


def test_jacobian_readout_reports_the_properties():
    text = jacobian_explorer([1.0, 2.0, 3.0]).readout_text
    assert "symmetric: yes" in text and "row sums: all 0" in text
    assert "rank 2 of 3" in text and "≤ 1/4 ✓" in text


@pytest.mark.parametrize("size", [MIN_CLASSES, 6, 7, MAX_CLASSES])
def test_any_number_of_classes(size):
    explorer = jacobian_explorer(np.zeros(size))
    assert explorer.jacobian.shape == (size, size)
    assert f"rank {size - 1} of {size}" in explorer.readout_text


def test_set_logits_sends_one_message(monkeypatch):
    explorer = jacobian_explorer()
    sent = []
    monkeypatch.setattr(explorer, "send_state", lambda key=None: sent.append(set(key or ())))
    explorer.set_logits([1.0, 2.0, 3.0, 4.0], temperature=0.5)
    assert len(sent) == 1 and set(sent[0]) == {"logit_values", "temperature_value"}
    assert explorer.logits.tolist() == [1.0, 2.0, 3.0, 4.0] and explorer.temperature == 0.5


@pytest.mark.parametrize("bad", [[1.0], list(range(11)), [[1.0, 2.0]], [np.nan, 1.0]])
def test_explorers_reject_logits_they_cannot_show(bad):
    with pytest.raises(ValueError, match="the explorers take"):
        jacobian_explorer(bad)
    with pytest.raises(ValueError, match="the explorers take"):
        jacobian_explorer().set_logits(bad)


@pytest.mark.parametrize("bad", [0.0, -1.0, 11.0, np.inf, np.nan])
def test_explorers_reject_temperatures_off_the_slider(bad):
    with pytest.raises(ValueError, match="temperature from 0.01 to 10"):
        softmax_explorer(temperature=bad)


def test_lab_rejects_a_scale_or_type_it_cannot_show():
    with pytest.raises(ValueError, match="scale goes from 1 to 1000"):
        stability_lab(scale=5000.0)
    with pytest.raises(ValueError, match="dtype must be one of"):
        stability_lab(dtype="float16")


# -- reset: one step back to what the cell asked for (issue 14) --------------------------------


def test_reset_returns_every_explorer_to_its_starting_values(explorer):
    start = explorer.logits.copy(), explorer.temperature, explorer.readout_text
    explorer.apply_preset("huge scale")
    explorer.set_logits(np.zeros(8), temperature=0.05)
    assert explorer.readout_text != start[2]
    explorer.reset()
    np.testing.assert_array_equal(explorer.logits, start[0])
    assert explorer.temperature == start[1] and explorer.readout_text == start[2]


def test_reset_brings_back_the_lab_scale_and_type():
    lab = stability_lab(scale=50.0, dtype="float32")
    lab.scale, lab.dtype = 1000.0, "float64"
    lab.reset()
    assert (lab.scale, lab.dtype) == (50.0, "float32")


# -- presets --------------------------------------------------------------------------------


def test_presets_are_the_teaching_moments():
    assert set(PRESETS) == {"all equal", "one dominant", "two tied", "huge scale",
                            "low temperature"}
    for logits, temperature in PRESETS.values():
        assert MIN_CLASSES <= len(logits) <= MAX_CLASSES and temperature > 0


@pytest.mark.parametrize("name", list(PRESETS))
def test_presets_move_the_controls(name):
    explorer = jacobian_explorer(np.zeros(7), temperature=3.0)
    explorer.apply_preset(name)
    logits, temperature = PRESETS[name]
    np.testing.assert_array_equal(explorer.logits, logits)
    assert explorer.temperature == temperature
    np.testing.assert_array_equal(explorer.jacobian, softmax_jacobian(logits, temperature))
    assert explorer.presets[name] == [list(logits), temperature]  # the buttons the page shows


def test_preset_all_equal_gives_the_most_spread_jacobian():
    explorer = jacobian_explorer()
    explorer.apply_preset("all equal")
    size = explorer.logits.size
    np.testing.assert_allclose(np.diag(explorer.jacobian), (1 / size) * (1 - 1 / size))
    np.testing.assert_allclose(explorer.jacobian[0, 1], -1 / size**2)


def test_preset_one_dominant_flattens_the_jacobian():
    explorer = jacobian_explorer()
    explorer.apply_preset("one dominant")
    assert explorer.probs[0] > 0.99
    assert np.abs(explorer.jacobian).max() < 0.01


def test_preset_two_tied_gives_a_quarter_block():
    explorer = jacobian_explorer()
    explorer.apply_preset("two tied")
    jacobian = explorer.jacobian
    assert jacobian[0, 0] == pytest.approx(0.25, abs=0.01)
    assert jacobian[0, 1] == pytest.approx(-0.24, abs=0.01)


def test_preset_huge_scale_changes_nothing_else():
    explorer = softmax_explorer()
    explorer.apply_preset("huge scale")
    np.testing.assert_allclose(explorer.probs, softmax([2.0, 1.0, 0.0]))  # shift invariance


def test_preset_low_temperature_sharpens_towards_one_hot():
    explorer = jacobian_explorer()
    explorer.apply_preset("low temperature")
    assert explorer.temperature == pytest.approx(0.1)
    assert explorer.probs.max() > 0.9999
    assert np.abs(explorer.jacobian).max() < 1e-3


# -- extreme positions: no warning, no NaN ----------------------------------------------------


def extreme_settings(size, bound=10.0):
    """Every logit at −bound or +bound, alternately, at both temperature ends."""
    for low_first, temperature in itertools.product((True, False), (0.01, 10.0)):
        yield [-bound if (k % 2 == 0) == low_first else bound for k in range(size)], temperature


@pytest.mark.parametrize("make", [softmax_explorer, jacobian_explorer])
@pytest.mark.parametrize("bound", [10.0, 1010.0])
def test_extreme_slider_positions_give_no_warning_and_no_nan(make, bound):
    explorer = make(np.zeros(10))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for values, temperature in extreme_settings(10, bound):
            explorer.logit_values, explorer.temperature_value = values, temperature
            assert np.isfinite(explorer.probs).all()
            assert np.isfinite(explorer.jacobian).all()
            assert "nan" not in explorer.readout_text.lower()
            assert "inf" not in explorer.readout_text.lower()
            assert "✓" in explorer.readout_text or make is softmax_explorer
        assert explorer.png.startswith(b"\x89PNG")


def test_all_sliders_together_at_the_ends_stay_consistent():
    explorer = jacobian_explorer(np.full(4, 10.0), temperature=0.01)
    facts = jacobian_properties(explorer.jacobian, explorer.temperature)
    assert facts["symmetric"] and facts["rows_sum_to_zero"] and facts["diagonal_within_bound"]
    assert facts["rank"] == 3  # all equal at T = 0.01: entries of size 1/T, rank D - 1


# -- display ----------------------------------------------------------------------------------


def test_mimebundle_has_the_widget_a_static_png_and_the_readout(explorer):
    bundle, _metadata = explorer._repr_mimebundle_()
    assert "model_id" in bundle["application/vnd.jupyter.widget-view+json"]
    png = base64.b64decode(bundle["image/png"])
    assert png == explorer.png and png.startswith(b"\x89PNG")
    assert bundle["text/plain"] == f"{explorer.title}\n{explorer.readout_text}"


def test_png_fallback_shows_the_current_values():
    explorer = jacobian_explorer([0.0, 0.0])
    before = pixels(explorer.png)
    explorer.set_logits([5.0, 0.0])
    assert pixels(explorer.png).shape == before.shape
    assert not np.array_equal(pixels(explorer.png), before)


def test_front_end_is_package_data_with_one_default_export():
    for view in ("explorer.js", "matrix.js"):
        source = esm(view)
        assert source.count("export default") == 1
        assert "drawHeatmap" in source and "jacobianProperties" in source
    assert ".course-live" in asset_text("explorer.css")


def test_matrix_heatmap_takes_any_matrix_and_rejects_what_it_cannot_draw():
    heatmap = MatrixHeatmap(np.eye(2, 3), ["a", "b"], ["p", "q", "r"], limits=(0, 1),
                            colormap="viridis", title="attention")
    assert heatmap.values == [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]
    assert len(heatmap.colormap) == 256 and heatmap.alt_text.startswith("attention")
    with pytest.raises(ValueError, match="2 row and 3 column labels for a 2 x 2 matrix"):
        MatrixHeatmap(np.eye(2), ["a", "b"], ["p", "q", "r"])
    with pytest.raises(ValueError, match="finite"):
        heatmap.show([[np.nan, 0.0]])


# -- readouts ---------------------------------------------------------------------------------


logit_vectors = st.integers(MIN_CLASSES, MAX_CLASSES).flatmap(
    lambda size: st.lists(st.floats(-10, 10), min_size=size, max_size=size)
)


@settings(max_examples=60, deadline=None)
@given(logits=logit_vectors, temperature=st.floats(0.01, 10.0))
def test_jacobian_properties_hold_for_any_slider_position(logits, temperature):
    facts = jacobian_properties(softmax_jacobian(logits, temperature), temperature)
    assert facts["symmetric"]
    assert facts["rows_sum_to_zero"]
    assert facts["diagonal_within_bound"]
    assert facts["rank"] <= len(logits) - 1  # (1, ..., 1) is always in the null space
    assert (facts["eigenvalues"] >= -facts["tolerance"]).all()  # positive semi-definite


def test_jacobian_properties_detect_a_wrong_matrix():
    wrong = softmax_jacobian([1.0, 2.0, 3.0]) + np.array([[0, 0.1, 0], [0, 0, 0], [0, 0, 0]])
    facts = jacobian_properties(wrong)
    assert not facts["symmetric"] and not facts["rows_sum_to_zero"]
    assert "symmetric: NO" in jacobian_text(softmax([1.0, 2.0, 3.0]), wrong)
    assert "row sums: NOT all 0" in jacobian_text(softmax([1.0, 2.0, 3.0]), wrong)
    too_big = np.array([[0.3, -0.3], [-0.3, 0.3]])
    assert "0.3000 > 1/4 ✗" in jacobian_text([0.5, 0.5], too_big)


def test_rank_is_d_minus_one_while_every_probability_is_positive():
    facts = jacobian_properties(softmax_jacobian([30.0, 0.0, 0.0]))  # σ₂ = σ₃ ≈ 9e-14
    assert facts["rank"] == 2
    facts = jacobian_properties(softmax_jacobian([1000.0, 0.0, 0.0]))  # σ₂ = σ₃ = 0 exactly
    assert facts["rank"] == 0


def test_diagonal_bound_follows_the_temperature():
    text = jacobian_text(softmax([0.0, 0.0]), softmax_jacobian([0.0, 0.0], 0.5), 0.5)
    assert "largest diagonal entry: 0.5000 ≤ 1/(4T) = 0.5000 ✓" in text


def test_probabilities_text_lists_every_class():
    text = probabilities_text(softmax(np.zeros(10)), 2.0)
    lines = text.splitlines()
    assert lines[0] == "T = 2.00" and len(lines) == 12
    assert lines[10] == "σ₁₀ = 0.1000"
    assert lines[11] == "sum = 1.0000   largest: σ₁"


@pytest.mark.parametrize(
    ("value", "text"),
    [(0.5, "0.5000"), (-0.25, "−0.2500"), (-1e-17, "0.0000"), (3e-9, "3.00e−09"), (0.0, "0.0000")],
)
def test_format_number(value, text):
    assert format_number(value) == text


# -- stability lab ----------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_naive_softmax_overflows_just_past_the_overflow_point(dtype):
    point = OVERFLOW_POINTS[dtype]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        below, problem_below = naive_softmax([point - 0.5, 0.0], dtype)
        above, problem_above = naive_softmax([point + 0.5, 0.0], dtype)
    assert problem_below is None and np.isfinite(below).all()
    assert problem_above.startswith(f"overflow: exp({point + 0.5:.1f}) = inf in {dtype}")
    assert np.isnan(above[0]) and above[1] == 0.0  # inf / inf, then 1 / inf


def test_overflow_points_are_log_of_the_largest_float():
    assert OVERFLOW_POINTS["float32"] == pytest.approx(88.72, abs=0.01)
    assert OVERFLOW_POINTS["float64"] == pytest.approx(709.78, abs=0.01)


def test_naive_softmax_reports_underflow_and_an_overflowing_sum():
    assert naive_softmax([-1000.0, -1001.0])[1].startswith("underflow: every exp(x) = 0")
    # no single exp overflows, their sum does: the result would be 0 everywhere
    probs, problem = naive_softmax([709.0, 709.0, 709.0])
    assert problem.startswith("overflow: the sum of exp(x) = inf")


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_stable_methods_agree_and_stay_finite(dtype):
    logits = np.array([1000.0, 500.0, -1000.0])
    result = compare_methods(logits, dtype)
    assert result["naive_problem"] is not None
    assert result["shifted"].dtype == np.dtype(dtype)
    np.testing.assert_allclose(result["shifted"], softmax(logits.astype(dtype)))
    np.testing.assert_allclose(result["log_probs"], log_softmax(logits.astype(dtype)))
    assert np.isfinite(result["log_probs"]).all()
    assert "underflowed to 0" in comparison_text(result, dtype)


def test_lab_scale_and_dtype_decide_whether_naive_fails():
    lab = stability_lab(scale=50.0, dtype="float32")
    assert lab.comparison["naive_problem"] is None
    lab.scale = 100.0  # past 88.72
    assert "overflow" in lab.readout_text.splitlines()[1]
    lab.dtype = "float64"  # 100 is far below 709.78
    assert lab.comparison["naive_problem"] is None
    lab.scale_value = 1000.0
    assert "overflow" in lab.readout_text.splitlines()[1]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_lab_extreme_positions_give_no_warning_and_no_nan(dtype):
    lab = stability_lab(np.zeros(10), dtype=dtype, scale=1000.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for values, temperature in extreme_settings(10, 1010.0):
            lab.set_logits(values, temperature)
            assert np.isfinite(lab.comparison["log_probs"]).all()
            assert np.isfinite(lab.comparison["shifted"]).all()
            # NaN appears only as the naive method's explained failure
            naive_line = lab.readout_text.splitlines()[1]
            assert "nan" not in lab.readout_text.replace(naive_line, "").lower()
        assert lab.png.startswith(b"\x89PNG")


def test_values_from_the_browser_lose_their_binary_noise():
    explorer = jacobian_explorer([1.0, 2.0, 3.0])
    explorer.logit_values = [4.300000000000001, 2.0, 3.0]
    assert explorer.logits[0] == 4.3
    np.testing.assert_array_equal(explorer.jacobian, softmax_jacobian([4.3, 2.0, 3.0]))
    explorer.temperature_value = 10**-0.73 * (1 + 2e-16)
    assert explorer.temperature == float(f"{10**-0.73:.12g}")
    lab = stability_lab()
    lab.scale_value = 100.00000000000001
    assert lab.scale == 100.0
    assert "overflows" in lab.readout_text and "exponent 100.0 " in lab.readout_text


def test_a_value_from_the_browser_is_never_written_back():
    """A write-back would reach the browser while the next drag event travels and undo it."""
    explorer = jacobian_explorer([1.0, 2.0, 3.0])
    lab = stability_lab()
    for widget, name, value in [(explorer, "logit_values", [4.300000000000001, 2.0, 3.0]),
                                (explorer, "temperature_value", 10**-0.73 * (1 + 2e-16)),
                                (lab, "scale_value", 100.00000000000001)]:
        writes = []
        widget.observe(writes.append, names=name)
        setattr(widget, name, value)  # as the browser sends it
        assert [change["new"] for change in writes] == [value], "the kernel changed the value back"
        assert getattr(widget, name) == value


def test_reset_explorers_returns_every_live_explorer_to_its_start_in_one_step():
    from course_utils.widgets import reset_explorers

    probabilities = softmax_explorer([1.0, 2.0, 3.0])
    lab = stability_lab(scale=50.0, dtype="float32")
    closed = jacobian_explorer([0.0, 1.0])
    probabilities.set_logits([4.0, -4.0], 3.0)
    lab.scale_value, lab.dtype_value = 1.0, "float64"
    closed.set_logits([7.0, 7.0])
    closed.close()
    assert reset_explorers() >= 2
    assert probabilities.logits.tolist() == [1.0, 2.0, 3.0] and probabilities.temperature == 1.0
    assert (lab.scale_value, lab.dtype_value) == (50.0, "float32")
    assert closed.logits.tolist() == [7.0, 7.0]  # a closed explorer is left alone
