"""The Hessian of cross-entropy by SymPy is diag(σ) − σσᵀ, and its quadratic form is a variance."""

import numpy as np
import sympy as sp

import course_utils as cu
from course_utils import autograd_reference as reference
from course_utils import symbolic_hessian as sh
from course_utils.symbolic import logit_symbols, output_symbols


def test_the_hessian_for_three_classes_is_the_outer_form_for_every_one_hot_label():
    x, s = logit_symbols(3), output_symbols(3)
    for label in range(3):
        one_hot = [int(k == label) for k in range(3)]
        assert sh.hessian_minus_outer_form(x, s, one_hot).is_zero_matrix


def test_with_labels_that_do_not_sum_to_one_the_hessian_differs():
    x, s = logit_symbols(3), output_symbols(3)
    assert not sh.hessian_minus_outer_form(x, s, (1, 1, 0)).is_zero_matrix


def test_the_general_hessian_is_the_softmax_jacobian_with_i_and_j_swapped():
    general = cu.symbolic.indexed_softmax()
    hessian = sh.general_cross_entropy_hessian(general)
    i, j = general.i, general.j
    expected = general.outputs[j] * (sp.KroneckerDelta(i, j) - general.outputs[i])
    assert sp.simplify(hessian - expected) == 0


def test_the_quadratic_form_is_the_variance_only_on_probabilities():
    s, v = output_symbols(3), sp.symbols("v_1:4")
    assert sh.variance_gap(s, v) == 0
    assert sp.expand(sh.quadratic_form(s, v) - sh.variance_form(s, v)) != 0


def test_autograd_agrees_numerically():
    logits = np.array([0.3, -1.2, 2.0, 0.1])
    np.testing.assert_allclose(reference.cross_entropy_hessian(logits, 2), cu.softmax_jacobian(logits),
                               rtol=1e-12, atol=1e-15)
