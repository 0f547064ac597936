"""The machinery every checker shares: call the student's function safely, compare, explain.

A checker runs a :class:`Session` through a fixed list of probes (inputs built from a seeded
generator, so the feedback is the same on every run). The first problem found stops the
session with a :class:`Finding`, which :func:`run_check` turns into a
:class:`~course_utils.exercises.result.CheckResult`. Nothing the student's code does, raises
or returns ever escapes as an exception.
"""

import signal
import threading
import traceback
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .result import CheckResult

# (rtol, atol) by the dtype of the student's result. float64 code is exact to ~1e-15, so these
# leave room for any correct formula while catching log(p + 1e-7) and float32 round trips.
TOLERANCE = {np.dtype(np.float64): (1e-7, 1e-12), np.dtype(np.float32): (1e-4, 1e-6)}
LOOSE_TOLERANCE = (1e-3, 1e-3)  # "almost right": worth looking for an accuracy problem

# Two logits far above the rest: the maximum lies 1200 above the mean and 2000 above the
# minimum and the first logit, so code that subtracts any of them overflows (exp(710) = inf).
FAR_APART = np.array([-1000.0, 999.0, -1000.0, 1000.0, -1000.0])
FAR_APART_LABEL = "logits 2000 apart ([-1000, 999, -1000, 1000, -1000])"

NOT_IMPLEMENTED = "Not implemented yet: fill in the function above, then re-run this cell."

# Seconds one call of the student's function may take; the probes are tiny, so only a loop
# that never ends comes near it. Enforced with SIGALRM where that is safe (see _time_limit).
# CPython 3.10 handles no signal in a loop that only runs `try: pass` (Ctrl-C cannot stop it
# either); a loop that calls anything, as a student's loop does, is stopped on every version.
TIME_LIMIT = 10.0

# Frames from these folders are not the student's code: tracebacks point past them.
_LIBRARY_FOLDERS = (Path(np.__file__).parent, Path(__file__).parent.parent)


_FLOAT32_HINT = (
    "Keep the input's precision (a float32 network stays in float32): NumPy's arithmetic and "
    "np.exp keep float32 by themselves, but a conversion such as np.asarray(x, dtype=float) or "
    ".astype(np.float64), or a new array from np.zeros(shape) or np.eye(D) (float64 by "
    "default), makes the result float64. Create new arrays with dtype=logits.dtype or "
    "np.zeros_like(logits)."
)
_FLOAT64_HINT = (
    "Keep the input's precision: float64 logits need a float64 result (float32 keeps only "
    "about 7 digits). Remove the conversion to float32, such as `.astype(np.float32)` or "
    "`dtype=np.float32`: NumPy's arithmetic keeps the input's dtype by itself."
)
_EXIT_HINT = (
    "Hint: sys.exit(), exit() and quit() stop the whole program, not just the function: a "
    "function hands back its result with `return`, and reports bad input with "
    "`raise ValueError(...)`."
)


class _TimedOut(BaseException):
    """Raised into the student's code when a call takes longer than TIME_LIMIT.

    A BaseException, so that an ``except Exception:`` in the student's code cannot swallow it.
    """


class Finding(Exception):
    """The first problem found (a verdict, not an error): stops a checker's probes."""

    def __init__(self, diagnosis, message, details="", exception=None, received=None):
        super().__init__(message)
        self.diagnosis = diagnosis
        self.message = message
        self.details = details
        self.exception = exception  # the student's exception, for "raised"
        self.received = received  # the student's result, when there was one


@dataclass(frozen=True)
class Case:
    """One input: what to call it in messages and the arguments (named, in order)."""

    label: str  # "a vector of 5 logits"
    args: dict  # {"logits": array, ...}


