"""The exercises at the end of notebooks 01-07 and their worked solutions in notebooks/solutions/.

nbval re-executes every notebook from a fresh kernel and compares it with its stored outputs. These
tests check that the stored outputs are the right ones, and that the exercise cells are what the
course promises: each stub, run through its checker, is "not implemented yet" (a blue box), each
worked solution passes (a green box, then ``assert result.passed``), the exercises come just before
the Summary, and each solutions notebook repeats its notebook's exercises word for word.
"""

import ast
from pathlib import Path

import nbformat
import numpy as np
import pytest

import course_utils as cu
from course_utils import exercises

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
SOLUTIONS = NOTEBOOKS / "solutions"
SETUP = """# Setup: the course's helpers and the libraries this notebook uses.
import numpy as np
import matplotlib.pyplot as plt
import course_utils as cu
np.set_printoptions(precision=4, suppress=True)"""

# Each lesson notebook: its exercises, as (the function the student writes, the checker that judges it).
EXERCISES = {
    "01_softmax_forward": [("my_softmax", "check_softmax")],
    "02_symbolic_derivation": [("jacobian_by_formula", "check_softmax_jacobian")],
    "03_numpy_jacobian": [("my_softmax_jacobian", "check_softmax_jacobian")],
    "04_interactive_jacobian": [("my_log_softmax", "check_log_softmax")],
    "05_backprop_through_softmax": [("my_softmax_backward", "check_softmax_backward")],
    "06_softmax_cross_entropy": [
        ("my_cross_entropy", "check_cross_entropy"),
        ("my_cross_entropy_backward", "check_cross_entropy_backward"),
    ],
    "07_training_a_classifier": [("my_gradient", "check_cross_entropy_backward")],
}
# The exercises whose checker is told its notebook, for the rules that notebook states.
RULED = {"02_symbolic_derivation": "02", "03_numpy_jacobian": "03", "05_backprop_through_softmax": "05"}
EXERCISE_FUNCTIONS = [
    pytest.param(name, function, checker, id=function)
    for name, pairs in EXERCISES.items()
    for function, checker in pairs
]
# Exercises answered with a value rather than a function: pen and paper, SymPy, predictions.
# Each lesson stores the checker's call as a blue box; its solutions, the same call as a green one.
ANSWERS = {
    "02_symbolic_derivation": [
        'cu.exercises.check_formula(entry, "softmax_entry")',
        'cu.exercises.check_formula(sigmoid_slope, "sigmoid")',
        'cu.exercises.check_formula(tempered_entry, "temperature")',
        "cu.exercises.check_sympy_diff(derivative)",
    ],
    "04_interactive_jacobian": ["cu.exercises.check_prediction([1.0, 3.0, -2.0], **prediction)"],
}
ANSWER_CALLS = [
    pytest.param(name, call, id=call.split("(")[0][13:] + "-" + name[:2])
    for name, calls in ANSWERS.items()
    for call in calls
]


def checker_call(name, checker, function):
    """How a notebook calls the checker: with ``notebook="03"`` where the exercise has rules."""
    suffix = f', notebook="{RULED[name]}"' if name in RULED else ""
    return f"cu.exercises.{checker}({function}{suffix})"


def lesson(name):
    return nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)


def solutions(name):
    return nbformat.read(SOLUTIONS / f"{name}_solutions.ipynb", as_version=4)


def defining_cell(notebook, function):
    """The one code cell that defines ``function``."""
    cells = [
        cell
        for cell in notebook.cells
        if cell.cell_type == "code" and cell.source.startswith(f"def {function}(")
    ]
    assert len(cells) == 1, f"{len(cells)} cells define {function}"
    return cells[0]


def defined_function(cell, function):
    """Run a cell that defines a function (with np and cu, as in a notebook) and return it."""
    namespace = {"np": np, "cu": cu}
    exec(compile(cell.source, f"<cell defining {function}>", "exec"), namespace)
    return namespace[function]


def cell_after(notebook, cell):
    return notebook.cells[notebook.cells.index(cell) + 1]


def shown(cell):
    """The (html, text) of the box a cell shows, from its stored outputs."""
    boxes = [output for output in cell.outputs if "text/html" in output.get("data", {})]
    assert len(boxes) == 1, cell.source
    return boxes[0]["data"]["text/html"], boxes[0]["data"]["text/plain"]


def exercise_tasks(notebook):
    return [
        cell.source
        for cell in notebook.cells
        if cell.cell_type == "markdown" and cell.source.startswith("### Exercise ")
    ]


def signature(cell, function):
    """The parameters and docstring of the function a cell defines."""
    (definition,) = [node for node in ast.parse(cell.source).body if isinstance(node, ast.FunctionDef)]
    assert definition.name == function
    return [argument.arg for argument in definition.args.args], ast.get_docstring(definition)


def test_every_lesson_notebook_has_exercises_and_every_solutions_notebook_a_lesson():
    lessons = {path.stem for path in NOTEBOOKS.glob("0[1-7]_*.ipynb")}
    assert set(EXERCISES) == lessons
    solved = {path.name for path in SOLUTIONS.glob("*.ipynb")}
    assert solved == {f"{name}_solutions.ipynb" for name in lessons}
    checkers = {checker for pairs in EXERCISES.values() for _, checker in pairs}
    checkers |= {
        call.split("(")[0].removeprefix("cu.exercises.") for calls in ANSWERS.values() for call in calls
    }
    assert checkers == set(exercises.__all__) - {"DIAGNOSES", "CheckResult"}, "every checker is used"


