"""Tests for course_utils.plots.stability: the overflow gauge and log-probability bars."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_rgba

from course_utils.plots import COLORS
from course_utils.plots.stability import (
    GAUGE_RANGE,
    OVERFLOW_POINTS,
    log_probability_bars,
    overflow_gauge,
    update_log_probability_bars,
    update_overflow_gauge,
)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_gauge_marks_both_overflow_points_on_a_log_axis():
    bar = overflow_gauge(10.0)
    ax = bar.axes
    assert ax.get_xscale() == "log" and ax.get_xlim() == GAUGE_RANGE
    marked = sorted(line.get_xdata()[0] for line in ax.lines)
    assert marked == pytest.approx(sorted(OVERFLOW_POINTS.values()))


@pytest.mark.parametrize(
    ("exponent", "dtype", "colour"),
    [(88.0, "float32", "blue"), (89.0, "float32", "vermillion"),
     (709.0, "float64", "blue"), (710.0, "float64", "vermillion")],
)
def test_gauge_turns_vermillion_past_the_types_overflow_point(exponent, dtype, colour):
    bar = overflow_gauge(exponent, dtype)
    assert bar.get_width() == exponent
    assert bar.get_facecolor() == to_rgba(COLORS[colour])


def test_gauge_clips_values_off_its_axis():
    bar = overflow_gauge(-5.0)
    assert bar.get_width() == GAUGE_RANGE[0]
    update_overflow_gauge(bar, 1e12, "float64")
    assert bar.get_width() == GAUGE_RANGE[1]


def test_log_probability_bars_heights_labels_and_limits():
    bars = log_probability_bars([0.0, -0.5, -2000.0])
    ax = bars[0].axes
    assert [bar.get_height() for bar in bars] == [0.0, -0.5, -2000.0]
    assert [text.get_text() for text in ax.texts] == ["0", "−0.5", "−2000"]
    bottom, top = ax.get_ylim()
    assert bottom < -2000.0 and top > 0.0
    update_log_probability_bars(bars, np.array([-1.0, -1.0, -1.0]))
    assert ax.get_ylim()[0] == pytest.approx(-1.25)  # room for the labels under the bars
