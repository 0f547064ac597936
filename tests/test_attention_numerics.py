"""Scaled dot-product attention: masks, the backward pass, checked against finite differences and autograd."""

import numpy as np
import pytest

import course_utils as cu
from course_utils import attention as at
from course_utils import autograd_reference as reference

RNG = np.random.default_rng(9)
Q, K, V = RNG.normal(size=(3, 4)), RNG.normal(size=(5, 4)), RNG.normal(size=(5, 2))
UPSTREAM = RNG.normal(size=(3, 2))
MASK = at.padding_mask(3, 4, 5)


@pytest.mark.parametrize("mask", [None, MASK], ids=["no mask", "padding mask"])
def test_backward_matches_autograd(mask):
    _, weights = at.attention(Q, K, V, mask)
    ours = at.attention_backward(Q, K, V, weights, UPSTREAM)
    for mine, theirs in zip(ours, reference.attention_gradients(Q, K, V, UPSTREAM, mask), strict=True):
        np.testing.assert_allclose(mine, theirs, rtol=1e-10, atol=1e-13)


@pytest.mark.parametrize("which", [0, 1, 2])
def test_backward_matches_finite_differences(which):
    _, weights = at.attention(Q, K, V, MASK)
    grads = at.attention_backward(Q, K, V, weights, UPSTREAM)
    inputs = [Q, K, V]

    def loss(trial):
        arguments = [trial if i == which else a for i, a in enumerate(inputs)]
        return float(np.sum(UPSTREAM * at.attention(*arguments, MASK)[0]))

    assert cu.gradient_check(loss, grads[which], inputs[which]) < 1e-6


def test_a_masked_key_gets_weight_zero_and_its_score_gradient_exactly_zero():
    _, weights = at.attention(Q, K, V, MASK)
    assert (weights[:, 4] == 0).all()
    grad_scores = cu.softmax_backward(weights, UPSTREAM @ V.T)
    assert (grad_scores[:, 4] == 0).all()
    _, grad_keys, _ = at.attention_backward(Q, K, V, weights, UPSTREAM)
    assert (grad_keys[4] == 0).all()


def test_causal_mask_lets_each_position_see_only_the_past():
    _, weights = at.attention(K, K, V, at.causal_mask(5))
    assert (np.triu(weights, k=1) == 0).all()
    np.testing.assert_allclose(weights.sum(axis=1), 1.0)


def test_sqrt_d_is_a_temperature():
    scores = Q @ K.T
    _, weights = at.attention(Q, K, V)
    np.testing.assert_allclose(weights, cu.softmax(scores, temperature=np.sqrt(4)), rtol=1e-14)


def test_a_fully_masked_row_is_a_clear_error():
    mask = np.zeros((3, 5))
    mask[1] = -np.inf
    with pytest.raises(ValueError, match="row 1 of the mask masks every key"):
        at.attention(Q, K, V, mask)


def test_bad_shapes_and_masks_are_clear_errors():
    with pytest.raises(ValueError, match="same width d"):
        at.attention_scores(Q, V)
    with pytest.raises(ValueError, match="5 keys but 3 values"):
        at.attention(Q, K, V[:3])
    with pytest.raises(ValueError, match="never NaN or"):
        at.attention(Q, K, V, np.full((3, 5), np.nan))
    with pytest.raises(ValueError, match="length must be between"):
        at.padding_mask(2, 0, 3)
