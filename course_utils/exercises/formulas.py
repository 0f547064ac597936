"""Pen-and-paper exercises: the student types a derived formula, the checker compares it.

The answer is a SymPy-parsable string in the course's notation — ``"-s2*s3"`` for
∂σ₂/∂x₃, with ``s1, s2, s3`` (or ``sigma2``, ``σ2``, ``σ₂``) for the softmax outputs, ``x1 …``
for the logits and ``T`` for the temperature — or a SymPy expression, such as the result of
the student's own ``sympy.diff``. Any equivalent form is right: both sides are written in the
logits and compared at many points, so ``-s2*s3``, ``-s3*s2`` and
``-exp(x2 + x3)/(exp(x1) + exp(x2) + exp(x3))**2`` all pass. A wrong answer is compared with
the usual slips (the sign, a missing δ, σⱼ in place of σᵢ, the factor 1/T) and the heading
names the one it matches. SymPy is imported on first use only.
"""

import re
from dataclasses import dataclass

import numpy as np

from .feedback import format_number
from .result import CheckResult

_SUBSCRIPTS = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")
_POINTS = 7  # random points at which two formulas must agree
_NOT_TYPED = "Not implemented yet: put your result in place of None in the cell above, then re-run this cell."


@dataclass(frozen=True)
class Slip:
    """A usual slip: the formula it gives, its heading and what to do about it."""

    formula: str
    heading: str
    advice: str


@dataclass(frozen=True)
class Task:
    """One derivation: what is asked, its answer and the slips to recognise."""

    key: str
    asks: str
    answer: str
    slips: tuple
    classes: int = 3  # the number of logits x1 … xD (1 for the sigmoid)
    tempered: bool = False


TASKS = {
    "softmax_entry": Task(
        "softmax_entry",
        "∂σ₂/∂x₃ for D = 3 (an entry off the diagonal)",
        "-s2*s3",
        (
            Slip(
                "s2*s3",
                "the sign: +σ₂σ₃",
                "Raising x₃ takes probability from class 2: the entry is negative.",
            ),
            Slip(
                "s2*(1 - s3)",
                "a missing δ: δ₂₃ = 0 off the diagonal",
                "σᵢ(δᵢⱼ − σⱼ) with i = 2, j = 3: δ₂₃ = 0, since 2 ≠ 3; the 1 belongs on the diagonal only.",
            ),
            Slip(
                "-s3**2",
                "σⱼ in place of σᵢ",
                "The factor in front is σᵢ = σ₂, the output being differentiated: σᵢ(δᵢⱼ − σⱼ).",
            ),
            Slip(
                "s2*(1 - s2)",
                "∂σ₂/∂x₂ (the diagonal entry) instead of ∂σ₂/∂x₃",
                "The question is about x₃: i = 2, j = 3, off the diagonal.",
            ),
        ),
    ),
    "sigmoid": Task(
        "sigmoid",
        "dσ/dx for the sigmoid σ(x) = 1/(1 + e^(−x))",
        "s*(1 - s)",
        (
            Slip("-s*(1 - s)", "the sign", "The sigmoid rises everywhere: its derivative is positive."),
            Slip(
                "s*(1 + s)",
                "the sign inside the bracket",
                "1 − σ(x) = e^(−x)/(1 + e^(−x)): the bracket is (1 − σ).",
            ),
            Slip("s", "a missing factor (1 − σ)", "The chain rule gives e^(−x)/(1 + e^(−x))² = σ(1 − σ)."),
            Slip("1 - s", "a missing factor σ", "The chain rule gives e^(−x)/(1 + e^(−x))² = σ(1 − σ)."),
        ),
        classes=1,
    ),
    "temperature": Task(
        "temperature",
        "∂σ₂/∂x₃ for the tempered softmax σ = softmax(x / T), D = 3",
        "-s2*s3/T",
        (
            Slip(
                "-s2*s3",
                "the factor 1/T is lost",
                "The chain rule through x/T multiplies every entry by ∂(xⱼ/T)/∂xⱼ = 1/T.",
            ),
            Slip("-T*s2*s3", "T in place of 1/T", "The inner derivative of x/T is 1/T, not T."),
            Slip("s2*s3/T", "the sign", "Raising x₃ takes probability from class 2: the entry is negative."),
            Slip(
                "s2*(1 - s3)/T",
                "a missing δ: δ₂₃ = 0 off the diagonal",
                "σᵢ(δᵢⱼ − σⱼ)/T with i = 2, j = 3: δ₂₃ = 0, since 2 ≠ 3.",
            ),
        ),
        tempered=True,
    ),
}


