"""Tests for course_utils.plots.heatmap: the Jacobian heatmap and its in-place update."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_rgba

from course_utils import softmax_jacobian
from course_utils.formatting import format_matrix
from course_utils.plots import DIVERGING_CMAP, jacobian_heatmap, update_jacobian_heatmap
from course_utils.plots.heatmap import colormap_samples


@pytest.fixture
def close_figures():
    yield
    plt.close("all")


def entry_texts(image):
    return [text.get_text() for text in image.axes.texts]


def diagonal_outlines(image):
    return [patch for patch in image.axes.patches if patch.get_gid() == "jacobian-diagonal"]


def test_image_holds_the_jacobian(close_figures):
    jacobian = softmax_jacobian([1.0, 2.0, 3.0])
    image = jacobian_heatmap(jacobian)
    np.testing.assert_array_equal(image.get_array(), jacobian)


def test_colormap_is_diverging_centred_at_zero_with_fixed_symmetric_limits(close_figures):
    image = jacobian_heatmap(softmax_jacobian([5.0, 0.0, 0.0]))  # entries far below 1/4
    assert image.get_cmap().name == DIVERGING_CMAP
    assert (image.norm.vmin, image.norm.vcenter, image.norm.vmax) == (-0.25, 0.0, 0.25)
    # white at 0: the centre of the colormap is (nearly) white
    assert np.allclose(image.cmap(image.norm(0.0)), to_rgba("white"), atol=0.05)


def test_limit_is_a_keyword(close_figures):
    image = jacobian_heatmap(np.eye(2), limit=2.0)
    assert (image.norm.vmin, image.norm.vmax) == (-2.0, 2.0)


def test_axes_and_colour_bar_are_labelled_with_the_partial_derivative(close_figures):
    image = jacobian_heatmap(softmax_jacobian([0.0, 1.0]))
    ax = image.axes
    assert "∂σᵢ/∂xⱼ" in ax.get_title()
    assert "xⱼ" in ax.get_xlabel() and "σᵢ" in ax.get_ylabel()
    colorbar_axes = [other for other in ax.figure.axes if other is not ax]
    assert len(colorbar_axes) == 1
    assert colorbar_axes[0].get_ylabel() == "∂σᵢ/∂xⱼ"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["x₁", "x₂"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["σ₁", "σ₂"]


def test_colour_bar_can_be_left_out(close_figures):
    image = jacobian_heatmap(np.zeros((2, 2)), colorbar=False)
    assert image.figure.axes == [image.axes]


@pytest.mark.parametrize(("size", "expected_labels"), [(2, 4), (6, 36), (7, 0), (10, 0)])
def test_values_annotated_by_default_up_to_six_classes(close_figures, size, expected_labels):
    image = jacobian_heatmap(softmax_jacobian(np.arange(size, dtype=float)))
    assert len(image.axes.texts) == expected_labels


def test_annotate_can_be_forced_either_way(close_figures):
    assert len(jacobian_heatmap(np.zeros((8, 8)), annotate=True).axes.texts) == 64
    assert len(jacobian_heatmap(np.zeros((3, 3)), annotate=False).axes.texts) == 0


def test_annotations_are_the_values_row_by_row(close_figures):
    image = jacobian_heatmap(softmax_jacobian([0.0, 0.0]))
    assert entry_texts(image) == ["0.250", "−0.250", "−0.250", "0.250"]


def test_diagonal_is_outlined_and_bold(close_figures):
    image = jacobian_heatmap(softmax_jacobian([0.0, 1.0, 2.0]))
    outlines = diagonal_outlines(image)
    assert [patch.get_xy() for patch in outlines] == [(-0.5, -0.5), (0.5, 0.5), (1.5, 1.5)]
    weights = [text.get_fontweight() for text in image.axes.texts]
    assert weights == ["bold" if row == col else "normal" for row in range(3) for col in range(3)]


def test_update_same_size_changes_only_data(close_figures):
    image = jacobian_heatmap(softmax_jacobian([0.0, 0.0]))
    texts_before = list(image.axes.texts)
    new = softmax_jacobian([3.0, 0.0])
    update_jacobian_heatmap(image, new)
    np.testing.assert_array_equal(image.get_array(), new)
    assert list(image.axes.texts) == texts_before
    assert entry_texts(image) == [text for row in format_matrix(new) for text in row]


def test_update_to_another_size_redraws_structure(close_figures):
    image = jacobian_heatmap(softmax_jacobian([0.0, 0.0]))
    figure_axes = list(image.figure.axes)
    update_jacobian_heatmap(image, softmax_jacobian(np.zeros(4)))
    assert image.get_array().shape == (4, 4)
    assert image.get_extent() == [-0.5, 3.5, 3.5, -0.5]
    assert len(image.axes.texts) == 16 and len(diagonal_outlines(image)) == 4
    update_jacobian_heatmap(image, softmax_jacobian(np.zeros(10)))
    assert len(image.axes.texts) == 0 and len(diagonal_outlines(image)) == 10
    assert image.figure.axes == figure_axes  # no new colour bar, no new figure


def test_text_colour_is_white_on_dark_cells(close_figures):
    image = jacobian_heatmap(np.array([[0.25, 0.0], [0.0, -0.25]]))
    colours = [text.get_color() for text in image.axes.texts]
    assert colours == ["white", "black", "black", "white"]


def test_rejects_non_square_input(close_figures):
    with pytest.raises(ValueError, match="square"):
        jacobian_heatmap(np.zeros((2, 3)))


@pytest.mark.parametrize(
    ("matrix", "texts"),
    [([[-0.25, 0.0], [-1e-15, 1.0]], ["−0.250", "0.000", "0.000", "1.000"]),
     ([[0.0005, -0.25]], ["0.001", "−0.250"]),
     # one entry too small for 3 decimals: the whole matrix in one scientific format
     ([[-6.2e-6, 0.25], [4.5e-5, -7e-30]], ["−6.2e−06", "2.5e−01", "4.5e−05", "0"])],
)
def test_one_number_format_per_matrix(matrix, texts):
    assert [text for row in format_matrix(matrix) for text in row] == texts


def test_saturated_heatmap_never_mixes_formats(close_figures):
    image = jacobian_heatmap(softmax_jacobian([12.0, 0.0, 0.0]))  # entries ~6e-6 and 0
    written = entry_texts(image)
    assert all("e" in text or text == "0" for text in written), written


def test_diagonal_values_share_the_font_family_and_are_at_least_9_points(close_figures):
    image = jacobian_heatmap(softmax_jacobian(np.zeros(6)))
    families = {tuple(text.get_fontfamily()) for text in image.axes.texts}
    assert len(families) == 1
    assert min(text.get_fontsize() for text in image.axes.texts) >= 9
    bold = [text for text in image.axes.texts if text.get_fontweight() == "bold"]
    assert len(bold) == 6


def test_colormap_samples_match_matplotlib():
    samples = colormap_samples(3)
    assert samples[0] == to_hex_rgb(plt.get_cmap(DIVERGING_CMAP)(0.0))
    assert samples[-1] == to_hex_rgb(plt.get_cmap(DIVERGING_CMAP)(1.0))


def to_hex_rgb(rgba):
    return "#" + "".join(f"{round(255 * c):02x}" for c in rgba[:3])
