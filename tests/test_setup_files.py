"""The set-up files agree with each other: one list of packages, two README commands."""

import re
from pathlib import Path

import yaml

from course_utils.environment import MINIMUM_VERSIONS

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENT = re.compile(r"^([A-Za-z0-9_.\-]+)>=([0-9][0-9.]*)\s+#\s*\S")


def requirement_lines(name):
    lines = (ROOT / name).read_text().splitlines()
    return [line for line in lines if line.strip() and not line.startswith(("#", "-r"))]


def minimums(name):
    return dict(REQUIREMENT.match(line).groups() for line in requirement_lines(name))


def test_every_requirement_has_a_lower_bound_and_a_reason():
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in requirement_lines(name):
            assert REQUIREMENT.match(line), f"{name}: {line!r} needs `package>=version  # why`"
            assert "<" not in line and "==" not in line, f"{name}: no upper pins ({line!r})"


def test_dev_requirements_include_the_course_requirements():
    lines = (ROOT / "requirements-dev.txt").read_text().splitlines()
    assert "-r requirements.txt" in lines
    assert not set(minimums("requirements.txt")) & set(minimums("requirements-dev.txt"))


def test_environment_yml_installs_requirements_txt_and_nothing_else():
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    dependencies = environment["dependencies"]
    pip_sections = [entry["pip"] for entry in dependencies if isinstance(entry, dict)]
    assert pip_sections == [["-r requirements.txt"]]
    conda_packages = {re.split(r"[<>=]", d)[0] for d in dependencies if isinstance(d, str)}
    assert conda_packages == {"python", "pip"}


def test_environment_check_minimums_match_requirements():
    course = minimums("requirements.txt")
    for package, minimum in MINIMUM_VERSIONS.items():
        assert course[package] == minimum, f"{package}: environment.py and requirements.txt differ"


def test_python_versions_agree():
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert 'requires-python = ">=3.10"' in pyproject
    assert "python>=3.10" in (ROOT / "environment.yml").read_text()


def test_readme_gives_the_two_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text()
    assert "make lab" in readme and "make test" in readme
    ci_script = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^make test$", ci_script, re.MULTILINE)
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^lab:", makefile, re.MULTILINE) and re.search(r"^test:", makefile, re.MULTILINE)
    assert "--ip=127.0.0.1" in makefile
