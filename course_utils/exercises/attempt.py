"""A small runner for the checkers of notebooks 08 and 09: call, compare, name the mistake.

It reuses :class:`~course_utils.exercises.result.CheckResult` (the boxes of every checker) and
adds the titles of the diagnoses only these exercises give. A student's error, a stub or a
changed input is reported in the box, never raised.
"""

from dataclasses import dataclass

import numpy as np

from ..formatting import format_significant
from . import running
from .result import DIAGNOSES, CheckResult

TITLES = {
    **DIAGNOSES,
    "missing_softmax_term": "the σ Σg term is missing",
    "softmax_vjp": "that is the backward pass of softmax, not of log-softmax",
    "jacobian_not_transposed": "J g instead of Jᵀ g",
    "unscaled_scores": "the scores are not divided by √d",
    "scaled_by_d": "divided by d instead of √d",
    "transposed_scores": "keys and queries swapped: KQᵀ instead of QKᵀ",
    "mask_ignored": "the mask is not applied",
}
RTOL, ATOL = 1e-7, 1e-12
NOT_IMPLEMENTED = "Not implemented yet: fill in the function above, then re-run this cell."


@dataclass(frozen=True, repr=False)
class Verdict(CheckResult):
    """A :class:`CheckResult` whose title knows the diagnoses of :data:`TITLES` too."""

    @property
    def title(self):
        mark = {"passed": "✓", "todo": "…", "failed": "✗"}[self._style]
        verdict = "passed" if self.passed else TITLES.get(self.diagnosis, self.diagnosis)
        return f"{mark} {self.check}({self.function}): {verdict}"


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

    def stop(self, diagnosis, message, details=""):
        raise Stop(Verdict(self.check, self.name, False, diagnosis, message, details))

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
        """Compare with ``expected``; on a mismatch, name the first bug of ``bugs`` that matches.

        ``bugs`` are ``(diagnosis, message, wrong_result)``: what a known mistake returns.
        """
        received = np.asarray(self.call(label, arguments), dtype=float)
        expected = np.asarray(expected, dtype=float)
        details = f"input: {label}\nexpected:\n{np.array2string(expected, precision=4)}"
        if received.shape != expected.shape:
            for diagnosis, message, wrong in bugs:
                if np.shape(wrong) == received.shape and _close(received, wrong):
                    self.stop(diagnosis, message, details)
            self.stop("wrong_shape", f"On {label}, {self.name} returned shape {received.shape}; "
                      f"expected {expected.shape}.", details)
        if _close(received, expected):
            self.tried.append(label)
            return
        details += f"\nreceived:\n{np.array2string(received, precision=4)}"
        for diagnosis, message, wrong in bugs:
            if np.shape(wrong) == received.shape and _close(received, wrong):
                self.stop(diagnosis, message, details)
        if not np.isfinite(received).all():
            self.stop("no_max_subtraction", f"On {label}, {self.name} returns nan or inf: exp of a "
                      "large number overflows. Subtract each row's maximum before exponentiating, or "
                      "call cu.softmax.", details)
        self.stop("wrong_values", f"On {label}, {self.name} returns wrong values, and they match none "
                  "of the usual mistakes: compare them with the expected ones below.", details)

    def finish(self, probes):
        """Run ``probes()``; a :class:`Verdict`, passed when no probe stopped it."""
        if not callable(self.function):
            return Verdict(self.check, "?", False, "not_a_function",
                           f"{self.check} takes your function itself: pass its name, without ().")
        try:
            probes()
        except Stop as stop:
            return stop.verdict
        return Verdict(self.check, self.name, True, None, "Right on: " + "; ".join(self.tried) + ".")


def _close(received, expected):
    with np.errstate(invalid="ignore"):
        return bool(np.allclose(received, expected, rtol=RTOL, atol=ATOL))
