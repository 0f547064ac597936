"""The exercises of notebooks 08-09 and their worked solutions, as tests/test_solutions.py checks 01-07.

The checkers of 08 and 09 live in their own modules (``course_utils.exercises.autodiff_checks`` and
``attention_checks``), imported by a cell at the top of each Exercises section.
"""

import importlib

import nbformat
import pytest
from test_solutions import (
    NOTEBOOKS,
    SETUP,
    cell_after,
    defined_function,
    defining_cell,
    exercise_tasks,
    shown,
    signature,
)

# notebook -> (the function the student writes, the checker's module, the checker)
EXERCISES = {
    "08_autodiff_and_the_hessian": [
        ("my_log_softmax_backward", "autodiff_checks", "check_log_softmax_backward"),
    ],
    "09_attention_and_a_hidden_layer": [
        ("my_attention_weights", "attention_checks", "check_attention_weights"),
    ],
}
CASES = [pytest.param(name, *exercise, id=exercise[0]) for name, exercises in EXERCISES.items()
         for exercise in exercises]


def lesson(name):
    return nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)


def solutions(name):
    return nbformat.read(NOTEBOOKS / "solutions" / f"{name}_solutions.ipynb", as_version=4)


def checker(module, name):
    return getattr(importlib.import_module(f"course_utils.exercises.{module}"), name)


@pytest.mark.parametrize(("name", "function", "module", "check"), CASES)
def test_the_stub_is_stored_blue_and_the_solution_green(name, function, module, check):
    stub = defining_cell(lesson(name), function)
    assert 'raise NotImplementedError("your code here")' in stub.source
    assert checker(module, check)(defined_function(stub, function)).diagnosis == "not_implemented"
    check_cell = cell_after(lesson(name), stub)
    assert check_cell.source == f"{check}({function})"
    html, text = shown(check_cell)
    assert "course-check-todo" in html and text.startswith(f"… {check}({function}): not implemented yet")

    solution = defining_cell(solutions(name), function)
    assert checker(module, check)(defined_function(solution, function)).passed
    check_cell = cell_after(solutions(name), solution)
    assert check_cell.source.startswith(f"result = {check}({function})\nassert result.passed")
    html, text = shown(check_cell)
    assert "course-check-passed" in html and text.startswith(f"✓ {check}({function}): passed")
    assert signature(solution, function) == signature(stub, function)


@pytest.mark.parametrize(("name", "function", "module", "check"), CASES)
def test_the_exercises_close_the_notebook_and_the_solutions_repeat_them(name, function, module, check):
    notebook = lesson(name)
    titles = [line for cell in notebook.cells if cell.cell_type == "markdown"
              for line in cell.source.splitlines() if line.startswith("## ")]
    assert titles[-3:] == ["## Exercises", "## Summary", "## What comes next"]
    link = f"solutions/{name}_solutions.ipynb"
    assert f"[{link}]({link})" in notebook.cells[[c.source.startswith("## Exercises") for c in notebook.cells]
                                               .index(True)].source
    imports = f"from course_utils.exercises.{module} import {check}"
    assert any(cell.source == imports for cell in notebook.cells)
    tasks = exercise_tasks(notebook)
    assert tasks and exercise_tasks(solutions(name)) == tasks
    (task,) = [task for task in tasks if f"**The contract**, as `{check}` checks it" in task]
    assert "<summary><b>Hint</b>" in task


@pytest.mark.parametrize("name", EXERCISES)
def test_the_solutions_start_with_the_setup_cell_and_link_back_and_show_a_mistake(name):
    notebook = solutions(name)
    title, setup = notebook.cells[:2]
    assert title.source.startswith(f"# {name[:2]} · Solutions: ") and f"(../{name}.ipynb)" in title.source
    assert setup.source.startswith(SETUP)
    for notebook_ in (notebook, lesson(name)):
        assert notebook_.cells[1].source.startswith(SETUP)
    mistakes = [cell for cell in notebook.cells if cell.cell_type == "code" and "\nmistake = " in cell.source]
    assert mistakes
    for cell in mistakes:
        assert "\nassert mistake.diagnosis == " in cell.source
        assert "course-check-failed" in shown(cell)[0]
