"""Writing the feedback: numbers, inputs shown side by side, hints and advice that works.

Every number a checker prints goes through :func:`format_number`, :func:`format_whole` or
:func:`format_bytes` (and arrays through :func:`labelled`): switching the course's number format
is a change here only.

Advice is written for the code it was given for: :func:`precision_advice` and
:func:`integer_advice` read the student's source and name the line to change, in the style of
the exercise (its :class:`~course_utils.exercises.rules.Rules`), and each piece of advice,
applied as written, makes the answer pass (``tests/test_exercise_advice.py`` applies them).
"""

import re

import numpy as np

NOT_IMPLEMENTED = "Not implemented yet: fill in the function above, then re-run this cell."

_EXIT_HINT = (
    "Hint: sys.exit(), exit() and quit() stop the whole program, not just the function: a "
    "function hands back its result with `return`, and reports bad input with "
    "`raise ValueError(...)`."
)


def format_number(value):
    """One number as the checkers print it (6 significant digits, -0 shown as 0).

    Examples
    --------
    >>> format_number(np.float64(-0.0)), format_number(2 / 3), format_number(np.int64(7))
    ('0', '0.666667', '7')
    """
    value = np.asarray(value)
    if value.dtype.kind in "iub":
        return str(value.item())
    return f"{float(value) + 0.0:.6g}"  # + 0.0 shows -0.0 as 0


def format_whole(value):
    """A count or a rounded size, with thousands separated: '50,000', '664'.

    Examples
    --------
    >>> format_whole(50_000), format_whole(664.3)
    ('50,000', '664')
    """
    return f"{float(value):,.0f}"


def format_bytes(count):
    """A memory size in MB or GB, 3 significant digits: '25.6 MB', '20 GB'.

    Examples
    --------
    >>> format_bytes(25_600_000), format_bytes(20e9)
    ('25.6 MB', '20 GB')
    """
    return f"{count / 1e9:.3g} GB" if count >= 1e9 else f"{count / 1e6:.3g} MB"


def labelled(label, values):
    """``label`` followed by the values, continuation lines aligned under the first."""
    array = np.asarray(values)
    if array.dtype.kind == "f":
        array = array + 0.0  # shows -0.0 as 0
    if array.ndim == 0:
        return f"{label}{format_number(array)}"
    with np.printoptions(
        precision=4, suppress=True, linewidth=88, threshold=200, edgeitems=3,
        floatmode="maxprec", sign="-", legacy=False,
    ):  # fmt: skip
        return label + np.array2string(array, prefix=label, separator=" ")


def format_sums(sums):
    """Row sums in a note, e.g. '[1.     0.9999]'."""
    return np.array2string(np.asarray(sums, dtype=np.float64), precision=4, suppress_small=True)


def describe_inputs(args, expected=None, received=None):
    """The arguments and, if given, the expected and received values, aligned."""
    rows = list(args.items())
    if expected is not None:
        rows.append(("expected", expected))
    if received is not None:
        rows.append(("received", received))
    width = max(len(name) for name, _ in rows) + 1
    return "\n".join(labelled(f"{name:<{width}} ", value) for name, value in rows)


def difference(received, expected):
    """'largest difference at index (1, 2): expected 0.25, received 0.5' (or '')."""
    if received.shape != expected.shape or received.size == 0:
        return ""
    with np.errstate(all="ignore"):
        gap = np.abs(received.astype(np.float64) - expected.astype(np.float64))
    gap = np.where(np.isnan(gap), np.inf, gap)
    index = np.unravel_index(int(np.argmax(gap)), gap.shape)
    where = f" at index {tuple(int(i) for i in index)}" if gap.ndim else ""
    return (
        f"\nlargest difference{where}: expected {format_number(expected[index])}, "
        f"received {format_number(received[index])}"
    )


def describe(value):
    """A short description of any value: 'an array of shape (5,) (float32)'."""
    if isinstance(value, np.ndarray):
        if value.ndim == 0:
            return f"a 0-d {value.dtype} array"
        return f"an array of shape {value.shape} ({value.dtype})"
    if isinstance(value, (list, tuple)):
        return f"a {type(value).__name__} of {len(value)} items"
    return f"a {type(value).__name__}"


def shorten(text, limit=300):
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def not_a_function(check, thing):
    if thing is None:
        got = "None"
    elif isinstance(thing, np.ndarray):
        got = f"an array of shape {thing.shape}"
    else:
        got = f"a {type(thing).__name__}"
    return (
        f"{check} needs your function itself, but got {got}. Pass the function's name "
        f"without calling it: `{check}(my_function)`, not `{check}(my_function(x))`."
    )


def not_an_array(name, label, result):
    what = f"a Python {type(result).__name__} of {len(result)} items"
    advice = (
        "`return a, b` returns a tuple: return only the result. "
        if isinstance(result, tuple)
        else "Wrap the values in `np.asarray(...)`, or leave out `.tolist()` and list "
        "comprehensions: NumPy works on the whole array at once. "
    )
    return (
        f"{name} returned {what} for {label}; expected a NumPy array. {advice}A list or tuple "
        "does not compute like an array (`2 * values` repeats it instead of doubling it, "
        "`values.sum(axis=-1)` fails)."
    )