def check_formula(answer, task):
    """Check a formula derived by hand and say which slip it is, if it is one.

    Parameters
    ----------
    answer : str or sympy.Expr
        The result, e.g. ``"-s2*s3"``: ``s1 … s3`` (or ``sigma2``, ``σ₂``) for the outputs,
        ``x1 … x3`` for the logits, ``T`` for the temperature; ``s`` and ``x`` for the sigmoid.
    task : str
        ``"softmax_entry"`` (∂σ₂/∂x₃), ``"sigmoid"`` (dσ/dx) or ``"temperature"``.

    Returns
    -------
    CheckResult
        Passed for any equivalent form; otherwise the slip named in the heading.

    Examples
    --------
    >>> check_formula("-s3*s2", "softmax_entry").passed
    True
    >>> check_formula("s2*s3", "softmax_entry").title
    '✗ check_formula(softmax_entry): the sign: +σ₂σ₃'
    """
    if task not in TASKS:
        raise ValueError(f"no task {task!r}: choose one of {', '.join(TASKS)}")
    spec = TASKS[task]
    if answer is None or (isinstance(answer, str) and not answer.strip()):
        return CheckResult("check_formula", task, False, "not_implemented", _NOT_TYPED)
    try:
        given = _in_logits(answer, spec)
    except ValueError as problem:
        return CheckResult("check_formula", task, False, "unreadable_formula", str(problem))
    truth = _in_logits(spec.answer, spec)
    if _agree(given, truth, spec):
        return CheckResult("check_formula", task, True, None, f"Right: {spec.asks} = {_shown(spec.answer)}.")
    for slip in spec.slips:
        if _agree(given, _in_logits(slip.formula, spec), spec):
            message = f"{_shown(str(answer))} is not {spec.asks}. {slip.advice}"
            return CheckResult("check_formula", task, False, "formula_slip", message, heading=slip.heading)
    value, right = _values_at_a_point(given, truth, spec)
    message = (
        f"{_shown(str(answer))} is not {spec.asks}, and it matches none of the usual slips. "
        f"At the logits x = (1, 0, −1){' and T = 2' if spec.tempered else ''} it gives "
        f"{value}, where the derivative is {right}. Derive it again one rule at a time."
    )
    return CheckResult("check_formula", task, False, "wrong_formula", message)


def check_sympy_diff(answer):
    """Check the student's own ``sympy.diff`` of σ₂ with respect to x₃ (D = 3), simplified.

    The student builds σ₂ = exp(x2)/(exp(x1) + exp(x2) + exp(x3)) from ``sympy.symbols``,
    calls ``sympy.diff`` and simplifies; any equivalent expression passes, and one that is
    right but not simplified passes with a note.

    Examples
    --------
    >>> import sympy as sp
    >>> x1, x2, x3 = sp.symbols("x1 x2 x3")
    >>> sigma2 = sp.exp(x2) / (sp.exp(x1) + sp.exp(x2) + sp.exp(x3))
    >>> check_sympy_diff(sp.simplify(sp.diff(sigma2, x3))).passed
    True
    >>> check_sympy_diff(sp.diff(sigma2, x2)).heading
    '∂σ₂/∂x₂ (the diagonal entry) instead of ∂σ₂/∂x₃'
    """
    import sympy as sp

    if answer is None:
        return CheckResult("check_sympy_diff", "answer", False, "not_implemented", _NOT_TYPED)
    if not isinstance(answer, sp.Basic):
        return CheckResult(
            "check_sympy_diff", "answer", False, "unreadable_formula",
            f"Expected a SymPy expression (the result of sympy.diff), got a {type(answer).__name__}.",
        )  # fmt: skip
    result = check_formula(answer, "softmax_entry")
    if not result.passed:
        return CheckResult("check_sympy_diff", "answer", False, result.diagnosis, result.message,
                           heading=result.heading)  # fmt: skip
    notes = ()
    if sp.count_ops(answer) > 12:
        notes = (f"right, but not simplified yet ({sp.count_ops(answer)} operations): try sympy.simplify.",)
    message = "Right: sympy.diff gives ∂σ₂/∂x₃ = −σ₂σ₃, written in the logits."
    return CheckResult("check_sympy_diff", "answer", True, None, message, notes=notes)