@dataclass(frozen=True)
class Bug:
    """A known mistake: its diagnosis, the explanation, and what such code would return.

    ``candidate`` is what the mistaken code returns for the probe's input (an array or a
    number), or a test ``candidate(received) -> bool`` when the mistake is a family (for
    example "the columns sum to 1", whatever was subtracted first).
    """

    diagnosis: str
    message: str
    candidate: object

    def matches(self, received, expected_shape):
        """Whether ``received`` is this mistake; a family test needs the expected shape."""
        if callable(self.candidate):
            if received.shape != expected_shape:  # a wrong shape is its own diagnosis
                return False
            try:
                with np.errstate(all="ignore"):
                    return bool(self.candidate(received))
            except (ValueError, TypeError, IndexError):  # a result too odd to be this mistake
                return False
        candidate = np.asarray(self.candidate)
        return candidate.shape == received.shape and close(received, candidate)


@dataclass
class Session:
    """One run of a checker over a student's function."""

    function: object
    passed: list = field(default_factory=list)  # labels of the probes passed, for the summary

    @property
    def name(self):
        return function_name(self.function)

    def call(self, case):
        """Call the function on fresh copies of the case's arguments.

        Returns ``(result, changed)`` where ``changed`` names the arguments it modified.
        Raises a Finding if it raised, called sys.exit(), ran out of time or returned None.
        A KeyboardInterrupt (the notebook's stop button) is not caught.
        """
        inputs = {name: np.array(value, copy=True) for name, value in case.args.items()}
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            try:
                with _time_limit(TIME_LIMIT):
                    result = self.function(*inputs.values())
            except NotImplementedError:
                raise Finding("not_implemented", self._not_implemented(case)) from None
            except (Exception, SystemExit) as error:  # the student's bug, reported rather than raised
                raise self._raised(case, error) from None
            except _TimedOut as stopped:
                raise self._timed_out(case, stopped) from None
        if result is None:
            if not self.passed:
                raise Finding(
                    "not_implemented",
                    f"{NOT_IMPLEMENTED}\n({self.name} returned None. If you have written it, "
                    "check that it ends with a `return` statement.)",
                )
            raise Finding(
                "wrong_shape",
                f"{self.name} returned None for {case.label}, although it returned a value "
                "for the earlier inputs: every path through the function must end in a `return`.",
            )
        changed = [name for name, value in case.args.items() if not _same(np.asarray(value), inputs[name])]
        return result, changed

    def _not_implemented(self, case):
        if not self.passed:
            return NOT_IMPLEMENTED
        return (
            f"{self.name} raised NotImplementedError for {case.label}: this exercise needs it "
            "to work for this input too. Fill it in, then re-run this cell."
        )

    def _raised(self, case, error):
        text = _shorten(str(error))
        message = f"{type(error).__name__}: {text}" if text else type(error).__name__
        lines = [f"{self.name} raised {message}", f"when called as {self.signature(case)}."]
        where = _student_frame(error)
        if where:
            lines.append(where)
        hint = _hint_for(error, case, bool(self.passed))
        if hint:
            lines += ["", hint]
        return Finding("raised", "\n".join(lines), describe_inputs(case), exception=error)

    def _timed_out(self, case, stopped):
        lines = [
            f"{self.name} did not finish within {TIME_LIMIT:g} seconds when called as "
            f"{self.signature(case)}, so the checker stopped it.",
        ]
        where = _student_frame(stopped)
        if where:
            lines.append(where.replace("  in ", "  (stopped in ", 1) + ")")
        lines += [
            "",
            "These inputs are tiny, so it is stuck: most likely a `while` loop whose condition "
            "never becomes false (a counter that is never increased?).",
        ]
        return Finding("timed_out", "\n".join(lines), describe_inputs(case))

    def signature(self, case):
        """``my_softmax(logits)`` with each argument described, for messages."""
        described = ", ".join(f"{name} = {_describe(value)}" for name, value in case.args.items())
        return f"{self.name}({', '.join(case.args)}) with {described}"

    def array(self, case, expected, *, bugs=(), dtype=None, observe=None, near_miss=None, tolerance=None):
        """Call on ``case`` and insist on ``expected`` (an array or a number).

        Known ``bugs`` are matched before the generic "wrong values" verdict; ``dtype`` is
        the dtype the result must have (or "floating"); ``observe(received)`` returns extra
        sentences for a generic failure; ``near_miss()`` may raise a more specific Finding
        when the result is almost right. ``tolerance`` = (rtol, atol) overrides the one
        chosen by the result's dtype (float32 inputs give float32 accuracy at best).
        """
        result, changed = self.call(case)
        expected = np.asarray(expected)
        received = as_numbers(result, self.name, case)
        if isinstance(result, (list, tuple)) and expected.ndim:
            raise Finding("wrong_shape", _not_an_array(self.name, case, result), describe_inputs(case))
        if expected.ndim == 0 and received.size == 1:
            received = received.reshape(())
        if received.shape == expected.shape and close(received, expected, tolerance):
            problem = _dtype_problem(received, dtype)
            if problem:
                raise Finding("dtype", self._dtype_message(case, received, problem))
            if changed:
                raise self._mutated(case, changed)
            self.passed.append(case.label)
            return received
        details = describe_inputs(case, expected=expected, received=received)
        for bug in bugs:
            if bug.matches(received, expected.shape):
                raise Finding(bug.diagnosis, bug.message, details, received=received)
        if received.shape != expected.shape:
            raise Finding(
                "wrong_shape",
                f"{self.name} returned shape {received.shape} for {case.label}; "
                f"expected shape {expected.shape}.",
                details,
                received=received,
            )
        problem = _dtype_problem(received, dtype)
        if problem:
            message = self._dtype_message(case, received, problem)
            raise Finding("dtype", message, details, received=received)
        if near_miss is not None and close(received, expected, LOOSE_TOLERANCE):
            near_miss()
        message = (
            f"{self.name} returned wrong values for {case.label}, and they match none of the "
            "usual mistakes this checker knows. Compare the expected and received values below."
        )
        notes = observe(received) if observe is not None else []
        details += _difference(received, expected)
        raise Finding("wrong_values", "\n".join([message, *notes]), details, received=received)

    def _dtype_message(self, case, received, problem):
        message = f"Given {case.label}, {self.name} {problem}"
        if received.dtype == np.float64:
            message += " " + _FLOAT32_HINT
        elif received.dtype == np.float32:
            message += " " + _FLOAT64_HINT
        return message

    def _mutated(self, case, changed):
        names = " and ".join(changed)
        details = []
        for name in changed:
            details.append(labelled(f"{name} passed in ", case.args[name]))
        return Finding(
            "mutates_input",
            f"{self.name} returns the right values but changes its input {names} (given "
            f"{case.label}). The caller still needs {names} afterwards: a network keeps its "
            "arrays for the backward pass. An in-place operation such as `x -= x.max()`, "
            "`x /= x.sum()` or `np.exp(x, out=x)` overwrites the caller's array: compute "
            "into a new array instead, e.g. `shifted = x - x.max(axis=-1, keepdims=True)`.",
            "\n".join(details),
        )


