"""A checker's session: probes the student's function, one input after another.

A checker runs a :class:`Session` through a fixed list of probes (inputs built from a seeded
generator, so the feedback is the same on every run). The first problem found stops the
session with a :class:`Finding`, which :func:`run_check` turns into a
:class:`~course_utils.exercises.result.CheckResult`. Running the code safely is
:mod:`.running`'s concern, comparing results :mod:`.comparing`'s, and the words
:mod:`.feedback`'s.
"""

from dataclasses import dataclass, field

import numpy as np

from . import running
from .comparing import LOOSE_TOLERANCE, close, not_floating, precision_note
from .feedback import (
    NOT_IMPLEMENTED,
    describe,
    describe_inputs,
    difference,
    error_hint,
    format_number,
    format_whole,
    integer_advice,
    not_a_function,
    not_an_array,
    precision_advice,
    shorten,
)
from .result import CheckResult
from .rules import broken_rules, rules_for

# Two logits far above the rest: the maximum lies 1200 above the mean and 2000 above the
# minimum and the first logit, so code that subtracts any of them overflows (exp(710) = inf).
FAR_APART = np.array([-1000.0, 999.0, -1000.0, 1000.0, -1000.0])
FAR_APART_LABEL = "logits 2000 apart ([-1000, 999, -1000, 1000, -1000])"


_JACOBIAN_MAKERS = ("outer", "diag", "eye", "einsum")
_NO_JACOBIAN_HINT = (
    "Hint: this exercise rules out forming the D×D Jacobian, which is also what breaks on a batch. "
    "Compute σ ⊙ (g − ⟨g, σ⟩) directly, row by row: "
    "`probs * (upstream - np.sum(upstream * probs, axis=-1, keepdims=True))`."
)


LIST_ADVICE = (
    "Return a NumPy array (leave out `.tolist()`, or wrap the result in `np.asarray(...)`): an "
    "array computes like one in the next layer, and keeps float32 as float32."
)


class Finding(Exception):
    """The first problem found (a verdict, not an error): stops a checker's probes."""

    def __init__(self, diagnosis, message, details="", exception=None, received=None, heading=None):
        super().__init__(message)
        self.diagnosis = diagnosis
        self.message = message
        self.details = details
        self.exception = exception  # the student's exception, for "raised"
        self.received = received  # the student's result, when there was one
        self.heading = heading  # names the mistake; None: the diagnosis's title


@dataclass(frozen=True)
class Case:
    """One input: what to call it in messages and the arguments (named, in order)."""

    label: str  # "a vector of 5 logits"
    args: dict  # {"logits": array, ...}


