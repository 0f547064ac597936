"""The one-hidden-layer network: gradients against autograd and finite differences, and what it learns."""

import numpy as np

from course_utils import autograd_reference as reference
from course_utils import hidden_layer as hl
from course_utils import training

FEATURES, LABELS = hl.make_xor(n_per_corner=10)


def test_gradients_match_autograd():
    params = hl.init_network(seed=4)
    _, ours = hl.network_gradients(params, FEATURES, LABELS)
    theirs = reference.network_gradients(params, FEATURES, LABELS)
    for name in hl.PARAMETERS:
        np.testing.assert_allclose(ours[name], theirs[name], rtol=1e-10, atol=1e-14)


def test_gradients_match_finite_differences():
    errors = hl.check_network_gradients(hl.init_network(seed=5), FEATURES, LABELS)
    assert max(errors.values()) < 1e-5, errors


def test_the_hidden_layer_separates_xor_where_a_linear_model_cannot():
    params, losses = hl.train_network(FEATURES, LABELS, steps=300)
    hidden_accuracy = np.mean(hl.predict_network(params, FEATURES) == LABELS)
    linear = training.train(FEATURES, LABELS, steps=300)
    assert hidden_accuracy > 0.95 and linear.accuracies[-1] < 0.75
    assert losses[-1] < 0.2 < losses[0]
