r"""Softmax and its derivatives as SymPy expressions, derived by the rules of calculus.

Three groups of functions, used by notebook 02 in this order:

* **D symbols** ``x_1 ... x_D``: the softmax (:func:`softmax_expressions`), its Jacobian by
  ``sympy.diff`` (:func:`jacobian_by_diff`), rewritten in the outputs
  (:func:`in_terms_of_outputs`) and compared with :func:`kronecker_form` and
  :func:`outer_form`; the log-softmax Jacobian, the cross-entropy gradient, the two-class
  case and a NumPy version of the Jacobian (:func:`jacobian_function`).
* **One rule at a time**: :func:`derivation_steps` applies the quotient rule, the sum rule,
  the law of independence and the derivative of the exponential, one after the other, so
  each intermediate expression can be shown.
* **General D** with indexed symbols (``IndexedBase``, ``Sum``, ``KroneckerDelta``):
  :func:`indexed_softmax` and :func:`general_jacobian_steps` and friends, which end on
  :math:`\sigma_i(\delta_{ij} - \sigma_j)` for symbolic ``i``, ``j`` and ``D``.

Indices are numbered from 1, as in the formulas. Nothing here changes SymPy's printing:
notebooks call ``sympy.init_printing()`` themselves.
"""

from dataclasses import dataclass

import numpy as np
import sympy as sp

# ---------------------------------------------------------------------------------------------
# D symbols
# ---------------------------------------------------------------------------------------------


def logit_symbols(dim, name="x"):
    """The logits ``x_1, ..., x_D`` as real SymPy symbols.

    Parameters
    ----------
    dim : int
        D, the number of classes (at least 1).
    name : str, optional
        The letter, ``"x"`` by default (notebook 02 uses ``"z"``).

    Returns
    -------
    tuple of sympy.Symbol

    Examples
    --------
    >>> logit_symbols(3)
    (x_1, x_2, x_3)
    >>> logit_symbols(2, "z")[0].is_real
    True
    """
    return _numbered_symbols(dim, name, real=True)


def output_symbols(dim, name="sigma"):
    """The outputs ``sigma_1, ..., sigma_D`` as positive SymPy symbols (σ₁ ... when printed).

    Examples
    --------
    >>> output_symbols(2)
    (sigma_1, sigma_2)
    >>> output_symbols(3, "S")
    (S_1, S_2, S_3)
    """
    return _numbered_symbols(dim, name, positive=True)


def _numbered_symbols(dim, name, **assumptions):
    if int(dim) < 1:
        raise ValueError(f"need at least one symbol, got dim={dim}")
    return tuple(sp.Symbol(f"{name}_{index}", **assumptions) for index in range(1, int(dim) + 1))


def softmax_denominator(logits):
    """The shared denominator ``exp(x_1) + ... + exp(x_D)``.

    Examples
    --------
    >>> softmax_denominator(logit_symbols(2))
    exp(x_1) + exp(x_2)
    """
    return sp.Add(*(sp.exp(logit) for logit in logits))


def softmax_expressions(logits):
    r"""The softmax of the given symbols, one expression per output, as a column matrix.

    .. math:: \sigma_i = \frac{e^{x_i}}{\sum_k e^{x_k}}

    Parameters
    ----------
    logits : sequence of sympy expressions
        Usually :func:`logit_symbols`; any expressions work (``x_k + c`` to test a shift).

    Returns
    -------
    sympy.Matrix
        Shape (D, 1).

    Examples
    --------
    >>> softmax_expressions(logit_symbols(2))
    Matrix([
    [exp(x_1)/(exp(x_1) + exp(x_2))],
    [exp(x_2)/(exp(x_1) + exp(x_2))]])
    """
    denominator = softmax_denominator(logits)
    return sp.Matrix([sp.exp(logit) / denominator for logit in logits])


def jacobian_by_diff(outputs, logits):
    r"""The matrix of ``sympy.diff(outputs[i], logits[j])``: row i, column j.

    .. math:: J_{ij} = \frac{\partial \sigma_i}{\partial x_j}

    Examples
    --------
    >>> x = logit_symbols(2)
    >>> jacobian_by_diff(sp.Matrix([x[0] * x[1], x[0] ** 2]), x)
    Matrix([
    [  x_2, x_1],
    [2*x_1,   0]])
    """
    return sp.Matrix(len(outputs), len(logits), lambda i, j: sp.diff(outputs[i], logits[j]))


