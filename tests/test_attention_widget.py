"""The attention explorer, kernel side: the slider redraws the heatmap and readout from attention()."""

import numpy as np
import pytest

from course_utils import attention
from course_utils.widgets.attention import SCALE_RANGE, AttentionExplorer


@pytest.fixture(scope="module")
def explorer():
    return AttentionExplorer(n_tokens=5, width=16, seed=2)


def test_the_heatmap_shows_the_weights_of_attention(explorer):
    explorer.set_factor(0.5)
    expected = attention.attention(explorer.query_matrix, explorer.key_matrix, explorer.value_matrix,
                                   attention.causal_mask(5), scale=0.5 * 4.0)[1]
    np.testing.assert_allclose(explorer.weights, expected)
    np.testing.assert_allclose(explorer.image.get_array(), expected)
    assert explorer.readout_text.startswith("scale s = 0.50 · √d = 2")


def test_moving_the_slider_changes_the_picture_and_the_readout(explorer):
    explorer.set_factor(1.0)
    before = (explorer.png, explorer.readout_text)
    explorer.set_factor(0.1)
    assert explorer.png != before[0] and explorer.readout_text != before[1]
    explorer.set_factor(1.0)
    assert (explorer.png, explorer.readout_text) == before  # the same scale draws the same picture


def test_a_small_scale_saturates_and_the_gradient_shrinks(explorer):
    sizes = {}
    for factor in (SCALE_RANGE[0], 1.0):
        explorer.set_factor(factor)
        sizes[factor] = float(explorer.readout_text.rsplit(" ", 1)[1])
    assert sizes[SCALE_RANGE[0]] < sizes[1.0] / 10


def test_masked_cells_are_hatched(explorer):
    hatched = [patch for patch in explorer.image.axes.patches if patch.get_hatch()]
    assert len(hatched) == 5 * 4 // 2  # the cells above the diagonal


def test_the_stored_output_is_the_readout(explorer):
    bundle = explorer._repr_mimebundle_()
    assert bundle["text/plain"].endswith(explorer.readout_text) and "image/png" in bundle
