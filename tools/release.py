"""Build the student release: the course without solutions, tests or instructor material.

    python tools/release.py --branch student     (`make release`: commit it to branch `student`)
    python tools/release.py --into FOLDER        (`make release RELEASE_DIR=FOLDER`: a folder)

The release holds the lesson notebooks 00-07 (outputs cleared, so a student's own outputs never
collide with the instructor's on an update), the package course_utils, the requirements, the lock,
the licence and a short README. From the notebooks it removes every link to the worked solutions
and every section or sentence for instructors; it then checks that no link points outside the
release, and stops with an error rather than ship one.

On a branch, each release is a new commit on top of the previous one, so the class link's
nbgitpuller merges an update into what students have (see docs/deploying.md); an unchanged
course makes no commit. Push the branch afterwards: `git push origin student`.
"""

import argparse
import itertools
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
LESSONS = "[0-9][0-9]_*.ipynb"  # not notebooks/solutions/, not instructor_dashboard.ipynb
FILES = ["requirements.txt", "requirements-lock.txt", "pyproject.toml", "environment.yml", "LICENSE"]
INSTRUCTOR_ONLY = re.compile(r"solutions/|instructor", re.IGNORECASE)
SENTENCE = re.compile(r".*?[.!?](?=\s|$)\s*", re.DOTALL)  # "1.0" does not end one
LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d+\.)[ \t]", re.MULTILINE)
HEADING = re.compile(r"^#{1,6} ", re.MULTILINE)
LINK_TARGET = re.compile(r"\]\(([^)\s]+)\)")

README = """# The derivative of softmax: an interactive course (version {version})

Open `notebooks/00_start_here.ipynb` and work through the notebooks in order, 00 to 07.
Write your answers in the exercise cells; when the course is updated, clicking the class link
again brings the update and keeps your work.

On your own machine: `pip install -r requirements.txt -e .`, then
`jupyter lab notebooks/00_start_here.ipynb`. When you report a problem, quote the course
version (notebook 00 prints it). Licence: see LICENSE.
"""


def pieces(text, starts):
    """``text`` cut at the offsets ``starts`` (the first piece begins at 0)."""
    bounds = sorted({0, *starts, len(text)})
    return [text[a:b] for a, b in itertools.pairwise(bounds)]


def without_instructor_sentences(text):
    """``text`` without its sentences that mention solutions or instructors."""
    sentences = SENTENCE.findall(text)
    rest = text[sum(map(len, sentences)):]
    kept = "".join(s for s in [*sentences, rest] if not INSTRUCTOR_ONLY.search(s)).rstrip()
    return kept + ("\n" if text.endswith("\n") and kept else "")


def without_instructor_items(paragraph):
    """A paragraph (or list) without what it says about solutions or instructors.

    A paragraph or list item that opens with such a sentence goes; otherwise only the sentences.
    """
    items = pieces(paragraph, [match.start() for match in LIST_ITEM.finditer(paragraph)])
    kept = []
    for item in items:
        first = (SENTENCE.findall(item) or [item])[0]
        if not INSTRUCTOR_ONLY.search(item):
            kept.append(item)
        elif not INSTRUCTOR_ONLY.search(first):
            kept.append(without_instructor_sentences(item))
    return "".join(kept).rstrip("\n")


def strip_instructor_text(markdown):
    r"""``markdown`` without the sections, paragraphs, list items or sentences for instructors.

    Examples
    --------
    >>> print(strip_instructor_text("- Run it, x = 1.0. Worked solutions are in `solutions/`.\n- Next."))
    - Run it, x = 1.0.
    - Next.
    >>> strip_instructor_text("## For instructors\nThe plan.\n\n## Next\nOpen 01.")
    '## Next\nOpen 01.'
    >>> strip_instructor_text("Worked solutions: [here](solutions/a.ipynb). Try first.\n\nGo on.")
    'Go on.'
    """
    sections = pieces(markdown, [match.start() for match in HEADING.finditer(markdown)])
    kept = [section for section in sections
            if not (HEADING.match(section) and INSTRUCTOR_ONLY.search(section.splitlines()[0]))]
    paragraphs = [without_instructor_items(paragraph) for paragraph in "".join(kept).split("\n\n")]
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph.strip()).strip("\n")


