"""Where the notebooks tell nbval not to compare a cell's output: only where it truly varies.

nbval reads a marker only when the comment is exactly the marker: ``# NBVAL_IGNORE_OUTPUT: why``
is silently no marker at all (notebook 00's version table was compared for that reason, and
failed on any machine with other versions). So every NBVAL comment must be one nbval reads,
and the cells that skip the comparison are listed here, each with the reason it varies.
"""

from pathlib import Path

import nbformat
from nbval.plugin import comment_markers

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"

# (notebook, the cell's first line of code) -> why its output differs from run to run
IGNORED = {
    ("00_start_here.ipynb", "print(cu.environment.version_table())"): "the installed versions",
    ("05_backprop_through_softmax.ipynb", "dims = [16, 32, 64, 128, 256, 512, 1024]"): "timings",
    ("05_backprop_through_softmax.ipynb", "cu.plots.timing_lines(dims, seconds)"): "a plot of timings",
}


def code_cells():
    for path in sorted(NOTEBOOKS.rglob("*.ipynb")):
        if ".ipynb_checkpoints" in path.parts:
            continue
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code":
                yield path, cell


def nbval_comments(cell):
    return [line for line in cell.source.splitlines() if line.lstrip().startswith("#") and "NBVAL" in line]


def first_code_line(cell):
    lines = cell.source.splitlines()
    return next(line for line in lines if line.strip() and not line.lstrip().startswith("#"))


def test_every_nbval_comment_is_a_marker_nbval_reads():
    for path, cell in code_cells():
        for line in nbval_comments(cell):
            assert line.lstrip("#").strip() in comment_markers, f"{path.name}: nbval ignores {line!r}"


def test_outputs_go_uncompared_only_where_they_truly_vary():
    uncompared = set()
    for path, cell in code_cells():
        tags = [tag for tag in cell.metadata.get("tags", []) if tag.startswith("nbval")]
        if nbval_comments(cell) or tags:
            uncompared.add((path.name, first_code_line(cell)))
    assert uncompared == set(IGNORED)
