"""The environment check of the start-here notebook reports each problem with its fix."""

import re
from pathlib import Path

import nbformat

from course_utils import environment

GOOD_VERSIONS = dict(environment.MINIMUM_VERSIONS)


def test_this_machine_is_ready():
    assert environment.environment_problems() == []
    assert environment.environment_summary().startswith("Ready:")


def test_old_python_is_reported():
    problems = environment.environment_problems((3, 9), GOOD_VERSIONS, Path("."))
    assert len(problems) == 1 and "Python 3.9 is too old" in problems[0]


def test_missing_and_old_packages_are_reported_with_the_fix():
    versions = {**GOOD_VERSIONS, "sympy": None, "numpy": "1.23.5"}
    problems = environment.environment_problems((3, 11), versions, Path("."))
    assert any("sympy is not installed" in p and "pip install 'sympy>=1.12'" in p for p in problems)
    assert any("numpy 1.23.5 is older" in p and "--upgrade 'numpy>=1.24'" in p for p in problems)
    assert len(problems) == 2


def test_missing_widget_extension_is_reported_with_the_fix():
    problems = environment.environment_problems((3, 11), GOOD_VERSIONS, None)
    assert len(problems) == 1
    assert "jupyterlab_widgets" in problems[0] and "pip install 'ipywidgets>=8.1'" in problems[0]


def test_version_table_lists_every_package():
    table = environment.version_table()
    for package in [*environment.MINIMUM_VERSIONS, "jupyterlab_widgets", "Python"]:
        assert package in table
    assert "not installed" not in table


def test_the_start_here_notebook_quotes_the_fix_the_check_prints():
    notebook = Path(__file__).resolve().parent.parent / "notebooks" / "00_start_here.ipynb"
    text = "\n".join(cell.source for cell in nbformat.read(notebook, as_version=4).cells)
    (problem,) = environment.environment_problems((3, 11), GOOD_VERSIONS, None)
    for command in ("`pip install 'ipywidgets>=8.1'`", "`conda install -c conda-forge ipywidgets`"):
        assert command in problem and command in text.replace("\n", " ")


def test_the_course_version_is_defined_once_and_printed_first():
    import course_utils

    pyproject = (Path(__file__).resolve().parent.parent / "pyproject.toml").read_text()
    assert not re.search(r"^version\s*=\s*\"", pyproject, re.MULTILINE), "the version lives in course_utils"
    assert 'dynamic = ["version"]' in pyproject
    assert 'version = {attr = "course_utils.__version__"}' in pyproject
    assert environment.course_version() == course_utils.__version__
    assert environment.installed_version("course_utils") == course_utils.__version__
    first = environment.version_table().splitlines()[0].split()
    assert first[:2] == ["course", course_utils.__version__]
