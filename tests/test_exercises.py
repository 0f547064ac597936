"""Tests of course_utils.exercises: every diagnosis is proved by a deliberately buggy function.

``buggy_implementations.BUGGY`` holds, per checker, student functions with one mistake each
and the diagnosis the checker must give; ``CORRECT`` holds correct ones written differently
from the course's own, which must pass.
"""

import signal
import subprocess
import sys
import warnings

import numpy as np
import pytest
from buggy_implementations import BUGGY, CORRECT, RIGHT_BUT_RETYPED, softmax_naive
from hypothesis import given, settings
from hypothesis import strategies as st

import course_utils as cu
from course_utils import exercises
from course_utils.bugs import MISTAKES
from course_utils.exercises import DIAGNOSES, CheckResult, running

CHECKERS = {name: getattr(exercises, name) for name in BUGGY}
BUGGY_CASES = [
    pytest.param(
        check, diagnosis, function, says[0] if says else "", id=f"{check}-{function.__name__}-{diagnosis}"
    )
    for check, cases in BUGGY.items()
    for diagnosis, function, *says in cases
]
CORRECT_CASES = [
    pytest.param(check, function, id=f"{check}-{function.__module__}.{function.__name__}")
    for check, functions in CORRECT.items()
    for function in functions
]
# The diagnoses every checker can give, and those only some can.
GENERIC = {"not_implemented", "raised", "timed_out", "wrong_shape", "wrong_values", "mutates_input"}
SPECIFIC = {
    "check_softmax": {"wrong_axis", "no_max_subtraction", "not_normalised", "integer_input"},
    "check_log_softmax": {"wrong_axis", "no_max_subtraction", "log_eps", "missing_max", "integer_input"},
    "check_softmax_jacobian": {
        "no_max_subtraction",
        "diagonal_only_jacobian",
        "off_diagonal_sign",
        "sign_flip",
        "inner_product",
        "sigma_j_for_sigma_i",
        "missing_delta",
        "missing_probs",
        "integer_input",
    },
    "check_softmax_backward": {
        "wrong_axis",
        "diagonal_only_jacobian",
        "off_diagonal_sign",
        "missing_dot_term",
        "plain_mean",
        "unweighted_sum",
        "missing_probs",
        "sign_flip",
    },
    "check_cross_entropy": {
        "wrong_axis",
        "no_max_subtraction",
        "log_eps",
        "per_sample_loss",
        "not_averaged",
        "averaged_twice",
        "divided_by_class_count",
        "every_row",
        "no_targets",
        "sign_flip",
        "integer_input",
    },
    "check_cross_entropy_backward": {
        "wrong_axis",
        "no_max_subtraction",
        "diagonal_only_jacobian",
        "not_averaged",
        "averaged_twice",
        "divided_by_class_count",
        "every_row",
        "no_targets",
        "logits_for_probs",
        "chain_rule_underflow",
        "sign_flip",
        "integer_input",
    },
}
# Given only under an exercise's rules (tests/test_exercise_rules.py proves them).
RULES_ONLY = {"broken_rule", "forms_jacobian"}
# Given by the checkers of formulas and predictions (tests/test_exercise_formulas.py, …_predictions.py).
ANSWER_CHECKS = {"unreadable_formula", "formula_slip", "wrong_formula", "wrong_prediction"}
# Given by the checkers of notebooks 08-09, proved in test_exercises_08_09.py.
LATER_NOTEBOOKS = {m.diagnosis for m in MISTAKES.values() if m.notebook in ("08", "09")}
SHORT_LIMIT = 0.1  # seconds: the endless loops in BUGGY are stopped this soon


def run(check, function, monkeypatch):
    """The checker's verdict on ``function``, an endless loop stopped after SHORT_LIMIT."""
    if function.__name__ == "loops_forever":
        if not running.can_limit_time(SHORT_LIMIT):
            pytest.skip("no time limit on this platform or thread: the loop would never end")
        monkeypatch.setattr(running, "TIME_LIMIT", SHORT_LIMIT)
    return CHECKERS[check](function)


def test_the_six_checkers_exist_under_their_exact_names():
    assert set(CHECKERS) == {
        "check_softmax",
        "check_log_softmax",
        "check_softmax_jacobian",
        "check_softmax_backward",
        "check_cross_entropy",
        "check_cross_entropy_backward",
    }
    assert set(CHECKERS) <= set(exercises.__all__)


@pytest.mark.parametrize(("check", "diagnosis", "function", "says"), BUGGY_CASES)
def test_a_buggy_implementation_gets_its_diagnosis(check, diagnosis, function, says, monkeypatch):
    result = run(check, function, monkeypatch)
    assert result.diagnosis == diagnosis, repr(result)
    assert result.passed is False
    assert result.message
    assert says in result.message or says == result.heading, repr(result)


@pytest.mark.parametrize(("check", "function"), CORRECT_CASES)
def test_a_correct_implementation_passes(check, function):
    result = CHECKERS[check](function)
    assert result.passed, repr(result)
    assert result.diagnosis is None
    assert result.message.startswith("All ")


