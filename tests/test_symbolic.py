"""Tests for course_utils.symbolic: the identities of the softmax derivative, proved by SymPy.

Each identity is proved for D = 2 ... 6 with concrete symbols and, where the issue asks, for
symbolic D with indexed symbols. Each proof is also shown able to fail on a wrong formula.
"""

from itertools import pairwise

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import course_utils as cu
from course_utils.symbolic import (
    cross_entropy_gradient_by_diff,
    derivation_steps,
    exponential_rule,
    general_cross_entropy_gradient,
    general_jacobian_steps,
    general_log_softmax_derivative,
    in_terms_of_outputs,
    independence_rule,
    indexed_softmax,
    is_zero,
    jacobian_by_diff,
    jacobian_function,
    kronecker_form,
    log_softmax_jacobian_by_diff,
    logit_symbols,
    outer_form,
    output_symbols,
    quotient_rule,
    sift,
    sigmoid,
    softmax_expressions,
    sum_rule,
    temperature_symbol,
    tempered_jacobian_in_outputs,
    tempered_softmax_expressions,
)

DIMS = [2, 3, 4, 5, 6]


def setup(dim):
    logits, outputs = logit_symbols(dim), output_symbols(dim)
    return logits, outputs, softmax_expressions(logits)


# --- D symbols --------------------------------------------------------------------------------


def test_symbols_are_numbered_from_one_with_assumptions():
    assert [str(s) for s in logit_symbols(3, "z")] == ["z_1", "z_2", "z_3"]
    assert all(s.is_real for s in logit_symbols(2))
    assert all(s.is_positive for s in output_symbols(2))
    with pytest.raises(ValueError):
        logit_symbols(0)


@pytest.mark.parametrize("dim", DIMS)
def test_softmax_expressions_sum_to_one(dim):
    _, _, probs = setup(dim)
    assert is_zero(sum(probs) - 1)


@pytest.mark.parametrize("dim", DIMS)
def test_jacobian_by_diff_in_the_outputs_is_the_kronecker_form(dim):
    logits, outputs, probs = setup(dim)
    jacobian = in_terms_of_outputs(jacobian_by_diff(probs, logits), logits, outputs)
    assert not jacobian.free_symbols & set(logits)  # nothing of the logits is left
    assert is_zero(jacobian - kronecker_form(outputs))


@pytest.mark.parametrize("dim", DIMS)
def test_jacobian_by_diff_equals_diag_minus_outer_product(dim):
    logits, _, probs = setup(dim)
    jacobian = jacobian_by_diff(probs, logits)
    assert is_zero(jacobian - outer_form(probs))
    assert is_zero(jacobian - kronecker_form(probs))


@pytest.mark.parametrize("dim", DIMS)
def test_kronecker_form_equals_outer_form(dim):
    outputs = output_symbols(dim)
    assert is_zero(kronecker_form(outputs) - outer_form(outputs))


@pytest.mark.parametrize("dim", DIMS)
def test_jacobian_is_symmetric_and_kills_the_ones_vector(dim):
    logits, _, probs = setup(dim)
    jacobian = jacobian_by_diff(probs, logits)
    assert is_zero(jacobian - jacobian.T)
    assert is_zero(jacobian * sp.ones(dim, 1))  # each row sums to 0


def test_a_wrong_formula_is_not_proved():
    logits, outputs, probs = setup(3)
    jacobian = in_terms_of_outputs(jacobian_by_diff(probs, logits), logits, outputs)
    wrong = sp.Matrix(3, 3, lambda i, j: outputs[i] * (sp.KroneckerDelta(i, j) + outputs[j]))
    assert not is_zero(jacobian - wrong)
    assert not is_zero(jacobian - sp.diag(*outputs))


@pytest.mark.parametrize("dim", DIMS)
def test_log_softmax_jacobian_is_delta_minus_sigma(dim):
    logits, outputs, _ = setup(dim)
    jacobian = in_terms_of_outputs(log_softmax_jacobian_by_diff(logits), logits, outputs)
    expected = sp.Matrix(dim, dim, lambda i, j: sp.KroneckerDelta(i, j) - outputs[j])
    assert is_zero(jacobian - expected)