def in_terms_of_outputs(expr, logits, outputs):
    r"""Rewrite an expression in the logits with the softmax outputs, as far as it goes.

    Every :math:`e^{x_k}` becomes :math:`\sigma_k \sum_m e^{x_m}` (the definition of
    :math:`\sigma_k`, turned around), then the sums cancel.

    Parameters
    ----------
    expr : sympy expression or Matrix
        Built from ``logits`` (typically a derivative of the softmax).
    logits, outputs : sequences of sympy symbols
        The same length D: :func:`logit_symbols` and :func:`output_symbols`.

    Returns
    -------
    sympy expression or Matrix
        Expanded, so it can be compared term by term.

    Examples
    --------
    >>> x, s = logit_symbols(2), output_symbols(2)
    >>> probs = softmax_expressions(x)
    >>> in_terms_of_outputs(sp.diff(probs[0], x[0]), x, s)
    -sigma_1**2 + sigma_1
    """
    total = sp.Dummy("total", positive=True)
    expr = sp.sympify(expr).subs(softmax_denominator(logits), total)
    expr = expr.subs({sp.exp(x): s * total for x, s in zip(logits, outputs, strict=True)})
    return sp.expand(expr) if not isinstance(expr, sp.MatrixBase) else expr.applyfunc(sp.expand)


def kronecker_form(outputs):
    r"""The matrix :math:`\sigma_i(\delta_{ij} - \sigma_j)`, entry by entry.

    Examples
    --------
    >>> kronecker_form(output_symbols(2))
    Matrix([
    [sigma_1*(1 - sigma_1),      -sigma_1*sigma_2],
    [     -sigma_1*sigma_2, sigma_2*(1 - sigma_2)]])
    """
    size = len(outputs)
    return sp.Matrix(
        size, size, lambda i, j: outputs[i] * (sp.KroneckerDelta(i, j) - outputs[j])
    )


def outer_form(outputs):
    r"""The matrix :math:`\operatorname{diag}(\sigma) - \sigma\sigma^\top`.

    Examples
    --------
    >>> outer_form(output_symbols(2))
    Matrix([
    [-sigma_1**2 + sigma_1,      -sigma_1*sigma_2],
    [     -sigma_1*sigma_2, -sigma_2**2 + sigma_2]])
    """
    column = sp.Matrix(outputs)
    return sp.diag(*outputs) - column * column.T


def is_zero(expr):
    """True when ``sympy.simplify`` reduces ``expr`` (a number, expression or Matrix) to 0.

    Examples
    --------
    >>> x = sp.Symbol("x", real=True)
    >>> is_zero(sp.exp(2 * x) - sp.exp(x) ** 2), is_zero(x - 1)
    (True, False)
    """
    simplified = sp.simplify(expr)
    if isinstance(simplified, sp.MatrixBase):
        return simplified.is_zero_matrix is True
    return simplified == 0


def log_softmax_jacobian_by_diff(logits):
    r"""The matrix of :math:`\partial \log\sigma_i / \partial x_j` by ``sympy.diff``.

    Rewritten with :func:`in_terms_of_outputs` it is :math:`\delta_{ij} - \sigma_j`.

    Examples
    --------
    >>> x, s = logit_symbols(2), output_symbols(2)
    >>> in_terms_of_outputs(log_softmax_jacobian_by_diff(x), x, s)
    Matrix([
    [1 - sigma_1,    -sigma_2],
    [   -sigma_1, 1 - sigma_2]])
    """
    log_probs = softmax_expressions(logits).applyfunc(sp.log)
    return jacobian_by_diff(log_probs, logits)


def cross_entropy_expression(logits, labels):
    r"""The cross-entropy :math:`L = -\sum_i y_i \log \sigma_i` of the labels ``y``.

    The labels are any symbols or numbers: nothing forces them to sum to 1.

    Examples
    --------
    >>> x = logit_symbols(2)
    >>> cross_entropy_expression(x, (1, 0))
    -log(exp(x_1)/(exp(x_1) + exp(x_2)))
    """
    probs = softmax_expressions(logits)
    return -sp.Add(*(label * sp.log(prob) for label, prob in zip(labels, probs, strict=True)))


