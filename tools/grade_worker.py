"""Run one submitted notebook and its checkers, inside the sandbox ``tools/grade.py`` made.

    python tools/grade_worker.py NOTEBOOK SPEC_JSON [--hide FOLDER ...] [--cell-seconds S]

Started by ``tools/grade.py`` under ``unshare --net --mount``: a network namespace with no
interface up (the kernel talks to this worker over a Unix socket, ZeroMQ's ipc transport,
so nothing needs a network) and a mount namespace of its own. Here, before any student
code runs, the worker

* reads the notebook into memory, then mounts an empty tmpfs over every ``--hide`` folder
  (the submissions folder, the scratch folder of all submissions) and a read-nothing file
  over every hidden file, so the student's code cannot read another submission;
* limits the address space (``RLIMIT_AS``) of itself and so of the kernel it starts: an
  allocation past it raises MemoryError in the student's cell;
* runs every cell with a time limit (an endless loop is interrupted, and the run goes on),
  then one more cell that calls each exercise's checker on the student's function.

It prints one JSON line: ``{"results": {function: {"verdict", "diagnosis"}}, "cell_errors": [...]}``.
"""

import argparse
import json
import os
import resource
import secrets
import subprocess
import sys
from pathlib import Path

import nbformat
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError

# Runs in the kernel after the student's cells. The marker is drawn after the student's code
# has run, so no cell can print a fake report ahead of it.
CHECK_CELL = """
import json as _grade_json
from course_utils import exercises as _grade_exercises
_grade_report = {{}}
for _grade_function, _grade_checker, _grade_keywords in {spec!r}:
    _grade_candidate = globals().get(_grade_function)
    if _grade_candidate is None:
        _grade_report[_grade_function] = {{"verdict": "not graded", "diagnosis": "missing_function"}}
        continue
    _grade_result = getattr(_grade_exercises, _grade_checker)(_grade_candidate, **_grade_keywords)
    _grade_verdict = ("passed" if _grade_result.passed else
                      "not implemented" if _grade_result.diagnosis == "not_implemented" else "failed")
    _grade_report[_grade_function] = {{"verdict": _grade_verdict, "diagnosis": _grade_result.diagnosis}}
print({marker!r} + _grade_json.dumps(_grade_report))
"""


def hide(paths):
    """Mount an empty tmpfs over each folder, and /dev/null over each file, in this namespace.

    Outer folders first: a folder inside one already hidden is gone already.
    """
    for path in sorted(paths, key=lambda path: len(path.parts)):
        if path.is_dir():
            subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m,mode=0755", "grade-hidden", str(path)],
                           check=True)
        elif path.exists():
            subprocess.run(["mount", "--bind", "/dev/null", str(path)], check=True)


def matplotlib_font_cache():
    """The grader's own matplotlib font list, as bytes (it lists fonts, no student data)."""
    folder = Path(os.environ.get("MPLCONFIGDIR") or Path.home() / ".cache" / "matplotlib")
    return {path.name: path.read_bytes() for path in folder.glob("fontlist-*.json")}


def limit_memory(mebibytes):
    limit = mebibytes * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def cell_errors(notebook):
    """One line per cell that raised: its position and the error's name and message."""
    errors = []
    for number, cell in enumerate(notebook.cells, start=1):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                value = str(output.get("evalue", ""))[:120]
                errors.append(f"cell {number}: {output.get('ename')}: {value}")
    return errors


def run(notebook, spec, workdir, cell_seconds):
    marker = f"GRADE-{secrets.token_hex(8)}:"
    notebook.cells.append(nbformat.v4.new_code_cell(CHECK_CELL.format(spec=spec, marker=marker)))
    manager = AsyncKernelManager(kernel_name="python3", transport="ipc", ip=str(workdir / "kernel"),
                            connection_file=str(workdir / "kernel.json"))
    client = NotebookClient(notebook, km=manager, timeout=cell_seconds, interrupt_on_timeout=True,
                            allow_errors=True, kernel_name="python3",
                            resources={"metadata": {"path": str(workdir)}})
    try:
        client.execute()
    except DeadKernelError as error:
        return {"problem": "kernel_died", "notes": str(error)[:200]}
    report = None
    for output in notebook.cells[-1].get("outputs", []):
        text = output.get("text", "")
        if output.get("output_type") == "stream" and marker in text:
            report = json.loads(text.split(marker, 1)[1].splitlines()[0])
    if report is None:  # the checker cell itself failed: the kernel is in a state we cannot grade
        errors = cell_errors(nbformat.v4.new_notebook(cells=[notebook.cells[-1]]))
        return {"problem": "kernel_died", "notes": "; ".join(errors)[:200]}
    notebook.cells.pop()
    return {"results": report, "cell_errors": cell_errors(notebook)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("notebook", type=Path)
    parser.add_argument("spec")
    parser.add_argument("--hide", type=Path, action="append", default=[])
    parser.add_argument("--cell-seconds", type=float, default=30.0)
    parser.add_argument("--memory-mib", type=int, default=3072)
    parser.add_argument("--sandboxed", action="store_true", help="inside unshare: hide folders")
    args = parser.parse_args()
    notebook = nbformat.read(args.notebook, as_version=4)  # read before it is hidden
    spec = [tuple(pair) for pair in json.loads(args.spec)]
    font_cache = matplotlib_font_cache()
    scratch = args.notebook.resolve().parent
    if args.sandboxed:  # never outside the namespace: there the mounts would be the machine's
        hide([scratch, *args.hide])
    workdir = scratch / "work"  # inside an empty tmpfs when sandboxed
    workdir.mkdir(parents=True)
    os.chdir(workdir)
    # No folder shared with other submissions: IPython's history database would hold their code.
    os.environ.update(HOME=str(workdir), JUPYTER_RUNTIME_DIR=str(workdir),
                      IPYTHONDIR=str(workdir / "ipython"), MPLCONFIGDIR=str(workdir / "matplotlib"))
    for name, data in font_cache.items():  # spares each kernel matplotlib's 1-2 s font scan
        (workdir / "matplotlib").mkdir(exist_ok=True)
        (workdir / "matplotlib" / name).write_bytes(data)
    limit_memory(args.memory_mib)
    print(json.dumps(run(notebook, spec, workdir, args.cell_seconds)))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
