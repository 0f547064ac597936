"""Is this machine ready for the course? Versions, minimums, and the JupyterLab widget extension.

Used by the environment check at the top of ``notebooks/00_start_here.ipynb``. It reads
installed package metadata only (nothing heavy is imported), and every problem it reports
comes with the command that fixes it.
"""

import sys
from importlib import metadata
from pathlib import Path

from packaging.version import Version

# The course's minimum versions; tests/test_setup_files.py checks they match requirements.txt.
MINIMUM_VERSIONS = {
    "numpy": "1.24",
    "sympy": "1.12",
    "matplotlib": "3.7",
    "ipywidgets": "8.1",
    "anywidget": "0.9",
    "jupyterlab": "4.0",
    "ipykernel": "6.25",
    "autograd": "1.9",
}
MINIMUM_PYTHON = (3, 10)
WIDGET_EXTENSION = "@jupyter-widgets/jupyterlab-manager"


def installed_version(package):
    """The installed version of ``package`` as a string, or None when it is not installed.

    Examples
    --------
    >>> installed_version("numpy") is not None
    True
    >>> installed_version("surely-not-a-package") is None
    True
    """
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def widget_extension_path():
    """Where JupyterLab finds the widget extension (jupyterlab_widgets), or None if nowhere.

    Examples
    --------
    >>> path = widget_extension_path()
    >>> path is None or path.name == "jupyterlab-manager"
    True
    """
    try:
        from jupyter_core.paths import jupyter_path
    except ImportError:
        return None
    for folder in jupyter_path("labextensions"):
        candidate = Path(folder) / WIDGET_EXTENSION
        if (candidate / "package.json").is_file():
            return candidate
    return None


def course_version():
    """The version of this course (``course_utils.__version__``): name it in a bug report.

    Examples
    --------
    >>> from packaging.version import Version
    >>> Version(course_version()) >= Version("0.1")
    True
    """
    from . import __version__

    return __version__


def version_table():
    """The course's version, then one line per package: its installed version and the minimum.

    Examples
    --------
    >>> [line.split()[0] for line in version_table().splitlines()[:2]]
    ['course', 'Python']
    """
    lines = [
        f"{'course':<20}{course_version():<14}(quote this version when you report a problem)",
        f"{'Python':<20}{sys.version.split()[0]:<14}(needs >= {'.'.join(map(str, MINIMUM_PYTHON))})",
    ]
    for package, minimum in {**MINIMUM_VERSIONS, "jupyterlab_widgets": None}.items():
        version = installed_version(package) or "not installed"
        needs = f"(needs >= {minimum})" if minimum else "(the JupyterLab widget extension)"
        lines.append(f"{package:<20}{version:<14}{needs}")
    return "\n".join(lines)


def environment_problems(python_version=None, versions=None, extension_path=...):
    """What stops the course from working here, each with its fix; an empty list when nothing.

    The arguments default to this machine; tests pass others to see each problem reported.

    Examples
    --------
    >>> environment_problems(versions={"numpy": "1.20"}, extension_path=None)[0].split(":")[0]
    'numpy 1.20 is older than the course needs (1.24)'
    """
    python_version = tuple(python_version or sys.version_info[:2])
    if versions is None:
        versions = {package: installed_version(package) for package in MINIMUM_VERSIONS}
    if extension_path is ...:
        extension_path = widget_extension_path()
    problems = []
    if python_version < MINIMUM_PYTHON:
        problems.append(
            f"Python {'.'.join(map(str, python_version))} is too old: the course needs 3.10 or "
            "newer. Install a newer Python, then run `make lab` again."
        )
    for package, version in versions.items():
        minimum = MINIMUM_VERSIONS[package]
        if version is None:
            problems.append(f"{package} is not installed: run `pip install '{package}>={minimum}'`.")
        elif Version(version) < Version(minimum):
            problems.append(
                f"{package} {version} is older than the course needs ({minimum}): "
                f"run `pip install --upgrade '{package}>={minimum}'`."
            )
    if extension_path is None:
        problems.append(
            "The JupyterLab widget extension (jupyterlab_widgets) is missing, so sliders would "
            "show as text such as `IntSlider(value=0)`: run `pip install 'ipywidgets>=8.1'` "
            "(or `conda install -c conda-forge ipywidgets`) in the environment JupyterLab runs "
            "from, then restart JupyterLab and reload the page."
        )
    return problems


def environment_summary():
    """A sentence saying the machine is ready, or the list of problems and their fixes.

    Examples
    --------
    >>> environment_summary().startswith(("Ready:", "Not ready"))
    True
    """
    problems = environment_problems()
    if not problems:
        return (
            "Ready: every package meets the course's minimum version, and the JupyterLab "
            "widget extension is installed."
        )
    return "Not ready yet:\n" + "\n".join(f"- {problem}" for problem in problems)