def cross_entropy_gradient_by_diff(logits, labels):
    r"""The column of :math:`\partial L / \partial x_j` for :func:`cross_entropy_expression`.

    In the outputs it is :math:`(\sum_i y_i)\,\sigma_j - y_j`: ``p - y`` only when the labels
    sum to 1.

    Examples
    --------
    >>> x, s = logit_symbols(2), output_symbols(2)
    >>> y = sp.symbols("y_1:3", real=True)
    >>> in_terms_of_outputs(cross_entropy_gradient_by_diff(x, y), x, s)
    Matrix([
    [sigma_1*y_1 + sigma_1*y_2 - y_1],
    [sigma_2*y_1 + sigma_2*y_2 - y_2]])
    """
    loss = cross_entropy_expression(logits, labels)
    return sp.Matrix([sp.diff(loss, logit) for logit in logits])


def sigmoid(argument):
    r"""The logistic sigmoid :math:`1 / (1 + e^{-u})` as a SymPy expression.

    Examples
    --------
    >>> sigmoid(sp.Symbol("u"))
    1/(1 + exp(-u))
    """
    return 1 / (1 + sp.exp(-argument))


def jacobian_function(dim):
    """A NumPy function computing the symbolic Jacobian, built with ``sympy.lambdify``.

    Parameters
    ----------
    dim : int
        D, the number of logits.

    Returns
    -------
    callable
        Takes D logits (an array of shape (D,)) and returns the (D, D) Jacobian as float64.
        It evaluates the formula exactly as derived, without the max-subtraction trick, so
        logits above ~700 overflow: use :func:`course_utils.softmax_jacobian` for real work.

    Examples
    --------
    >>> jacobian = jacobian_function(2)
    >>> jacobian([0.0, 0.0])
    array([[ 0.25, -0.25],
           [-0.25,  0.25]])
    """
    logits = logit_symbols(dim)
    formula = sp.lambdify(logits, jacobian_by_diff(softmax_expressions(logits), logits), "numpy")

    def jacobian(values):
        values = np.asarray(values, dtype=float)
        if values.shape != (dim,):
            raise ValueError(f"expected {dim} logits, got shape {values.shape}")
        return np.asarray(formula(*values), dtype=float)

    return jacobian


def derivative_label(output, variable):
    r"""A symbol that prints as :math:`\partial S_1 / \partial z_1`, for the left of an ``Eq``.

    Examples
    --------
    >>> S, z = output_symbols(1, "S"), logit_symbols(1, "z")
    >>> sp.latex(derivative_label(S[0], z[0]))
    '\\frac{\\partial S_{1}}{\\partial z_{1}}'
    """
    return sp.Symbol(rf"\frac{{\partial {sp.latex(output)}}}{{\partial {sp.latex(variable)}}}")


# ---------------------------------------------------------------------------------------------
# One rule at a time
# ---------------------------------------------------------------------------------------------


def _is_derivative(expr):
    return isinstance(expr, sp.Derivative) and len(expr.variables) == 1


def quotient_rule(expr):
    r"""Rewrite each unevaluated derivative of a fraction by the quotient rule.

    .. math:: \frac{\partial}{\partial v}\frac{f}{g}
              = \frac{g\,\frac{\partial f}{\partial v} - f\,\frac{\partial g}{\partial v}}{g^2}

    The derivatives of ``f`` and ``g`` are left unevaluated, for the next rules.

    Examples
    --------
    >>> u, v = sp.symbols("u v")
    >>> quotient_rule(sp.Derivative(u / v, v))
    (-u*Derivative(v, v) + v*Derivative(u, v))/v**2
    """

    def is_quotient(node):
        return _is_derivative(node) and sp.fraction(node.expr)[1] != 1

    def apply(node):
        variable = node.variables[0]
        numerator, denominator = sp.fraction(node.expr)
        top = denominator * sp.Derivative(numerator, variable) - numerator * sp.Derivative(
            denominator, variable
        )
        return top / denominator**2

    return expr.replace(is_quotient, apply)


def sum_rule(expr):
    r"""Split each unevaluated derivative of a sum into the sum of the derivatives.

    .. math:: \frac{\partial}{\partial v}\sum_k f_k = \sum_k \frac{\partial f_k}{\partial v}

    Examples
    --------
    >>> u, v = sp.symbols("u v")
    >>> sum_rule(sp.Derivative(sp.exp(u) + sp.exp(v), v))
    Derivative(exp(u), v) + Derivative(exp(v), v)
    """

    def is_sum(node):
        return _is_derivative(node) and isinstance(node.expr, sp.Add)

    def apply(node):
        variable = node.variables[0]
        return sp.Add(*(sp.Derivative(term, variable) for term in node.expr.args))

    return expr.replace(is_sum, apply)


