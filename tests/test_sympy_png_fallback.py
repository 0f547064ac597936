"""Notebook 02's SymPy equations, where only their PNG shows (GitHub, nbviewer): large and black.

JupyterLab typesets the LaTeX of each SymPy output; a page that cannot shows the PNG stored next
to it. ``sp.init_printing(forecolor="Black", scale=...)`` in 02's setup cell makes that PNG read
like the LaTeX: black, not SymPy's automatic grey, and as tall as typeset text.
"""

import base64
import io
from pathlib import Path

import matplotlib.image
import nbformat
import numpy as np

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "02_symbolic_derivation.ipynb"
MIN_HEIGHT = 40  # pixels; one line of typeset text with a fraction


def equation_pictures():
    for cell in nbformat.read(NOTEBOOK, as_version=4).cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "image/png" in data and "text/latex" in data:
                yield matplotlib.image.imread(io.BytesIO(base64.b64decode(data["image/png"])))


def test_every_equation_has_a_large_black_png():
    pictures = list(equation_pictures())
    assert len(pictures) >= 20
    for picture in pictures:
        assert picture.shape[0] >= MIN_HEIGHT
        ink = picture[..., 3] > 0.9  # opaque pixels: the glyphs
        assert ink.any() and np.median(picture[ink][:, :3].max(axis=1)) < 0.1  # black, not grey