def probe_overflow(session, case, expected, message, dtype=None):
    """Extreme logits: NaN, inf, an error or a wrong answer there means no max-subtraction.

    Only reached once ordinary logits gave the right answer, so the extreme values are
    what went wrong; ``message`` may use ``{name}`` and ``{case}``.
    """
    try:
        session.array(case, expected, dtype=dtype)
    except Finding as finding:
        if finding.diagnosis not in ("wrong_values", "raised"):
            raise
        text = message.format(name=session.name, case=case.label)
        raise Finding("no_max_subtraction", text, finding.details) from None


def probe_far_apart(session, case, expected, fix, dtype=None):
    """Logits far apart, once logits near ±1000 passed: the code shifts, but not by the maximum.

    Subtracting the mean or the minimum is exact for logits close together, at any offset, and
    overflows only when the largest logit lies more than 709.78 above what was subtracted.
    ``fix`` is the sentence that ends the message.
    """
    try:
        session.array(case, expected, dtype=dtype)
    except Finding as finding:
        if finding.diagnosis not in ("wrong_values", "raised"):
            raise
        if finding.diagnosis == "raised" and not isinstance(finding.exception, OverflowError):
            raise
        raise Finding("no_max_subtraction", shift_message(session.name, case, fix), finding.details) from None