@pytest.mark.parametrize(("check", "function", "change", "advice"), RIGHT_BUT_RETYPED,
                         ids=[f"{c}-{f.__name__}" for c, f, *_ in RIGHT_BUT_RETYPED])
def test_a_right_answer_in_another_precision_passes_with_a_note(check, function, change, advice):
    result = CHECKERS[check](function)
    assert result.passed, repr(result)
    (note,) = [note for note in result.notes if note.startswith(f"values right ✓ — {change}")]
    if advice:
        assert advice in note
    assert repr(result).startswith(f"✓ {check}({function.__name__}): passed")
    assert "course-check-note" in result._repr_html_()


@pytest.mark.parametrize("check", sorted(SPECIFIC))
def test_every_diagnosis_a_checker_can_give_is_proved_by_a_buggy_implementation(check):
    proved = {diagnosis for diagnosis, *_ in BUGGY[check]}
    assert proved == GENERIC | SPECIFIC[check]


def test_every_diagnosis_is_given_by_some_checker():
    given_somewhere = GENERIC.union(*SPECIFIC.values(), RULES_ONLY, ANSWER_CHECKS, LATER_NOTEBOOKS)
    given_somewhere.add("not_a_function")  # proved below: it is not a function, so not in BUGGY
    assert given_somewhere == set(DIAGNOSES)
    assert set(SPECIFIC) == set(CHECKERS)


def test_every_checker_can_fail_in_its_own_specific_ways():
    generic = GENERIC | {"not_a_function"}
    for check, cases in BUGGY.items():
        specific = {diagnosis for diagnosis, *_ in cases} - generic
        assert len(specific) >= 3, check


@pytest.mark.parametrize("check", sorted(CHECKERS))
@pytest.mark.parametrize("thing", [None, np.zeros(3), 0.5, "softmax"], ids=repr)
def test_something_that_is_not_a_function_is_reported(check, thing):
    result = CHECKERS[check](thing)
    assert (result.passed, result.diagnosis) == (False, "not_a_function")
    assert f"{check}(my_function)" in result.message


def test_an_array_passed_instead_of_the_function_is_named():
    result = exercises.check_softmax(cu.softmax([1.0, 2.0]))
    assert "an array of shape (2,)" in result.message


@pytest.mark.parametrize("check", sorted(CHECKERS))
def test_a_stub_says_not_implemented_yet(check):
    result = CHECKERS[check](_stub)
    assert result.diagnosis == "not_implemented"
    assert result.message == ("Not implemented yet: fill in the function above, then re-run this cell.")
    assert "not implemented yet" in repr(result)
    assert "course-check-todo" in result._repr_html_()


def _stub(*arguments):
    raise NotImplementedError("write this function")


@pytest.mark.parametrize(
    "error", [ZeroDivisionError("division by zero"), KeyError("probs"), RuntimeError("boom")]
)
def test_an_error_in_the_students_code_is_reported_not_raised(error):
    def raises(logits):
        raise error

    result = exercises.check_softmax(raises)
    assert result.diagnosis == "raised"
    assert type(error).__name__ in result.message
    assert "in raises, line" in result.message  # points at the student's line
    assert "raise error" in result.message


def test_an_interrupt_is_not_swallowed():
    def interrupted(logits):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        exercises.check_softmax(interrupted)
    assert _alarm_state() == (signal.SIG_DFL, (0.0, 0.0))


@pytest.mark.parametrize("argument", [None, 0, 3, "giving up"], ids=repr)
def test_sys_exit_in_the_students_code_is_reported_not_raised(argument):
    def exits(logits):
        sys.exit(argument)

    result = exercises.check_softmax(exits)
    assert result.diagnosis == "raised"
    assert result.message.startswith("exits raised SystemExit")
    assert "in exits, line" in result.message and "sys.exit()" in result.message


def test_an_endless_loop_is_stopped_and_the_alarm_restored(monkeypatch):
    if not running.can_limit_time(SHORT_LIMIT):
        pytest.skip("no time limit on this platform or thread")
    monkeypatch.setattr(running, "TIME_LIMIT", SHORT_LIMIT)

    def swallows_everything(logits):
        while True:
            try:  # a call in the loop: CPython 3.10 never checks for signals in `try: pass`
                logits.sum()
            except Exception:  # cannot swallow the time limit
                pass

    result = exercises.check_softmax(swallows_everything)
    assert result.diagnosis == "timed_out"
    assert "did not finish within 0.1 seconds" in result.message
    assert "(stopped in swallows_everything, line" in result.message
    assert _alarm_state() == (signal.SIG_DFL, (0.0, 0.0))
    assert exercises.check_softmax(cu.softmax).passed  # the next check runs normally


