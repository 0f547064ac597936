"""Notebook 04 in JupyterLab, in Debian's chromium: run every cell, then drag, press, click.

Checks that cannot flake on a loaded machine (the timings are the benchmark's job,
``python -m benchmarks.browser``): a drag draws many distinct frames and every one of
them agrees with NumPy; nothing is stale after "Run All", a key burst, a preset, reset
or a change of D; changing D shifts nothing; Tab reaches every control.
"""

import time

import numpy as np
import pytest
import widget_checks as check
from conftest import notebook_copy

from course_utils.widgets import jacobian_explorer, softmax_explorer, stability_lab

pytestmark = pytest.mark.browser

NOTEBOOK = "04_interactive_jacobian.ipynb"


def open_and_run_all(page, server, workdir):
    notebook_copy(NOTEBOOK, workdir)
    check.run_all_cells(page, server.url(f"/lab/tree/{NOTEBOOK}"))


def exercise_explorers(page, artifacts, prefix, expect_at_rest, lab_reset, axe_script):
    """The checks shared by JupyterLab and Voilà.

    ``expect_at_rest``: reference explorers in the state the cells leave; ``lab_reset``: the
    lab as its own cell made it, where its reset button must bring it back.
    """
    check.assert_widgets_rendered(page, count=3)
    probabilities, jacobian, lab = (check.explorers(page).nth(index) for index in range(3))
    for explorer, reference in zip((probabilities, jacobian, lab), expect_at_rest, strict=True):
        # what the cells left, exactly: no echo of a snapped slider value replaced it
        check.wait_until(lambda e=explorer, r=reference: check.readout(e) == r.readout_text,
                         message=f"readout at rest {reference.readout_text!r}")
    for index, name in enumerate(["softmax_explorer", "jacobian_explorer", "stability_lab"]):
        check.explorers(page).nth(index).screenshot(path=artifacts / f"{prefix}_{name}.png")

    # A drag of x₁ on the Jacobian explorer: many distinct frames, each one NumPy's.
    jacobian.locator("button", has_text="all equal").click()
    check.start_recording(jacobian)
    check.drag(jacobian, "x₁", 120)
    recorded = check.stop_recording(jacobian)
    frames = recorded["records"]
    distinct = {record["text"] for record in frames}
    assert len(distinct) >= 10, f"only {len(distinct)} distinct frames during a 1.2 s drag"
    for record in frames:
        check.assert_frame_consistent("jacobian", record)

    # A burst of 12 key presses 15 ms apart on the softmax explorer's temperature.
    handle = check.slider(probabilities, "T")
    handle.focus()
    for _ in range(12):
        handle.press("ArrowLeft")
        time.sleep(0.015)
    final = check.state(probabilities)
    assert final["temperature"] == pytest.approx(10 ** -0.12, rel=1e-9)
    check.assert_same_text(check.readout(probabilities), check.expected_readout("softmax", final))

    # Changing D moves nothing else on the page, and shows what NumPy says.
    check.layout_shift_observer(page)
    size = check.slider(jacobian, "classes D")
    size.focus()
    for key in ["End", "Home", "End"]:
        size.press(key)
        time.sleep(0.2)
    assert len(check.state(jacobian)["logits"]) == 10
    assert check.layout_shift(page) <= 0.1
    check.assert_same_text(check.readout(jacobian), check.expected_readout("jacobian", check.state(jacobian)))

    # The lab past float32's overflow point, then reset: back to what its cell asked for.
    lab.locator("button", has_text="float32").click()
    check.wait_until(lambda: "float32" in check.readout(lab), message="lab in float32")
    assert "overflow" in check.readout(lab)
    lab.locator("button", has_text="reset").click()
    check.wait_until(lambda: check.readout(lab) == lab_reset.readout_text, message="lab reset")

    # Tab from the first control reaches every enabled slider and button, then leaves.
    controls = jacobian.locator("input:enabled, button")
    count = controls.count()
    check.slider(jacobian, "classes D").focus()
    reached = set()
    for _ in range(count):
        reached.add(page.evaluate("() => document.activeElement.getAttribute('aria-label') "
                                  "|| document.activeElement.textContent"))
        page.keyboard.press("Tab")
    assert len(reached) == count, reached
    assert not jacobian.evaluate("(root) => root.contains(document.activeElement)")
    # axe-core finds nothing critical or serious in the explorers themselves
    assert check.accessibility_violations(page, axe_script) == []
    assert not page.errors, page.errors


# each explorer's controls, figure and readout, and the notebook's visible area (Voilà: the
# window), in page pixels
LAYOUT = """(root) => {
  const box = (e) => { const b = e.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; };
  return [".course-controls", ".course-figure", ".course-readout"].map((s) => box(root.querySelector(s)))
    .concat([root.closest(".jp-WindowedPanel-outer") ? box(root.closest(".jp-WindowedPanel-outer"))
      : [0, 0, window.innerWidth, window.innerHeight]]); }"""
