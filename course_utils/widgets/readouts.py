"""The text the explorers show next to their figures: probabilities and checked Jacobian facts.

Plain functions of arrays, tested without any widget. They are the text/plain fallback of
every explorer (what nbval compares) and the reference for the text the browser writes
while a slider moves (``assets/explorer.js`` writes the same lines from its own numbers).
"""

import numpy as np

from ..formatting import class_labels, format_bound, format_number
from ..jacobian import jacobian_properties


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
    """``= 0``, ``= 3.0e−02`` or ``< 1e−16``: a rounding-sized number as a bound."""
    text = format_bound(value)
    return text if text.startswith("<") else f"= {text}"
