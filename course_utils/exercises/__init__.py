"""Checkers that diagnose: run a student's function on probes and say precisely what is wrong.

Each checker takes the student's function (not its result), calls it on seeded random
inputs and on extremes, and returns a :class:`CheckResult`: ``.passed``, a stable
``.diagnosis`` code (see :data:`DIAGNOSES`) and a ``.message`` with the fix; in a notebook it
shows as a green (passed), blue (not implemented yet) or red box. A stub that returns None or
raises NotImplementedError is reported as "not implemented yet", and an error raised by the
student's code is reported, never raised.

An exercise cell in a notebook::

    def my_softmax(logits):
        ...  # the student's code
    cu.exercises.check_softmax(my_softmax)
"""

from .formulas import check_formula, check_sympy_diff
from .jacobian_checks import check_softmax_backward, check_softmax_jacobian
from .loss_checks import check_cross_entropy, check_cross_entropy_backward
from .predictions import check_prediction
from .result import DIAGNOSES, CheckResult
from .softmax_checks import check_log_softmax, check_softmax

__all__ = [
    "DIAGNOSES",
    "CheckResult",
    "check_cross_entropy",
    "check_cross_entropy_backward",
    "check_formula",
    "check_log_softmax",
    "check_prediction",
    "check_softmax",
    "check_softmax_backward",
    "check_softmax_jacobian",
    "check_sympy_diff",
]
