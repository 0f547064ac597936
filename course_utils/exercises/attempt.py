"""A small runner for the checkers of notebooks 08 and 09: call, compare, name the mistake.

It reuses :class:`~course_utils.exercises.result.CheckResult` (the boxes of every checker) and
:class:`~course_utils.exercises.comparing.Bug` (a mistake of the catalogue in
:mod:`course_utils.bugs` on one probe: its diagnosis, heading and explanation). A student's
error, a stub or a changed input is reported in the box, never raised.
"""

import numpy as np

from ..formatting import format_significant
from . import running
from .comparing import close
from .result import CheckResult

NOT_IMPLEMENTED = "Not implemented yet: fill in the function above, then re-run this cell."


class Stop(Exception):
    """The first problem found: carries the verdict."""

    def __init__(self, verdict):
        super().__init__(verdict.message)
        self.verdict = verdict


class Attempt:
    """Run one student function on probes; each :meth:`expect` stops at the first problem.

    Examples
    --------
    >>> def run(fn):
    ...     attempt = Attempt("check_double", fn)
    ...     return attempt.finish(lambda: attempt.expect("x = [1, 2]", ([1.0, 2.0],), [2.0, 4.0]))
    >>> run(lambda x: 2 * np.asarray(x)).passed
    True
    >>> run(lambda x: 3 * np.asarray(x)).diagnosis
    'wrong_values'
    """

    def __init__(self, check, function):
        self.check = check
        self.function = function
        self.name = getattr(function, "__name__", "?")
        self.tried = []

    def stop(self, diagnosis, message, details="", heading=None):
        raise Stop(CheckResult(self.check, self.name, False, diagnosis, message, details, heading))

    def call(self, label, arguments):
        """The student's result on copies of ``arguments`` (checked to be left unchanged).

        Run by :func:`running.call`, the one runner of every checker: same time limit, same
        copies, warnings silenced (an overflow shows as nan or inf).
        """
        outcome = running.call(self.function, {f"argument {n}": a for n, a in enumerate(arguments)})
        error = outcome.error
        if isinstance(error, NotImplementedError):
            self.stop("not_implemented", NOT_IMPLEMENTED)
        if isinstance(error, running.TimedOut):
            self.stop("timed_out", f"On {label}, {self.name} did not finish within "
                      f"{format_significant(running.TIME_LIMIT)} seconds, so the checker stopped it.")
        if error is not None:  # the student's error goes into the box
            self.stop("raised", f"On {label}, {self.name} raised {type(error).__name__}: {error}",
                      running.student_frame(error).strip())
        if outcome.result is None:
            self.stop("not_implemented", "Not implemented yet: the function returns None. Fill it in, "
                      "then re-run this cell.")
        if outcome.changed:
            self.stop("mutates_input", f"On {label}, {self.name} changed its input in place (an "
                      "`x -= ...` or `x[...] = ...`): work on a new array instead.")
        return outcome.result

    def expect(self, label, arguments, expected, bugs=()):
        """Compare with ``expected``; on a mismatch, name the first of ``bugs`` that matches.

        ``bugs`` are :class:`~course_utils.exercises.comparing.Bug`: what a catalogued mistake
        returns on these arguments, with its diagnosis, heading and explanation.
        """
        received = np.asarray(self.call(label, arguments), dtype=float)
        expected = np.asarray(expected, dtype=float)
        details = f"input: {label}\nexpected:\n{np.array2string(expected, precision=4)}"
        if received.shape != expected.shape:
            self._name_the_mistake(bugs, received, expected, details)
            self.stop("wrong_shape", f"On {label}, {self.name} returned shape {received.shape}; "
                      f"expected {expected.shape}.", details)
        if close(received, expected):
            self.tried.append(label)
            return
        details += f"\nreceived:\n{np.array2string(received, precision=4)}"
        self._name_the_mistake(bugs, received, expected, details)
        if not np.isfinite(received).all():
            self.stop("no_max_subtraction", f"On {label}, {self.name} returns nan or inf: exp of a "
                      "large number overflows. Subtract each row's maximum before exponentiating, or "
                      "call cu.softmax.", details)
        self.stop("wrong_values", f"On {label}, {self.name} returns wrong values, and they match none "
                  "of the usual mistakes: compare them with the expected ones below.", details)

    def _name_the_mistake(self, bugs, received, expected, details):
        for bug in bugs:
            if bug is not None and bug.matches(received, expected.shape):
                self.stop(bug.diagnosis, bug.message, details, bug.heading)

    def finish(self, probes):
        """Run ``probes()``; a :class:`CheckResult`, passed when no probe stopped it."""
        if not callable(self.function):
            return CheckResult(self.check, "?", False, "not_a_function",
                           f"{self.check} takes your function itself: pass its name, without ().")
        try:
            probes()
        except Stop as stop:
            return stop.verdict
        return CheckResult(self.check, self.name, True, None, "Right on: " + "; ".join(self.tried) + ".")
