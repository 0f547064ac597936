"""The handout of the derivation, generated from the notebooks: HTML, then PDF printed by Chromium.

    python tools/handout.py                                  # the lecture: handout/lecture_50min.pdf
    python tools/handout.py notebooks/02_symbolic_derivation.ipynb --out handout/
    make handout

Each notebook's stored outputs (real, re-executed by the tests) are shown without the code:
the prose, the equations SymPy derived, the printed checks and the figures. Speaker notes and
skipped slides are left out, and a live explorer appears as the picture it stored. The
equations are typeset by the MathJax that jupyter_server_mathjax ships (no CDN), and Chromium
prints the page once it has settled (``--virtual-time-budget``).
"""

import argparse
import os
import subprocess
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = [ROOT / "notebooks" / "lecture_50min.ipynb"]
CHROMIUM = Path(os.environ.get("COURSE_CHROMIUM", "/usr/bin/chromium"))
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
LEFT_OUT = {"notes", "skip"}  # slide types that are not for the students' handout
PAGE_STYLE = """
<style>
  @page { size: A4; margin: 16mm 15mm; }
  body { font-size: 11pt; }
  .jp-Cell { break-inside: avoid; }
  h2 { break-before: auto; margin-top: 1.2em; }
  .jp-OutputArea-output img { max-width: 70%; }
  .jp-OutputArea-output, .jp-RenderedLatex { overflow: visible !important; }
</style>
<script type="text/x-mathjax-config">
  // jupyter_server_mathjax ships the STIX web fonts only: without them stretchy brackets break
  MathJax.Hub.Config({"HTML-CSS": {availableFonts: [], preferredFont: null, webFont: "STIX-Web",
                                   imageFont: null}});
</script>
"""


def handout_notebook(path):
    """The notebook as the handout shows it: no notes, no skipped cells, no live widgets."""
    notebook = nbformat.read(path, as_version=4)
    cells = []
    for cell in notebook.cells:
        if cell.metadata.get("slideshow", {}).get("slide_type") in LEFT_OUT:
            continue
        if cell.cell_type == "code":
            for output in cell.get("outputs", []):
                output.get("data", {}).pop(WIDGET_VIEW, None)  # its stored picture stays
            if not cell.get("outputs"):
                continue  # code alone (the Setup cell): nothing for the reader
        cells.append(cell)
    notebook.cells = cells
    notebook.metadata.pop("widgets", None)
    return notebook


def mathjax_url():
    import jupyter_server_mathjax

    script = Path(jupyter_server_mathjax.__file__).parent / "static" / "MathJax.js"
    return script.as_uri() + "?config=TeX-AMS-MML_HTMLorMML-full,Safe"


def to_html(notebook, source):
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab", exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True, mathjax_url=mathjax_url())
    body, _ = exporter.from_notebook_node(notebook)
    origin = (f'<p style="color:#555; font-size:9pt">Generated from <code>{source}</code> by '
              "<code>tools/handout.py</code>: every equation and number was computed or checked by "
              "the code of that notebook, which the course's tests re-execute.</p>")
    body = body.replace("</head>", PAGE_STYLE + "</head>", 1)
    return body.replace('<main>', "<main>" + origin, 1) if "<main>" in body else body


def print_pdf(html, pdf, chromium=CHROMIUM, budget_ms=30_000):
    """Chromium, headless, prints ``html`` to ``pdf`` once MathJax has typeset the page."""
    if not chromium.is_file():
        raise SystemExit(f"handout: no Chromium at {chromium} (apt-get install chromium, "
                         "or set COURSE_CHROMIUM)")
    command = [str(chromium), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
               "--no-first-run", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--disable-dev-shm-usage", "--allow-file-access-from-files",
               "--run-all-compositor-stages-before-draw", f"--virtual-time-budget={budget_ms}",
               "--no-pdf-header-footer", f"--print-to-pdf={pdf}", html.resolve().as_uri()]
    subprocess.run(command, check=True, capture_output=True, timeout=120)
    if not pdf.is_file() or pdf.stat().st_size == 0:
        raise SystemExit(f"handout: Chromium wrote no PDF for {html}")


def build(paths, out):
    """HTML and PDF for each notebook in ``paths``; returns the PDFs' paths."""
    out.mkdir(parents=True, exist_ok=True)
    pdfs = []
    for path in paths:
        path = Path(path).resolve()
        html = out / f"{path.stem}.html"
        html.write_text(to_html(handout_notebook(path), path.relative_to(ROOT)), encoding="utf-8")
        pdf = out / f"{path.stem}.pdf"
        print_pdf(html, pdf)
        pdfs.append(pdf)
    return pdfs


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, default=DEFAULT)
    parser.add_argument("--out", type=Path, default=ROOT / "handout")
    args = parser.parse_args(argv)
    for pdf in build(args.notebooks, args.out):
        print(pdf)


if __name__ == "__main__":
    sys.exit(main())