def shift_message(name, case, fix):
    """Why subtracting something other than each row's maximum fails for ``case``'s logits."""
    logits = np.asarray(case.args["logits"], dtype=np.float64)
    top = logits.max(axis=-1)
    above_mean = float(np.max(top - logits.mean(axis=-1)))
    above_min = float(np.max(top - logits.min(axis=-1)))
    if logits.ndim == 1:
        where = (
            f"the largest logit lies {above_mean:.0f} above their mean and {above_min:.0f} "
            "above their minimum"
        )
    else:
        where = (
            f"a row's largest logit lies up to {above_mean:.0f} above the row's mean and "
            f"{above_min:.0f} above its minimum"
        )
    return (
        f"{name} is right for logits that are all near +1000 or all near -1000, so it does "
        f"shift them, but for {case.label} it returns nan, inf or wrong values: there {where}, "
        "and exp overflows above 709.78 (exp(710) = inf). Subtracting the same number c from "
        "every logit leaves softmax unchanged, but only c = the row's MAXIMUM (not the mean, "
        "the minimum or the first logit) makes every exponent xₖ − c ≤ 0, so that exp cannot "
        f"overflow. {fix}"
    )


def probe_integers(session, case, expected, fix, dtype="floating"):
    """Integer logits must work as well as floats; ``fix`` says how (a sentence)."""
    try:
        session.array(case, expected, dtype=dtype)
    except Finding as finding:
        if finding.diagnosis == "raised":
            what = finding.message
        elif finding.diagnosis == "wrong_values":
            what = "It returns wrong values for them (below), though it is right for float logits."
        elif finding.diagnosis == "dtype":
            raise Finding("dtype", f"{finding.message}\n{fix}", finding.details) from None
        else:
            raise
        message = f"{session.name} does not handle {case.label}.\n{what}\n{fix}"
        raise Finding("dtype", message, finding.details) from None


def run_check(check, function, probes):
    """Run ``probes(session)`` on ``function`` and wrap the outcome in a CheckResult."""
    if not callable(function):
        return CheckResult(check, "?", False, "not_a_function", _not_a_function(check, function))
    session = Session(function)
    try:
        probes(session)
    except Finding as finding:
        return CheckResult(check, session.name, False, finding.diagnosis, finding.message, finding.details)
    checks = "".join(f"\n  · {label}" for label in session.passed)
    message = f"All {len(session.passed)} checks passed, and no input was modified:{checks}"
    return CheckResult(check, session.name, True, None, message)


@contextmanager
def _time_limit(seconds):
    """Raise _TimedOut into the code run inside once ``seconds`` have passed.

    Only where that is safe: on POSIX, in the main thread (a notebook's cells run there) and
    only when nothing else uses SIGALRM or the real-time timer; elsewhere the code runs
    without a limit. The alarm fires once, and its handler restores the previous state itself
    before raising, so nothing is left behind even if it lands while the limit is being lifted.
    """
    if not can_limit_time(seconds):
        yield
        return
    previous = signal.getsignal(signal.SIGALRM)

    def restore():
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)

    def stop(signum, frame):
        restore()
        raise _TimedOut

    signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        restore()


def can_limit_time(seconds):
    """Whether a call can be stopped after ``seconds`` here (see :func:`_time_limit`)."""
    if not seconds or not hasattr(signal, "setitimer"):
        return False
    if threading.current_thread() is not threading.main_thread():
        return False
    in_use = signal.getsignal(signal.SIGALRM) != signal.SIG_DFL or any(signal.getitimer(signal.ITIMER_REAL))
    return not in_use


def function_name(function):
    return getattr(function, "__name__", type(function).__name__)


def _not_a_function(check, thing):
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


def as_numbers(result, name, case):
    """The student's result as an array of real numbers, or a wrong_shape Finding."""
    try:
        array = np.asarray(result)
    except Exception:  # ragged lists and other shapes NumPy cannot hold
        array = None
    if array is None or array.dtype.kind not in "fiub":
        raise Finding(
            "wrong_shape",
            f"{name} returned {_describe(result)} for {case.label}: expected an array of real numbers.",
            describe_inputs(case),
        )
    return array