@pytest.mark.parametrize("dim", DIMS)
def test_cross_entropy_gradient_for_any_labels(dim):
    logits, outputs, _ = setup(dim)
    labels = sp.symbols(f"y_1:{dim + 1}", real=True)
    gradient = in_terms_of_outputs(cross_entropy_gradient_by_diff(logits, labels), logits, outputs)
    expected = sp.Matrix([sum(labels) * s - y for s, y in zip(outputs, labels, strict=True)])
    assert is_zero(gradient - expected)
    p_minus_y = sp.Matrix(outputs) - sp.Matrix(labels)
    assert not is_zero(gradient - p_minus_y)  # labels free: p - y is NOT the gradient
    normalised = {labels[-1]: 1 - sum(labels[:-1])}  # now the labels sum to 1
    assert is_zero((gradient - p_minus_y).subs(normalised))


def test_two_class_softmax_is_a_sigmoid_of_the_difference():
    a, b = sp.symbols("a b", real=True)
    probs = softmax_expressions((a, b))
    assert is_zero(probs[0] - sigmoid(a - b))
    assert is_zero(probs[1] - sigmoid(b - a))
    assert not is_zero(probs[0] - sigmoid(b - a))
    s = sigmoid(a - b)
    expected = s * (1 - s) * sp.Matrix([[1, -1], [-1, 1]])
    assert is_zero(jacobian_by_diff(probs, (a, b)) - expected)


@settings(max_examples=30, deadline=None)
@given(
    st.integers(2, 6).flatmap(
        lambda dim: arrays(np.float64, dim, elements=st.floats(-20, 20, allow_nan=False))
    )
)
def test_lambdified_jacobian_matches_the_numerical_one(logits):
    jacobian = _cached_jacobian_function(len(logits))(logits)
    np.testing.assert_allclose(jacobian, cu.softmax_jacobian(logits), rtol=1e-9, atol=1e-15)


_FUNCTIONS = {}


def _cached_jacobian_function(dim):
    if dim not in _FUNCTIONS:
        _FUNCTIONS[dim] = jacobian_function(dim)
    return _FUNCTIONS[dim]


def test_lambdified_jacobian_checks_its_input_shape():
    with pytest.raises(ValueError, match="expected 3 logits"):
        jacobian_function(3)([1.0, 2.0])


# --- one rule at a time ------------------------------------------------------------------------


def test_each_rule_alone():
    u, v = sp.symbols("u v", real=True)
    f, g = sp.Function("f")(v), sp.Function("g")(v)
    by_quotient = quotient_rule(sp.Derivative(f / g, v))
    assert by_quotient.has(sp.Derivative)
    assert is_zero(by_quotient.doit() - sp.diff(f / g, v))
    assert sum_rule(sp.Derivative(f + g, v)) == sp.Derivative(f, v) + sp.Derivative(g, v)
    assert independence_rule(sp.Derivative(sp.exp(u), v)) == 0
    assert independence_rule(sp.Derivative(sp.exp(v), v)) == sp.Derivative(sp.exp(v), v)
    assert exponential_rule(sp.Derivative(sp.exp(v), v)) == sp.exp(v)
    assert exponential_rule(sp.Derivative(sp.exp(2 * v), v)) == sp.Derivative(sp.exp(2 * v), v)


@pytest.mark.parametrize("dim", [2, 3, 4])
def test_derivation_steps_keep_the_value_and_end_without_derivatives(dim):
    logits, outputs, probs = setup(dim)
    for i in range(dim):
        for j in range(dim):
            steps = derivation_steps(probs[i], logits[j])
            direct = sp.diff(probs[i], logits[j])
            assert [name for name, _ in steps][0] == "start"
            for _, expr in steps:
                assert is_zero(expr.doit() - direct)
            last = steps[-1][1]
            assert not last.has(sp.Derivative)
            expected = outputs[i] * (sp.KroneckerDelta(i, j) - outputs[j])
            assert is_zero(in_terms_of_outputs(last, logits, outputs) - expected)


