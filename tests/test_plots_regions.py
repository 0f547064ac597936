"""Tests for course_utils.plots.regions: the grid and the decision-region picture."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_rgba

from course_utils import training
from course_utils.plots import COLORS
from course_utils.plots.regions import CLASS_COLORS, decision_regions, region_grid


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_region_grid_covers_the_data_with_padding():
    features = np.array([[0.0, -1.0], [2.0, 3.0]])
    grid_x, grid_y = region_grid(features, resolution=5, padding=1.0)
    assert grid_x.shape == grid_y.shape == (5, 5)
    assert (grid_x.min(), grid_x.max(), grid_y.min(), grid_y.max()) == (-1.0, 3.0, -2.0, 4.0)


def test_region_grid_rejects_other_than_2d_points():
    with pytest.raises(ValueError, match=r"\(N, 2\)"):
        region_grid(np.zeros((3, 3)))


def test_regions_hold_the_classifier_predictions_on_the_grid():
    features, labels = training.make_blobs(n_per_class=10)
    run = training.train(features, labels, steps=50)

    def predict(points):
        return training.predict(points, run.weights, run.bias)

    ax = decision_regions(predict, features, labels, resolution=30)
    grid_x, grid_y = region_grid(features, resolution=30)
    expected = predict(np.column_stack([grid_x.ravel(), grid_y.ravel()])).reshape(30, 30)
    image = ax.images[0]
    np.testing.assert_array_equal(image.get_array(), expected)
    assert image.origin == "lower"
    assert image.get_extent() == pytest.approx(
        [grid_x.min(), grid_x.max(), grid_y.min(), grid_y.max()])
    # each class's shade is a light version of its colour
    for k in range(3):
        shade = np.array(image.cmap(image.norm(k)))
        full = np.array(to_rgba(COLORS[CLASS_COLORS[k]]))
        assert np.all(shade[:3] >= full[:3]) and shade[:3].mean() > 0.7


def test_points_are_drawn_per_class_with_their_labels():
    features, labels = training.make_blobs(n_per_class=5)
    ax = decision_regions(lambda p: np.zeros(len(p), dtype=int), features, labels,
                          class_names=["a", "b", "c"], resolution=10)
    assert len(ax.collections) == 3
    for k, collection in enumerate(ax.collections):
        np.testing.assert_array_equal(collection.get_offsets(), features[labels == k])
        assert collection.get_label() == "abc"[k]
        assert np.allclose(collection.get_facecolor()[0], to_rgba(COLORS[CLASS_COLORS[k]]))
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b", "c"]


def test_too_many_classes_are_refused():
    features = np.zeros((7, 2))
    with pytest.raises(ValueError, match="at most"):
        decision_regions(lambda p: np.zeros(len(p), dtype=int), features, np.arange(7))


def test_linear_regions_are_exact_polygons_that_agree_with_argmax():
    from matplotlib.path import Path

    from course_utils.plots.regions import REGION_GID, linear_regions

    rng = np.random.default_rng(3)
    weights, bias = rng.normal(size=(2, 3)), rng.normal(size=3)
    box = (-3.0, 3.0, -2.0, 2.0)
    regions = linear_regions(weights, bias, box)
    points = rng.uniform([-3, -2], [3, 2], size=(2000, 2))
    winner = np.argmax(points @ weights + bias, axis=1)
    for k, corners in enumerate(regions):
        inside = Path(corners).contains_points(points) if len(corners) >= 3 else np.zeros(len(points), bool)
        assert np.array_equal(inside, winner == k)
        for corner in corners:  # every corner inside the box lies on a line where two logits tie
            on_edge = np.isclose(corner[0], box[:2]).any() or np.isclose(corner[1], box[2:]).any()
            logits = corner @ weights + bias
            assert on_edge or np.sort(logits)[-1] - np.sort(logits)[-2] < 1e-9
    ax = decision_regions(None, points, winner, linear=(weights, bias))
    assert len([p for p in ax.patches if p.get_gid() == REGION_GID]) == sum(len(c) >= 3 for c in regions)
    assert not ax.images


def test_untrained_linear_model_gives_the_whole_box_to_the_first_class():
    from course_utils.plots.regions import linear_regions

    regions = linear_regions(np.zeros((2, 3)), np.zeros(3), (0, 1, 0, 1))
    assert len(regions[0]) == 4 and len(regions[1]) == 0 and len(regions[2]) == 0
