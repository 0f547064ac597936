"""Tests for course_utils.plots.bars: the probability bar chart and its in-place update."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from course_utils import softmax
from course_utils.plots import probability_bars, update_probability_bars
from course_utils.plots.bars import class_labels


@pytest.fixture
def bars():
    bars = probability_bars(softmax([1.0, 2.0, 3.0]))
    yield bars
    plt.close(bars[0].figure)


def value_labels(ax):
    return [text.get_text() for text in ax.texts]


def test_heights_are_the_probabilities(bars):
    heights = [bar.get_height() for bar in bars]
    np.testing.assert_allclose(heights, softmax([1.0, 2.0, 3.0]))


def test_each_bar_is_labelled_with_its_value(bars):
    assert value_labels(bars[0].axes) == ["0.09", "0.24", "0.67"]


def test_y_axis_is_fixed_from_zero_past_one(bars):
    bottom, top = bars[0].axes.get_ylim()
    assert bottom == 0.0 and top > 1.0


def test_default_tick_labels_number_classes_from_one(bars):
    assert [t.get_text() for t in bars[0].axes.get_xticklabels()] == ["σ₁", "σ₂", "σ₃"]


def test_custom_labels_and_given_axes():
    fig, ax = plt.subplots()
    bars = probability_bars([0.5, 0.5], ax=ax, labels=["cat", "dog"])
    assert bars[0].axes is ax
    assert [t.get_text() for t in ax.get_xticklabels()] == ["cat", "dog"]
    plt.close(fig)


def test_update_changes_the_same_artists(bars):
    patches_before = list(bars.patches)
    update_probability_bars(bars, [0.0, 0.0, 1.0])
    assert list(bars.patches) == patches_before
    assert [bar.get_height() for bar in bars] == [0.0, 0.0, 1.0]
    assert value_labels(bars[0].axes) == ["0.00", "0.00", "1.00"]
    assert len(bars[0].axes.texts) == 3  # no labels pile up


def test_update_rejects_a_wrong_number_of_probabilities(bars):
    with pytest.raises(ValueError, match="expected 3 probabilities"):
        update_probability_bars(bars, [0.5, 0.5])


def test_class_labels_use_subscripts_for_two_digits():
    assert class_labels(10)[-1] == "σ₁₀"
