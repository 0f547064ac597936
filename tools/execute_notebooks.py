"""Execute notebooks top to bottom from a fresh kernel and store their outputs in place.

    python tools/execute_notebooks.py                 # every notebook under notebooks/
    python tools/execute_notebooks.py notebooks/03_numpy_jacobian.ipynb

The kernel runs in the notebook's folder with this Python (the project's .venv), so stored
outputs are exactly what nbval recomputes. Widget state is kept for renderers that show it.
"""

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent


def execute(path):
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:  # timestamps an earlier run (or JupyterLab) left behind
        cell.metadata.pop("execution", None)
    client = NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        store_widget_state=True,
        record_timing=False,  # no timestamps in the cells: a re-run changes only what changed
    )
    started = time.perf_counter()
    client.execute()
    nbformat.write(notebook, path)
    return time.perf_counter() - started


def main(paths):
    notebooks = [Path(p).resolve() for p in paths] or sorted(
        p for p in (ROOT / "notebooks").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts
    )
    for path in notebooks:
        seconds = execute(path)
        print(f"{seconds:6.1f} s  {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main(sys.argv[1:])