@pytest.mark.parametrize("name", EXERCISES)
def test_the_exercises_come_just_before_the_summary_and_link_their_solutions(name):
    headings = [
        (index, line)
        for index, cell in enumerate(lesson(name).cells)
        if cell.cell_type == "markdown"
        for line in cell.source.splitlines()
        if line.startswith("## ")
    ]
    titles = [line for _, line in headings]
    assert titles[-3:] == ["## Exercises", "## Summary", "## What comes next"]
    exercises_cell = lesson(name).cells[headings[-3][0]]
    link = f"solutions/{name}_solutions.ipynb"
    assert f"[{link}]({link})" in exercises_cell.source
    assert (NOTEBOOKS / link).is_file()


@pytest.mark.parametrize(("name", "function", "checker"), EXERCISE_FUNCTIONS)
def test_a_stub_is_not_implemented_yet_and_stored_as_the_blue_box(name, function, checker):
    notebook = lesson(name)
    stub = defining_cell(notebook, function)
    assert 'raise NotImplementedError("your code here")' in stub.source
    result = getattr(exercises, checker)(defined_function(stub, function), notebook=RULED.get(name))
    assert (result.passed, result.diagnosis) == (False, "not_implemented"), repr(result)
    check_cell = cell_after(notebook, stub)
    assert check_cell.source == checker_call(name, checker, function)
    html, text = shown(check_cell)
    assert 'class="course-check course-check-todo"' in html
    assert text.startswith(f"… {checker}({function}): not implemented yet")


@pytest.mark.parametrize(("name", "function", "checker"), EXERCISE_FUNCTIONS)
def test_a_worked_solution_passes_and_is_stored_as_the_green_box(name, function, checker):
    notebook = solutions(name)
    solution = defining_cell(notebook, function)
    result = getattr(exercises, checker)(defined_function(solution, function), notebook=RULED.get(name))
    assert result.passed and result.notes == (), repr(result)
    check_cell = cell_after(notebook, solution)
    assert check_cell.source.startswith(f"result = {checker_call(name, checker, function)}\n")
    assert "\nassert result.passed" in check_cell.source
    html, text = shown(check_cell)
    assert 'class="course-check course-check-passed"' in html
    assert text.startswith(f"✓ {checker}({function}): passed")


@pytest.mark.parametrize(("name", "function", "checker"), EXERCISE_FUNCTIONS)
def test_a_solution_keeps_the_stubs_parameters_and_docstring(name, function, checker):
    stub = signature(defining_cell(lesson(name), function), function)
    solution = signature(defining_cell(solutions(name), function), function)
    assert solution == stub
    assert stub[1], "the stub's docstring tells the student what to write"


@pytest.mark.parametrize("name", EXERCISES)
def test_the_solutions_repeat_the_exercises_word_for_word(name):
    tasks = exercise_tasks(lesson(name))
    assert tasks, "no exercise"
    assert exercise_tasks(solutions(name)) == tasks
    for function, checker in EXERCISES[name]:
        contract = f"**The contract**, as `cu.exercises.{checker}` checks it"
        (task,) = [task for task in tasks if contract in task and f"`{function}(" in task]
        assert "<summary><b>Hint</b>" in task


@pytest.mark.parametrize("name", EXERCISES)
def test_a_solutions_notebook_starts_with_the_setup_cell_and_links_back(name):
    notebook = solutions(name)
    title, setup = notebook.cells[:2]
    assert title.source.startswith(f"# {name[:2]} · Solutions: ")
    assert f"(../{name}.ipynb)" in title.source
    assert setup.source.startswith(SETUP)
    assert notebook.metadata.kernelspec.name == "python3"
    # Only course_utils and the standard libraries: they run from notebooks/solutions/ as working folder.
    assert not any("../" in cell.source for cell in notebook.cells if cell.cell_type == "code")


@pytest.mark.parametrize("name", EXERCISES)
def test_each_common_mistake_in_the_solutions_gets_its_diagnosis(name):
    """A red box shown as teaching must stay red for the stated reason, and be stored red."""
    mistakes = [
        cell
        for cell in solutions(name).cells
        if cell.cell_type == "code" and "\nmistake = cu.exercises." in cell.source
    ]
    for cell in mistakes:
        assert "\nassert mistake.diagnosis == " in cell.source
        html, _ = shown(cell)
        assert 'class="course-check course-check-failed"' in html


@pytest.mark.parametrize(("name", "call"), ANSWER_CALLS)
def test_an_answer_exercise_is_stored_blue_and_its_solution_green(name, call):
    (stub,) = [cell for cell in lesson(name).cells if cell.cell_type == "code" and cell.source == call]
    html, text = shown(stub)
    assert 'class="course-check course-check-todo"' in html and "not implemented yet" in text
    (solved,) = [
        cell
        for cell in solutions(name).cells
        if cell.cell_type == "code" and cell.source.startswith(f"result = {call}\n")
    ]
    assert "\nassert result.passed" in solved.source
    html, text = shown(solved)
    assert 'class="course-check course-check-passed"' in html and text.startswith("✓ ")
