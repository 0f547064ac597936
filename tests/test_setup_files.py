"""The set-up files agree with each other: one list of packages, its lock, two README commands."""

import json
import os
import re
import sys
from pathlib import Path

import pytest
import yaml
from packaging.version import Version

from course_utils.environment import MINIMUM_VERSIONS

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENT_FILES = ("requirements.txt", "requirements-dev.txt", "deploy/requirements-hub.txt")
REQUIREMENT = re.compile(r"^([A-Za-z0-9_.\-]+)>=([0-9][0-9.]*)\s+#\s*\S")


def requirement_lines(name):
    lines = (ROOT / name).read_text().splitlines()
    return [line for line in lines if line.strip() and not line.startswith(("#", "-r"))]


def minimums(name):
    return dict(REQUIREMENT.match(line).groups() for line in requirement_lines(name))


def test_every_requirement_has_a_lower_bound_and_a_reason():
    for name in REQUIREMENT_FILES:
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
    # the readiness check covers every package the course needs (packaging is the check's own tool)
    assert set(course) - {"packaging"} <= set(MINIMUM_VERSIONS), "a requirement the readiness check misses"


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


def normalise(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(name):
    """``{package: version}`` of a generated ``name==version`` file (the lock, the image's list)."""
    lines = [line for line in (ROOT / name).read_text().splitlines() if line and not line.startswith("#")]
    for line in lines:
        assert re.fullmatch(r"[a-z0-9][a-z0-9\-]*==[0-9][^\s]*", line), f"{name}: {line!r} is no pin"
    names = [line.split("==")[0] for line in lines]
    assert names == sorted(set(names)), f"{name}: not sorted, or a package twice; run `make lock`"
    return dict(line.split("==") for line in lines)


def test_the_lock_pins_every_requirement_within_its_lower_bound():
    lock = pins("requirements-lock.txt")
    for name in REQUIREMENT_FILES:
        for package, minimum in minimums(name).items():
            assert normalise(package) in lock, f"{package} ({name}) is not in the lock: run `make lock`"
            assert Version(lock[normalise(package)]) >= Version(minimum), f"{package}: lock below {minimum}"


def test_the_hub_image_installs_the_course_and_the_hub_at_the_locked_versions():
    lock, image = pins("requirements-lock.txt"), pins("deploy/image/requirements.txt")
    for package, version in image.items():
        assert lock.get(package) == version, f"{package}: image {version}, lock {lock.get(package)}"
    wanted = {**minimums("requirements.txt"), **minimums("deploy/requirements-hub.txt")}
    assert {normalise(package) for package in wanted} <= set(image)
    assert not {"pytest", "playwright", "hypothesis"} & set(image), "the image needs no test tools"


def test_make_installs_with_the_lock_and_make_lock_rewrites_it():
    makefile = (ROOT / "Makefile").read_text()
    installs = re.findall(r"pip install .*-r requirements(?:-dev)?\.txt.*", makefile)
    assert len(installs) == 2 and all("-c requirements-lock.txt" in line for line in installs)
    assert re.search(r"^lock:.*\n\t.*tools/lock\.py", makefile, re.MULTILINE)


@pytest.mark.skipif(os.environ.get("CI", "").lower() != "true", reason="CI installs with the lock")
def test_ci_installed_exactly_the_locked_versions():
    from importlib import metadata

    lock = pins("requirements-lock.txt")
    for name in REQUIREMENT_FILES:
        for package in minimums(name):
            assert metadata.version(package) == lock[normalise(package)], package


def test_the_lab_settings_turn_off_the_news_prompt_and_are_installed_with_jupyterlab():
    overrides = json.loads((ROOT / "deploy" / "image" / "overrides.json").read_text())
    assert overrides["@jupyterlab/apputils-extension:notification"] == {
        "checkForUpdates": False, "fetchNews": "false"}
    installed = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    if os.environ.get("CI", "").lower() == "true" or installed.exists():
        assert json.loads(installed.read_text()) == overrides, "run `make lab` (or make test) to install it"
    postbuild = (ROOT / "deploy" / "image" / "postBuild").read_text()
    assert "overrides.json" in postbuild and "share/jupyter/lab/settings" in postbuild