def test_each_rule_changes_the_expression_of_an_off_diagonal_entry():
    logits, _, probs = setup(3)
    expressions = [expr for _, expr in derivation_steps(probs[1], logits[0])]
    assert all(a != b for a, b in pairwise(expressions))


# --- general D ---------------------------------------------------------------------------------


def test_general_jacobian_is_sigma_i_times_delta_minus_sigma_j():
    general = indexed_softmax()
    steps = general_jacobian_steps(general)
    i, j, sigma = general.i, general.j, general.outputs
    assert steps[0][1].has(sp.KroneckerDelta) and steps[0][1].has(sp.Sum)
    assert not steps[1][1].has(sp.KroneckerDelta(general.j, general.k))  # sifted away
    final = steps[-1][1]
    assert not final.has(sp.Sum) and not final.has(sp.exp)
    assert is_zero(final - sigma[i] * (sp.KroneckerDelta(i, j) - sigma[j]))
    assert not is_zero(final - sigma[i] * (sp.KroneckerDelta(i, j) + sigma[j]))


@pytest.mark.parametrize("dim", DIMS)
def test_general_derivative_agrees_with_the_concrete_one(dim):
    """Put numbers in for D, i and j: the general sympy.diff is the D-symbol one."""
    general = indexed_softmax()
    logits, _, probs = setup(dim)
    to_concrete = {general.logits[m]: logits[m - 1] for m in range(1, dim + 1)}
    general_diff = general_jacobian_steps(general)[0][1]
    for i in range(1, dim + 1):
        for j in (1, dim):
            entry = general_diff.subs({general.dim: dim, general.i: i, general.j: j}).doit()
            direct = sp.diff(probs[i - 1], logits[j - 1])
            assert is_zero(entry.subs(to_concrete) - direct)


def test_sift_only_removes_a_delta_that_is_a_factor():
    general = indexed_softmax()
    i, j, k, dim, y = general.i, general.j, general.k, general.dim, general.labels
    assert sift(sp.Sum(y[k] * sp.KroneckerDelta(j, k), (k, 1, dim))) == y[j]
    not_a_factor = sp.Sum(y[i] + sp.KroneckerDelta(i, j), (i, 1, dim))
    assert sift(not_a_factor) == not_a_factor


def test_general_log_softmax_derivative():
    general = indexed_softmax()
    expected = sp.KroneckerDelta(general.i, general.j) - general.outputs[general.j]
    assert is_zero(general_log_softmax_derivative(general) - expected)


def test_general_cross_entropy_gradient_and_p_minus_y():
    general = indexed_softmax()
    j, sigma, y = general.j, general.outputs, general.labels
    label_sum = sp.Sum(y[general.i], (general.i, 1, general.dim))
    gradient = general_cross_entropy_gradient(general)
    assert is_zero(gradient - (label_sum * sigma[j] - y[j]))
    assert not is_zero(gradient - (sigma[j] - y[j]))
    assert gradient.subs(label_sum, 1) == sigma[j] - y[j]


# --- temperature -------------------------------------------------------------------------------


@pytest.mark.parametrize("dim", [2, 3, 4])
def test_tempered_jacobian_is_the_kronecker_form_over_T(dim):
    temperature = temperature_symbol()
    derived = tempered_jacobian_in_outputs(dim)
    assert derived.has(temperature)
    assert sp.expand(derived - kronecker_form(output_symbols(dim)) / temperature) == sp.zeros(dim, dim)
    assert sp.expand(derived - kronecker_form(output_symbols(dim))) != sp.zeros(dim, dim)  # 1/T matters


@pytest.mark.parametrize("temperature", [0.3, 1.0, 2.5])
def test_tempered_sympy_jacobian_agrees_with_softmax_jacobian(temperature):
    logits, symbol = logit_symbols(3), temperature_symbol()
    tempered = tempered_softmax_expressions(logits, symbol)
    formula = sp.lambdify([logits, symbol], jacobian_by_diff(tempered, logits), "numpy")
    point = np.array([0.4, -1.1, 2.0])
    exact = np.asarray(formula(point, temperature), dtype=float)
    np.testing.assert_allclose(exact, cu.softmax_jacobian(point, temperature), rtol=1e-12, atol=1e-15)
