"""Helpers for the course on the derivative of softmax.

The numerical core is imported here; the heavier modules (``symbolic``, ``plots``,
``widgets``, ``exercises``) load on first use, so ``import course_utils`` is fast and
changes no global state (no matplotlib style, no printing set-up).
"""

import importlib

from .cross_entropy import SoftmaxCrossEntropy, cross_entropy, cross_entropy_backward
from .gradcheck import describe_error, gradient_check, numerical_gradient, verdict
from .jacobian import softmax_backward, softmax_jacobian
from .softmax import log_softmax, logsumexp, softmax

# The course version, defined here only: pyproject.toml reads it, notebook 00 prints it, and
# the student release names it. Bug reports should quote it.
__version__ = "0.1.0"

__all__ = [
    "SoftmaxCrossEntropy",
    "cross_entropy",
    "cross_entropy_backward",
    "describe_error",
    "gradient_check",
    "log_softmax",
    "logsumexp",
    "numerical_gradient",
    "softmax",
    "softmax_backward",
    "softmax_jacobian",
    "verdict",
]

_LAZY_MODULES = {"environment", "exercises", "plots", "symbolic", "widgets"}


def __getattr__(name):
    """Load the heavier modules (matplotlib, SymPy, ipywidgets) only when first used."""
    if name in _LAZY_MODULES:
        return importlib.import_module(f"{__name__}.{name}")
    if name == "presentation_mode":
        return importlib.import_module(f"{__name__}.plots.presentation").presentation_mode
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
