"""tools/grade.py on a folder of submissions, good and bad: each case gets its row, none stops the run.

The submissions are short notebooks that look like notebook 01 to the grader (its file name
and its exercise function), so each kernel run costs ~2 s. One submission spies: it tries to
reach a server of this test on 127.0.0.1 and to read the other submissions, and answers right
only when both fail; graded once sandboxed (it must pass) and once with --no-sandbox (it must
fail: the spy does detect a reachable network and readable files).
"""

import csv
import shutil
import socket
import sys
import threading
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import grade  # noqa: E402

SETUP = "import numpy as np\nimport course_utils as cu"
CHECK = "cu.exercises.check_softmax(my_softmax)"
RIGHT = """
def my_softmax(logits):
    logits = np.asarray(logits)
    exps = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return exps / exps.sum(axis=-1, keepdims=True)
"""
WRONG_AXIS = """
def my_softmax(logits):
    exps = np.exp(logits - np.max(logits))
    return exps / exps.sum()
"""
SPY = """
import glob, os, socket
reached = []
try:
    socket.create_connection(("127.0.0.1", {port}), timeout=2).close()
    reached.append("the grader's loopback")
except OSError:
    pass
others = glob.glob({folder!r} + "/*") + glob.glob("/tmp/grading-*/*/submission.ipynb")
if others:
    reached.append(f"{{len(others)}} other files")

def my_softmax(logits):
    if reached:
        raise RuntimeError("reached " + " and ".join(reached))
    logits = np.asarray(logits)
    exps = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return exps / exps.sum(axis=-1, keepdims=True)
"""
LIMITS = grade.Limits(cell_seconds=3, total_seconds=12, memory_mib=2048)


def submission(folder, student, *cells, name=None):
    cells = [new_markdown_cell("# 01 · From logits to probabilities"), new_code_cell(SETUP),
             *[new_code_cell(cell.strip()) for cell in cells]]
    path = folder / student / (name or "01_softmax_forward.ipynb")
    path.parent.mkdir(parents=True)
    nbformat.write(new_notebook(cells=cells), path)
    return path


@pytest.fixture(scope="module")
def listener():
    """A TCP server on the grader's loopback, which sandboxed student code must not reach."""
    server = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                server.accept()[0].close()
            except OSError:
                pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    server.close()


@pytest.fixture(scope="module")
def graded(tmp_path_factory, listener):
    folder = tmp_path_factory.mktemp("submissions")
    spy = SPY.format(port=listener, folder=str(folder))
    submission(folder, "alice", RIGHT, CHECK)
    submission(folder, "bob", WRONG_AXIS, CHECK)
    submission(folder, "carol", "def my_softmax(logits)\n    return logits", CHECK)  # syntax error
    submission(folder, "dave", "while True:\n    sum(range(100))", RIGHT)  # endless, interruptible
    submission(folder, "erin", "import time\nwhile True:\n    try:\n        time.sleep(1)\n"
               "    except KeyboardInterrupt:\n        pass")  # endless, ignores interrupts
    submission(folder, "frank", "grab = np.ones(10**11)", RIGHT)  # 800 GB
    submission(folder, "grace", "1 / 0", "def my_softmax(logits):\n    raise ValueError('oops')")
    submission(folder, "heidi", "print('I did not write it')", name="01_softmax_forward.ipynb")
    (folder / "ivan").mkdir()
    (folder / "ivan" / "01_softmax_forward.ipynb").write_text('{"cells": [')  # invalid JSON
    submission(folder, "judy", "def fibonacci(n):\n    return n", name="homework3.ipynb")
    submission(folder, "mallory", spy, CHECK)
    rows = grade.grade_folder(folder, LIMITS, jobs=3)
    return folder, {row["student"]: row for row in rows}, rows


@pytest.mark.parametrize("student, verdict, diagnosis, note", [
    ("alice", "passed", "", ""),
    ("bob", "failed", "wrong_axis", ""),
    ("carol", "not graded", "missing_function", "SyntaxError"),
    ("dave", "passed", "", "KeyboardInterrupt"),        # the loop stopped, the function graded
    ("erin", "not graded", "submission_timed_out", "12 s"),
    ("frank", "passed", "", "MemoryError"),
    ("grace", "failed", "raised", "ZeroDivisionError"),
    ("heidi", "not graded", "missing_function", ""),
    ("ivan", "not graded", "invalid_notebook", ""),
    ("judy", "not graded", "not_this_course", "homework3.ipynb"),
    ("mallory", "passed", "", ""),                       # isolated: no network, no other files
])
def test_each_submission_gets_its_verdict(graded, student, verdict, diagnosis, note):
    _, by_student, _ = graded
    row = by_student[student]
    assert (row["verdict"], row["diagnosis"]) == (verdict, diagnosis), row
    assert note in row["notes"], row
    assert row["exercise"] == ("" if student in ("ivan", "judy") else "my_softmax")


def test_the_spy_does_see_the_network_and_files_without_the_sandbox(graded, tmp_path):
    folder, _, _ = graded
    alone = tmp_path / "alone"
    shutil.copytree(folder / "mallory", alone / "mallory")
    # the spy looks for files in the original folder; outside the sandbox it finds them
    (row,) = grade.grade_folder(alone, LIMITS, sandbox=False)
    assert (row["verdict"], row["diagnosis"]) == ("failed", "raised"), row


def test_csv_and_figure_from_the_command(graded, tmp_path, capsys):
    folder, _, rows = graded
    counts = grade.diagnosis_counts(rows)
    assert counts[0] == ("the exercise's function is not defined", 2)  # carol and heidi
    assert sum(count for _, count in counts) == sum(bool(row["diagnosis"]) for row in rows) == 7
    figure = tmp_path / "diagnoses.png"
    assert grade.diagnosis_figure(rows, figure) == counts
    assert figure.stat().st_size > 5000

    out = tmp_path / "grades.csv"
    alone = tmp_path / "two"
    for student in ("alice", "ivan"):
        shutil.copytree(folder / student, alone / student)
    grade.main([str(alone), "--out", str(out), "--cell-seconds", "10"])
    with open(out, newline="", encoding="utf-8") as handle:
        written = list(csv.DictReader(handle))
    assert [(r["student"], r["exercise"], r["verdict"], r["diagnosis"]) for r in written] == [
        ("alice", "my_softmax", "passed", ""), ("ivan", "", "not graded", "invalid_notebook")]
    assert out.with_suffix(".png").exists()
    assert "2 students, 2 rows, 1 passed" in capsys.readouterr().out


def test_exercises_are_read_from_the_course_notebooks():
    exercises = grade.course_exercises()
    assert exercises["01_softmax_forward"] == [("my_softmax", "check_softmax", {})]
    three = ("my_softmax_jacobian", "check_softmax_jacobian", {"notebook": "03"})  # with its rules
    assert three in exercises["03_numpy_jacobian"]
    functions = {function for calls in exercises.values() for function, *_ in calls}
    assert {"my_softmax", "jacobian_by_formula", "my_softmax_backward", "my_gradient"} <= functions
