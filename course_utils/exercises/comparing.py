"""Comparing the student's result with the truth and with the catalogue's known mistakes.

The maths decides: values within a tolerance, the shape, and (elsewhere) the input left
unmodified. The dtype of a right answer never fails it: :func:`precision_note` describes a
change of precision, which the checker reports on a line of its own.
"""

from dataclasses import dataclass

import numpy as np

# (rtol, atol) by the dtype of the student's result. float64 code is exact to ~1e-15, so these
# leave room for any correct formula while catching log(σ + 1e-7) and float32 round trips.
TOLERANCE = {np.dtype(np.float64): (1e-7, 1e-12), np.dtype(np.float32): (1e-4, 1e-6)}
LOOSE_TOLERANCE = (1e-3, 1e-3)  # "almost right": worth looking for an accuracy problem


def close(received, expected, tolerance=None):
    """Whether two arrays of the same shape agree within the tolerance of ``received``.

    Examples
    --------
    >>> close(np.float32([0.1, 0.9]), np.array([0.1, 0.9]))
    True
    >>> close(np.array([0.1, 0.9]), np.array([0.1, 0.9 + 1e-5]))
    False
    """
    if received.shape != expected.shape:
        return False
    rtol, atol = tolerance or TOLERANCE.get(received.dtype, TOLERANCE[np.dtype(np.float32)])
    with np.errstate(all="ignore"):
        return bool(np.allclose(received.astype(np.float64), expected.astype(np.float64), rtol, atol))


@dataclass(frozen=True)
class Bug:
    """A known mistake the checker looks for: its diagnosis, heading, explanation and output.

    ``candidate`` is what the mistaken code returns for the probe's input (an array or a
    number), or a test ``candidate(received) -> bool`` when the mistake is a family (for
    example "the columns sum to 1", whatever was subtracted first).
    """

    diagnosis: str
    heading: str
    message: str
    candidate: object

    @classmethod
    def of(cls, mistake, args, candidate=None, **fields):
        """The catalogue's ``mistake`` on this probe: its output on ``args``, or ``candidate``.

        Returns None when the mistaken code cannot run on these arguments.
        """
        if candidate is None:
            try:
                with np.errstate(all="ignore"):
                    candidate = mistake.function(*(np.array(value, copy=True) for value in args.values()))
            except Exception:  # this mistake is not defined for such input
                return None
        return cls(mistake.diagnosis, mistake.heading, mistake.explain(**fields), candidate)

    def matches(self, received, expected_shape):
        """Whether ``received`` is this mistake; a family test needs the expected shape."""
        if callable(self.candidate):
            if received.shape != expected_shape:  # a wrong shape is its own diagnosis
                return False
            try:
                with np.errstate(all="ignore"):
                    return bool(self.candidate(received))
            except (ValueError, TypeError, IndexError):  # a result too odd to be this mistake
                return False
        candidate = np.asarray(self.candidate)
        if candidate.dtype.kind not in "fiub":
            return False
        return candidate.shape == received.shape and close(received, candidate)


def precision_note(received, expected_dtype):
    """None when the dtype is the expected one, else "float32 came back as float64".

    ``expected_dtype`` None means any floating dtype will do (a loss may be a Python float).

    Examples
    --------
    >>> precision_note(np.zeros(2), np.float32)
    'float32 came back as float64'
    >>> precision_note(np.zeros(2, np.float32), np.float32) is None
    True
    """
    if expected_dtype is None or received.dtype == np.dtype(expected_dtype):
        return None
    return f"{np.dtype(expected_dtype)} came back as {received.dtype}"


def not_floating(received):
    """Whether a result meant to hold probabilities or gradients is integers or booleans."""
    return received.dtype.kind in "iub"
