"""Where the notebooks tell nbval not to compare a cell's output: only where it truly varies.

Students read every cell's source, so test machinery stays out of it: no ``# NBVAL_…``
comment in any notebook. A cell whose output differs from run to run carries an nbval cell
tag instead (``nbval-ignore-output``, ``nbval-skip``, …), which nbval reads from the cell's
metadata and JupyterLab shows only in the property inspector. The cells that skip the
comparison are listed here, each with the reason it varies.
"""

from pathlib import Path

import nbformat
from nbval.plugin import metadata_tags

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"

# (notebook, the cell's first line of code) -> why its output differs from run to run
IGNORED = {
    ("00_start_here.ipynb", "print(cu.environment.version_table())"): "the installed versions",
    ("05_backprop_through_softmax.ipynb", "dims = [16, 32, 64, 128, 256, 512, 1024]"): "timings",
    ("05_backprop_through_softmax.ipynb", "cu.plots.timing_lines(dims, seconds)"): "a plot of timings",
}


def all_cells():
    for path in sorted(NOTEBOOKS.rglob("*.ipynb")):
        if ".ipynb_checkpoints" in path.parts:
            continue
        for cell in nbformat.read(path, as_version=4).cells:
            yield path, cell


def code_cells():
    return ((path, cell) for path, cell in all_cells() if cell.cell_type == "code")


def nbval_tags(cell):
    return [tag for tag in cell.metadata.get("tags", []) if tag.startswith("nbval")]


def first_code_line(cell):
    lines = cell.source.splitlines()
    return next(line for line in lines if line.strip() and not line.lstrip().startswith("#"))


def test_no_cell_a_student_reads_mentions_nbval():
    found = [(path.name, line) for path, cell in all_cells() for line in cell.source.splitlines()
             if "nbval" in line.lower()]
    assert found == [], f"test markers in cell sources (use nbval cell tags instead): {found}"


def test_every_nbval_tag_is_one_nbval_reads():
    for path, cell in code_cells():
        for tag in nbval_tags(cell):
            assert tag in metadata_tags, f"{path.name}: nbval does not know the tag {tag!r}"


def test_outputs_go_uncompared_only_where_they_truly_vary():
    uncompared = {(path.name, first_code_line(cell)) for path, cell in code_cells() if nbval_tags(cell)}
    assert uncompared == set(IGNORED)