def _not_an_array(name, case, result):
    what = f"a Python {type(result).__name__} of {len(result)} items"
    advice = (
        "`return a, b` returns a tuple: return only the result. "
        if isinstance(result, tuple)
        else "Wrap the values in `np.asarray(...)`, or leave out `.tolist()` and list "
        "comprehensions: NumPy works on the whole array at once. "
    )
    return (
        f"{name} returned {what} for {case.label}; expected a NumPy array. {advice}A list or "
        "tuple does not compute like an array (`2 * values` repeats it instead of doubling "
        "it, `values.sum(axis=-1)` fails) and forgets the dtype: float32 logits must give a "
        "float32 result."
    )


def close(received, expected, tolerance=None):
    """Whether two arrays of the same shape agree within the tolerance of ``received``."""
    if received.shape != expected.shape:
        return False
    rtol, atol = tolerance or TOLERANCE.get(received.dtype, TOLERANCE[np.dtype(np.float32)])
    with np.errstate(all="ignore"):
        return bool(np.allclose(received.astype(np.float64), expected.astype(np.float64), rtol, atol))


def _dtype_problem(received, dtype):
    if dtype is None:
        return None
    if dtype == "floating":
        if received.dtype.kind == "f":
            return None
        return f"returned {received.dtype} numbers: the result must be floating point."
    if received.dtype == np.dtype(dtype):
        return None
    return f"returned {received.dtype}; expected {np.dtype(dtype)}."


def _same(before, after):
    if before.shape != after.shape or before.dtype != after.dtype:
        return False
    return bool(np.array_equal(before, after, equal_nan=before.dtype.kind == "f"))


def _describe(value):
    if isinstance(value, np.ndarray):
        if value.ndim == 0:
            return f"a 0-d {value.dtype} array"
        return f"an array of shape {value.shape} ({value.dtype})"
    if isinstance(value, (list, tuple)):
        return f"a {type(value).__name__} of {len(value)} items"
    return f"a {type(value).__name__}"


def _shorten(text, limit=300):
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _student_frame(error):
    """'in my_softmax, line 3: return e / e.sum()' for the deepest frame of the student's code."""
    frames = traceback.extract_tb(error.__traceback__)[1:]  # [0] is Session.call
    own = [f for f in frames if not any(_inside(f.filename, folder) for folder in _LIBRARY_FOLDERS)]
    if not own:
        return ""
    frame = own[-1]
    code = f": {frame.line.strip()}" if frame.line else ""
    return f"  in {frame.name}, line {frame.lineno}{code}"


def _inside(filename, folder):
    try:
        return Path(filename).resolve().is_relative_to(folder.resolve())
    except (OSError, ValueError):
        return False


def _hint_for(error, case, earlier_inputs_worked):
    text = str(error)
    if type(error).__name__ == "AxisError":
        return (
            "Hint: a vector has only axis 0, a batch has axes 0 and 1. Use axis=-1 (the last "
            "axis, the classes): it works for both."
        )
    if "could not be broadcast" in text or "not aligned" in text or "mismatch" in text:
        if "batch" in case.label:
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


def labelled(label, values):
    """``label`` followed by the values, continuation lines aligned under the first."""
    array = np.asarray(values)
    if array.dtype.kind == "f":
        array = array + 0.0  # shows -0.0 as 0
    if array.ndim == 0:
        return f"{label}{format_number(array)}"
    with np.printoptions(
        precision=4,
        suppress=True,
        linewidth=88,
        threshold=200,
        edgeitems=3,
        floatmode="maxprec",
        sign="-",
        legacy=False,
    ):
        return label + np.array2string(array, prefix=label, separator=" ")


def format_number(value):
    value = np.asarray(value)
    if value.dtype.kind in "iub":
        return str(value.item())
    return f"{float(value) + 0.0:.6g}"  # + 0.0 shows -0.0 as 0


def describe_inputs(case, expected=None, received=None):
    """The arguments and, if given, the expected and received values, aligned."""
    rows = [(name, value) for name, value in case.args.items()]
    if expected is not None:
        rows.append(("expected", expected))
    if received is not None:
        rows.append(("received", received))
    width = max(len(name) for name, _ in rows) + 1
    return "\n".join(labelled(f"{name:<{width}} ", value) for name, value in rows)


def _difference(received, expected):
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
