"""Code that is WRONG ON PURPOSE: plausible implementations with a bug, for the bug hunts.

Every function here looks like something a careful student could write, and every one of
them has a mistake (or, for :func:`one_sided_gradient` and :func:`cross_entropy_log_eps`, a
weakness) that the notebooks expose with a gradient check, a row-sum assertion, a training run
or a checker's red box. Never use them for real work: the correct versions are
:func:`course_utils.softmax_backward`, :func:`course_utils.cross_entropy_backward`,
:class:`course_utils.SoftmaxCrossEntropy` and :func:`course_utils.numerical_gradient`.

Each mistake is defined once, in :data:`MISTAKES` (see :mod:`.catalogue`): its code, the
diagnosis and heading the checkers give it, its explanation and the notebook that teaches it.
The one exception to "wrong" is :class:`RepairedSoftmaxCrossEntropy`, the repaired layer.
"""

from . import attention, autodiff, derivatives, forward, losses
from .catalogue import MISTAKES, Mistake, mistakes_for
from .derivatives import (
    softmax_backward_diagonal_only,
    softmax_backward_missing_probs,
    softmax_backward_plain_mean,
)
from .forward import DTYPES, naive_softmax
from .hunts import BuggySoftmaxCrossEntropy, RepairedSoftmaxCrossEntropy, one_sided_check, one_sided_gradient
from .losses import (
    cross_entropy_backward_diagonal_only,
    cross_entropy_backward_sign_flipped,
    cross_entropy_log_eps,
)

__all__ = [
    "DTYPES",
    "MISTAKES",
    "BuggySoftmaxCrossEntropy",
    "Mistake",
    "RepairedSoftmaxCrossEntropy",
    "attention",
    "autodiff",
    "cross_entropy_backward_diagonal_only",
    "cross_entropy_backward_sign_flipped",
    "cross_entropy_log_eps",
    "derivatives",
    "forward",
    "losses",
    "mistakes_for",
    "naive_softmax",
    "one_sided_check",
    "one_sided_gradient",
    "softmax_backward_diagonal_only",
    "softmax_backward_missing_probs",
    "softmax_backward_plain_mean",
]
