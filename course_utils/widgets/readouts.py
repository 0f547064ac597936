"""The text the explorers show next to their figures, and the Jacobian facts they check.

Plain functions of arrays, so they are tested without any widget and reused by notebook
cells that answer a question with a computed check.
"""

import numpy as np

from ..plots.bars import class_labels

# Entries of a softmax Jacobian are products of probabilities (≤ 1) divided by T, so their
# rounding errors are a few ulps of 1/T, whatever the size of the entries themselves.
# A row sum or an asymmetry below this multiple of 1/T is rounding; so is an eigenvalue
# below 4·D ulps of 1/T (one that small from true probabilities is still far above that).
RELATIVE_TOLERANCE = 1e-12


def format_number(value, decimals=4):
    """A number for a readout: fixed decimals, a true minus sign, never "−0.0000".

    Positive values too small for the decimals show in scientific notation, so a
    probability that is tiny but not 0 does not read as 0.

    Examples
    --------
    >>> format_number(0.09003), format_number(-0.25), format_number(-1e-19)
    ('0.0900', '−0.2500', '0.0000')
    >>> format_number(4.54e-05), format_number(0.0)
    ('4.54e−05', '0.0000')
    """
    value = float(value)
    if 0 < abs(value) < 0.5 * 10.0**-decimals and value > 0:
        text = f"{value:.2e}"
    else:
        text = f"{value:.{decimals}f}"
        if float(text) == 0.0:
            text = text.lstrip("-")
    return text.replace("-", "\N{MINUS SIGN}")


def probabilities_text(probs, temperature=1.0):
    """The softmax explorer's readout: one line per probability, then their sum.

    Examples
    --------
    >>> print(probabilities_text([0.09003057, 0.24472847, 0.66524096]))
    T = 1.00
    σ₁ = 0.0900
    σ₂ = 0.2447
    σ₃ = 0.6652
    sum = 1.0000   largest: σ₃
    """
    probs = np.asarray(probs, dtype=float)
    names = class_labels(probs.size)
    lines = [f"T = {temperature:.2f}"]
    lines += [f"{name} = {format_number(prob)}" for name, prob in zip(names, probs, strict=True)]
    lines.append(f"sum = {format_number(probs.sum())}   largest: {names[int(np.argmax(probs))]}")
    return "\n".join(lines)


def jacobian_properties(jacobian, temperature=1.0):
    """The facts the Jacobian explorer checks live, computed from the matrix itself.

    Parameters
    ----------
    jacobian : array_like
        A (D, D) softmax Jacobian.
    temperature : float, optional
        The temperature it was computed at: the diagonal bound is ``1 / (4T)``.

    Returns
    -------
    dict
        ``symmetric`` (bool) and ``asymmetry`` (largest ``|J - Jᵀ|``); ``row_sums`` (array)
        and ``rows_sum_to_zero`` (bool); ``eigenvalues`` (ascending), ``rank`` and the
        ``tolerance`` below which an eigenvalue counts as 0 (rounding, a few ulps of D / T);
        ``largest_diagonal``, ``diagonal_bound`` and ``diagonal_within_bound`` (bool).

    Examples
    --------
    >>> from course_utils import softmax_jacobian
    >>> facts = jacobian_properties(softmax_jacobian([0.0, 0.0, 0.0]))
    >>> facts["symmetric"], facts["rows_sum_to_zero"], facts["rank"]
    (True, True, 2)
    >>> facts["eigenvalues"].round(4)
    array([0.    , 0.3333, 0.3333])
    >>> round(facts["largest_diagonal"], 4), facts["diagonal_bound"]
    (0.2222, 0.25)
    """
    jacobian = np.asarray(jacobian, dtype=float)
    scale = max(1.0 / float(temperature), float(np.abs(jacobian).max()))
    tolerance = RELATIVE_TOLERANCE * scale
    asymmetry = float(np.abs(jacobian - jacobian.T).max())
    row_sums = jacobian.sum(axis=1)
    symmetric = asymmetry <= tolerance
    rank_tolerance = 4 * jacobian.shape[0] * np.finfo(float).eps * scale
    # eigvalsh assumes symmetry; it is checked above and reported, never assumed silently
    eigenvalues = np.linalg.eigvalsh(jacobian) if symmetric else np.linalg.eigvals(jacobian)
    largest_diagonal = float(np.diagonal(jacobian).max())
    diagonal_bound = 1.0 / (4.0 * float(temperature))
    return {
        "symmetric": symmetric,
        "asymmetry": asymmetry,
        "row_sums": row_sums,
        "rows_sum_to_zero": bool(np.abs(row_sums).max() <= tolerance * jacobian.shape[0]),
        "eigenvalues": eigenvalues,
        "rank": int(np.sum(np.abs(eigenvalues) > rank_tolerance)),
        "tolerance": rank_tolerance,
        "largest_diagonal": largest_diagonal,
        "diagonal_bound": diagonal_bound,
        "diagonal_within_bound": largest_diagonal <= diagonal_bound * (1 + RELATIVE_TOLERANCE),
    }


