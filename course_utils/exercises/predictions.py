"""Predict, then reveal: the student predicts a property of J before looking at the explorer.

The student writes the prediction down first — where J's largest entry is, its sign pattern,
its rank — then calls :func:`check_prediction` with the logits the explorer shows; the reveal
computes J with :func:`course_utils.softmax_jacobian`, so it does not depend on any widget.
"""

import numpy as np

from ..jacobian import softmax_jacobian
from .feedback import labelled
from .result import CheckResult


def check_prediction(logits, *, largest=None, signs=None, rank=None, temperature=1.0):
    """Compare a prediction about the Jacobian J at ``logits`` with J itself.

    Parameters
    ----------
    logits : array_like
        The logits the explorer is set to (one vector of D).
    largest : tuple of int, optional
        (row, column) of J's largest entry, indexed as NumPy does (from 0).
    signs : str or sequence, optional
        The sign of every entry, one row per line: ``"+-\\n-+"``, or nested lists of
        ``"+"``, ``"-"`` and ``"0"``.
    rank : int, optional
        The rank of J.
    temperature : float, optional
        The explorer's temperature T.

    Returns
    -------
    CheckResult
        Passed when every property predicted is right; the heading names the first that
        is not. The reveal always shows J. With nothing predicted, "not implemented yet".

    Examples
    --------
    >>> check_prediction([2.0, 1.0, 0.1], largest=(0, 0), rank=2).passed
    True
    >>> check_prediction([2.0, 1.0, 0.1], rank=3).heading
    'the rank of J is 2, not 3'
    """
    logits = np.asarray(logits, dtype=float)
    if largest is None and signs is None and rank is None:
        message = "Not implemented yet: write your predictions in the cell above, then re-run this cell."
        return CheckResult("check_prediction", "prediction", False, "not_implemented", message)
    jacobian = softmax_jacobian(logits, temperature=temperature)
    revealed = labelled("J = ", jacobian)
    wrong, right = [], []
    if largest is not None:
        index = tuple(int(i) for i in np.unravel_index(np.argmax(jacobian), jacobian.shape))
        (right if tuple(largest) == index or _ties(jacobian, largest) else wrong).append(
            f"the largest entry is J{list(index)}, not J{list(largest)}"
            if tuple(largest) != index and not _ties(jacobian, largest)
            else f"the largest entry is J{list(index)}"
        )
    if signs is not None:
        predicted, actual = _sign_grid(signs, jacobian.shape), _signs_of(jacobian)
        if predicted is None:
            raise ValueError(f"signs must give {jacobian.shape[0]} rows of {jacobian.shape[1]} of +, - or 0")
        pattern = "\n".join("".join(row) for row in actual)
        (right if predicted == actual else wrong).append(
            "the sign pattern is right: + on the diagonal, − off it"
            if predicted == actual
            else f"the sign pattern is\n{pattern}\n(+ on the diagonal, − off it)"
        )
    if rank is not None:
        actual_rank = int(np.linalg.matrix_rank(jacobian, tol=1e-10))
        (right if rank == actual_rank else wrong).append(
            f"the rank of J is {actual_rank}" + ("" if rank == actual_rank else f", not {rank}")
        )
    if wrong:
        message = "Revealed: " + "; ".join(wrong + right) + "."
        return CheckResult("check_prediction", "prediction", False, "wrong_prediction", message, revealed,
                           heading=wrong[0].split("\n")[0])  # fmt: skip
    return CheckResult(
        "check_prediction", "prediction", True, None, "Right: " + "; ".join(right) + ".", revealed
    )


def _ties(jacobian, index):
    try:
        return bool(np.isclose(jacobian[tuple(index)], jacobian.max(), rtol=1e-12, atol=0))
    except (IndexError, TypeError):
        return False


def _signs_of(jacobian):
    scale = np.abs(jacobian).max()
    return [["0" if abs(v) <= 1e-12 * scale else "+" if v > 0 else "-" for v in row] for row in jacobian]


def _sign_grid(signs, shape):
    rows = signs.replace("−", "-").split() if isinstance(signs, str) else list(signs)
    grid = [[str(v) for v in row] for row in rows]
    if len(grid) != shape[0] or any(len(row) != shape[1] for row in grid):
        return None
    if any(v not in "+-0" for row in grid for v in row):
        return None
    return grid
