"""Pen-and-paper answers typed as formulas, and a raw sympy.diff step: every equivalent form
passes, and each usual slip gets a heading that names it."""

import pytest
import sympy as sp

from course_utils import exercises

RIGHT = {
    "softmax_entry": [
        "-s2*s3",
        "-s3*s2",
        "-(s2*s3)",
        "0 - s2 s3",
        "-σ₂σ₃",
        "-σ2*σ3",
        "−σ₂·σ₃",
        "-sigma2*sigma3",
        "-sigma_2*sigma_3",
        "s2*(0 - s3)",
        "-exp(x2 + x3)/(exp(x1) + exp(x2) + exp(x3))^2",
        "-exp(x2)*exp(x3)/(exp(x1)+exp(x2)+exp(x3))**2",
    ],
    "sigmoid": ["s*(1 - s)", "s - s**2", "s - s^2", "σ(1 − σ)", "exp(-x)/(1 + exp(-x))**2", "(1-s)*s"],
    "temperature": ["-s2*s3/T", "-(1/T)*s2*s3", "-s2*s3*T**-1", "-σ₂σ₃/T", "s2*(0 - s3)/T"],
}
SLIPS = [
    ("softmax_entry", "s2*s3", "the sign"),
    ("softmax_entry", "s2*(1 - s3)", "a missing δ"),
    ("softmax_entry", "-s3**2", "σⱼ in place of σᵢ"),
    ("softmax_entry", "s2*(1-s2)", "the diagonal entry"),
    ("sigmoid", "-s*(1-s)", "the sign"),
    ("sigmoid", "s", "a missing factor (1 − σ)"),
    ("temperature", "-s2*s3", "the factor 1/T is lost"),
    ("temperature", "-T*s2*s3", "T in place of 1/T"),
    ("temperature", "s2*s3/T", "the sign"),
    ("temperature", "s2*(1 - s3)/T", "a missing δ"),
]


@pytest.mark.parametrize(("task", "answer"), [(t, a) for t, answers in RIGHT.items() for a in answers])
def test_every_equivalent_form_passes(task, answer):
    result = exercises.check_formula(answer, task)
    assert result.passed, repr(result)


@pytest.mark.parametrize(("task", "answer", "heading"), SLIPS)
def test_each_usual_slip_is_named_in_the_heading(task, answer, heading):
    result = exercises.check_formula(answer, task)
    assert (result.passed, result.diagnosis) == (False, "formula_slip")
    assert heading in result.title, repr(result)


def test_an_unknown_slip_says_so_and_shows_values():
    result = exercises.check_formula("-2*s2*s3", "softmax_entry")
    assert result.diagnosis == "wrong_formula" and "none of the usual slips" in result.message


@pytest.mark.parametrize(
    ("answer", "says"), [("-s2*", "Could not read"), ("-y2*s3", "uses y"), ("", "Not implemented yet")]
)
def test_an_unreadable_answer_gets_a_clear_message(answer, says):
    result = exercises.check_formula(answer, "softmax_entry")
    assert not result.passed and says in result.message


def test_an_unknown_task_is_a_clear_error():
    with pytest.raises(ValueError, match="no task"):
        exercises.check_formula("s", "tanh")


X1, X2, X3 = sp.symbols("x1 x2 x3")
SIGMA2 = sp.exp(X2) / (sp.exp(X1) + sp.exp(X2) + sp.exp(X3))


@pytest.mark.parametrize(
    "answer",
    [sp.simplify(sp.diff(SIGMA2, X3)), sp.factor(sp.diff(SIGMA2, X3)), sp.diff(SIGMA2, X3).simplify()],
)
def test_a_raw_sympy_diff_step_passes_in_any_simplified_form(answer):
    result = exercises.check_sympy_diff(answer)
    assert result.passed and result.notes == (), repr(result)


def test_sympy_diff_with_real_symbols_and_unsimplified_forms_pass():
    a, b, c = sp.symbols("x1 x2 x3", real=True)
    raw = sp.diff(sp.exp(b) / (sp.exp(a) + sp.exp(b) + sp.exp(c)), c)
    assert exercises.check_sympy_diff(raw).passed


def test_sympy_diff_by_the_wrong_variable_is_named():
    result = exercises.check_sympy_diff(sp.simplify(sp.diff(SIGMA2, X2)))
    assert result.heading == "∂σ₂/∂x₂ (the diagonal entry) instead of ∂σ₂/∂x₃"
    assert exercises.check_sympy_diff("-s2*s3").diagnosis == "unreadable_formula"