@dataclass
class Session:
    """One run of a checker over a student's function, under one exercise's rules."""

    function: object
    rules: object = field(default_factory=lambda: rules_for(None))
    passed: list = field(default_factory=list)  # labels of the probes passed, for the summary
    notes: dict = field(default_factory=dict)  # precision notes, one per kind of change

    @property
    def name(self):
        return running.function_name(self.function)

    @property
    def source(self):
        return running.source_of(self.function)

    def call(self, case):
        """Call the function on fresh copies of the case's arguments.

        Returns ``(result, changed)`` where ``changed`` names the arguments it modified.
        Raises a Finding if it raised, called sys.exit(), ran out of time or returned None.
        """
        outcome = running.call(self.function, case.args)
        error = outcome.error
        if isinstance(error, NotImplementedError):
            raise Finding("not_implemented", self._not_implemented(case))
        if isinstance(error, running.TimedOut):
            raise self._timed_out(case, error)
        if error is not None:
            raise self._raised(case, error)
        if outcome.result is None:
            if not self.passed:
                raise Finding(
                    "not_implemented",
                    f"{NOT_IMPLEMENTED}\n({self.name} returned None. If you have written it, "
                    "check that it ends with a `return` statement.)",
                )
            raise Finding(
                "wrong_shape",
                f"{self.name} returned None for {case.label}, although it returned a value "
                "for the earlier inputs: every path through the function must end in a `return`.",
            )
        return outcome.result, list(outcome.changed)

    def _not_implemented(self, case):
        if not self.passed:
            return NOT_IMPLEMENTED
        return (
            f"{self.name} raised NotImplementedError for {case.label}: this exercise needs it "
            "to work for this input too. Fill it in, then re-run this cell."
        )

    def _raised(self, case, error):
        text = shorten(str(error))
        message = f"{type(error).__name__}: {text}" if text else type(error).__name__
        lines = [f"{self.name} raised {message}", f"when called as {self.signature(case)}."]
        where = running.student_frame(error)
        if where:
            lines.append(where)
        hint = error_hint(error, case.label, bool(self.passed))
        if self.rules.no_jacobian and any(f"np.{name}(" in (self.source or "") for name in _JACOBIAN_MAKERS):
            hint = _NO_JACOBIAN_HINT
        if hint:
            lines += ["", hint]
        return Finding("raised", "\n".join(lines), describe_inputs(case.args), exception=error)

    def _timed_out(self, case, stopped):
        lines = [
            f"{self.name} did not finish within {format_number(running.TIME_LIMIT)} seconds when called as "
            f"{self.signature(case)}, so the checker stopped it.",
        ]
        where = running.student_frame(stopped)
        if where:
            lines.append(where.replace("  in ", "  (stopped in ", 1) + ")")
        lines += [
            "",
            "These inputs are small, so it is stuck: most likely a `while` loop whose condition "
            "never becomes false (a counter that is never increased?).",
        ]
        return Finding("timed_out", "\n".join(lines), describe_inputs(case.args))

    def signature(self, case):
        """``my_softmax(logits)`` with each argument described, for messages."""
        described = ", ".join(f"{name} = {describe(value)}" for name, value in case.args.items())
        return f"{self.name}({', '.join(case.args)}) with {described}"

    def array(self, case, expected, *, bugs=(), dtype=None, observe=None, near_miss=None, tolerance=None):
        """Call on ``case`` and insist on ``expected`` (an array or a number).

        Known ``bugs`` are matched before the generic "wrong values" verdict. ``dtype`` is the
        dtype a right answer should keep; a right answer of another dtype passes, with a
        precision note. ``observe(received)`` returns extra sentences for a generic failure;
        ``near_miss()`` may raise a more specific Finding when the result is almost right.
        ``tolerance`` = (rtol, atol) overrides the one chosen by the result's dtype.
        """
        result, changed = self.call(case)
        expected = np.asarray(expected)
        received = self.as_numbers(result, case)
        listed = isinstance(result, (list, tuple)) and expected.ndim > 0
        if expected.ndim == 0 and received.size == 1:
            received = received.reshape(())
        right = received.shape == expected.shape and close(received, expected, tolerance)
        if listed and not right:
            raise Finding(
                "wrong_shape", not_an_array(self.name, case.label, result), describe_inputs(case.args)
            )
        if right and not (dtype == "floating" and not_floating(received)):
            if listed:
                self._note(f"came back as a Python {type(result).__name__}", case, LIST_ADVICE)
            if dtype != "floating":
                self._note_precision(case, received, dtype)
            if changed:
                raise self._mutated(case, changed)
            self.passed.append(case.label)
            return received
        details = describe_inputs(case.args, expected=expected, received=received)
        for bug in bugs:
            if bug is not None and bug.matches(received, expected.shape):
                raise Finding(bug.diagnosis, bug.message, details, received=received, heading=bug.heading)
        if received.shape != expected.shape:
            raise Finding(
                "wrong_shape",
                f"{self.name} returned shape {received.shape} for {case.label}; "
                f"expected shape {expected.shape}.",
                details,
                received=received,
            )
        if near_miss is not None and close(received, expected, LOOSE_TOLERANCE):
            near_miss()
        message = (
            f"{self.name} returned wrong values for {case.label}, and they match none of the "
            "usual mistakes this checker knows. Compare the expected and received values below."
        )
        notes = observe(received) if observe is not None else []
        details += difference(received, expected)
        raise Finding("wrong_values", "\n".join([message, *notes]), details, received=received)

    def as_numbers(self, result, case):
        """The student's result as an array of real numbers, or a wrong_shape Finding."""
        try:
            array = np.asarray(result)
        except Exception:  # ragged lists and other shapes NumPy cannot hold
            array = None
        if (array is None or array.dtype.kind not in "fiub") and isinstance(result, tuple):
            raise Finding(
                "wrong_shape", not_an_array(self.name, case.label, result), describe_inputs(case.args)
            )
        if array is None or array.dtype.kind not in "fiub":
            raise Finding(
                "wrong_shape",
                f"{self.name} returned {describe(result)} for {case.label}: expected an array of "
                "real numbers.",
                describe_inputs(case.args),
            )
        return array

    def _note_precision(self, case, received, dtype):
        change = precision_note(received, dtype)
        if change is not None and change not in self.notes:
            self._note(change, case, precision_advice(self.source, self.rules, received.dtype))

    def _note(self, change, case, advice):
        """A note that does not change the verdict, once per kind of change."""
        self.notes.setdefault(change, f"values right ✓ — {change} (given {case.label}). {advice}")

    def _mutated(self, case, changed):
        names = " and ".join(changed)
        details = "\n".join(describe_inputs({f"{name} passed in": case.args[name]}) for name in changed)
        return Finding(
            "mutates_input",
            f"{self.name} returns the right values but changes its input {names} (given "
            f"{case.label}). The caller still needs {names} afterwards: a network keeps its "
            "arrays for the backward pass. An in-place operation such as `x -= x.max()`, "
            "`x /= x.sum()` or `np.exp(x, out=x)` overwrites the caller's array: compute "
            "into a new array instead, e.g. `shifted = x - x.max(axis=-1, keepdims=True)`.",
            details,
        )

    def check_rules(self):
        """Once every probe passed: the exercise's stated rules (no loop, no np.outer…)."""
        broken = broken_rules(self.source, self.rules)
        if not broken:
            return
        found = "; ".join(f"{what} on line {line}" for what, line in broken)
        what = " and ".join(dict.fromkeys(what for what, _ in broken))
        raise Finding(
            "broken_rule",
            f"{self.name} gives the right values, but this exercise (notebook "
            f"{self.rules.notebook}) asks for {self.rules.stated()}, and it uses {found} of "
            f"its cell. Rewrite that part; the Jacobian, for example, is {self.rules.jacobian_fix}.",
            heading=f"right values, but the exercise rules out {what}",
        )


