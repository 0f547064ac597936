"""Tests for course_utils.widgets, without a browser: set the controls from Python and check
the figure's artists, the published PNG and the readout.

The browser tests (tests/browser/) check that the same widgets render and respond in
JupyterLab and Voilà.
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
from course_utils.plots.stability import OVERFLOW_POINTS
from course_utils.widgets import (
    PRESETS,
    jacobian_explorer,
    softmax_explorer,
    stability_lab,
)
from course_utils.widgets.controls import MAX_CLASSES, MIN_CLASSES, slider_bound
from course_utils.widgets.live_figure import LiveFigure, live_figure_canvas
from course_utils.widgets.readouts import (
    format_number,
    jacobian_properties,
    jacobian_text,
    probabilities_text,
)
from course_utils.widgets.stability import compare_methods, comparison_text, naive_softmax


def pixels(png):
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def heights(bars):
    return np.array([bar.get_height() for bar in bars])


@pytest.fixture(params=["softmax", "jacobian"])
def explorer(request):
    make = {"softmax": softmax_explorer, "jacobian": jacobian_explorer}[request.param]
    return make([1.0, 2.0, 3.0])


# -- the explorers respond to their controls ---------------------------------------------


def test_softmax_explorer_bars_and_readout_follow_a_slider():
    explorer = softmax_explorer([1.0, 2.0, 3.0])
    png_before = explorer.png
    explorer.controls.logit_sliders[0].value = 3.0
    expected = softmax([3.0, 2.0, 3.0])
    np.testing.assert_allclose(heights(explorer._bars), expected)
    assert explorer.readout_text.splitlines()[1:4] == [
        f"σ{sub} = {format_number(p)}" for sub, p in zip("₁₂₃", expected, strict=True)
    ]
    assert "<pre>" in explorer.readout.value and "σ₁ = 0.4223" in explorer.readout.value
    assert explorer.png != png_before


def test_temperature_slider_changes_the_probabilities():
    explorer = softmax_explorer([1.0, 2.0, 3.0])
    explorer.controls.temperature.value = 0.5
    np.testing.assert_allclose(heights(explorer._bars), softmax([2.0, 4.0, 6.0]))
    assert explorer.readout_text.startswith("T = 0.50")


def test_jacobian_explorer_heatmap_and_readout_follow_a_slider():
    explorer = jacobian_explorer([1.0, 2.0, 3.0])
    explorer.controls.logit_sliders[2].value = 1.0
    expected = softmax_jacobian([1.0, 2.0, 1.0])
    np.testing.assert_allclose(explorer._image.get_array(), expected)
    values = [text.get_text() for text in explorer._image.axes.texts]
    assert values[0] == f"{expected[0, 0]:.3f}"
    assert explorer.readout_text == jacobian_text(softmax([1.0, 2.0, 1.0]), expected)


def test_jacobian_readout_reports_the_properties():
    text = jacobian_explorer([0.0, 0.0, 0.0]).readout_text
    assert "symmetric: yes" in text
    assert "row sums: all 0" in text
    assert "eigenvalues: 0.0000, 0.3333, 0.3333   rank 2 of 3" in text
    assert "largest diagonal entry: 0.2222 ≤ 1/4 ✓" in text


def test_updates_change_artists_in_place(explorer):
    figure, image_widget = explorer.live.figure, explorer.live.image
    axes = list(figure.axes)
    artists = list(explorer.live._changing)
    explorer.controls.logit_sliders[1].value = -4.0
    explorer.controls.temperature.value = 2.0
    assert explorer.live.figure is figure and explorer.live.image is image_widget
    assert figure.axes == axes
    assert explorer.live._changing == artists  # same artists, new data


def test_blitted_png_equals_a_full_redraw(explorer):
    for value in (-3.0, 0.5, 7.0):
        explorer.controls.logit_sliders[0].value = value
    blitted = pixels(explorer.png)
    explorer.live.redraw(full=True)
    np.testing.assert_array_equal(blitted, pixels(explorer.png))


def test_png_changes_only_where_the_data_changed():
    explorer = jacobian_explorer([1.0, 2.0, 3.0])
    before = explorer.png
    explorer.controls.temperature.value = 1.0  # no change: no new picture
    assert explorer.png == before
    explorer.controls.logit_sliders[0].value = 2.5
    assert not np.array_equal(pixels(before), pixels(explorer.png))


@pytest.mark.parametrize("size", [MIN_CLASSES, 6, 7, MAX_CLASSES])
def test_size_slider_sets_the_number_of_logits(size):
    softmax_ex, jacobian_ex = softmax_explorer(), jacobian_explorer()
    for explorer in (softmax_ex, jacobian_ex):
        explorer.controls.size.value = size
        assert len(explorer.controls.logit_sliders) == size
        assert len(explorer.controls.slider_box.children) == size
        assert explorer.logits.size == size
    assert len(softmax_ex._bars) == size
    np.testing.assert_allclose(heights(softmax_ex._bars), softmax_ex.probs)
    assert jacobian_ex._image.get_array().shape == (size, size)
    assert len(jacobian_ex._image.axes.texts) == (size * size if size <= 6 else 0)
    assert len(jacobian_ex.live.figure.axes) == 2  # the heatmap and its one colour bar


def test_new_sliders_start_at_zero_and_old_ones_keep_their_values():
    explorer = softmax_explorer([1.0, 2.0, 3.0])
    explorer.controls.size.value = 5
    np.testing.assert_array_equal(explorer.logits, [1.0, 2.0, 3.0, 0.0, 0.0])
    explorer.controls.size.value = 2
    np.testing.assert_array_equal(explorer.logits, [1.0, 2.0])


def test_set_logits_updates_once():
    explorer = jacobian_explorer()
    calls = []
    original = explorer.update
    explorer.controls._on_change = lambda: (calls.append(1), original())
    explorer.set_logits(np.linspace(-2, 2, 8), temperature=0.5)
    assert len(calls) == 1
    np.testing.assert_allclose(explorer.jacobian, softmax_jacobian(np.linspace(-2, 2, 8), 0.5))


@pytest.mark.parametrize("bad", [[1.0], list(range(11)), [[1.0, 2.0]], [np.nan, 1.0]])
def test_explorers_reject_logits_they_cannot_show(bad):
    with pytest.raises(ValueError, match="logits"):
        softmax_explorer(bad)


# -- presets --------------------------------------------------------------------------------


def test_presets_are_the_teaching_moments():
    assert set(PRESETS) == {"all equal", "one dominant", "two tied", "huge scale",
                            "low temperature"}
    for logits, temperature in PRESETS.values():
        assert MIN_CLASSES <= len(logits) <= MAX_CLASSES and temperature > 0


@pytest.mark.parametrize("name", list(PRESETS))
def test_preset_buttons_move_the_controls(name):
    explorer = jacobian_explorer(np.zeros(7), temperature=3.0)
    explorer.controls.preset_buttons[name].click()
    logits, temperature = PRESETS[name]
    np.testing.assert_array_equal(explorer.logits, logits)
    assert explorer.temperature == pytest.approx(temperature)
    np.testing.assert_allclose(explorer._image.get_array(),
                               softmax_jacobian(logits, temperature=temperature))


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


def test_preset_huge_scale_widens_the_sliders_and_changes_nothing_else():
    explorer = softmax_explorer()
    explorer.apply_preset("huge scale")
    assert all(slider.max == 1000.0 and slider.min == -1000.0
               for slider in explorer.controls.logit_sliders)
    np.testing.assert_allclose(explorer.probs, softmax([2.0, 1.0, 0.0]))  # shift invariance
    explorer.apply_preset("all equal")
    assert explorer.controls.logit_sliders[0].max == 10.0  # narrowed back


def test_preset_low_temperature_sharpens_towards_one_hot():
    explorer = jacobian_explorer()
    explorer.apply_preset("low temperature")
    assert explorer.temperature == pytest.approx(0.1)
    assert explorer.probs.max() > 0.9999
    assert np.abs(explorer.jacobian).max() < 1e-3


def test_slider_bound():
    assert slider_bound([10.0]) == 10.0
    assert slider_bound([10.5]) == 100.0
    assert slider_bound([-1000.0]) == 1000.0


# -- extreme positions: no warning, no NaN ----------------------------------------------------


def extreme_settings(sliders, temperature):
    """Every slider at its minimum or maximum, alternately, at both temperature ends."""
    for low_first, temperature_exponent in itertools.product((True, False), (-2.0, 1.0)):
        values = [
            slider.min if (index % 2 == 0) == low_first else slider.max
            for index, slider in enumerate(sliders)
        ]
        yield values, 10.0**temperature_exponent


@pytest.mark.parametrize("make", [softmax_explorer, jacobian_explorer])
@pytest.mark.parametrize("preset", [None, "huge scale"])
def test_extreme_slider_positions_give_no_warning_and_no_nan(make, preset):
    explorer = make(np.zeros(10))
    if preset:
        explorer.apply_preset(preset)
        explorer.controls.size.value = 10
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for values, temperature in extreme_settings(explorer.controls.logit_sliders, 1.0):
            for slider, value in zip(explorer.controls.logit_sliders, values, strict=True):
                slider.value = value
            explorer.controls.temperature.value = temperature
            assert np.isfinite(explorer.probs).all()
            assert np.isfinite(explorer.jacobian).all()
            for artist in explorer.live._changing:
                data = getattr(artist, "get_array", lambda: None)()
                if data is not None:
                    assert np.isfinite(data).all()
            assert "nan" not in explorer.readout_text.lower()
            assert "inf" not in explorer.readout_text.lower()
            assert "✓" in explorer.readout_text or make is softmax_explorer


def test_all_sliders_together_at_the_ends_stay_consistent():
    explorer = jacobian_explorer(np.zeros(4))
    for slider in explorer.controls.logit_sliders:
        slider.value = slider.max
    explorer.controls.temperature.value = 0.01
    facts = jacobian_properties(explorer.jacobian, explorer.temperature)
    assert facts["symmetric"] and facts["rows_sum_to_zero"] and facts["diagonal_within_bound"]
    assert facts["rank"] == 3  # all equal at T = 0.01: entries of size 1/T, rank D - 1


# -- display ----------------------------------------------------------------------------------


def test_mimebundle_has_the_widget_a_static_png_and_the_readout(explorer):
    bundle = explorer._repr_mimebundle_()
    assert "model_id" in bundle["application/vnd.jupyter.widget-view+json"]
    png = base64.b64decode(bundle["image/png"])
    assert png == explorer.png and png.startswith(b"\x89PNG")
    assert bundle["text/plain"] == f"{explorer.title}\n{explorer.readout_text}"


def test_live_figure_redraws_only_declared_artists():
    figure = live_figure_canvas(3, 2)
    ax = figure.subplots()
    (line,) = ax.plot([0, 1], [0, 1])
    title = ax.set_title("before")
    live = LiveFigure(figure)
    live.set_changing([line])
    live.redraw()
    title.set_text("after")  # not declared: the kept background still says "before"
    line.set_ydata([1, 0])
    live.redraw()
    kept = pixels(live.png)
    live.redraw(full=True)
    assert not np.array_equal(kept, pixels(live.png))
    assert line.get_animated()
    live.set_changing([])
    assert not line.get_animated()


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
    lab.scale_slider.value = 100.0  # past 88.72
    assert "overflow" in lab.readout_text.splitlines()[1]
    assert lab._naive_problem.get_text().startswith("overflow")
    assert not lab._naive_bars[0].get_visible()
    lab.dtype_buttons.value = "float64"  # 100 is far below 709.78
    assert lab.comparison["naive_problem"] is None
    assert lab._naive_bars[0].get_visible() and lab._naive_problem.get_text() == ""
    lab.scale_slider.value = 1000.0
    assert "overflow" in lab.readout_text.splitlines()[1]
    np.testing.assert_allclose(heights(lab._shifted_bars), lab.comparison["shifted"])


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_lab_extreme_positions_give_no_warning_and_draw_no_nan(dtype):
    lab = stability_lab(np.zeros(10), dtype=dtype)
    lab.apply_preset("huge scale")
    lab.controls.size.value = 10
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for values, temperature in extreme_settings(lab.controls.logit_sliders, 1.0):
            lab.set_logits(values, temperature)  # one full redraw, not eleven
            lab.scale_slider.value = 1000.0
            for bars in (lab._naive_bars, lab._shifted_bars, lab._log_bars):
                assert np.isfinite(heights(bars)).all()
            assert np.isfinite(lab.comparison["log_probs"]).all()
            assert np.isfinite(lab.comparison["shifted"]).all()
            # NaN appears only as the naive method's explained failure
            naive_line = lab.readout_text.splitlines()[1]
            assert "nan" not in lab.readout_text.replace(naive_line, "").lower()


def test_values_from_the_browser_lose_their_binary_noise():
    explorer = jacobian_explorer([1.0, 2.0, 3.0])
    explorer.controls.logit_sliders[0].value = 4.300000000000001  # as a browser sends it
    assert explorer.logits[0] == 4.3
    np.testing.assert_array_equal(explorer.jacobian, softmax_jacobian([4.3, 2.0, 3.0]))
    explorer.controls.temperature.value = 10**-0.73 * (1 + 2e-16)
    assert explorer.temperature == float(f"{10**-0.73:.12g}")
    lab = stability_lab()
    lab.scale_slider.value = 100.00000000000001
    assert lab.scale == 100.0
    assert "overflows" in lab.readout_text and "exponent 100.0 " in lab.readout_text


def test_a_value_from_the_browser_is_never_written_back():
    """A write-back would reach the browser while the next key press travels and undo it."""
    explorer = jacobian_explorer([1.0, 2.0, 3.0])
    lab = stability_lab()
    sliders = [explorer.controls.logit_sliders[0], explorer.controls.temperature, lab.scale_slider]
    noisy = [4.300000000000001, 10**-0.73 * (1 + 2e-16), 100.00000000000001]
    for slider, value in zip(sliders, noisy, strict=True):
        writes = []
        slider.observe(writes.append, names="value")
        slider.value = value  # as a browser sends it
        assert [change["new"] for change in writes] == [value], "the kernel changed the value back"
        assert slider.value == value
