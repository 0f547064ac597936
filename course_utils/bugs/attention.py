"""Mistakes in the attention weights softmax(QKᵀ/√d + M) (notebook 09).

Each function takes ``(queries, keys, mask)`` like the exercise: queries (n_queries, d), keys
(n_keys, d) and a mask of 0 (keep) and −inf (mask). ``{d}`` and ``{root}`` in an explanation
are the width d and √d.
"""

import numpy as np

from ..softmax import softmax
from .catalogue import mistake

CHECK = "check_attention_weights"


def _width(queries):
    return queries.shape[1]


@mistake(
    CHECK,
    "unscaled_scores",
    "the scores are not divided by √d",
    "09",
    "{name} takes the softmax of QKᵀ without dividing by √d. A dot product of two d-dimensional "
    "vectors with unit-variance entries has variance d, so the scores grow with d and the softmax "
    "saturates; dividing by √d (a temperature T = √d) brings them back to variance 1: "
    "`queries @ keys.T / np.sqrt(d)` with d = queries.shape[1].",
)
def attention_weights_unscaled(queries, keys, mask):
    return softmax(queries @ keys.T + mask)


@mistake(
    CHECK,
    "scaled_by_d",
    "divided by d instead of √d",
    "09",
    "{name} divides the scores by d = {d} instead of √d = {root:.4g}: the scores' standard "
    "deviation grows like √d, so √d is what brings it back to 1. Use `np.sqrt(queries.shape[1])`.",
)
def attention_weights_scaled_by_d(queries, keys, mask):
    return softmax(queries @ keys.T / _width(queries) + mask)


@mistake(
    CHECK,
    "mask_ignored",
    "the mask is not applied",
    "09",
    "{name} leaves out the mask: the masked keys get weight. Add the mask to the scaled scores "
    "BEFORE the softmax (−inf becomes exp(−inf) = 0): `softmax(scores + mask)`.",
)
def attention_weights_mask_ignored(queries, keys, mask):
    return softmax(queries @ keys.T / np.sqrt(_width(queries)))


@mistake(
    CHECK,
    "wrong_axis",
    "normalised over the wrong axis",
    "09",
    "{name} normalises down the columns (over the queries, axis=0). Each query's weights over the "
    "keys must sum to 1: softmax along the last axis, `axis=-1`.",
)
def attention_weights_over_queries(queries, keys, mask):
    return softmax(queries @ keys.T / np.sqrt(_width(queries)) + mask, axis=0)


@mistake(
    CHECK,
    "transposed_scores",
    "keys and queries swapped: KQᵀ instead of QKᵀ",
    "09",
    "{name} computes KQᵀ, one row per KEY. Row i of the weights belongs to query i: "
    "`queries @ keys.T`, shape (n_queries, n_keys).",
)
def attention_weights_transposed(queries, keys, mask):
    scores = keys @ queries.T / np.sqrt(_width(queries))
    if scores.shape == mask.shape:  # a square mask still fits, and gets added
        scores = scores + mask
    return softmax(scores)
