"""Grade a folder of submitted notebooks: each in its own kernel, sandboxed, with a time limit.

    python tools/grade.py SUBMISSIONS [--out grades.csv] [--figure diagnoses.png]
    make grade SUBMISSIONS=path/to/folder

SUBMISSIONS holds one notebook per student (``alice.ipynb``) or one folder per student
(``alice/01_softmax_forward.ipynb``, ...). For each notebook:

1. It is read; a file that is not a notebook is reported (``invalid_notebook``).
2. It is matched to a course notebook by its file name, else by the exercise functions it
   defines; a notebook of no course notebook is reported (``not_this_course``) and not run.
3. It runs top to bottom in a fresh kernel, every cell under a time limit (an endless loop is
   interrupted and the run goes on), the whole run under a wall-clock limit, the kernel
   under a memory limit. Errors in cells do not stop it.
4. Each exercise's checker from ``course_utils.exercises`` runs on the student's function in
   that kernel; its verdict and diagnosis go to the CSV.

The student's code is sandboxed (see ``tools/grade_worker.py``): it runs in its own network
namespace, where no network exists (not even the grader's loopback), and in its own mount
namespace, where the submissions folder, the other submissions' scratch copies and earlier
results are hidden under empty folders; it sees only a scratch copy of its own notebook. A PID
namespace makes sure no kernel outlives its submission's time limit. Without ``unshare`` the grader
stops, unless ``--no-sandbox`` is given.

The CSV has one row per student, notebook and exercise: student, notebook, exercise,
verdict (passed, failed, not implemented, not graded), diagnosis (a stable code), title (the
diagnosis in words) and notes (errors raised by cells, for the instructor).
"""

import argparse
import csv
import functools
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
WORKER = Path(__file__).resolve().parent / "grade_worker.py"
COURSE_NOTEBOOKS = ROOT / "notebooks"
CHECK_CALL = re.compile(r"cu\.exercises\.(check_\w+)\((\w+)((?:\s*,\s*\w+=\"[^\"]*\")*)\)")
KEYWORD = re.compile(r'(\w+)="([^"]*)"')
FIELDS = ["student", "notebook", "exercise", "verdict", "diagnosis", "title", "notes"]

# What can go wrong with a submission as a whole, beside the checkers' own diagnoses
# (course_utils.exercises.DIAGNOSES, reused as they are).
SUBMISSION_DIAGNOSES = {
    "invalid_notebook": "not a readable notebook (invalid JSON or notebook format)",
    "not_this_course": "not a notebook of this course",
    "missing_function": "the exercise's function is not defined",
    "submission_timed_out": "the notebook did not finish within its time limit",
    "kernel_died": "the kernel died (memory limit or crash)",
}


@dataclass(frozen=True)
class Limits:
    cell_seconds: float = 30.0   # each cell; then the kernel is interrupted and the run goes on
    total_seconds: float = 180.0  # the whole notebook, checkers included; then it is killed
    memory_mib: int = 3072       # address space of the kernel (and of the worker that runs it)