def probe_overflow(session, case, expected, message, dtype=None, heading=None):
    """Extreme logits: NaN, inf, an error or a wrong answer there means no max-subtraction.

    Only reached once ordinary logits gave the right answer, so the extreme values are
    what went wrong; ``message`` may use ``{name}`` and ``{case}``.
    """
    try:
        session.array(case, expected, dtype=dtype)
    except Finding as finding:
        if finding.diagnosis not in ("wrong_values", "raised"):
            raise
        text = message.format(name=session.name, case=case.label)
        raise Finding("no_max_subtraction", text, finding.details, heading=heading) from None


def probe_far_apart(session, case, expected, fix, dtype=None):
    """Logits far apart, once logits near ±1000 passed: the code shifts, but not by the maximum.

    Subtracting the mean or the minimum is exact for logits close together, at any offset, and
    overflows only when the largest logit lies more than 709.78 above what was subtracted.
    ``fix`` is the sentence that ends the message.
    """
    try:
        session.array(case, expected, dtype=dtype)
    except Finding as finding:
        if finding.diagnosis not in ("wrong_values", "raised"):
            raise
        message = shift_message(session.name, case, fix)
        raise Finding("no_max_subtraction", message, finding.details, heading=SHIFT_HEADING) from None


SHIFT_HEADING = "shifted by another number than each row's maximum: overflow"


def shift_message(name, case, fix):
    """Why a shift other than the maximum overflows for ``case``'s logits, then ``fix``."""
    logits = np.asarray(case.args["logits"], dtype=np.float64)
    above_mean = float(np.max(logits.max(axis=-1) - logits.mean(axis=-1)))
    above_min = float(np.max(logits.max(axis=-1) - logits.min(axis=-1)))
    if logits.ndim == 1:
        where = (
            f"the largest logit lies {format_whole(above_mean)} above their mean and "
            f"{format_whole(above_min)} above their minimum"
        )
    else:
        where = (
            f"a row's largest logit lies up to {format_whole(above_mean)} above the row's mean and "
            f"{format_whole(above_min)} above its minimum"
        )
    return (
        f"{name} is right for logits that are all near +1000 or all near -1000, so it does "
        f"shift them, but for {case.label} it returns nan, inf or wrong values: there {where}, "
        "and exp overflows above 709.78 (exp(710) = inf). Subtracting the same number c from "
        "every logit leaves softmax unchanged, but only c = the row's MAXIMUM (not the mean, "
        "the minimum or the first logit) makes every exponent xₖ − c ≤ 0, so that exp cannot "
        f"overflow. {fix}"
    )


def probe_integers(session, case, expected):
    """Integer logits must give the right (floating-point) values, as floats do."""
    try:
        session.array(case, expected, dtype="floating")
    except Finding as finding:
        if finding.diagnosis == "raised":
            what = finding.message
        elif finding.diagnosis in ("wrong_values", "wrong_shape"):
            what = "It returns wrong values for them (below), though it is right for float logits."
        else:
            raise
        advice = integer_advice(session.source, session.rules)
        message = f"{session.name} does not handle {case.label}.\n{what}\n{advice}"
        raise Finding("integer_input", message, finding.details) from None


def run_check(check, function, probes, notebook=None):
    """Run ``probes(session)`` on ``function`` under the rules of ``notebook``'s exercise."""
    rules = rules_for(notebook)
    if not callable(function):
        return CheckResult(check, "?", False, "not_a_function", not_a_function(check, function))
    session = Session(function, rules)
    try:
        probes(session)
        session.check_rules()
    except Finding as finding:
        return CheckResult(
            check, session.name, False, finding.diagnosis, finding.message, finding.details,
            heading=finding.heading, notes=tuple(session.notes.values()),
        )  # fmt: skip
    checks = "".join(f"\n  · {label}" for label in session.passed)
    message = f"All {len(session.passed)} checks passed, and no input was modified:{checks}"
    return CheckResult(check, session.name, True, None, message, notes=tuple(session.notes.values()))
