"""Write the semester's lock: exact versions for every requirement, resolved by pip.

    python tools/lock.py        (or `make lock`)

Resolves ``requirements-dev.txt`` (the course, the hub, the test tools) from the package
index, ignoring what is installed, and writes ``requirements-lock.txt``: one ``name==version``
line per package. The Makefile and CI install with ``-c requirements-lock.txt``, so every
machine of a class gets the same versions; the lower bounds in the requirements files stay
the contract. Then resolves the hub image's share (the course and the hub, not the test
tools) within the lock and writes ``deploy/image/requirements.txt`` for repo2docker.

Re-run after adding or changing a requirement: ``tests/test_setup_files.py`` fails while a
requirement has no pin. Needs pip >= 23 (``--dry-run --report``) and the package index.
"""

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements-lock.txt"
IMAGE_REQUIREMENTS = ROOT / "deploy" / "image" / "requirements.txt"
PROJECT = "course-utils"  # installed from this folder, never pinned


def normalise(name):
    """PEP 503 form of a package name: ``Jupyter_Server`` -> ``jupyter-server``."""
    return re.sub(r"[-_.]+", "-", name).lower()


def resolve(*pip_arguments):
    """``{name: version}`` that pip would install for ``pip_arguments`` into an empty environment."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "--dry-run", "--ignore-installed",
             "--report", str(report), *pip_arguments],
            check=True, cwd=ROOT,
        )
        installs = json.loads(report.read_text())["install"]
    pins = {normalise(item["metadata"]["name"]): item["metadata"]["version"] for item in installs}
    pins.pop(PROJECT, None)
    return dict(sorted(pins.items()))


def write(path, header, pins):
    lines = [f"# {line}".rstrip() for line in header.strip().splitlines()]
    lines += [f"{name}=={version}" for name, version in pins.items()]
    path.write_text("\n".join(lines) + "\n")
    print(f"{path.relative_to(ROOT)}: {len(pins)} packages")


def main():
    python = ".".join(map(str, sys.version_info[:2]))
    pins = resolve("-r", "requirements-dev.txt")
    write(LOCK, f"""
The semester's exact versions, resolved by `make lock` (tools/lock.py) for Python {python} on Linux.
Generated: do not edit by hand. Used as a constraints file: pip install -c requirements-lock.txt ...
""", pins)
    image = resolve("-r", "requirements.txt", "-r", "deploy/requirements-hub.txt", "-c", str(LOCK))
    write(IMAGE_REQUIREMENTS, f"""
The hub image's packages (the course and the hub, no test tools), pinned within
requirements-lock.txt by `make lock` (tools/lock.py) for Python {python}. Generated: do not edit.
repo2docker installs this file (see deploy/image/ and docs/deploying.md).
""", image)


if __name__ == "__main__":
    main()
