"""Tests for course_utils.plots.curves: loss curves, line charts and timing lines."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_hex

from course_utils.plots import COLORS
from course_utils.plots.curves import line_chart, loss_curves, timing_lines


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_line_chart_draws_each_curve_with_its_data_label_and_own_colour_and_style():
    ax = line_chart([1, 2, 3], {"a": [3, 2, 1], "b": [1, 4, 9]}, xlabel="x", ylabel="y",
                    title="t")
    first, second = ax.get_lines()
    np.testing.assert_array_equal(first.get_xdata(), [1, 2, 3])
    np.testing.assert_array_equal(second.get_ydata(), [1, 4, 9])
    assert [first.get_label(), second.get_label()] == ["a", "b"]
    assert to_hex(first.get_color()) == COLORS["blue"].lower()
    assert first.get_color() != second.get_color()
    assert first.get_linestyle() != second.get_linestyle()
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == ("x", "y", "t")
    legend = [text.get_text() for text in ax.get_legend().get_texts()]
    assert legend == ["a", "b"]


def test_line_chart_log_axes_and_markers():
    ax = line_chart([1, 10], {"a": [1, 100]}, log_x=True, log_y=True, markers=True)
    assert (ax.get_xscale(), ax.get_yscale()) == ("log", "log")
    assert ax.get_lines()[0].get_marker() == "o"


def test_line_chart_rejects_mismatched_or_missing_curves():
    with pytest.raises(ValueError, match="shape"):
        line_chart([0, 1], {"a": [1, 2, 3]})
    with pytest.raises(ValueError, match="empty"):
        line_chart([0, 1], {})


def test_line_chart_draws_into_a_given_axes():
    fig, ax = plt.subplots()
    assert line_chart([0, 1], {"a": [0, 1]}, ax=ax) is ax


def test_loss_curves_use_step_numbers_from_zero():
    ax = loss_curves({"right": [1.1, 0.5, 0.2], "wrong": [1.1, 2.0, 4.0]}, log_y=True)
    for line in ax.get_lines():
        np.testing.assert_array_equal(line.get_xdata(), [0, 1, 2])
    assert ax.get_xlabel() == "step"
    assert ax.get_yscale() == "log"
    assert "loss" in ax.get_ylabel()


def test_loss_curves_reject_different_lengths():
    with pytest.raises(ValueError, match="different lengths"):
        loss_curves({"a": [1, 2], "b": [1, 2, 3]})


def test_timing_lines_guides_have_slopes_two_and_one_through_the_last_points():
    dims = np.array([8.0, 64.0, 512.0])
    seconds = {"slow": [1e-5, 1e-4, 1e-2], "fast": [1e-5, 2e-5, 1e-4]}
    ax = timing_lines(dims, seconds)
    assert (ax.get_xscale(), ax.get_yscale()) == ("log", "log")
    lines = {line.get_label(): line for line in ax.get_lines()}
    steep = next(line for label, line in lines.items() if "slope 2" in label)
    gentle = next(line for label, line in lines.items() if "slope 1" in label)
    for guide, slope, end in ((steep, 2, 1e-2), (gentle, 1, 1e-4)):
        y = guide.get_ydata()
        assert y[-1] == pytest.approx(end)
        measured = np.diff(np.log(y)) / np.diff(np.log(dims))
        np.testing.assert_allclose(measured, slope)
    np.testing.assert_array_equal(lines["slow"].get_ydata(), seconds["slow"])
    assert [tick.get_text() for tick in ax.get_xticklabels()] == ["8", "64", "512"]