def jacobian_text(probs, jacobian, temperature=1.0):
    """The Jacobian explorer's readout: σ, then each checked property with its evidence.

    Examples
    --------
    >>> from course_utils import softmax, softmax_jacobian
    >>> print(jacobian_text(softmax([0.0, 0.0]), softmax_jacobian([0.0, 0.0])))
    T = 1.00   σ = [0.5000, 0.5000]
    symmetric: yes (largest |J − Jᵀ| = 0)
    row sums: all 0 (largest |Σⱼ Jᵢⱼ| = 0)
    eigenvalues: 0.0000, 0.5000   rank 1 of 2
    largest diagonal entry: 0.2500 ≤ 1/4 ✓
    """
    facts = jacobian_properties(jacobian, temperature)
    size = len(facts["row_sums"])
    probs_text = ", ".join(format_number(prob) for prob in np.asarray(probs, dtype=float))
    eigenvalues = ", ".join(
        format_number(0.0 if abs(value) <= facts["tolerance"] else value)
        for value in np.real(facts["eigenvalues"])
    )
    bound = "1/4" if temperature == 1.0 else f"1/(4T) = {format_number(facts['diagonal_bound'])}"
    return "\n".join([
        f"T = {temperature:.2f}   σ = [{probs_text}]",
        f"symmetric: {_yes_no(facts['symmetric'])} "
        f"(largest |J − Jᵀ| {_equals(facts['asymmetry'])})",
        f"row sums: {'all 0' if facts['rows_sum_to_zero'] else 'NOT all 0'} "
        f"(largest |Σⱼ Jᵢⱼ| {_equals(np.abs(facts['row_sums']).max())})",
        f"eigenvalues: {eigenvalues}   rank {facts['rank']} of {size}",
        f"largest diagonal entry: {format_number(facts['largest_diagonal'])} "
        f"{'≤' if facts['diagonal_within_bound'] else '>'} {bound} "
        f"{'✓' if facts['diagonal_within_bound'] else '✗'}",
    ])


def _yes_no(flag):
    return "yes" if flag else "NO"


def _equals(value):
    """``= 0``, ``= 3.0e−02`` or ``< 1e−16``: a rounding-sized number as :func:`_small` writes it."""
    text = _small(value)
    return text if text.startswith("<") else f"= {text}"


def _small(value):
    """A rounding-sized number as a bound that does not depend on the last bits: "< 1e−16".

    The exact value of a rounding error can differ between NumPy builds; its order of
    magnitude does not, so stored notebook outputs stay comparable.
    """
    value = float(value)
    if value == 0.0:
        return "0"
    if value >= 1e-6:
        return f"{value:.1e}".replace("-", "\N{MINUS SIGN}")
    exponent = int(np.floor(np.log10(value))) + 1
    return f"< 1e{exponent}".replace("-", "\N{MINUS SIGN}")
