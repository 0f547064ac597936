"""How long the SymPy work of the course takes: every cell of notebooks 01 and 02, and each proof.

The course promises that each SymPy cell runs in under 2 s. Part 1 executes both notebooks
from a fresh kernel (as nbval does) and reads each cell's own start and end times, which
nbclient records in the cell metadata; it lists the slowest cells. Part 2 times each proof of
``course_utils.symbolic`` with SymPy's cache cleared before every run, so a repeat cannot
reuse the work of the one before; it reports the median of a few runs.

Run with ``python -m benchmarks`` (all tables) or ``python -m benchmarks.bench_symbolic``.
"""

import statistics
import time
from datetime import datetime
from pathlib import Path

import nbformat
import sympy as sp
from nbclient import NotebookClient
from sympy.core.cache import clear_cache

from course_utils import symbolic

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ["notebooks/01_softmax_forward.ipynb", "notebooks/02_symbolic_derivation.ipynb"]
BUDGET_SECONDS = 2.0
SLOWEST_SHOWN = 5


def cell_seconds(path):
    """Execute a notebook from a fresh kernel; (seconds, first source line) of each code cell."""
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(
        notebook, timeout=300, kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()
    timings = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        stamps = cell.metadata["execution"]
        started = datetime.fromisoformat(stamps["iopub.execute_input"].replace("Z", "+00:00"))
        ended = datetime.fromisoformat(stamps["shell.execute_reply"].replace("Z", "+00:00"))
        first_line = cell.source.splitlines()[0] if cell.source else ""
        timings.append(((ended - started).total_seconds(), first_line))
    return timings


def median_cold_seconds(function, repeats=3):
    """Median time of ``function()`` with SymPy's cache cleared before each run."""
    times = []
    for _ in range(repeats):
        clear_cache()
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def prove_jacobian(dim):
    logits, outputs = symbolic.logit_symbols(dim), symbolic.output_symbols(dim)
    probs = symbolic.softmax_expressions(logits)
    jacobian = symbolic.jacobian_by_diff(probs, logits)
    in_outputs = symbolic.in_terms_of_outputs(jacobian, logits, outputs)
    assert symbolic.is_zero(in_outputs - symbolic.kronecker_form(outputs))
    assert symbolic.is_zero(jacobian - symbolic.outer_form(probs))


def prove_cross_entropy(dim):
    logits, outputs = symbolic.logit_symbols(dim), symbolic.output_symbols(dim)
    labels = sp.symbols(f"y_1:{dim + 1}", real=True)
    gradient = symbolic.cross_entropy_gradient_by_diff(logits, labels)
    gradient = symbolic.in_terms_of_outputs(gradient, logits, outputs)
    expected = sp.Matrix([sum(labels) * s - y for s, y in zip(outputs, labels, strict=True)])
    assert symbolic.is_zero(gradient - expected)


def proofs():
    """(name, function) for each proof the unit tests and notebook 02 run."""
    cases = [(f"Jacobian, D = {dim}", lambda dim=dim: prove_jacobian(dim)) for dim in (3, 6)]
    cases += [
        ("cross-entropy gradient, D = 6", lambda: prove_cross_entropy(6)),
        ("rule by rule, dS1/dz1 (D = 3)", lambda: symbolic.derivation_steps(
            symbolic.softmax_expressions(symbolic.logit_symbols(3, "z"))[0],
            symbolic.logit_symbols(3, "z")[0])),
        ("general D: Jacobian steps", symbolic.general_jacobian_steps),
        ("general D: log-softmax", symbolic.general_log_softmax_derivative),
        ("general D: cross-entropy", symbolic.general_cross_entropy_gradient),
        ("lambdify the D = 6 Jacobian", lambda: symbolic.jacobian_function(6)),
    ]
    return cases


def main():
    print(f"Part 1: each code cell from a fresh kernel (budget {BUDGET_SECONDS:.0f} s per cell)\n")
    print(f"| {'notebook':<32} | cells | over budget | slowest cells (s)")
    print(f"|{'-' * 34}|-------|-------------|------------------")
    for name in NOTEBOOKS:
        timings = cell_seconds(ROOT / name)
        over = sum(seconds > BUDGET_SECONDS for seconds, _ in timings)
        slowest = sorted(timings, reverse=True)[:SLOWEST_SHOWN]
        shown = ", ".join(f"{seconds:.2f}" for seconds, _ in slowest)
        print(f"| {Path(name).name:<32} | {len(timings):>5} | {over:>11} | {shown}")
        for seconds, first_line in slowest[:2]:
            print(f"|   {seconds:5.2f} s: {first_line[:70]}")
    print("\nPart 2: each proof, SymPy cache cleared, median of 3 runs\n")
    print(f"| {'proof':<32} | seconds")
    print(f"|{'-' * 34}|--------")
    for name, function in proofs():
        print(f"| {name:<32} | {median_cold_seconds(function):7.3f}")


if __name__ == "__main__":
    main()
