"""What a checker hands back: passed or not, a stable diagnosis code and friendly feedback."""

import html
from dataclasses import dataclass

# Every diagnosis a checker can give, with a one-line title. The codes are stable: tests and
# notebooks compare them, so change the titles freely but never the codes.
DIAGNOSES = {
    "not_a_function": "not a function",
    "not_implemented": "not implemented yet",
    "raised": "your function raised an error",
    "timed_out": "your function did not finish in time",
    "wrong_shape": "wrong output shape or type",
    "wrong_axis": "normalised over the wrong axis",
    "no_max_subtraction": "overflow at large logits: subtract the maximum first",
    "log_eps": "log of a probability loses accuracy at extreme logits",
    "mutates_input": "your function changes its input",
    "integer_input": "integer logits give wrong values",
    "not_normalised": "the exponentials are not divided by their sum",
    "missing_max": "off by each row's maximum",
    "diagonal_only_jacobian": "only the diagonal of the Jacobian",
    "off_diagonal_sign": "wrong sign of the off-diagonal terms",
    "missing_delta": "δᵢⱼ taken as 1 everywhere",
    "inner_product": "the inner product where the outer product belongs",
    "sigma_j_for_sigma_i": "σⱼ in place of σᵢ",
    "missing_dot_term": "the ⟨g, σ⟩ term is missing",
    "plain_mean": "the plain mean of g where ⟨g, σ⟩ belongs",
    "unweighted_sum": "the plain sum of g where ⟨g, σ⟩ belongs",
    "missing_probs": "the factor σ is missing",
    "forms_jacobian": "the D×D Jacobian is formed",
    "per_sample_loss": "one loss per sample instead of their mean",
    "divided_by_class_count": "divided by the number of classes instead of the batch size",
    "not_averaged": "summed over the batch instead of averaged",
    "averaged_twice": "divided by the batch size twice",
    "every_row": "each row paired with every target",
    "no_targets": "the one-hot targets are not subtracted",
    "logits_for_probs": "the logits where the probabilities belong",
    "chain_rule_underflow": "−y/σ is 0/0 where a probability underflowed",
    "sign_flip": "the sign is flipped",
    "missing_softmax_term": "the σ Σg term is missing",
    "softmax_vjp": "that is the backward pass of softmax, not of log-softmax",
    "jacobian_not_transposed": "J g instead of Jᵀ g",
    "unscaled_scores": "the scores are not divided by √d",
    "scaled_by_d": "divided by d instead of √d",
    "transposed_scores": "keys and queries swapped: KQᵀ instead of QKᵀ",
    "mask_ignored": "the mask is not applied",
    "broken_rule": "right values, but against the exercise's rules",
    "wrong_values": "wrong values that match none of the usual mistakes",
    "unreadable_formula": "the formula could not be read",
    "formula_slip": "a usual slip in the derivation",
    "wrong_formula": "a formula that matches none of the usual slips",
    "wrong_prediction": "the prediction does not match the Jacobian",
}

# Okabe-Ito colours (the course's palette), with light backgrounds that stay readable.
_STYLES = {
    "passed": ("#009E73", "#e6f5ef", "✓"),
    "todo": ("#0072B2", "#e6f0f7", "…"),
    "failed": ("#D55E00", "#fbeee6", "✗"),
}


@dataclass(frozen=True)
class CheckResult:
    """The verdict of a checker on a student's function.

    Attributes
    ----------
    check : str
        The checker's name, e.g. ``"check_softmax"``.
    function : str
        The name of the function that was checked (``"?"`` if it was not a function).
    passed : bool
        True when every probe gave the right answer.
    diagnosis : str or None
        None when passed, otherwise one of the codes of :data:`DIAGNOSES`.
    message : str
        What was checked, or precisely what is wrong and how to fix it.
    details : str
        The input, expected and received values behind a failure ("" if none).
    heading : str or None
        The mistake diagnosed, in words; None: the title of the diagnosis code.
    notes : tuple of str
        Remarks that do not change the verdict, each on its own line: a right answer that
        came back in another precision ("values right ✓ — float32 came back as float64").

    Examples
    --------
    >>> result = CheckResult("check_softmax", "my_softmax", False, "wrong_axis", "Rows!", "")
    >>> print(repr(result))
    ✗ check_softmax(my_softmax): normalised over the wrong axis
    Rows!
    """

    check: str
    function: str
    passed: bool
    diagnosis: str | None
    message: str
    details: str = ""
    heading: str | None = None
    notes: tuple = ()

    @property
    def title(self):
        """One line: the mark, the call that was checked and the verdict."""
        mark = _STYLES[self._style][2]
        verdict = "passed" if self.passed else self.heading or DIAGNOSES.get(self.diagnosis, self.diagnosis)
        return f"{mark} {self.check}({self.function}): {verdict}"

    @property
    def _style(self):
        if self.passed:
            return "passed"
        return "todo" if self.diagnosis == "not_implemented" else "failed"

    def __repr__(self):
        parts = [self.title, self.message, *(f"Note: {note}" for note in self.notes)]
        if self.details:
            parts += ["", self.details]
        return "\n".join(parts)

    def _repr_html_(self):
        border, background, _ = _STYLES[self._style]
        notes = "".join(
            '<div class="course-check-note" style="white-space:pre-wrap; margin-top:0.3em; '
            f'padding-left:0.5em; border-left:3px solid #0072B2">Note: {html.escape(note)}</div>'
            for note in self.notes
        )
        details = ""
        if self.details:
            details = (
                '<pre style="margin:0.5em 0 0 0; padding:0.4em; background:#ffffff; '
                f'color:#1a1a1a; overflow-x:auto">{html.escape(self.details)}</pre>'
            )
        return (
            f'<div class="course-check course-check-{self._style}" style="border:1px solid '
            f"{border}; border-left:6px solid {border}; background:{background}; "
            'color:#1a1a1a; padding:0.5em 0.8em; margin:0.3em 0; border-radius:4px">'
            f"<strong>{html.escape(self.title)}</strong>"
            f'<div style="white-space:pre-wrap; margin-top:0.3em">{html.escape(self.message)}</div>'
            f"{notes}{details}</div>"
        )