def student_notebook(source, destination):
    """Copy one lesson notebook for students: outputs cleared, instructor text removed."""
    notebook = nbformat.read(source, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        elif cell.cell_type == "markdown":
            cell.source = strip_instructor_text(cell.source)
    notebook.cells = [cell for cell in notebook.cells if cell.source.strip()]
    notebook.metadata.pop("widgets", None)
    nbformat.validate(notebook)
    nbformat.write(notebook, destination)


def check_release(folder):
    """Raise if a notebook still mentions solutions or instructors, or links outside ``folder``."""
    problems = []
    for path in sorted((folder / "notebooks").glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "markdown":
                continue
            if INSTRUCTOR_ONLY.search(cell.source):
                problems.append(f"{path.name}: still mentions {INSTRUCTOR_ONLY.search(cell.source)[0]!r}")
            for target in LINK_TARGET.findall(cell.source):
                if "://" in target or target.startswith(("#", "mailto:")):
                    continue
                if not (path.parent / target.split("#")[0]).exists():
                    problems.append(f"{path.name}: link to {target}, which the release does not hold")
    if problems:
        raise SystemExit("The student release is not clean:\n" + "\n".join(problems))


def build(folder):
    """Write the student release into ``folder`` (created; must not exist or be empty)."""
    sys.path.insert(0, str(ROOT))
    from course_utils import __version__

    folder.mkdir(parents=True, exist_ok=True)
    if any(folder.iterdir()):
        raise SystemExit(f"{folder} is not empty: give a new folder for the release")
    (folder / "notebooks").mkdir()
    for source in sorted((ROOT / "notebooks").glob(LESSONS)):
        student_notebook(source, folder / "notebooks" / source.name)
    shutil.copytree(ROOT / "course_utils", folder / "course_utils",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in FILES:
        shutil.copy(ROOT / name, folder / name)
    (folder / "README.md").write_text(README.format(version=__version__))
    check_release(folder)
    return __version__


def git(*arguments, env=None, cwd=ROOT):
    result = subprocess.run(["git", *arguments], check=True, capture_output=True, text=True, env=env, cwd=cwd)
    return result.stdout.strip()


def commit_to_branch(folder, branch, message, repository=ROOT):
    """Commit ``folder``'s files as the next commit of ``branch``; return it (None if unchanged)."""
    git_dir = Path(git("rev-parse", "--absolute-git-dir", cwd=repository))
    with tempfile.TemporaryDirectory() as scratch:
        env = {**os.environ, "GIT_INDEX_FILE": str(Path(scratch) / "index")}
        base = ["--git-dir", str(git_dir), "--work-tree", str(folder)]
        git(*base, "add", "--all", ".", env=env, cwd=folder)
        tree = git(*base, "write-tree", env=env, cwd=folder)
    try:
        parent = git("rev-parse", "--verify", "--quiet", f"refs/heads/{branch}", cwd=repository)
    except subprocess.CalledProcessError:
        parent = None
    if parent and git("rev-parse", f"{parent}^{{tree}}", cwd=repository) == tree:
        return None
    commit = git("commit-tree", tree, *(["-p", parent] if parent else []), "-m", message, cwd=repository)
    git("update-ref", f"refs/heads/{branch}", commit, *([parent] if parent else []), cwd=repository)
    return commit


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--into", type=Path, help="write the release into this new folder")
    where.add_argument("--branch", help="commit the release to this branch (e.g. student)")
    arguments = parser.parse_args(argv)
    if arguments.into:
        version = build(arguments.into)
        print(f"student release {version} written to {arguments.into}")
        return
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "release"
        version = build(folder)
        source = git("rev-parse", "--short", "HEAD")
        commit = commit_to_branch(folder, arguments.branch, f"Student release {version} (from {source})")
    if commit is None:
        print(f"branch {arguments.branch} already holds this release: nothing to commit")
    else:
        print(f"branch {arguments.branch} is now {commit[:10]}: student release {version}. "
              f"Publish it with: git push origin {arguments.branch}")


if __name__ == "__main__":
    main()
