"""The student release, the class link and the semester's lock (tools/release.py, class_link.py, lock.py)."""

import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import class_link  # noqa: E402
import release  # noqa: E402


@pytest.fixture(scope="module")
def student_release(tmp_path_factory):
    folder = tmp_path_factory.mktemp("release") / "course"
    release.build(folder)
    return folder


def test_the_release_holds_the_lessons_and_the_package_but_no_solutions_tests_or_instructor_files(
        student_release):
    lessons = sorted(path.name for path in (ROOT / "notebooks").glob(release.LESSONS))
    assert sorted(path.name for path in (student_release / "notebooks").iterdir()) == lessons
    assert len(lessons) >= 8
    assert (student_release / "course_utils" / "__init__.py").is_file()
    for absent in ("tests", "benchmarks", "docs", "tools", "deploy", "notebooks/solutions",
                   "notebooks/instructor_dashboard.ipynb"):
        assert not (student_release / absent).exists(), absent
    assert not list(student_release.rglob("__pycache__"))


def test_release_notebooks_are_valid_have_no_outputs_and_no_link_to_solutions(student_release):
    for path in sorted((student_release / "notebooks").glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        nbformat.validate(notebook)
        text = "\n".join(cell.source for cell in notebook.cells).lower()
        assert "solutions/" not in text and "instructor" not in text, path.name
        assert all(not cell.get("outputs") for cell in notebook.cells), path.name
        full = nbformat.read(ROOT / "notebooks" / path.name, as_version=4)
        # every code cell ships unchanged: only instructor prose is removed
        assert [c.source for c in notebook.cells if c.cell_type == "code"] == \
            [c.source for c in full.cells if c.cell_type == "code"]


def test_a_leftover_link_stops_the_release(tmp_path, student_release):
    folder = tmp_path / "bad"
    (folder / "notebooks").mkdir(parents=True)
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("See [it](../docs/x.md).")])
    nbformat.write(notebook, folder / "notebooks" / "01_x.ipynb")
    with pytest.raises(SystemExit, match="link to ../docs/x.md"):
        release.check_release(folder)


def test_release_commits_make_one_line_of_history_and_skip_an_unchanged_course(
        tmp_path, student_release, monkeypatch):
    for variable in ("GIT_AUTHOR", "GIT_COMMITTER"):
        monkeypatch.setenv(f"{variable}_NAME", "Instructor")
        monkeypatch.setenv(f"{variable}_EMAIL", "instructor@course.test")
    repository = tmp_path / "repo"
    subprocess.run(["git", "init", "--quiet", str(repository)], check=True)
    subprocess.run(["git", "commit", "--quiet", "--allow-empty", "-m", "main"], cwd=repository, check=True)

    def commit(message):
        return release.commit_to_branch(student_release, "student", message, repository=repository)

    first = commit("release 1")
    assert first and commit("release 1 again") is None
    (student_release / "notebooks" / "extra.txt").write_text("week 2\n")
    try:
        second = commit("release 2")
    finally:
        (student_release / "notebooks" / "extra.txt").unlink()
    parents = subprocess.run(["git", "rev-list", "--parents", "-n", "1", second], cwd=repository,
                             capture_output=True, text=True, check=True).stdout.split()
    assert parents == [second, first]  # the class link merges release 2 into release 1


def test_the_class_link_is_an_nbgitpuller_link_that_opens_notebook_00():
    link = class_link.class_link("https://hub.example.edu/", "https://github.com/u/course.git", "student")
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc) == ("https", "hub.example.edu")
    assert parts.path == "/hub/user-redirect/git-pull"
    query = {key: value for key, (value,) in parse_qs(parts.query).items()}
    assert query == {
        "repo": "https://github.com/u/course.git", "branch": "student", "targetpath": "softmax-course",
        "urlpath": "lab/tree/softmax-course/notebooks/00_start_here.ipynb",
    }
    assert (ROOT / "notebooks" / "00_start_here.ipynb").is_file()
    with pytest.raises(ValueError, match="must start with http"):
        class_link.class_link("hub.example.edu", "https://github.com/u/course.git")


def test_the_hub_puts_the_class_links_folder_on_the_python_path():
    config = (ROOT / "deploy" / "jupyterhub_config.py").read_text()
    assert f'os.environ.get("COURSE_FOLDER", "{class_link.COURSE_FOLDER}")' in config
    kubernetes = yaml.safe_load((ROOT / "deploy" / "kubernetes" / "config.yaml").read_text())
    assert kubernetes["singleuser"]["extraEnv"]["PYTHONPATH"] == f"/home/jovyan/{class_link.COURSE_FOLDER}"
    assert kubernetes["cull"]["enabled"] and kubernetes["cull"]["timeout"] == 3600
    assert "--timeout=3600" in config  # the same idle timeout on one server


@pytest.mark.parametrize("module", [release, class_link], ids=lambda module: module.__name__)
def test_the_tools_examples_hold(module):
    import doctest

    failures, tried = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert tried > 0 and failures == 0