def test_no_time_limit_where_the_alarm_is_in_use(monkeypatch):
    if not hasattr(signal, "setitimer"):
        pytest.skip("no SIGALRM on this platform")
    handler = signal.signal(signal.SIGALRM, lambda signum, frame: None)
    try:
        assert not running.can_limit_time(1.0)
        assert exercises.check_softmax(cu.softmax).passed
        assert signal.getsignal(signal.SIGALRM) is not signal.SIG_DFL  # left alone
    finally:
        signal.signal(signal.SIGALRM, handler)


def _alarm_state():
    if not hasattr(signal, "setitimer"):
        return (signal.SIG_DFL, (0.0, 0.0))
    return signal.getsignal(signal.SIGALRM), signal.getitimer(signal.ITIMER_REAL)


@pytest.mark.parametrize(
    "weird",
    [{"a": 1}, (v for v in range(3)), [[1.0, 2.0], [3.0]], object(), "0.2 0.8"],
    ids=["dict", "generator", "ragged", "object", "text"],
)
def test_a_weird_return_value_is_reported_as_wrong_shape(weird):
    result = exercises.check_softmax(lambda logits: weird)
    assert result.diagnosis == "wrong_shape"
    assert "<lambda>" in result.message


def test_a_return_whose_conversion_raises_is_reported():
    class Unconvertible:
        def __array__(self, dtype=None, copy=None):
            raise RuntimeError("no array for you")

    result = exercises.check_softmax(lambda logits: Unconvertible())
    assert result.diagnosis == "wrong_shape"


def test_warnings_from_the_students_code_do_not_escape_even_as_errors():
    state = np.geterr()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = exercises.check_softmax(softmax_naive)
    assert result.diagnosis == "no_max_subtraction"
    assert np.geterr() == state


def test_feedback_is_deterministic_and_free_of_addresses(monkeypatch):
    results = [exercises.check_softmax_jacobian(BUGGY["check_softmax_jacobian"][1][1])]
    with np.printoptions(precision=2, linewidth=40):  # a notebook's own settings
        results.append(exercises.check_softmax_jacobian(BUGGY["check_softmax_jacobian"][1][1]))
    assert repr(results[0]) == repr(results[1])
    assert results[0]._repr_html_() == results[1]._repr_html_()
    for check, cases in BUGGY.items():
        for _, function, *_ in cases:
            if function.__name__ == "loops_forever" and not running.can_limit_time(SHORT_LIMIT):
                continue
            text = repr(run(check, function, monkeypatch))
            assert "0x" not in text and " at 0" not in text, text


def test_the_plain_text_and_html_show_the_verdict():
    passed = exercises.check_softmax(cu.softmax)
    assert repr(passed).startswith("✓ check_softmax(softmax): passed\nAll 9 checks passed")
    assert "#009E73" in passed._repr_html_()
    failed = exercises.check_softmax(softmax_naive)
    text = repr(failed)
    assert text.startswith("✗ check_softmax(softmax_naive): overflow at large logits")
    assert "expected  [0.5073" in text and "received  [nan" in text
    html = failed._repr_html_()
    assert "#D55E00" in html and "<pre" in html and "received  [nan" in html


def test_the_html_escapes_the_students_text():
    def raises(logits):
        raise ValueError("<script>alert(1)</script> & more")

    html = exercises.check_softmax(raises)._repr_html_()
    assert "<script>" not in html
    assert "&lt;script&gt;" in html and "&amp; more" in html


def test_a_result_is_a_frozen_value():
    result = CheckResult("check_softmax", "f", True, None, "ok")
    with pytest.raises(AttributeError):
        result.passed = False
    assert repr(result) == "✓ check_softmax(f): passed\nok"


def test_the_checkers_state_their_contract():
    calls = {
        "check_softmax": "fn(logits)",
        "check_log_softmax": "fn(logits)",
        "check_softmax_jacobian": "fn(logits)",
        "check_softmax_backward": "fn(probs, upstream)",
        "check_cross_entropy": "fn(logits, targets)",
        "check_cross_entropy_backward": "fn(logits, targets)",
    }
    for check, call in calls.items():
        doc = CHECKERS[check].__doc__
        assert "The contract:" in doc and call in doc, check


def test_the_exercises_import_no_plotting_or_widget_library():
    code = (
        "import sys, course_utils.exercises;"
        "print(sorted(m for m in ('matplotlib', 'ipywidgets', 'sympy', 'IPython')"
        " if m in sys.modules))"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert output.strip() == "[]"


@settings(max_examples=25, deadline=None)
@given(scale=st.floats(0.05, 20.0).filter(lambda value: abs(value - 1.0) > 1e-3))
def test_a_loss_off_by_any_factor_never_passes(scale):
    result = exercises.check_cross_entropy(lambda logits, targets: scale * cu.cross_entropy(logits, targets))
    assert not result.passed


@settings(max_examples=25, deadline=None)
@given(temperature=st.floats(0.2, 5.0).filter(lambda value: abs(value - 1.0) > 1e-3))
def test_a_softmax_at_another_temperature_never_passes(temperature):
    result = exercises.check_softmax(lambda logits: cu.softmax(logits, temperature=temperature))
    assert result.diagnosis == "wrong_values"
    assert "Compare the expected and received values" in result.message