def course_exercises(folder=COURSE_NOTEBOOKS):
    """``{notebook stem: [(function, checker, keywords), ...]}`` read from the course's exercise cells.

    The course notebooks are the one list of exercises: each checker cell
    ``cu.exercises.check_softmax(my_softmax)`` names a function and its checker, and the
    keywords it passes (``notebook="03"``: that exercise's rules) are passed when grading too.
    """
    exercises = {}
    for path in sorted(folder.glob("[0-9][0-9]_*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        calls = []
        for cell in notebook.cells:
            if cell.cell_type == "code":
                for checker, function, keywords in CHECK_CALL.findall(cell.source):
                    call = (function, checker, dict(KEYWORD.findall(keywords)))
                    if call not in calls:
                        calls.append(call)
        if calls:
            exercises[path.stem] = calls
    return exercises


def find_submissions(folder):
    """``[(student, path)]``: ``folder/alice.ipynb`` or ``folder/alice/*.ipynb``, sorted."""
    found = []
    for path in sorted(folder.iterdir()):
        if path.is_file() and path.suffix == ".ipynb":
            found.append((path.stem, path))
        elif path.is_dir() and not path.name.startswith("."):
            found += [(path.name, inner) for inner in sorted(path.rglob("*.ipynb"))
                      if ".ipynb_checkpoints" not in inner.parts]
    return found


def match_notebook(path, notebook, exercises):
    """The course notebook a submission belongs to: by file name, else by functions defined."""
    for stem in exercises:
        if stem in path.name or path.stem in stem and path.stem[:2].isdigit():
            return stem
    source = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code")
    defined = set(re.findall(r"^def (\w+)\(", source, re.MULTILINE))
    best = max(exercises, key=lambda stem: len(defined & {f for f, *_ in exercises[stem]}), default=None)
    if best is not None and defined & {f for f, *_ in exercises[best]}:
        return best
    return None


def row(student, notebook, exercise, verdict, diagnosis, notes=""):
    from course_utils.exercises import DIAGNOSES

    title = "" if diagnosis is None else {**DIAGNOSES, **SUBMISSION_DIAGNOSES}.get(diagnosis, diagnosis)
    return {"student": student, "notebook": notebook or "", "exercise": exercise, "verdict": verdict,
            "diagnosis": diagnosis or "", "title": title, "notes": notes}


def grade_submission(student, path, exercises, limits, hidden, sandbox=True, scratch=None):
    """The rows of one submitted notebook; never raises for anything the notebook holds."""
    try:
        notebook = nbformat.read(path, as_version=4)
        nbformat.validate(notebook)
    except Exception as error:  # noqa: BLE001 - any unreadable file is the student's, reported
        return [row(student, None, "", "not graded", "invalid_notebook", _short(error))]
    stem = match_notebook(path, notebook, exercises)
    if stem is None:
        return [row(student, None, "", "not graded", "not_this_course", path.name)]
    spec = exercises[stem]
    outcome = run_sandboxed(notebook, spec, limits, hidden, sandbox, scratch)
    if outcome.get("problem"):
        return [row(student, stem, function, "not graded", outcome["problem"], outcome.get("notes", ""))
                for function, *_ in spec]
    notes = "; ".join(outcome.get("cell_errors", []))
    rows = []
    for function, *_ in spec:
        result = outcome["results"].get(function, {"verdict": "not graded", "diagnosis": "missing_function"})
        rows.append(row(student, stem, function, result["verdict"], result["diagnosis"], notes))
    return rows


def run_sandboxed(notebook, spec, limits, hidden, sandbox, scratch=None):
    """Run the worker on a scratch copy of the notebook; return its JSON report.

    The copy lies in its own folder under ``scratch``, the run's one scratch folder, which the
    worker hides whole (with every other submission's copy) before any student code runs.
    """
    with tempfile.TemporaryDirectory(prefix="submission-", dir=scratch) as folder:
        copy = Path(folder) / "submission.ipynb"
        nbformat.write(notebook, copy)
        command = [sys.executable, str(WORKER), str(copy), json.dumps(spec),
                   "--cell-seconds", str(limits.cell_seconds), "--memory-mib", str(limits.memory_mib)]
        for path in hidden:
            command += ["--hide", str(path)]
        if sandbox:
            command = sandbox_prefix() + command + ["--sandboxed"]
        env = {key: value for key, value in os.environ.items() if not key.startswith("JUPYTER_")}
        env.update(OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MPLBACKEND="Agg",
                   PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])))
        # its own session, so that a timeout can stop it with every process it started
        worker = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                  cwd=folder, env=env, start_new_session=True)
        try:
            stdout, stderr = worker.communicate(timeout=limits.total_seconds)
        except subprocess.TimeoutExpired:
            _kill_tree(worker.pid)
            worker.communicate()
            return {"problem": "submission_timed_out",
                    "notes": f"stopped after {limits.total_seconds:g} s"}
    for line in reversed(stdout.splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    return {"problem": "kernel_died", "notes": _short(stderr.strip().splitlines()[-1:] or "")}


@functools.cache
def sandbox_prefix():
    """``unshare`` into new network, mount and PID namespaces (as root, or in a user namespace).

    The PID namespace ends with its first process: no kernel outlives a stopped worker.
    """
    unshare = shutil.which("unshare")
    if unshare is None:
        raise SystemExit("grade: `unshare` (util-linux) is needed to sandbox student code; "
                         "install it or pass --no-sandbox on a machine with nothing to protect")
    namespaces = [unshare, "--net", "--mount", "--pid", "--fork", "--kill-child"]
    for prefix in (namespaces, [*namespaces, "--map-root-user"]):
        if subprocess.run([*prefix, "true"], capture_output=True).returncode == 0:
            return prefix
    raise SystemExit("grade: this machine refuses new network and mount namespaces "
                     "(unshare --net --mount); run as root, allow user namespaces, or pass --no-sandbox")


def _kill_tree(pid):
    """SIGKILL a process and every process under it (the kernel runs in a session of its own)."""
    import psutil

    try:
        parent = psutil.Process(pid)
        processes = [*parent.children(recursive=True), parent]
    except psutil.NoSuchProcess:
        return
    for process in processes:
        try:
            process.kill()
        except psutil.NoSuchProcess:
            pass


def _short(thing, limit=200):
    text = str(thing)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def diagnosis_counts(rows):
    """How many (student, exercise) rows got each diagnosis, most frequent first.

    Examples
    --------
    >>> axis = {"diagnosis": "wrong_axis", "title": "normalised over the wrong axis"}
    >>> rows = [axis, {"diagnosis": "", "title": ""}, axis]
    >>> diagnosis_counts(rows)
    [('normalised over the wrong axis', 2)]
    """
    counts = Counter(r["title"] for r in rows if r["diagnosis"])
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def diagnosis_figure(rows, path, top=10):
    """A bar chart of the most frequent diagnoses, saved to ``path``; returns the counts drawn."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from course_utils.plots.style import COLORS, new_figure

    counts = diagnosis_counts(rows)[:top]
    fig, ax = new_figure(8.0, 0.9 + 0.45 * max(len(counts), 1))
    titles = [title for title, _ in counts][::-1]
    values = [value for _, value in counts][::-1]
    ax.barh(titles, values, color=COLORS["vermillion"])
    for position, value in enumerate(values):
        ax.text(value, position, f" {value}", va="center")
    students = len({r["student"] for r in rows})
    ax.set_xlabel(f"exercises with this diagnosis ({students} students)")
    ax.set_title("Most frequent diagnoses" if counts else "No mistakes diagnosed")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_xlim(0, max(values, default=1) * 1.15)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return counts


def grade_folder(folder, limits=Limits(), hidden=(), sandbox=True, jobs=1, exercises=None):
    """Every row for every submission in ``folder``, in the order of the submissions.

    ``hidden``: more folders or files the student code must not see (the grader hides
    ``folder`` and its own scratch folder in any case).
    """
    exercises = course_exercises() if exercises is None else exercises
    submissions = find_submissions(folder)
    with tempfile.TemporaryDirectory(prefix="grading-") as scratch:
        hide = [Path(folder).resolve(), Path(scratch), *[Path(h).resolve() for h in hidden]]
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            graded = pool.map(
                lambda item: grade_submission(*item, exercises, limits, hide, sandbox, scratch), submissions
            )
            return [r for rows in graded for r in rows]


def write_csv(rows, path):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(rows)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("submissions", type=Path)
    parser.add_argument("--out", type=Path, default=Path("grades.csv"))
    parser.add_argument("--figure", type=Path, default=None, help="default: next to --out, .png")
    parser.add_argument("--cell-seconds", type=float, default=Limits.cell_seconds)
    parser.add_argument("--total-seconds", type=float, default=Limits.total_seconds)
    parser.add_argument("--memory-mib", type=int, default=Limits.memory_mib)
    parser.add_argument("--jobs", type=int, default=1, help="submissions graded at once")
    parser.add_argument("--no-sandbox", action="store_true",
                        help="run student code with the network and every file reachable")
    args = parser.parse_args(argv)
    if not args.submissions.is_dir():
        parser.error(f"{args.submissions} is not a folder")
    figure = args.figure or args.out.with_suffix(".png")
    limits = Limits(args.cell_seconds, args.total_seconds, args.memory_mib)
    if not args.no_sandbox:
        sandbox_prefix()  # fail before grading anything
    # earlier results hold other students' verdicts: hidden too (this run's stay in memory)
    rows = grade_folder(args.submissions, limits, hidden=[args.out, figure],
                        sandbox=not args.no_sandbox, jobs=args.jobs)
    write_csv(rows, args.out)
    counts = diagnosis_figure(rows, figure)
    passed = sum(r["verdict"] == "passed" for r in rows)
    print(f"{len({r['student'] for r in rows})} students, {len(rows)} rows, {passed} passed "
          f"-> {args.out}, {figure}")
    for title, count in counts[:5]:
        print(f"{count:4d}  {title}")


if __name__ == "__main__":
    main()
