"""The attention explorer, kernel side: its weights and readout are attention()'s, its fallbacks right."""

import numpy as np
import pytest
import traitlets

from course_utils import attention
from course_utils.widgets.attention import FACTOR_MIN, AttentionExplorer


@pytest.fixture(scope="module")
def explorer():
    return AttentionExplorer(n_tokens=5, width=16, seed=2)


def test_the_weights_are_those_of_attention(explorer):
    explorer.set_factor(0.5)
    expected = attention.attention(explorer.query_matrix, explorer.key_matrix, explorer.value_matrix,
                                   attention.causal_mask(5), scale=0.5 * 4.0)[1]
    np.testing.assert_allclose(explorer.weights, expected)
    assert explorer.readout_text.startswith("scale s = 0.50 · √d = 2")
    largest = explorer.readout_text.splitlines()[1].split(": ")[1].split()
    assert [float(value) for value in largest] == [round(value, 2) for value in expected.max(axis=1)]


def test_the_page_gets_the_inputs_and_the_mask(explorer):
    assert np.array_equal(explorer.query_rows, explorer.query_matrix)
    assert np.array_equal(explorer.masked, np.triu(np.ones((5, 5), dtype=bool), k=1))


def test_a_small_scale_saturates_and_the_gradient_shrinks(explorer):
    sizes = {}
    for factor in (FACTOR_MIN, 1.0):
        explorer.set_factor(factor)
        sizes[factor] = float(explorer.readout_text.rsplit(" ", 1)[1])
    assert sizes[FACTOR_MIN] < sizes[1.0] / 10


def test_a_factor_off_the_slider_is_a_clear_error(explorer):
    with pytest.raises(traitlets.TraitError, match="between 0.05 and 4.0"):
        explorer.set_factor(0.0)


def test_the_stored_output_is_the_readout_and_a_picture(explorer):
    explorer.set_factor(1.0)
    bundle = explorer._repr_mimebundle_()
    data = bundle[0] if isinstance(bundle, tuple) else bundle
    assert data["text/plain"].endswith(explorer.readout_text) and data["image/png"]
    assert explorer.png[:4] == b"\x89PNG"
