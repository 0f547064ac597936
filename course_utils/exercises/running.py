"""Running the student's code safely: a time limit, and errors explained rather than raised.

:func:`call` runs the function on fresh copies of its arguments and hands back what it
returned or what went wrong; nothing the student's code does, raises or returns ever escapes
as an exception (except the notebook's stop button, KeyboardInterrupt).
"""

import inspect
import os
import signal
import textwrap
import threading
import traceback
import tracemalloc
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

# Seconds one call of the student's function may take; the probes are small, so only a loop
# that never ends comes near it. Enforced with SIGALRM where that is safe (see time_limit).
# CPython 3.10 handles no signal in a loop that only runs `try: pass` (Ctrl-C cannot stop it
# either); a loop that calls anything, as a student's loop does, is stopped on every version.
TIME_LIMIT = 10.0

# Frames from these folders are not the student's code: tracebacks point past them.
_LIBRARY_FOLDERS = (Path(np.__file__).parent, Path(__file__).parent.parent)


class TimedOut(BaseException):
    """Raised into the student's code when a call takes longer than TIME_LIMIT.

    A BaseException, so that an ``except Exception:`` in the student's code cannot swallow it.
    """


@dataclass
class Outcome:
    """What one call gave: ``result``, or the ``error`` it raised (``TimedOut`` if stopped)."""

    result: object = None
    error: BaseException | None = None
    changed: tuple = ()  # the names of the arguments the call modified


def call(function, args):
    """Call ``function`` on fresh copies of ``args`` (a dict of arrays), warnings silenced.

    Examples
    --------
    >>> outcome = call(lambda x: x / 0, {"x": np.ones(2)})
    >>> outcome.result, outcome.error
    (array([inf, inf]), None)
    >>> type(call(lambda x: x.nope, {"x": np.ones(2)}).error).__name__
    'AttributeError'
    """
    inputs = {name: np.array(value, copy=True) for name, value in args.items()}
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            with time_limit(TIME_LIMIT):
                result = function(*inputs.values())
        except (Exception, SystemExit, TimedOut) as error:  # the student's bug, reported
            return Outcome(error=error)
    changed = tuple(name for name, value in args.items() if not _same(np.asarray(value), inputs[name]))
    return Outcome(result, None, changed)


@contextmanager
def time_limit(seconds):
    """Raise TimedOut into the code run inside once ``seconds`` have passed.

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
        raise TimedOut

    signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        restore()


def can_limit_time(seconds):
    """Whether a call can be stopped after ``seconds`` here (see :func:`time_limit`)."""
    if not seconds or not hasattr(signal, "setitimer"):
        return False
    if threading.current_thread() is not threading.main_thread():
        return False
    in_use = signal.getsignal(signal.SIGALRM) != signal.SIG_DFL or any(signal.getitimer(signal.ITIMER_REAL))
    return not in_use


def call_with_memory(function, args, budget):
    """:func:`call`, with the peak memory its allocations took, in bytes.

    Returns ``(outcome, peak)``. Where :func:`can_cap_memory`, the process's address space is
    capped for the call at what it uses now plus ``8 × budget``, so that an array far beyond
    the budget (a D×D matrix at D = 50,000 is 20 GB) fails at once with MemoryError instead
    of filling the machine.
    """
    tracing = tracemalloc.is_tracing()
    if not tracing:
        tracemalloc.start()
    tracemalloc.reset_peak()
    try:
        with _address_space_cap(8 * budget):
            outcome = call(function, args)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        if not tracing:
            tracemalloc.stop()
    return outcome, peak


def can_cap_memory():
    """Whether a call's address space can be capped here (Linux, with no lower cap in force)."""
    return _address_space() is not None


def _address_space():
    """(bytes in use, soft limit, hard limit), or None where the cap is not available."""
    try:
        import resource

        with open("/proc/self/statm") as statm:
            in_use = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    except (ImportError, OSError, ValueError):
        return None
    if soft != resource.RLIM_INFINITY:
        return None  # someone set a cap already: leave it alone
    return in_use, soft, hard


@contextmanager
def _address_space_cap(extra):
    state = _address_space()
    if state is None:
        yield
        return
    import resource

    in_use, soft, hard = state
    cap = in_use + extra if hard == resource.RLIM_INFINITY else min(in_use + extra, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def function_name(function):
    return getattr(function, "__name__", type(function).__name__)


def source_of(function):
    """The source of the student's function, or None where Python cannot find it.

    A notebook cell's source is found (IPython keeps it), a lambda's is its whole line.
    """
    try:
        return textwrap.dedent(inspect.getsource(function))
    except (OSError, TypeError):
        return None


def student_frame(error):
    """'in my_softmax, line 3: return e / e.sum()' for the deepest frame of the student's code."""
    frames = traceback.extract_tb(error.__traceback__)
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


def _same(before, after):
    if before.shape != after.shape or before.dtype != after.dtype:
        return False
    return bool(np.array_equal(before, after, equal_nan=before.dtype.kind == "f"))