def independence_rule(expr):
    r"""Replace each derivative of an expression that does not contain the variable by 0.

    The law of independence: :math:`\partial e^{z_2} / \partial z_1 = 0`, because
    :math:`z_2` does not change when :math:`z_1` does.

    Examples
    --------
    >>> u, v = sp.symbols("u v")
    >>> independence_rule(sp.Derivative(sp.exp(u), v) + sp.Derivative(sp.exp(v), v))
    Derivative(exp(v), v)
    """

    def is_independent(node):
        return _is_derivative(node) and node.variables[0] not in node.expr.free_symbols

    return expr.replace(is_independent, lambda node: sp.S.Zero)


def exponential_rule(expr):
    r"""Replace each :math:`\partial e^{v} / \partial v` by :math:`e^{v}`.

    Examples
    --------
    >>> v = sp.Symbol("v")
    >>> exponential_rule(2 * sp.Derivative(sp.exp(v), v))
    2*exp(v)
    """

    def is_exponential(node):
        return (
            _is_derivative(node)
            and isinstance(node.expr, sp.exp)
            and node.expr.args[0] == node.variables[0]
        )

    return expr.replace(is_exponential, lambda node: node.expr)


# The rules in the order a student applies them to the derivative of a softmax output.
RULES = (
    ("quotient rule", quotient_rule),
    ("derivative of a sum", sum_rule),
    ("law of independence", independence_rule),
    ("derivative of the exponential", exponential_rule),
)


def derivation_steps(expr, variable):
    r"""Differentiate ``expr`` by hand: a (rule name, expression) pair after each of :data:`RULES`.

    The first pair is ``("start", Derivative(expr, variable))``; every later expression
    equals it (``.doit()`` of each gives the same function), and the last holds no
    unevaluated derivative when ``expr`` is a softmax output.

    Examples
    --------
    >>> z = logit_symbols(2, "z")
    >>> steps = derivation_steps(softmax_expressions(z)[1], z[0])
    >>> for name, _ in steps:
    ...     print(name)
    start
    quotient rule
    derivative of a sum
    law of independence
    derivative of the exponential
    >>> steps[-1][1]
    -exp(z_1)*exp(z_2)/(exp(z_1) + exp(z_2))**2
    """
    current = sp.Derivative(expr, variable)
    steps = [("start", current)]
    for name, rule in RULES:
        current = rule(current)
        steps.append((name, current))
    return steps


# ---------------------------------------------------------------------------------------------
# General D: indexed symbols
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndexedSoftmax:
    r"""The symbols of the general-D derivation, for symbolic ``i``, ``j`` and ``D``.

    Attributes
    ----------
    logits, outputs, labels : sympy.IndexedBase
        ``x``, ``sigma`` and ``y``: ``logits[i]`` prints as :math:`x_i`.
    i, j, k : sympy.Symbol
        Positive integer indices; ``k`` runs over the denominator.
    dim : sympy.Symbol
        D, a positive integer.
    """

    logits: sp.IndexedBase
    outputs: sp.IndexedBase
    labels: sp.IndexedBase
    i: sp.Symbol
    j: sp.Symbol
    k: sp.Symbol
    dim: sp.Symbol

    @property
    def denominator(self):
        r""":math:`\sum_{k=1}^{D} e^{x_k}` as an unevaluated ``Sum``."""
        return sp.Sum(sp.exp(self.logits[self.k]), (self.k, 1, self.dim))

    def softmax(self, index):
        r""":math:`e^{x_{index}} / \sum_k e^{x_k}`."""
        return sp.exp(self.logits[index]) / self.denominator

    def in_terms_of_outputs(self, expr, *indices):
        r"""Replace :math:`e^{x_m}` by :math:`\sigma_m \sum_k e^{x_k}` for each given index m."""
        return expr.subs(
            {sp.exp(self.logits[m]): self.outputs[m] * self.denominator for m in indices}
        )


def indexed_softmax(logit_name="x", output_name="sigma", label_name="y"):
    r"""The indexed symbols of the general-D derivation (see :class:`IndexedSoftmax`).

    Examples
    --------
    >>> general = indexed_softmax()
    >>> general.softmax(general.i)
    exp(x[i])/Sum(exp(x[k]), (k, 1, D))
    """
    i, j, k = sp.symbols("i j k", integer=True, positive=True)
    return IndexedSoftmax(
        logits=sp.IndexedBase(logit_name, real=True),
        outputs=sp.IndexedBase(output_name, positive=True),
        labels=sp.IndexedBase(label_name, real=True),
        i=i,
        j=j,
        k=k,
        dim=sp.Symbol("D", integer=True, positive=True),
    )


