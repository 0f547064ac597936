"""The rules of each exercise: what it forbids, and how its advice writes the fix.

A checker is told which exercise it checks (``notebook="03"``), so that its advice never
contradicts the exercise (no ``np.outer`` where ``np.outer`` is forbidden) and the rules the
exercise states are enforced: loops and forbidden calls are found in the function's source,
and a backward pass that forms the D×D Jacobian runs out of its memory budget at D = 50,000.
"""

import ast
from dataclasses import dataclass


@dataclass(frozen=True)
class Rules:
    """What one exercise allows, and the fixes written in its style.

    Attributes
    ----------
    notebook : str or None
        "03" for notebook 03's exercise; None for no particular exercise.
    loops : bool
        Whether ``for``/``while`` loops and comprehensions are allowed.
    forbidden : tuple of str
        NumPy functions the exercise rules out, e.g. ``("outer", "diag")``.
    no_jacobian : bool
        Whether the D×D Jacobian may not be formed (checked at D = 50,000).
    jacobian_fix : str
        The right Jacobian, written the way this exercise asks for it.
    new_array : str
        How to make a new (D, D) array that keeps the probabilities' dtype.
    """

    notebook: str | None = None
    loops: bool = True
    forbidden: tuple = ()
    no_jacobian: bool = False
    jacobian_fix: str = "`np.diag(probs) - np.outer(probs, probs)`"
    new_array: str = "`np.zeros((D, D), dtype=probs.dtype)`"

    def stated(self):
        """The rules in words, for a message: 'no loop, no np.outer, no np.diag'."""
        parts = [] if self.loops else ["no loop"]
        parts += [f"no np.{name}" for name in self.forbidden]
        return ", ".join(parts)


EXERCISES = {
    None: Rules(),
    "02": Rules(
        "02",
        jacobian_fix=(
            "in your two loops, `jacobian[i, j] = probs[i] * ((1.0 if i == j else 0.0) - probs[j])`"
        ),
    ),
    "03": Rules(
        "03",
        loops=False,
        forbidden=("outer", "diag"),
        jacobian_fix="`probs[:, None] * (np.eye(D, dtype=probs.dtype) - probs[None, :])`",
        new_array="`np.eye(D, dtype=probs.dtype)`",
    ),
    "05": Rules("05", no_jacobian=True),
}
for _notebook in ("01", "04", "06", "07"):
    EXERCISES[_notebook] = Rules(_notebook)


def rules_for(notebook):
    """The rules of a notebook's exercise; an unknown notebook is a clear error.

    Examples
    --------
    >>> rules_for("03").stated()
    'no loop, no np.outer, no np.diag'
    >>> rules_for(None).loops
    True
    """
    key = None if notebook is None else str(notebook).zfill(2)
    if key not in EXERCISES:
        known = ", ".join(sorted(k for k in EXERCISES if k))
        raise ValueError(f"no exercise for notebook {notebook!r}: choose one of {known}, or None")
    return EXERCISES[key]


def broken_rules(source, rules):
    """The stated rules that ``source`` (a function's code) breaks, as (what, line) pairs.

    Examples
    --------
    >>> code = "def f(x):\\n    return [v for v in x]\\n"
    >>> broken_rules(code, rules_for("03"))
    [('a loop (a comprehension)', 2)]
    >>> broken_rules(code, rules_for("02"))
    []
    """
    if source is None:
        return []
    try:
        tree = ast.parse(source)
    except SyntaxError:  # a lambda cut out of a longer line: nothing reliable to read
        return []
    found = []
    for node in ast.walk(tree):
        if not rules.loops and isinstance(node, (ast.For, ast.While, ast.AsyncFor)):
            found.append((f"a loop (`{type(node).__name__.lower().replace('async', '')}`)", node.lineno))
        elif not rules.loops and isinstance(
            node, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
        ):
            found.append(("a loop (a comprehension)", node.lineno))
        elif isinstance(node, ast.Attribute) and node.attr in rules.forbidden:
            found.append((f"np.{node.attr}", node.lineno))
        elif isinstance(node, ast.Name) and node.id in rules.forbidden:
            found.append((f"np.{node.id}", node.lineno))
    return sorted(set(found), key=lambda item: item[1])
