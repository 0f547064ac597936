"""Do two computations of the same quantity agree? Exactly, closely, and by how much (notebook 08).

Two correct programs for one derivative rarely agree to the last bit: floating-point addition
is not associative, so summing the same terms in another order, or simplifying a formula
before computing it, moves the result by a few units in the last place (about 1e-16 of its
size in float64). So a comparison reports three things, as Karpathy's ``cmp`` does: bit-exact
equality, closeness within the tolerance of :func:`numpy.allclose`, and the largest absolute
difference.
"""

import numpy as np

# Differences below this are written as this bound, not as their digits: rounding differences
# depend on the processor's vector kernels, and the notebooks print the same text on any machine.
ROUNDING_BOUND = 1e-14


def compare(name, ours, theirs):
    """One line: does ``ours`` equal ``theirs`` exactly, closely, and how far apart are they?

    Parameters
    ----------
    name : str
        What is compared, shown first.
    ours, theirs : array_like
        The same shape.

    Returns
    -------
    str
        ``"name  exact: …  close: …  max difference: …"``.

    Raises
    ------
    ValueError
        If the shapes differ, or either holds NaN or inf.

    Examples
    --------
    >>> print(compare("sum", np.array([0.1 + 0.2]), np.array([0.3])))
    sum  exact: no   close: yes  max difference: < 1e-14
    >>> print(compare("twice", np.array([1.0]), np.array([2.0])))
    twice  exact: no   close: no   max difference: 1
    """
    ours, theirs = np.asarray(ours, dtype=float), np.asarray(theirs, dtype=float)
    if ours.shape != theirs.shape:
        raise ValueError(f"{name}: shapes differ, {ours.shape} and {theirs.shape}")
    if not (np.isfinite(ours).all() and np.isfinite(theirs).all()):
        raise ValueError(f"{name}: NaN or inf in a result; compare finite numbers")
    exact = bool(np.array_equal(ours, theirs))
    close = bool(np.allclose(ours, theirs))
    difference = float(np.max(np.abs(ours - theirs))) if ours.size else 0.0
    if difference == 0:
        shown = "0"
    elif difference < ROUNDING_BOUND:
        shown = f"< {ROUNDING_BOUND:.0e}"
    else:
        shown = f"{difference:.2g}"
    return f"{name}  exact: {_yes_no(exact)}  close: {_yes_no(close)}  max difference: {shown}"


def _yes_no(flag):
    return "yes" if flag else "no "
