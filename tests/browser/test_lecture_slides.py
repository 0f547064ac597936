"""The lecture as slides in JupyterLab, in Debian's chromium, at a projector's 1280×720.

The slides are jupyterlab-slideshow's presentation mode (the notebook's ``slideshow``
metadata, as RISE reads it): RISE for JupyterLab (jupyterlab_rise 0.43.1) shows the slides but
not ipywidgets 8 (docs/instructors.md says why). As the presenter does it: open the lecture,
Run All, start the slideshow, press Space through the slides to the Jacobian explorer and move
a slider there; the readout and the heatmap must follow. Screenshots of the slides go to the
artifacts folder (``BROWSER_ARTIFACTS``); docs/screenshots/lecture_*.png come from there.
"""

import time

import pytest
import widget_checks as check
from conftest import notebook_copy

from course_utils.widgets import jacobian_explorer

pytestmark = pytest.mark.browser

NOTEBOOK = "lecture_50min.ipynb"
PROJECTOR = {"width": 1280, "height": 720}
SLIDE_STEPS = 80  # presses of Space at most from the title to a slide


@pytest.fixture
def projector(browser):
    """A page the size of a projector's picture."""
    context = browser.new_context(viewport=PROJECTOR)
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()


def run_all(page, server):
    check.run_all_cells(page, server.url(f"/lab/tree/{NOTEBOOK}"))


def start_slideshow(page):
    """Select the title cell, press the notebook toolbar's slideshow button, focus the slide."""
    title = page.locator(".jp-Notebook .jp-Cell").first
    title.scroll_into_view_if_needed()
    title.click()  # a rendered markdown cell: selected, in command mode
    page.locator(".jp-NotebookPanel-toolbar [data-command='deck:toggle']").click()
    page.locator(".jp-Deck").first.wait_for()
    title.click()  # the keyboard's focus back on the slide (Space moves on, Escape ends)


def shown(page, heading):
    title = page.locator(".jp-Notebook :is(h2, h3)", has_text=heading)
    return title.count() and title.first.is_visible() and title.first.bounding_box()["y"] >= 0


def go_to_slide(page, heading):
    """Press Space (next fragment or slide) until the slide titled ``heading`` shows."""
    for _ in range(SLIDE_STEPS):
        if shown(page, heading):
            time.sleep(0.5)  # the slide transition
            return
        page.keyboard.press("Space")
        time.sleep(0.2)
    pytest.fail(f"no slide {heading!r} after {SLIDE_STEPS} presses of Space")


def test_lecture_slides_run_live_widgets(projector, lab_server, workdir, artifacts):
    page = projector
    notebook_copy(NOTEBOOK, workdir)
    run_all(page, lab_server)
    start_slideshow(page)
    page.screenshot(path=artifacts / "lecture_title.png")
    go_to_slide(page, "Deriving the derivative")
    go_to_slide(page, "One formula for every entry")
    page.screenshot(path=artifacts / "lecture_derivation.png")

    go_to_slide(page, "The Jacobian, live")
    explorer = page.locator(".course-explorer").first
    assert explorer.is_visible()
    check.assert_widgets_rendered(page, count=2)  # the Jacobian explorer and the stability lab
    reference = jacobian_explorer([1.0, 2.0, 3.0])
    check.wait_for_readout(explorer, reference.readout_text)
    page.screenshot(path=artifacts / "lecture_jacobian_explorer.png")

    # The presenter moves x₁ one step up with the keyboard, then drags x₃ down: every frame
    # the page draws on the slide is NumPy's, and the kernel ends on the values shown.
    check.start_recording(explorer)
    check.press(explorer, "x₁", "ArrowRight")
    check.wait_until(lambda: check.state(explorer)["logits"][0] == pytest.approx(1.1),
                     message="x₁ moved to 1.1")
    check.drag(explorer, "x₃", -40)
    recorded = check.stop_recording(explorer)["records"]
    assert len({record["text"] for record in recorded}) >= 3, "the slide's explorer did not follow"
    for record in recorded:
        check.assert_frame_consistent("jacobian", record)
    moved = check.slider_value(explorer, "x₃")
    assert moved < 3.0
    reference.set_logits([1.1, 2.0, moved])
    check.wait_for_readout(explorer, reference.readout_text)
    assert shown(page, "The Jacobian, live"), "moving the slider left the slide"
    page.screenshot(path=artifacts / "lecture_jacobian_moved.png")
    assert not page.errors, page.errors
