r"""The Hessian of cross-entropy with respect to the logits, derived with SymPy (notebook 08).

Differentiating :math:`\partial L/\partial x_j = \sigma_j - y_j` once more gives

.. math:: \frac{\partial^2 L}{\partial x_i\,\partial x_j} = \sigma_j(\delta_{ij} - \sigma_i),
          \qquad H = \operatorname{diag}(\sigma) - \sigma\sigma^\top,

the softmax Jacobian itself, whatever the labels (as long as they sum to 1). Its quadratic form
is a variance, :math:`v^\top H v = \sum_i \sigma_i (v_i - \bar v)^2` with
:math:`\bar v = \sum_k \sigma_k v_k`, so it is never negative and cross-entropy is convex in the
logits. The functions build on :mod:`course_utils.symbolic`.
"""

import sympy as sp

from .symbolic import cross_entropy_expression, in_terms_of_outputs, indexed_softmax, outer_form, sift


def cross_entropy_hessian_by_diff(logits, labels):
    r"""The matrix of :math:`\partial^2 L / \partial x_i \partial x_j` by ``sympy.hessian``.

    Parameters
    ----------
    logits : sequence of sympy symbols
        From :func:`~course_utils.symbolic.logit_symbols`.
    labels : sequence of sympy symbols or numbers
        The same length; for a Hessian free of the labels they must sum to 1.

    Returns
    -------
    sympy.Matrix
        D × D, in the logits.

    Examples
    --------
    >>> from course_utils.symbolic import logit_symbols, output_symbols
    >>> x, s = logit_symbols(2), output_symbols(2)
    >>> in_terms_of_outputs(cross_entropy_hessian_by_diff(x, (1, 0)), x, s)
    Matrix([
    [-sigma_1**2 + sigma_1,      -sigma_1*sigma_2],
    [     -sigma_1*sigma_2, -sigma_2**2 + sigma_2]])
    """
    return sp.hessian(cross_entropy_expression(logits, labels), logits)


def hessian_minus_outer_form(logits, outputs, labels):
    r"""The Hessian (in the outputs) minus :math:`\operatorname{diag}(\sigma) - \sigma\sigma^\top`.

    With symbolic labels the difference is :math:`(\sum_i y_i - 1)\,(\operatorname{diag}(\sigma)
    - \sigma\sigma^\top)`: zero exactly when the labels sum to 1.

    Examples
    --------
    >>> from course_utils.symbolic import logit_symbols, output_symbols
    >>> x, s = logit_symbols(2), output_symbols(2)
    >>> hessian_minus_outer_form(x, s, (1, 0))
    Matrix([
    [0, 0],
    [0, 0]])
    """
    hessian = in_terms_of_outputs(cross_entropy_hessian_by_diff(logits, labels), logits, outputs)
    return (hessian - outer_form(outputs)).applyfunc(sp.factor)


def general_cross_entropy_hessian(general=None):
    r""":math:`\partial^2 L/\partial x_i \partial x_j` for symbolic i, j and D, labels summing to 1.

    Starts from the gradient :math:`\sigma_j - y_j`
    (:func:`~course_utils.symbolic.general_cross_entropy_gradient`), differentiates it by
    :math:`x_i`, sifts the Kronecker deltas and writes the result with the outputs.

    Examples
    --------
    >>> general_cross_entropy_hessian()
    (KroneckerDelta(i, j) - sigma[i])*sigma[j]
    """
    general = general or indexed_softmax()
    i, j = general.i, general.j
    gradient = general.softmax(j) - general.labels[j]
    derivative = sift(sp.diff(gradient, general.logits[i]))
    return sp.factor(general.in_terms_of_outputs(derivative, i, j))


def quadratic_form(outputs, direction):
    r""":math:`v^\top (\operatorname{diag}(\sigma) - \sigma\sigma^\top) v`, expanded.

    Examples
    --------
    >>> from course_utils.symbolic import output_symbols
    >>> quadratic_form(output_symbols(2), sp.symbols("v_1:3"))
    -sigma_1**2*v_1**2 - 2*sigma_1*sigma_2*v_1*v_2 + sigma_1*v_1**2 - sigma_2**2*v_2**2 + sigma_2*v_2**2
    """
    column = sp.Matrix(direction)
    return sp.expand((column.T * outer_form(outputs) * column)[0, 0])


def variance_form(outputs, direction):
    r""":math:`\sum_i \sigma_i (v_i - \bar v)^2` with :math:`\bar v = \sum_k \sigma_k v_k`.

    The variance of the values :math:`v_i` when class i has probability :math:`\sigma_i`.

    Examples
    --------
    >>> from course_utils.symbolic import output_symbols
    >>> variance_form(output_symbols(2), (1, 1))
    sigma_1*(-sigma_1 - sigma_2 + 1)**2 + sigma_2*(-sigma_1 - sigma_2 + 1)**2
    """
    mean = sum(s * v for s, v in zip(outputs, direction, strict=True))
    return sum(s * (v - mean) ** 2 for s, v in zip(outputs, direction, strict=True))


def variance_gap(outputs, direction):
    r"""Quadratic form minus variance, with the last output replaced by :math:`1 - \sum` the others.

    Returns 0 (as a SymPy number): on probabilities that sum to 1 the two are the same.

    Examples
    --------
    >>> from course_utils.symbolic import output_symbols
    >>> variance_gap(output_symbols(3), sp.symbols("v_1:4"))
    0
    """
    *first, last = outputs
    on_simplex = {last: 1 - sum(first)}
    gap = quadratic_form(outputs, direction) - variance_form(outputs, direction)
    return sp.expand(gap.subs(on_simplex))