def sift(expr):
    r"""Apply the sifting property of the Kronecker delta to every sum that allows it.

    .. math:: \sum_{k=1}^{D} f(k)\,\delta_{jk} = f(j) \qquad (1 \le j \le D)

    Only sums whose term is a product with the delta as a factor are sifted (expand first).
    The index ``j`` is assumed to lie in the range of the sum, as every index of the
    course does.

    Examples
    --------
    >>> general = indexed_softmax()
    >>> j, k = general.j, general.k
    >>> sift(sp.Sum(general.logits[k] * sp.KroneckerDelta(j, k), (k, 1, general.dim)))
    x[j]
    """

    def delta_factor(node):
        variable = node.limits[0][0]
        for factor in sp.Mul.make_args(node.function):
            if isinstance(factor, sp.KroneckerDelta) and variable in factor.args:
                return factor, variable
        return None

    def is_siftable(node):
        return isinstance(node, sp.Sum) and len(node.limits) == 1 and delta_factor(node)

    def apply(node):
        delta, variable = delta_factor(node)
        other = delta.args[0] if delta.args[1] == variable else delta.args[1]
        return node.function.subs(delta, 1).subs(variable, other)

    return expr.replace(is_siftable, apply)


def general_jacobian_steps(general=None):
    r"""Derive :math:`\partial\sigma_i/\partial x_j` for symbolic i, j, D, one step at a time.

    Returns
    -------
    list of (str, sympy expression)
        ``sympy.diff`` (which applies the quotient and sum rules and writes
        :math:`\partial x_k/\partial x_j` as :math:`\delta_{jk}`), then the sifting property,
        then :math:`e^{x_m} = \sigma_m \sum_k e^{x_k}`, then factoring out :math:`\sigma_i`.

    Examples
    --------
    >>> steps = general_jacobian_steps()
    >>> [name for name, _ in steps]
    ['sympy.diff', 'sifting property', 'in terms of the outputs', 'factor']
    >>> steps[-1][1]
    (KroneckerDelta(i, j) - sigma[j])*sigma[i]
    """
    general = general or indexed_softmax()
    i, j = general.i, general.j
    derivative = sp.diff(general.softmax(i), general.logits[j])
    sifted = sift(derivative)
    rewritten = general.in_terms_of_outputs(sifted, i, j)
    return [
        ("sympy.diff", derivative),
        ("sifting property", sifted),
        ("in terms of the outputs", rewritten),
        ("factor", sp.factor(rewritten)),
    ]


def general_log_softmax_derivative(general=None):
    r""":math:`\partial \log\sigma_i / \partial x_j = \delta_{ij} - \sigma_j` for symbolic i, j, D.

    The log is split first (:math:`\log\sigma_i = x_i - \log\sum_k e^{x_k}`), then
    differentiated, sifted and written with the outputs.

    Examples
    --------
    >>> general_log_softmax_derivative()
    KroneckerDelta(i, j) - sigma[j]
    """
    general = general or indexed_softmax()
    log_prob = sp.expand_log(sp.log(general.softmax(general.i)), force=True)
    derivative = sift(sp.diff(log_prob, general.logits[general.j]))
    return general.in_terms_of_outputs(derivative, general.j)


def general_cross_entropy_gradient(general=None):
    r""":math:`\partial L / \partial x_j = \sigma_j \sum_i y_i - y_j` for symbolic j, D, any labels.

    With :math:`L = -\sum_i y_i \log\sigma_i`. Substituting :math:`\sum_i y_i = 1` leaves
    :math:`\sigma_j - y_j`, the famous ``p - y``.

    Examples
    --------
    >>> general = indexed_softmax()
    >>> gradient = general_cross_entropy_gradient(general)
    >>> gradient
    sigma[j]*Sum(y[i], (i, 1, D)) - y[j]
    >>> gradient.subs(sp.Sum(general.labels[general.i], (general.i, 1, general.dim)), 1)
    sigma[j] - y[j]
    """
    general = general or indexed_softmax()
    i, j = general.i, general.j
    log_prob = sp.expand_log(sp.log(general.softmax(i)), force=True)
    loss = -sp.Sum(general.labels[i] * log_prob, (i, 1, general.dim))
    derivative = sift(sp.diff(loss, general.logits[j]))
    derivative = sp.expand(general.in_terms_of_outputs(derivative, j))
    return sp.factor_terms(sift(derivative))