def _in_logits(answer, spec):
    """The answer as a SymPy expression in the logits x1 … xD (and T)."""
    import sympy as sp

    logits = sp.symbols(f"x1:{spec.classes + 1}", real=True)
    temperature = sp.Symbol("T", positive=True)
    scaled = [x / temperature for x in logits] if spec.tempered else list(logits)
    if spec.classes == 1:
        outputs = {"s": 1 / (1 + sp.exp(-logits[0]))}
        names = {"x": logits[0], "x1": logits[0]}
    else:
        total = sum(sp.exp(v) for v in scaled)
        outputs = {f"s{k}": sp.exp(v) / total for k, v in enumerate(scaled, start=1)}
        names = {f"x{k}": x for k, x in enumerate(logits, start=1)}
    names.update(outputs)
    names["T"] = temperature
    if isinstance(answer, sp.Basic):
        by_name = {str(symbol): names.get(str(symbol).replace("_", "")) for symbol in answer.free_symbols}
        unknown = sorted(name for name, value in by_name.items() if value is None)
        if unknown:
            raise ValueError(_unknown_names(unknown, names))
        return answer.subs({symbol: by_name[str(symbol)] for symbol in answer.free_symbols})
    text = _normalised(str(answer))
    from sympy.parsing.sympy_parser import (
        convert_xor,
        implicit_multiplication_application,
        parse_expr,
        standard_transformations,
    )

    transformations = (*standard_transformations, implicit_multiplication_application, convert_xor)
    allowed = {**names, "exp": sp.exp, "log": sp.log, "E": sp.E}
    try:
        expression = parse_expr(text, local_dict=allowed, transformations=transformations)
    except NameError as error:
        raise ValueError(_unknown_names([str(error).split("'")[1]], names)) from None
    except Exception as error:  # SymPy reports unreadable text in many exception types
        raise ValueError(
            f"Could not read {answer!r} as a formula ({type(error).__name__}). Write products with * "
            'and powers with ** (or ^), e.g. "-s2*s3".'
        ) from None
    unknown = sorted(str(s) for s in expression.free_symbols if s not in set(names.values()))
    if unknown:
        raise ValueError(_unknown_names(unknown, names))
    return expression


def _normalised(text):
    """'−σ₂·σ₃' → '-s2*s3': the course's symbols in the names the parser knows."""
    text = text.translate(_SUBSCRIPTS).replace("−", "-").replace("·", "*").replace("×", "*")
    text = re.sub(r"(σ|sigma)_?(\d*)", r" s\2 ", text)
    return re.sub(r"\bx_(\d)", r"x\1", text)


def _unknown_names(unknown, names):
    known = ", ".join(sorted(name for name in names if name != "T")) + (", T" if "T" in names else "")
    return f"The formula uses {', '.join(unknown)}, which this task does not know: write it with {known}."


def _agree(left, right, spec):
    """Whether two expressions in the logits agree at _POINTS random points (and T)."""
    points = _points(spec)
    a, b = _evaluate(left, spec, points), _evaluate(right, spec, points)
    return bool(np.allclose(a, b, rtol=1e-9, atol=1e-12))


def _evaluate(expression, spec, points):
    import sympy as sp

    symbols = [*sp.symbols(f"x1:{spec.classes + 1}", real=True), sp.Symbol("T", positive=True)]
    function = sp.lambdify(symbols, expression, "numpy")
    with np.errstate(all="ignore"):
        return np.broadcast_to(np.asarray(function(*points), dtype=complex), points[0].shape)


def _points(spec):
    """_POINTS random logits (one row per logit) and temperatures (the last row)."""
    rng = np.random.default_rng(20240610)
    return list(rng.normal(0.0, 1.5, size=(spec.classes, _POINTS))) + [rng.uniform(0.3, 3.0, _POINTS)]


def _values_at_a_point(given, truth, spec):
    point = [np.array([v]) for v in (1.0, 0.0, -1.0)[: spec.classes]] + [np.array([2.0])]
    return tuple(format_number(_evaluate(e, spec, point)[0].real) for e in (given, truth))


def _shown(formula):
    return f"`{formula}`"