KINDS = (".course-softmax", ".course-jacobian", ".course-stability")


def reveal(page, selector):
    """The explorer ``selector``, scrolled to the top of the notebook.

    JupyterLab renders a notebook in a window: a cell far out of view is not in the page,
    so the notebook is scrolled until the explorer is there.
    """
    outer = page.locator(".jp-WindowedPanel-outer")
    outer.evaluate("(o) => { o.scrollTop = 0; }")
    for _ in range(200):
        if page.locator(selector).count():
            explorer = page.locator(selector).first
            explorer.evaluate("(root) => root.scrollIntoView({block: 'start'})")
            explorer.locator(".course-title").click()  # its cell active: JupyterLab keeps it in view
            explorer.evaluate("(root) => root.scrollIntoView({block: 'start'})")
            time.sleep(0.3)
            return explorer
        outer.evaluate("(o) => { o.scrollTop += 300; }")
        time.sleep(0.1)
    raise AssertionError(f"no {selector} in the notebook")


def toggle_presentation_mode(page):
    """JupyterLab's View > Appearance > Presentation Mode."""
    page.locator(".lm-MenuBar-itemLabel", has_text="View").click()
    page.locator(".lm-Menu-itemLabel", has_text="Appearance").hover()
    page.locator(".lm-Menu-itemLabel", has_text="Presentation Mode").click()
    time.sleep(0.5)


def scroll_to(page, selector):
    """The explorer ``selector``, scrolled to the top of the window (Voilà)."""
    explorer = page.locator(selector).first
    explorer.evaluate("(root) => root.scrollIntoView({block: 'start'})")
    time.sleep(0.3)
    return explorer


def assert_projector_layout(page, width, height, locate=reveal, shots=None):
    """At width x height, for D = 10, 2 and 3 (and both types in the lab): controls and figure
    side by side, the readout in view, and no text of the figure overlapping another or cut.
    ``shots``: a path prefix for a screenshot of the window at D = 10 for each explorer."""
    page.set_viewport_size({"width": width, "height": height})
    time.sleep(0.5)
    for selector in KINDS:
        explorer = locate(page, selector)
        size = check.slider(explorer, "classes D")
        for key in ("End", "Home", "ArrowRight"):
            size.focus()
            size.press(key)
            time.sleep(0.3)
            for dtype in ("float32", "float64") if selector == ".course-stability" else (None,):
                if dtype:
                    explorer.locator("button", has_text=dtype).click()
                    time.sleep(0.2)
                where = f"{selector} at {width}x{height}, D = {len(check.state(explorer)['logits'])}, {dtype}"
                check.assert_texts_apart(explorer, where)
                controls, figure, readout, view = explorer.evaluate(LAYOUT)
                assert figure[0] >= controls[2] and figure[1] < controls[3], \
                    f"{where}: figure {figure} not beside controls {controls}"
                assert view[1] <= readout[1] and readout[3] <= view[3], \
                    f"{where}: readout {readout} cut by {view}"
            if shots and key == "End":
                page.screenshot(path=f"{shots}_{width}x{height}_{selector[8:]}.png")


def test_notebook_04_explorers_draw_live_and_never_go_stale(page, lab_server, workdir, artifacts,
                                                             axe_script):
    open_and_run_all(page, lab_server, workdir)
    reference_jacobian = jacobian_explorer()
    reference_jacobian.apply_preset("huge scale")  # the last cell that moves it
    at_rest = [softmax_explorer([1.0, 2.0, 3.0]), reference_jacobian,
               stability_lab(scale=1000.0, dtype="float64")]
    exercise_explorers(page, artifacts, "lab", at_rest, stability_lab(scale=100.0, dtype="float32"),
                       axe_script)
    np.testing.assert_array_equal(at_rest[1].logits, [1000.0, 999.0, 998.0])
    page.screenshot(path=artifacts / "lab_page.png", full_page=False)
    # a projector: the explorers' own projector mode and JupyterLab's Presentation Mode,
    # with the file browser open, the narrowest of these cases (measured), in 1280 x 720
    # and 1920 x 1080 windows
    for index in range(3):
        check.explorers(page).nth(index).locator("button", has_text="projector").click()
    assert page.locator("#jp-left-stack").is_visible(), "JupyterLab opened without its file browser"
    toggle_presentation_mode(page)
    check.record_texts(page)
    for width, height in ((1280, 720), (1920, 1080)):
        assert_projector_layout(page, width, height, shots=artifacts / "lab_projector")
    assert not page.errors, page.errors
