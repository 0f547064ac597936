"""The one catalogue of deliberate mistakes: each defined once, with what it is and who teaches it.

A :class:`Mistake` ties together the code that makes the mistake (written the way a student
writes it), the diagnosis code and heading a checker shows for it, the explanation with its
fix, and the notebook that teaches it. The bug hunts call the code, the checkers in
:mod:`course_utils.exercises` compare a student's result with what the code returns, and the
tests run the code through the checkers: nothing is written twice.
"""

from dataclasses import dataclass

# Every mistake, by the name of its function, in the order it was defined.
MISTAKES = {}


@dataclass(frozen=True)
class Mistake:
    """One deliberate mistake.

    Attributes
    ----------
    name : str
        The name of the function that makes it, e.g. ``"softmax_backward_plain_mean"``.
    check : str
        The checker that diagnoses it, e.g. ``"check_softmax_backward"``.
    diagnosis : str
        The stable diagnosis code the checker gives (see ``exercises.DIAGNOSES``).
    heading : str
        The heading of the checker's red box: names this mistake, not only its family.
    notebook : str
        The notebook that teaches it, e.g. ``"05"``.
    explanation : str
        What is wrong and how to fix it; ``{name}`` is the student's function, and other
        fields (``{N}``, ``{D}``, ``{jacobian_fix}``) are filled in by the checker.
    function : callable
        Code that makes the mistake, with the exercise's signature.
    compared : bool
        True when the checker recognises it by comparing results with ``function``'s;
        False when a probe finds it (an overflow, a changed input).
    """

    name: str
    check: str
    diagnosis: str
    heading: str
    notebook: str
    explanation: str
    function: object
    compared: bool = True

    def explain(self, **fields):
        """The explanation with its fields filled in.

        Examples
        --------
        >>> from course_utils import bugs
        >>> text = bugs.MISTAKES["softmax_backward_plain_mean"].explain(name="mine")
        >>> text.startswith("mine subtracts the plain mean of g")
        True
        """
        return self.explanation.format(**fields)


def mistake(check, diagnosis, heading, notebook, explanation, compared=True):
    """Decorator: enter the function below into :data:`MISTAKES` and return it unchanged.

    Examples
    --------
    >>> from course_utils import bugs
    >>> bugs.MISTAKES["softmax_naive"].diagnosis
    'no_max_subtraction'
    """

    def register(function):
        entry = Mistake(
            function.__name__, check, diagnosis, heading, notebook, explanation, function, compared
        )
        MISTAKES[function.__name__] = entry
        function.mistake = entry
        return function

    return register


def mistakes_for(check):
    """The mistakes a checker diagnoses, in catalogue order.

    Examples
    --------
    >>> [m.name for m in mistakes_for("check_softmax")][:2]
    ['softmax_naive', 'softmax_subtracts_min']
    """
    return [entry for entry in MISTAKES.values() if entry.check == check]