def error_hint(error, label, earlier_inputs_worked):
    """A hint for an error the student's code raised on the input called ``label``.

    Examples
    --------
    >>> error_hint(OverflowError("math range error"), "logits near +1000", False)
    'Hint: exp of a large number overflows; subtract the maximum logit first.'
    """
    text = str(error)
    if type(error).__name__ == "AxisError":
        return (
            "Hint: a vector has only axis 0, a batch has axes 0 and 1. Use axis=-1 (the last "
            "axis, the classes): it works for both."
        )
    if "could not be broadcast" in text or "not aligned" in text or "mismatch" in text:
        if "batch" in label:
            hint = (
                "Hint: for a batch of rows, reduce along the classes with axis=-1 and keep that "
                "axis, e.g. `x.sum(axis=-1, keepdims=True)`: an (N, 1) column then divides or "
                "subtracts row by row."
            )
            if earlier_inputs_worked:
                hint = "It works for one vector but not for a batch of rows. " + hint
            return hint
        return (
            "Hint: the shapes on that line do not fit together. Does the code assume a fixed "
            "number of classes? Take it from the input: `len(logits)` or `logits.shape[-1]`."
        )
    if isinstance(error, TypeError) and ("argument" in text or "positional" in text):
        return "Hint: check your function's parameters against the call above."
    if isinstance(error, OverflowError):
        return "Hint: exp of a large number overflows; subtract the maximum logit first."
    if isinstance(error, SystemExit):
        return _EXIT_HINT
    return ""


# --- advice on precision and on integer input --------------------------------------------------

_TO_FLOAT64 = re.compile(
    r"dtype\s*=\s*(?:float|np\.float64|numpy\.float64|['\"]float64['\"])\b"
    r"|\.astype\(\s*(?:float|np\.float64|numpy\.float64|['\"]float64['\"])\s*\)"
)
_NEW_ARRAY = re.compile(r"\bnp\.(zeros|ones|empty|eye|identity|full)\(")
_TO_FLOAT32 = re.compile(r"float32")


def probabilities_name(source):
    r"""The name the student gave the probabilities in ``source`` ('probs' if none is found).

    Examples
    --------
    >>> probabilities_name("def f(x):\n    p = cu.softmax(x)\n    return p")
    'p'
    """
    match = re.search(r"^\s*(\w+)\s*=\s*[\w.]*softmax\(", source or "", re.MULTILINE)
    return match.group(1) if match else "probs"


def precision_advice(source, rules, received_dtype):
    r"""How to keep the input's precision, for the code in ``source`` (None if unknown).

    Examples
    --------
    >>> from course_utils.exercises.rules import rules_for
    >>> code = "def f(x):\n    p = cu.softmax(x)\n    return p[:, None] * (np.eye(len(p)) - p)"
    >>> "`np.eye(..., dtype=p.dtype)`" in precision_advice(code, rules_for("03"), np.float64)
    True
    """
    if received_dtype == np.float32:
        return (
            "Remove the conversion to float32 (`.astype(np.float32)` or `dtype=np.float32`): "
            "NumPy's arithmetic keeps the input's dtype by itself."
        )
    probs = probabilities_name(source)
    advice = []
    if source is None or _TO_FLOAT64.search(source):
        advice.append(
            "`np.asarray(x, dtype=float)` and `.astype(float)` turn float32 into float64: leave "
            "the dtype out (`np.asarray(x)`); integer logits still become floats at `np.exp`."
        )
    arrays = _arrays_without_dtype(source)
    if source is None or arrays:
        made = ", ".join(f"`np.{name}(...)`" for name in arrays) or "`np.zeros(...)` or `np.eye(...)`"
        example = f"`np.{arrays[0]}(..., dtype={probs}.dtype)`" if arrays else rules.new_array
        advice.append(
            f"A new array from {made} is float64 unless told otherwise: give it the dtype of "
            f"your probabilities, e.g. {example} (not `dtype=logits.dtype`, which is an integer "
            "dtype for integer logits)."
        )
    if not advice:
        advice.append(
            f"Find the step that makes float64 (a constant array, a conversion) and give it "
            f"`dtype={probs}.dtype`."
        )
    return " ".join(advice)


def _arrays_without_dtype(source):
    """The NumPy constructors in ``source`` called without a dtype: ['zeros', 'eye']."""
    found = []
    for match in _NEW_ARRAY.finditer(source or ""):
        call = _call_text(source, match.end())
        if "dtype" not in call and match.group(1) not in found:
            found.append(match.group(1))
    return found


def _call_text(source, start):
    """The text of a call's arguments, from just after its '(' to the matching ')'."""
    depth = 1
    for index in range(start, len(source)):
        depth += {"(": 1, ")": -1}.get(source[index], 0)
        if depth == 0:
            return source[start:index]
    return source[start:]


def integer_advice(source, rules):
    r"""How to make integer logits work, for the code in ``source``.

    Examples
    --------
    >>> from course_utils.exercises.rules import rules_for
    >>> code = "def f(logits):\n    probs = cu.softmax(logits)\n    out = np.zeros_like(logits)"
    >>> "`np.zeros_like(probs)`" in integer_advice(code, rules_for(None))
    True
    """
    probs = probabilities_name(source)
    if source and re.search(r"(zeros|empty|ones|full)_like\(\s*logits", source):
        return (
            "`np.zeros_like(logits)` (or `empty_like`) has the integer dtype of integer logits, "
            f"so every value stored in it is cut to an integer: make it from the probabilities, "
            f"`np.zeros_like({probs})`, which are floating point."
        )
    if source and re.search(r"dtype\s*=\s*logits\.dtype", source):
        return (
            "`dtype=logits.dtype` is an integer dtype for integer logits, so every value stored "
            f"in the array is cut to an integer: use `dtype={probs}.dtype`."
        )
    return (
        "In-place arithmetic (`x -= ...`, `out=`) cannot store floats in an integer array. "
        "Convert integer logits first, which keeps float32 as it is: "
        "`if logits.dtype.kind != 'f': logits = logits.astype(float)`."
    )
