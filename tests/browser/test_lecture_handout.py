"""tools/handout.py: the lecture as a PDF handout, printed by Debian's chromium, read back page by page."""

import sys

import numpy as np
import pypdfium2
import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))

import handout  # noqa: E402

pytestmark = pytest.mark.browser


def test_the_handout_pdf_shows_the_derivation_without_code(chromium, tmp_path, monkeypatch):
    monkeypatch.setattr(handout, "CHROMIUM", handout.Path(chromium))
    (pdf,) = handout.build(handout.DEFAULT, tmp_path)
    document = pypdfium2.PdfDocument(pdf)
    assert 3 <= len(document) <= 8
    text = "\n".join(document[index].get_textpage().get_text_range() for index in range(len(document)))
    for heading in ("Deriving the derivative", "The Jacobian in NumPy", "Backprop through softmax",
                    "Softmax + cross-entropy", "Training a classifier", "Homework"):
        assert heading in text
    assert "checked: all 9 entries of sp.diff equal" in text  # a printed check, from the stored outputs
    assert "import numpy" not in text and "display(sp.Eq" not in text  # no code
    assert "Answers, for you" not in text  # no speaker notes
    for raw in ("\\frac", "$$", "\\sigma", "\\partial"):  # every equation typeset by MathJax
        assert raw not in text, f"untypeset TeX {raw!r} in the handout"
    for index in range(len(document)):  # every page carries ink, none is blank
        ink = np.asarray(document[index].render(scale=0.5).to_pil().convert("L")) < 128
        assert ink.mean() > 0.002, f"page {index + 1} is blank"
