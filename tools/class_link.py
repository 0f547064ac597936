"""Print the class link: one nbgitpuller URL that pulls the course into a student's home.

    python tools/class_link.py HUB_URL REPOSITORY [--branch student]
    make class-link HUB=https://hub.example.edu REPO=https://github.com/you/softmax-course

Clicking it logs the student in, clones (first time) or merges (later) the branch into
``~/softmax-course`` and opens ``00_start_here.ipynb`` in JupyterLab. Share the same link all
semester: after every ``make release`` and push, the next click brings the update.
"""

import argparse
from urllib.parse import urlencode

COURSE_FOLDER = "softmax-course"  # deploy/jupyterhub_config.py puts this folder on PYTHONPATH
FIRST_NOTEBOOK = "notebooks/00_start_here.ipynb"


def class_link(hub_url, repository, branch="student", folder=COURSE_FOLDER):
    """The nbgitpuller link for ``repository``'s ``branch`` on the hub at ``hub_url``.

    Examples
    --------
    >>> print(class_link("https://hub.example.edu/", "https://github.com/u/course"))
    ... # doctest: +NORMALIZE_WHITESPACE
    https://hub.example.edu/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2Fu%2Fcourse&branch=student&targetpath=softmax-course&urlpath=lab%2Ftree%2Fsoftmax-course%2Fnotebooks%2F00_start_here.ipynb
    """
    if not hub_url.startswith(("http://", "https://")):
        raise ValueError(f"the hub URL must start with http:// or https://, not {hub_url!r}")
    query = urlencode({
        "repo": repository,
        "branch": branch,
        "targetpath": folder,
        "urlpath": f"lab/tree/{folder}/{FIRST_NOTEBOOK}",
    })
    return f"{hub_url.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("hub_url", help="the hub's address, e.g. https://hub.example.edu")
    parser.add_argument("repository", help="the git repository students pull, e.g. https://github.com/you/course")
    parser.add_argument("--branch", default="student", help="the branch `make release` wrote")
    arguments = parser.parse_args(argv)
    print(class_link(arguments.hub_url, arguments.repository, arguments.branch))


if __name__ == "__main__":
    main()
